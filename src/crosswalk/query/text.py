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
    bound (the word overlap) whenever difflib's cheap upper bound shows that the exact
    score cannot reach ``at_least``.
    """
    left, right = normalise(a), normalise(b)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    words_a, words_b = set(left.split()), set(right.split())
    overlap = len(words_a & words_b) / len(words_a | words_b)
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    if matcher.real_quick_ratio() <= overlap:
        return overlap  # exact: the ratio cannot beat the overlap
    upper = matcher.quick_ratio()
    if upper <= overlap or upper < at_least:
        return overlap
    return max(overlap, matcher.ratio())
