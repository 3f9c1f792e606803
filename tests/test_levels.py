"""One rule for endorsement levels, shared by the web and the readiness assessment."""

from __future__ import annotations

import pytest

from crosswalk import levels
from crosswalk.catalog import Catalog
from crosswalk.model import Alignment, Item
from crosswalk.readiness import load_requirements
from crosswalk.readiness.engine import applicable_areas, link_applies
from crosswalk.sources.bundled import load_bundled


def _item(*tags: str) -> Item:
    return Item(framework="imh", code="x", name="X", tags=tags)


def _link(level: str) -> Alignment:
    return Alignment(crosswalk="c", source_code="x", target_code="y", level=level)


@pytest.mark.parametrize(
    ("spelling", "level"),
    [
        ("", "FS"),
        ("FS", "FS"),
        ("fs", "FS"),
        ("IMHS", "IMHS"),
        ("MHS", "IMHS"),
        (" mhs ", "IMHS"),
        ("IMHM", "IMHM"),
        ("mhm", "IMHM"),
        ("Relationship", None),
    ],
)
def test_every_spelling_has_one_canonical_level(spelling: str, level: str | None) -> None:
    assert levels.canonical(spelling) == level


def test_item_level_takes_the_highest_level_tag_whatever_its_case() -> None:
    assert levels.item_level(None) == "FS"
    assert levels.item_level(_item()) == "FS"
    assert levels.item_level(_item("Relationship")) == "FS"
    assert levels.item_level(_item("mhs")) == "IMHS"
    # Before: the web took the first tag (IMHS), readiness let IMHM win.
    assert levels.item_level(_item("IMHS", "IMHM")) == "IMHM"
    assert levels.item_level(_item("Relationship", "MHM")) == "IMHM"


def test_alignment_level_is_its_own_tag_else_its_source_items() -> None:
    assert levels.alignment_level(_link("MHM"), _item("IMHS")) == "IMHM"
    assert levels.alignment_level(_link(""), _item("IMHS")) == "IMHS"
    assert levels.alignment_level(_link(""), None) == "FS"
    assert levels.link_level(_link("")) is None
    assert levels.link_level(_link("mhs")) == "IMHS"


def test_scopes_and_applies() -> None:
    assert levels.parse_scope("upto-mhs") == "upto-IMHS"
    assert levels.scope_levels("upto-IMHS") == {"FS", "IMHS"}
    assert levels.parse_scope(" ") is None and levels.parse_level(None) is None
    assert levels.parse_level("MHM") == "IMHM"
    with pytest.raises(ValueError, match="choose one of FS, IMHS, IMHM"):
        levels.parse_level("IMHX")
    with pytest.raises(ValueError, match="upto-IMHS"):
        levels.parse_scope("IMHX")
    assert levels.applies("MHS", ["", "IMHS"]) and not levels.applies("MHM", ["", "IMHS"])
    assert levels.applies("", ["FS"]) and levels.applies("anything", None)
    assert levels.item_applies(_item("IMHM"), {"IMHM"})
    assert not levels.alignment_applies(_link("MHS"), _item(), {"FS"})


def test_readiness_uses_the_same_levels_as_the_web() -> None:
    catalog = Catalog(load_bundled())
    mentor = load_requirements().category("IMHM-C")
    found = applicable_areas(catalog, mentor)
    assert found
    for item, level in found:
        assert (level or "FS") == levels.item_level(item)
    # A lower-case tag counts as its level in readiness too.
    assert link_applies("mhs", load_requirements().category("IMHS"))
    assert not link_applies("mhm", load_requirements().category("IMHS"))
    assert link_applies("", load_requirements().category("IFS"))
