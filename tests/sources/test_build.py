"""The bundled dataset: rebuilt from sources + errata, it equals the committed tables,
and it says what the documents say, traceably."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from crosswalk.formats.workbook import write_csv_folder
from crosswalk.model import Dataset, Relation
from crosswalk.sources.build import BUNDLED, DATA, build
from crosswalk.sources.bundled import load_bundled


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build()


def links(dataset: Dataset, crosswalk: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = defaultdict(list)
    for a in dataset.alignments:
        if a.crosswalk == crosswalk and a.target_code:
            result[a.source_code].append(a.target_code)
    return result


def test_rebuilding_from_sources_and_errata_gives_the_committed_tables(
    dataset: Dataset, tmp_path: Path
) -> None:
    for written in write_csv_folder(dataset, tmp_path):
        committed = BUNDLED / written.name
        assert written.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
            f"{committed} differs from a rebuild: run `make data` and review the diff"
        )


def test_the_committed_tables_load_back_to_the_built_dataset(dataset: Dataset) -> None:
    loaded = load_bundled()
    key = lambda d: (  # noqa: E731
        sorted(d.frameworks, key=lambda f: f.id),
        sorted(d.items, key=lambda i: i.key),
        sorted(d.crosswalks, key=lambda c: c.id),
        sorted(d.alignments, key=lambda a: (a.crosswalk, a.position)),
    )
    assert key(loaded) == key(dataset)


def test_frameworks_and_crosswalks(dataset: Dataset) -> None:
    assert [f.id for f in dataset.frameworks] == ["imh", "wv-ckc-2015", "iecmhc"]
    assert {(c.id, c.source_framework, c.target_framework) for c in dataset.crosswalks} == {
        ("imh-wv-ckc-2015", "imh", "wv-ckc-2015"),
        ("iecmhc-imh", "iecmhc", "imh"),
    }
    ckc = next(c for c in dataset.crosswalks if c.id == "imh-wv-ckc-2015")
    assert "resource guide only" in ckc.description


def test_imh_knowledge_areas_per_area(dataset: Dataset) -> None:
    per_area: dict[str, int] = defaultdict(int)
    for item in dataset.items:
        if item.framework == "imh" and item.parent:
            per_area[item.parent] += 1
    assert per_area == {
        "theoretical-foundations": 14,
        "law-regulation-agency-policy": 3,
        "systems-expertise": 2,
        "direct-service-skills": 11,
        "working-with-others": 9,
        "communicating": 4,
        "thinking": 5,
        "reflection": 6,
        "leading-people": 7,
        "research-evaluation": 3,
    }


def test_rows_read_across_lines_pages_and_garbled_regions(dataset: Dataset) -> None:
    got = links(dataset, "imh-wv-ckc-2015")
    assert got["law-regulation-agency-policy/agency-policy"] == ["6.7", "7.1", "7.2", "7.4", "7.6"]
    assert got["systems-expertise/service-delivery-systems"] == ["2.3", "5.3", "6.1", "6.6"]
    assert got["working-with-others/coaching-mentoring"] == ["2.3", "6.1", "6.3", "6.4", "6.5"]
    assert got["working-with-others/crisis-management"] == [
        "4.3",
        "5.2",
        "5.3",
        "5.4",
        "6.1",
        "6.5",
        "7.1",
    ]
    assert got["direct-service-skills/reflective-supervision"] == [
        "4.1",
        "6.3",
        "6.4",
        "7.3",
        "7.5",
    ]
    assert got["direct-service-skills/intervention-treatment-planning"] == [
        "1.2",
        "2.1",
        "2.3",
        "3.5",
        "3.6",
        "4.2",
        "4.3",
        "4.6",
        "5.4",
        "6.2",
        "6.7",
    ]
    assert got["reflection/contemplation"][0] == "4.1" and len(got["reflection/contemplation"]) == 9
    assert got["research-evaluation/study-of-families"] == ["2.2", "7.5"]


def test_no_match_rows_and_outside_references(dataset: Dataset) -> None:
    targetless = {
        (a.source_code.split("/")[1], a.relation, a.printed_target)
        for a in dataset.alignments
        if a.target_code is None
    }
    assert targetless == {
        ("supportive-counseling", Relation.NO_MATCH, "Found no corresponding competencies"),
        (
            "parent-infant-very-young-child-relationship-based-therapies-and-practice",
            Relation.NO_MATCH,
            "Found no corresponding competencies",
        ),
        ("adult-theory-practice", Relation.RELATED, "T&TA Competencies"),
        ("group-process", Relation.RELATED, "T&TA Competencies"),
        ("study-of-infant-relationships-attachment", Relation.RELATED, "T&TA competencies"),
    }


def test_names_not_printed_come_only_from_errata(dataset: Dataset) -> None:
    named = {i.name: i.errata for i in dataset.items if i.framework == "imh"}
    for name, erratum in [
        ("Agency policy", "E03"),
        ("Community resources", "E09"),
        ("Collaborating", "E16"),
        ("Planning & organizing", "E18"),
    ]:
        assert erratum in named[name]


def test_lost_code_numbers_are_not_added(dataset: Dataset) -> None:
    agency = links(dataset, "imh-wv-ckc-2015")["law-regulation-agency-policy/agency-policy"]
    assert "7.3" not in agency and "7.5" not in agency


def test_ckc_catalogue_has_each_code_once_with_variants(dataset: Dataset) -> None:
    ckc = {i.code: i for i in dataset.items if i.framework == "wv-ckc-2015"}
    assert "4.4" not in ckc and "1.10" in ckc
    assert ckc["7.5"].statement == (
        "Implements policies and procedures that support partnerships with families and "
        "respects their diverse needs and culture"
    )
    variants = {a.text for a in ckc["7.5"].aliases if a.kind == "statement"}
    assert any("polices" in v for v in variants)
    assert ckc["1.2"].statement.startswith("Applies the process of assessment")


def test_seed_002_resolves_to_the_same_imh_items_with_aliases(dataset: Dataset) -> None:
    got = links(dataset, "iecmhc-imh")
    assert got["6A.2"] == ["theoretical-foundations/relationship-focused-therapeutic-practice"] * 2
    assert got["6C.2"] == [
        "direct-service-skills/observation-listening",
        "working-with-others/collaborating",
    ]
    assert got["6D.1"] == ["leading-people/program-evaluation"]
    assert got["6C.3"] == ["reflection/self-awareness", "leading-people/developing-talent"]
    items = {i.code: i for i in dataset.items if i.framework == "imh"}
    assert ("name", "Self Awareness") in {
        (a.kind, a.text) for a in items["reflection/self-awareness"].aliases
    }
    assert ("area", "Administration") in {
        (a.kind, a.text) for a in items["leading-people/program-evaluation"].aliases
    }
    first = next(a for a in dataset.alignments if a.crosswalk == "iecmhc-imh")
    assert (first.strength, first.level) == ("Essential", "MHS")
    assert first.evidence.startswith("Uses multiple strategies")


def test_every_alignment_traces_to_its_source_line(dataset: Dataset) -> None:
    documents = {
        "seed 000": (DATA / "sources/000_5ab6a8de11d7ffd6.txt").read_text().split("\n"),
        "seed 002": (DATA / "sources/002_23138a9850aa3d8a.txt").read_text().split("\n"),
    }
    for a in dataset.alignments:
        assert a.provenance is not None
        lines = documents[a.provenance.document]
        text = " ".join(lines[a.provenance.first_line - 1 : a.provenance.last_line])
        printed = a.target_code if a.crosswalk == "imh-wv-ckc-2015" else a.source_code
        if printed:
            assert re.search(rf"(?<![\d.]){re.escape(printed)}(?!\d)", text), a
        else:
            assert a.printed_target in text, a
