"""The text similarity lint relies on: its bound may prune, never change a score.

``similarity(..., at_least=)`` skips difflib's quadratic ratio when the longest
common subsequence shows the ratio cannot reach ``at_least``; these tests hold it to
the exact score from ``at_least`` up, and the subsequence to a plain table's length.
"""

from __future__ import annotations

import difflib
import itertools
import random

from crosswalk.query.text import common_subsequence, normalise, similarity
from crosswalk.sources.bundled import load_bundled


def _table(a: str, b: str) -> int:
    """The longest common subsequence by the textbook dynamic programme."""
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def test_common_subsequence_is_the_tables_length() -> None:
    chance = random.Random(8)
    for _ in range(2_000):
        a = "".join(chance.choice("abc d") for _ in range(chance.randint(0, 30)))
        b = "".join(chance.choice("abc d") for _ in range(chance.randint(0, 70)))
        assert common_subsequence(a, b) == _table(a, b), (a, b)


def _exact(a: str, b: str) -> float:
    left, right = normalise(a), normalise(b)
    if not left or not right:
        return 0.0
    words_a, words_b = set(left.split()), set(right.split())
    overlap = len(words_a & words_b) / len(words_a | words_b)
    return max(overlap, difflib.SequenceMatcher(None, left, right, autojunk=False).ratio())


def test_difflib_matches_no_more_than_the_common_subsequence() -> None:
    statements = [i.statement for i in load_bundled().items if i.statement][:40]
    for a, b in itertools.combinations(statements, 2):
        left, right = normalise(a), normalise(b)
        blocks = difflib.SequenceMatcher(None, left, right, autojunk=False)
        matched = sum(block.size for block in blocks.get_matching_blocks())
        assert matched <= common_subsequence(left, right)


def test_scores_from_at_least_up_are_exact() -> None:
    items = load_bundled().items
    texts = [i.statement for i in items if i.statement][:30] + [i.name for i in items][:30]
    texts += ["Self Awareness", "Self-awareness", "todaler development", "toddler development"]
    for a, b in itertools.combinations(texts, 2):
        exact = _exact(a, b)
        for at_least in (0.0, 0.5, 0.65, 0.8):
            bounded = similarity(a, b, at_least)
            if exact >= at_least:
                assert bounded == exact, (a, b, at_least)
            else:
                assert bounded <= exact, (a, b, at_least)
