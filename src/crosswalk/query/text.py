"""Text matching shared by lookups, search and lint.

The seed documents spell the same thing many ways ("Self Awareness", "Self-awareness",
"Relationship-Focused, Therapeutic Practice"), so every comparison goes through one
normalisation: lower case, punctuation and "&"/"and" folded away, whitespace collapsed.
"""

from __future__ import annotations

import difflib
import re

_WORD = re.compile(r"[a-z0-9]+")
_TRAILING_TAG = re.compile(r"\s*\((?:[^()]*)\)\s*$")
_LEADING_CODE = re.compile(r"^\s*[*\-•]*\s*\**\d+(?:\.\d+)*\**\s*[-–—:.]?\s*")

# Words too common in competency statements to say anything about a match.
STOPWORDS = frozenset({"a", "an", "and", "as", "for", "in", "of", "on", "or", "the", "to", "with"})


def normalise(text: str) -> str:
    """Case-, punctuation- and spacing-insensitive form used for equality tests."""
    return " ".join(word for word in _WORD.findall(text.lower()) if word != "and")


def tokens(text: str) -> list[str]:
    """Content words of a text, in order, without stopwords."""
    return [word for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


def strip_tag(name: str) -> str:
    """A printed name without its trailing level tag: "Developmental Guidance (MHS)"."""
    return _TRAILING_TAG.sub("", name).strip()


def strip_code(text: str) -> str:
    """A printed statement without the code printed before it: "1.2 - Applies …"."""
    return _LEADING_CODE.sub("", text, count=1).strip()


def similarity(a: str, b: str, at_least: float = 0.0) -> float:
    """How alike two texts read, 0–1: the better of character and word overlap.

    Character similarity catches typos ("todaler"); word overlap catches reordered or
    truncated wordings, which the garbled regions of the seeds are full of.

    Character similarity (difflib's ratio) is quadratic in the length of the texts, and
    lint compares every evidence text with every item: a caller that only cares about
    scores of ``at_least`` gets the exact score from there up, and below it a lower
    bound (the word overlap) whenever an upper bound shows that the exact score cannot
    reach ``at_least``.  The bound is the longest common subsequence: the blocks difflib
    matches are one common subsequence, so its ratio never exceeds ``2 × LCS / length``,
    and for the seeds' prose the bound is nearly the ratio itself (difflib's own
    ``quick_ratio``, counting letters, passed three pairs in four of lint's evidence
    comparisons; this passes one in two hundred) at a tenth of the ratio's cost.
    """
    left, right = normalise(a), normalise(b)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    words_a, words_b = set(left.split()), set(right.split())
    overlap = len(words_a & words_b) / len(words_a | words_b)
    length = len(left) + len(right)
    if 2.0 * min(len(left), len(right)) / length <= overlap:
        return overlap  # exact: the ratio cannot beat the overlap (difflib's real_quick_ratio)
    upper = 2.0 * common_subsequence(left, right) / length
    if upper <= overlap or upper < at_least:
        return overlap
    return max(overlap, difflib.SequenceMatcher(None, left, right, autojunk=False).ratio())


def common_subsequence(a: str, b: str) -> int:
    """The length of the longest common subsequence of ``a`` and ``b``.

    Bit-parallel (Hyyrö, "Bit-parallel LCS-length computation revisited", 2004): one
    bit per character of ``a`` in a Python integer, a few integer operations per
    character of ``b``, so two paragraphs take microseconds rather than the
    milliseconds of a table.
    """
    if len(a) < len(b):
        a, b = b, a
    positions: dict[str, int] = {}
    for index, character in enumerate(a):
        positions[character] = positions.get(character, 0) | (1 << index)
    full = (1 << len(a)) - 1
    row = full  # a 0 bit marks a character of ``a`` in the subsequence so far
    for character in b:
        matched = row & positions.get(character, 0)
        row = ((row + matched) | (row - matched)) & full
    return len(a) - row.bit_count()
