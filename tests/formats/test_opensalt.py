"""OpenSALT's spreadsheets: both real samples import field by field; ours round-trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from exchange_helpers import interop, stored
from openpyxl import load_workbook

from crosswalk.catalog import Catalog
from crosswalk.formats import opensalt
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.exchange import export_crosswalk, export_framework, import_file
from crosswalk.model import Relation


def _catalog(url: str) -> Catalog:
    return Catalog(stored(url)[0])


def test_the_xlsx_sample_imports_field_by_field(empty_url: str, tmp_path: Path):
    # Detected by its sheets, whatever the file is called.
    path = tmp_path / "whatever.xlsx"
    shutil.copyfile(interop("opensalt-spreadsheet-import-sample.xlsx"), path)
    report = import_file(path, url=empty_url, seed=False)
    assert report.written
    catalog = _catalog(empty_url)
    framework = catalog.frameworks["sampleframework"]
    assert (framework.title, framework.publisher) == ("SampleFramework", "ImportSpreadsheet")
    assert framework.updated == "2019-02-05T20:56:58"
    items = {i.code: i for i in catalog.items_of("sampleframework")}
    assert list(items) == ["S", "S.1", "S.2", "S.2.1"]
    assert items["S.1"].parent == "S" and items["S.2.1"].parent == "S.2"
    assert items["S.1"].kind == "Major Strand" and items["S.1"].statement == "Statement 2"
    assert "educationLevel:4" in items["S.1"].tags and "educationLevel:5" in items["S.1"].tags
    assert items["S"].tags == ("educationLevel:3",)
    kinds = sorted(a.justification for a in catalog.dataset.alignments)
    assert kinds == [
        "case:exactMatchOf", "case:hasSkillLevel", "case:isPartOf", "case:isPeerOf",
        "case:precedes", "case:replacedBy",
    ]  # fmt: skip
    exact = next(a for a in catalog.dataset.alignments if a.justification == "case:exactMatchOf")
    assert exact.relation is Relation.EXACT and exact.source_code == "S.1"
    package = opensalt._package_from_workbook(path)
    assert package["CFDocument"]["subject"] == ["School"]
    assert package["CFDocument"]["statusStartDate"] == "2019-02-05"


def test_the_csv_sample_imports_field_by_field(empty_url: str, tmp_path: Path):
    path = tmp_path / "maths.csv"
    shutil.copyfile(interop("opensalt-sample-case.csv"), path)
    import_file(path, url=empty_url, seed=False)
    catalog = _catalog(empty_url)
    items = {i.code: i for i in catalog.items_of("maths")}
    assert len(items) == 10
    assert items["M.F"].parent == "M" and items["M.F.1-2.S1a"].parent == "M.F.1-2.S1"
    assert items["M.F.C2"].statement.startswith("Students are able to distinguish")
    assert items["M.F"].errata == ("Testing",)  # the Notes column
    assert items["M.E"].parent is None and items["M.E.C1"].parent is None
    links = {(a.source_code, a.justification) for a in catalog.dataset.alignments}
    assert ("M.F.1-2.S1", "case:exemplar") in links
    assert ("M.F", "case:isRelatedTo") in links and ("M.F.1-2", "case:isRelatedTo") in links
    outside = {i.name for i in catalog.items.values() if i.kind == "external"}
    assert "CCSS.Math.Content.HSF-IF.C.8b" in outside
    assert "http://asn.jesandco.org/resources/S1143417" in outside


def test_our_framework_round_trips_through_the_layout(
    bundled: Catalog, empty_url: str, tmp_path: Path
):
    path = export_framework(bundled, "wv-ckc-2015", "opensalt", tmp_path / "ckc.xlsx")[0]
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["CF Doc", "CF Item", "CF Association"]
    import_file(path, url=empty_url, seed=False)
    catalog = _catalog(empty_url)
    framework = catalog.frameworks["west-virginia-core-knowledge-and-competencies-2015-ckc"]
    original = bundled.framework("wv-ckc-2015")
    for field in ("title", "version", "publisher", "description", "notice", "status"):
        assert getattr(framework, field) == getattr(original, field), field
    mine = catalog.items_of(framework.id)
    theirs = bundled.items_of("wv-ckc-2015")
    assert [i.code for i in mine] == [i.code for i in theirs]  # codes and tree order
    for a, b in zip(mine, theirs, strict=True):
        assert (a.statement, a.kind, a.parent) == (b.statement or b.name, b.kind, b.parent)
    # Its outgoing crosswalks ride along as associations.
    assert not [c for c in catalog.crosswalks.values() if c.source_framework == framework.id]


def test_a_crosswalk_round_trips_through_the_layout(
    seeded_url: str, bundled: Catalog, tmp_path: Path
):
    path = export_crosswalk(bundled, "iecmhc-imh", "opensalt", tmp_path / "x.xlsx")[0]
    rows = list(load_workbook(path, read_only=True)["CF Association"].iter_rows(values_only=True))
    assert len(rows) - 1 == len(bundled.by_crosswalk["iecmhc-imh"])
    assert {r[3] for r in rows[1:]} == {"Is Related To"}
    report = import_file(path, check=True, url=seeded_url)
    assert not [c for c in report.changes if c.record == "item"]


def test_bad_spreadsheets_are_refused_with_the_row(empty_url: str, tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text(
        '"Identifier","fullStatement","Human Coding Scheme","Is Child Of"\n'
        '"a","A","A",""\n"b","B","B","nowhere"\n'
    )
    with pytest.raises(ExchangeError, match=r"bad\.csv: row 3, field Is Child Of: 'nowhere'"):
        import_file(path, url=empty_url, seed=False)
    assert not stored(empty_url)[0].frameworks
