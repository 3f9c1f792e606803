"""The spellings index: the strict readings and "did you mean" without scanning everything.

In a small framework every spelling is scored, so the answers are exactly those of a
full comparison; in a large one only the spellings closest by shared three-letter runs
are, a bounded number per text, and the answer is still the close one.
"""

from __future__ import annotations

import difflib

import pytest

from crosswalk.catalog import Catalog
from crosswalk.model import Dataset, Framework, Item
from crosswalk.query import find_item, suggestions
from crosswalk.query import spellings as index
from crosswalk.query.text import normalise, strip_tag
from crosswalk.sources.bundled import load_bundled


def _full_scan(catalog: Catalog, framework: str, text: str) -> list[str]:
    """The ranking as one comparison of the text with every spelling of every item."""
    wanted = normalise(strip_tag(text)) or text.lower()
    scored = []
    for item in catalog.items_of(framework):
        spelled = [item.code, item.name, *(a.text for a in item.aliases if a.kind != "statement")]
        best = max(
            difflib.SequenceMatcher(None, wanted, normalise(s) or s.lower()).ratio()
            for s in spelled
        )
        if best >= index.CLOSE_ENOUGH:
            scored.append((best, item.code))
    scored.sort(key=lambda pair: -pair[0])
    return [code for _, code in scored]


@pytest.mark.parametrize(
    ("framework", "text"),
    [
        ("wv-ckc-2015", "2.10"),
        ("wv-ckc-2015", "9.9"),
        ("imh", "Self Awarness"),
        ("imh", "reflective supervison (MHS)"),
        ("iecmhc", "6B"),
        ("imh", "x"),
    ],
)
def test_a_small_framework_is_compared_in_full(framework: str, text: str) -> None:
    catalog = Catalog(load_bundled())
    ranked = [item.code for _, item in index.spellings(catalog, framework).ranked(text)]
    assert ranked == _full_scan(catalog, framework, text)


def _large() -> Catalog:
    items = [Item("big", str(a), f"Area {a}", kind="area") for a in range(40)]
    items += [
        Item("big", f"{a}.{n}", f"Competency {a}.{n} about family routines", parent=str(a))
        for a in range(40)
        for n in range(1, 100)
    ]
    return Catalog(Dataset([Framework("big", "Big")], items, [], []))


def test_a_large_framework_scores_a_bounded_number_of_spellings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalog = _large()
    built = index.spellings(catalog, "big")
    assert built.runs  # indexed by runs: more spellings than FULL_SCAN
    scored: list[int] = []
    original = index.Spellings._candidates

    def counted(self: index.Spellings, wanted: str) -> list[tuple[str, int]]:
        found = original(self, wanted)
        scored.append(len(found))
        return found

    monkeypatch.setattr(index.Spellings, "_candidates", counted)
    assert [i.code for i in suggestions(catalog, "big", "17.42x")][:1] == ["17.42"]
    assert suggestions(catalog, "big", "competency 3.7 about family routine")[0].code == "3.7"
    assert scored and max(scored) <= index.CANDIDATES
    assert len(built.forms) > 20 * index.CANDIDATES


def test_strict_readings_are_dictionary_reads() -> None:
    catalog = Catalog(load_bundled())
    assert find_item(catalog, "imh", "SELF-AWARENESS", fuzzy=False).name == "Self-awareness"
    assert find_item(catalog, "wv-ckc-2015", "2.1", fuzzy=False).code == "2.1"
    large = _large()
    assert find_item(large, "big", "competency 12.34 about family routines").code == "12.34"
