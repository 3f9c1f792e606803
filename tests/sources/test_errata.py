"""Errata may restructure or repair what is printed, never invent a code."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswalk.sources.build import DATA
from crosswalk.sources.errata import ErrataError, apply_errata, load_errata


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "errata.toml"
    path.write_text(body, encoding="utf-8")
    return path


def edit(kind: str, find: str, replace: str, name: str = "") -> str:
    named = f'name = "{name}"\n' if name else ""
    return (
        f'[[edit]]\nid = "E1"\ndocument = "000"\nline = 1\nkind = "{kind}"\n{named}'
        f'find = "{find}"\nreplace = "{replace}"\nreason = "because"\n'
    )


def test_the_bundled_errata_load_and_each_gives_a_reason() -> None:
    errata = load_errata(DATA / "errata.toml")
    assert len(errata.edits) >= 15 and len(errata.resolutions) >= 3
    assert all(len(e.reason) > 30 for e in (*errata.edits, *errata.resolutions))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (edit("restructure", "a b", "a\\tb c"), "move words, not change them"),
        (edit("reconstruct", "abc", "abc 7.5 - Implements"), r"adds code\(s\) \['7.5'\]"),
        (edit("drop", "abc", "x"), "leave 'replace' empty"),
        (edit("name", "abc", "Foo Bar abc", name="Foo"), "inserts its 'name' and nothing else"),
        (edit("guess", "a", "b"), "unknown kind"),
        (edit("drop", "a", "").replace('reason = "because"', 'reason = ""'), "needs a reason"),
        ('[[edit]]\nid = "E1"\n', "E1"),
        ("[[edit]\n", "errata.toml"),
    ],
)
def test_an_erratum_that_does_more_than_its_kind_is_refused(
    tmp_path: Path, body: str, message: str
) -> None:
    with pytest.raises(ErrataError, match=message):
        load_errata(write(tmp_path, body))


def test_a_restructure_may_split_a_line_into_rows_that_keep_its_number(tmp_path: Path) -> None:
    errata = load_errata(write(tmp_path, edit("restructure", "one two", "one\\ntwo")))
    lines = apply_errata(["one two", "three"], list(errata.edits), "seed")
    assert [(line.number, line.text, line.errata) for line in lines] == [
        (1, "one", ("E1",)),
        (1, "two", ("E1",)),
        (2, "three", ()),
    ]


def test_an_erratum_that_no_longer_matches_its_source_fails_loudly(tmp_path: Path) -> None:
    errata = load_errata(write(tmp_path, edit("drop", "gone", "")))
    with pytest.raises(ErrataError, match="line 1 does not contain 'gone'"):
        apply_errata(["something else"], list(errata.edits), "seed 000")
