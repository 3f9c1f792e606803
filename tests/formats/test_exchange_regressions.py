"""Regressions from the QA pass: each test failed before its fix."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from exchange_helpers import interop, stored
from openpyxl import load_workbook
from typer.testing import CliRunner

from crosswalk.catalog import Catalog
from crosswalk.cli import app
from crosswalk.formats import case, sssom
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.exchange import (
    MAX_BYTES_VARIABLE,
    export_all,
    export_crosswalk,
    export_framework,
    import_file,
    max_bytes,
)


def _refused(path: Path, url: str, *parts: str) -> str:
    before = stored(url)
    with pytest.raises(ExchangeError) as raised:
        import_file(path, url=url)
    message = str(raised.value)
    for part in parts:
        assert part in message, message
    assert stored(url) == before
    return message


# 1. XLSX code cells -------------------------------------------------------------------


def test_xlsx_code_columns_are_formatted_as_text(bundled: Catalog, tmp_path: Path):
    path = export_all(bundled, "xlsx", tmp_path / "all.xlsx")[0]
    sheet = load_workbook(path)["Items"]
    header = [c.value for c in sheet[1]]
    code, parent = header.index("code") + 1, header.index("parent") + 1
    cell = next(r for r in sheet.iter_rows(min_row=2) if r[code - 1].value == "1.10")[code - 1]
    assert cell.number_format == "@" and cell.data_type == "s"
    assert sheet.cell(row=2, column=parent).number_format == "@"
    letter = sheet.cell(row=1, column=code).column_letter
    assert sheet.column_dimensions[letter].number_format == "@"  # new rows too
    alignments = load_workbook(path)["Alignments"]
    assert all(c.number_format == "@" for c in alignments[2][2:4])  # source/target code


def test_xlsx_numeric_code_is_refused_when_ambiguous(
    bundled: Catalog, seeded_url: str, tmp_path: Path
):
    path = export_all(bundled, "xlsx", tmp_path / "all.xlsx")[0]
    book = load_workbook(path)
    sheet = book["Items"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "1.10")
    row[header.index("code")].value = 1.1  # a coordinator retyped it
    book.save(path)
    number = row[0].row
    _refused(path, seeded_url, "sheet Items", f"items row {number}", "field code", "1.10 and 1.1")


def test_xlsx_whole_number_code_is_accepted(bundled: Catalog, empty_url: str, tmp_path: Path):
    path = export_all(bundled, "xlsx", tmp_path / "all.xlsx")[0]
    book = load_workbook(path)
    sheet = book["Items"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "wv-ckc-2015" and row[1].value == "7":
            row[1].value = 7
    book.save(path)
    import_file(path, url=empty_url, seed=False)
    assert ("wv-ckc-2015", "7") in Catalog(stored(empty_url)[0]).items


# 2. one shared reference check -------------------------------------------------------


def test_item_with_a_missing_parent_is_refused(seeded_url: str, tmp_path: Path):
    path = tmp_path / "items.csv"
    path.write_text("framework,code,name,parent\nwv-ckc-2015,7.7,New,99\n", encoding="utf-8")
    _refused(path, seeded_url, "items row 2, field parent: '99' is not an item of wv-ckc-2015")


def test_item_with_a_missing_parent_is_refused_in_xlsx(
    bundled: Catalog, seeded_url: str, tmp_path: Path
):
    path = export_all(bundled, "xlsx", tmp_path / "all.xlsx")[0]
    book = load_workbook(path)
    book["Items"].append(["wv-ckc-2015", "7.7", "New", "", "", "99"])
    book.save(path)
    _refused(path, seeded_url, "field parent: '99' is not an item of wv-ckc-2015")


def test_case_association_end_check_is_shared(bundled: Catalog, seeded_url: str, tmp_path):
    package = case.crosswalk_package(bundled, "iecmhc-imh")
    package["CFAssociations"][3]["extensions"]["ext:sourceCode"] = "nowhere"
    origin = package["CFAssociations"][3]["originNodeURI"]
    origin["identifier"] = str(uuid.uuid4())
    path = tmp_path / "x.json"
    path.write_text(json.dumps(package))
    _refused(path, seeded_url, "CFAssociations[3]", "missing end")


# 3. CASE types and formats -----------------------------------------------------------


def _package_file(bundled: Catalog, tmp_path: Path, edit: Any) -> Path:
    package = case.framework_package(bundled, "iecmhc")
    edit(package)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(package))
    return path


@pytest.mark.parametrize(
    ("edit", "parts"),
    [
        (lambda p: p["CFItems"][3].update(fullStatement=42), ["CFItems[3]", "fullStatement"]),
        (
            lambda p: p["CFItems"][3].update(identifier="not-a-uuid"),
            ["CFItems[3]", "identifier", "not a UUID"],
        ),
        (
            lambda p: p["CFItems"][3].update(lastChangeDateTime="yesterday"),
            ["CFItems[3]", "lastChangeDateTime", "ISO 8601"],
        ),
        (
            lambda p: p["CFDocument"].update(lastChangeDateTime="yesterday"),
            ["CFDocument", "lastChangeDateTime"],
        ),
        (lambda p: p["CFDocument"].update(title=["x"]), ["CFDocument", "title"]),
    ],
)
def test_case_fields_are_type_checked(
    bundled: Catalog, seeded_url: str, tmp_path: Path, edit: Any, parts: list[str]
):
    _refused(_package_file(bundled, tmp_path, edit), seeded_url, *parts)


# 4. malformed CSV --------------------------------------------------------------------


def test_unterminated_quote_is_malformed_csv(seeded_url: str, tmp_path: Path):
    path = tmp_path / "alignments.csv"
    path.write_text(
        "crosswalk,position,source_code,target_code,note\n"
        'iecmhc-imh,0,6A.1,,"fine"\n'
        'iecmhc-imh,1,6A.1,,"never closed\n',
        encoding="utf-8",
    )
    _refused(path, seeded_url, "malformed CSV at row 3")


# 5. file rows, not positions ----------------------------------------------------------


def test_alignment_errors_cite_the_file_row(seeded_url: str, tmp_path: Path):
    path = tmp_path / "alignments.csv"
    rows = [f"iecmhc-imh,{n + 400},6A.1,,related\n" for n in range(5)]
    rows.append("iecmhc-imh,429,6A.1,nowhere,related\n")
    path.write_text("crosswalk,position,source_code,target_code,relation\n" + "".join(rows))
    message = _refused(path, seeded_url, "alignments row 7", "field target_code", "'nowhere'")
    assert "#429" not in message


def test_sssom_errors_cite_the_file_line(bundled: Catalog, seeded_url: str, tmp_path: Path):
    path = export_crosswalk(bundled, "iecmhc-imh", "sssom", tmp_path / "x.sssom.tsv")[0]
    lines = path.read_text().splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("iecmhc:"))
    lines[first] = lines[first].replace("iecmhc:", "iecmhc:nowhere-", 1)
    path.write_text("".join(lines))
    message = _refused(path, seeded_url, f"line {first + 1}", "missing end")
    assert "#0" not in message


# 6. size limit -----------------------------------------------------------------------


def test_size_is_checked_before_the_content(
    seeded_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = tmp_path / "zeros.json"
    path.write_bytes(b"\0" * 3000)
    monkeypatch.setenv(MAX_BYTES_VARIABLE, "2048")
    message = _refused(path, seeded_url, "over the import limit of 2 KB")
    assert "looks like" not in message


def test_limit_is_shown_as_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    from crosswalk.formats.exchange import check_size, show_bytes

    assert show_bytes(max_bytes()) == "200 MB"
    monkeypatch.setenv(MAX_BYTES_VARIABLE, "lots")
    with pytest.raises(ExchangeError, match="CROSSWALK_MAX_IMPORT_BYTES='lots'"):
        max_bytes()
    path = tmp_path / "a.csv"
    path.write_text("x")
    with pytest.raises(ExchangeError, match="not a positive number"):
        check_size(path)


# 7. idempotent re-import -------------------------------------------------------------


def test_reimporting_opensalt_changes_nothing(empty_url: str):
    path = interop("opensalt-sample-cfpackage.json")
    import_file(path, url=empty_url, seed=False)
    again = import_file(path, url=empty_url, seed=False)
    assert again.changes == [], again.changes


# 8. blank item positions -------------------------------------------------------------


def test_blank_item_position_goes_after_the_previous_row():
    from crosswalk.formats.workbook import ITEMS, from_tables

    rows = [
        {c: "" for c in ITEMS.columns} | {"framework": "f", "code": "a", "position": "5"},
        {c: "" for c in ITEMS.columns} | {"framework": "f", "code": "b"},
    ]
    items = from_tables({"items": rows}).items
    assert [i.position for i in items] == [5, 6]


# 9. OpenSALT fields kept -------------------------------------------------------------


def test_opensalt_fields_are_kept(empty_url: str):
    path = interop("opensalt-sample-cfpackage.json")
    original = json.loads(path.read_text(encoding="utf-8"))
    report = import_file(path, url=empty_url, seed=False)
    catalog = Catalog(stored(empty_url)[0])
    framework = next(f for f in catalog.frameworks.values() if not f.id.endswith("-external"))
    package = case.framework_package(catalog, framework.id)
    assert package["CFDocument"]["adoptionStatus"] == "Draft"
    assert package["CFDocument"]["lastChangeDateTime"].startswith("2017-05-25T18:05:33")
    mine = {i["identifier"]: i for i in package["CFItems"]}
    for item in original["CFItems"]:
        assert mine[item["identifier"]]["educationLevel"] == [item["educationalLevel"]]
        assert (
            mine[item["identifier"]]["CFItemTypeURI"]["identifier"]
            == (item["CFItemTypeURI"]["identifier"])
        )
    kinds = {t["identifier"] for t in package["CFDefinitions"]["CFItemTypes"]}
    assert kinds == {t["identifier"] for t in original["CFDefinitions"]["CFItemTypes"]}
    assert {c.status for c in catalog.crosswalks.values()} == {"draft"}
    related = [a for a in catalog.dataset.alignments if a.justification == "case:isRelatedTo"]
    assert len(related) == 2
    for crosswalk_id in catalog.crosswalks:
        text = sssom.dumps(catalog, crosswalk_id)
        assert "semapv:ManualMappingCuration" not in text
    assert not any("cf.end" in w for w in report.warnings)
    assert any("2 association ends" in w or "association ends" in w for w in report.warnings)
    names = {i.name for i in catalog.items.values() if i.kind == "external"}
    assert "1181" in names and not any(n.startswith("http") for n in names)


def test_foreign_fields_without_a_place_are_named(empty_url: str, tmp_path: Path):
    data = json.loads(interop("opensalt-sample-cfpackage.json").read_text(encoding="utf-8"))
    data["CFDocument"]["vendorField"] = "x"
    data["CFItems"][0]["anotherVendorField"] = ["ratio"]
    data["CFItems"][0]["conceptKeywords"] = ["ratio"]  # kept: not named
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    report = import_file(path, url=empty_url, seed=False)
    named = [w for w in report.warnings if "not kept" in w]
    assert named and "CFDocument.vendorField" in named[0] and "anotherVendorField" in named[0]
    assert "conceptKeywords" not in named[0]


# 10. URIs are ours -------------------------------------------------------------------


def test_imported_items_get_our_uris(empty_url: str):
    import_file(interop("opensalt-sample-cfpackage.json"), url=empty_url, seed=False)
    catalog = Catalog(stored(empty_url)[0])
    framework = next(f for f in catalog.frameworks.values() if not f.id.endswith("-external"))
    package = case.framework_package(catalog, framework.id, base_url="http://x/ims/case/v1p1")
    assert package["CFDocument"]["uri"].startswith("http://x/ims/case/v1p1/CFDocuments/")
    assert all(i["uri"].startswith("http://x/ims/case/v1p1/CFItems/") for i in package["CFItems"])


def test_change_time_follows_the_data(bundled: Catalog):
    package = case.framework_package(bundled, "wv-ckc-2015")
    assert package["CFDocument"]["lastChangeDateTime"] == "2015-01-01T00:00:00+00:00"


# 11. polish --------------------------------------------------------------------------


def test_check_names_the_changed_fields(bundled: Catalog, seeded_url: str, tmp_path: Path):
    # All of the framework's items (a file giving only some would strand alignments).
    folder = export_framework(bundled, "wv-ckc-2015", "csv", tmp_path / "ckc")[0].parent
    path = folder / "items.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    renamed = [
        line.replace(",1.1,", ",1.1,Renamed ", 1) if line.startswith("wv-ckc-2015,1.1,") else line
        for line in lines
    ]
    assert renamed != lines
    path.write_text("".join(renamed), encoding="utf-8")
    report = import_file(folder, check=True, url=seeded_url)
    changed = [c for c in report.changes if c.action == "changed" and c.record == "item"]
    assert [c.fields for c in changed if c.key == "wv-ckc-2015:1.1"] == [("name",)]
    result = CliRunner().invoke(app, ["--database", seeded_url, "import", str(folder), "--check"])
    assert "name" in result.output


def test_no_empty_optional_fields(bundled: Catalog):
    document = case.framework_package(bundled, "iecmhc")["CFDocument"]
    assert document["creator"]  # required by CASE: never ""
    assert "" not in document.values()
    text = sssom.dumps(bundled, "iecmhc-imh")
    assert 'mapping_set_version: ""' not in text and "creator_label: []" not in text
