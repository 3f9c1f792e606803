"""Framework status, date of last change and exchange-format extensions.

CASE document fields the model once kept in ``sources`` as ``case:NAME=VALUE`` have
their own fields now; these tests pin the mapping and the round trips through CASE
and the workbook.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from exchange_helpers import interop, stored

from crosswalk.catalog import Catalog
from crosswalk.formats import case
from crosswalk.formats.case_links import adoption_extension, adoption_of, status_of
from crosswalk.formats.exchange import export_all, import_file
from crosswalk.formats.workbook import (
    FRAMEWORKS,
    WorkbookError,
    extensions_text,
    from_tables,
    parse_extensions,
    tables,
)
from crosswalk.model import Dataset, Framework

ITEM_TYPE = "case:CFItemType:0d3a4c52-1b2e-4f3a-9c8d-7e6f5a4b3c21"


def _opensalt(url: str) -> tuple[Catalog, Framework, dict[str, Any]]:
    path = interop("opensalt-sample-cfpackage.json")
    import_file(path, url=url, seed=False)
    catalog = Catalog(stored(url)[0])
    framework = next(f for f in catalog.frameworks.values() if not f.id.endswith("-external"))
    return catalog, framework, json.loads(path.read_text(encoding="utf-8"))


def test_opensalt_document_fields_have_their_own_fields(empty_url: str):
    catalog, framework, original = _opensalt(empty_url)
    assert framework.status == "draft"  # adoptionStatus "Draft"
    assert framework.updated == original["CFDocument"]["lastChangeDateTime"]
    for f in catalog.frameworks.values():
        assert not [s for s in f.sources if s.startswith("case:")], f.id
    types = {t["title"]: t["identifier"] for t in original["CFDefinitions"]["CFItemTypes"]}
    assert {
        value: name.rsplit(":", 1)[1]
        for name, value in framework.extensions
        if name.startswith("case:CFItemType:")
    } == types


def test_opensalt_export_import_export_is_identical(empty_url: str, tmp_path: Path):
    catalog, framework, _ = _opensalt(empty_url)
    first = tmp_path / "first"
    export_all(catalog, "case", first)
    second_url = f"sqlite:///{tmp_path / 'second.sqlite3'}"
    import_file(first, url=second_url, seed=False)
    again = Catalog(stored(second_url)[0])
    assert again.framework(framework.id) == framework
    export_all(again, "case", tmp_path / "second")
    files = sorted(p.name for p in first.iterdir())
    assert files == sorted(p.name for p in (tmp_path / "second").iterdir())
    for name in files:
        assert (first / name).read_text() == (tmp_path / "second" / name).read_text(), name


def test_bundled_frameworks_come_back_from_case(bundled: Catalog, empty_url: str, tmp_path):
    export_all(bundled, "case", tmp_path / "out")
    import_file(tmp_path / "out", url=empty_url, seed=False)
    assert stored(empty_url)[0].frameworks == bundled.dataset.frameworks
    document = case.framework_package(bundled, "imh")["CFDocument"]
    assert document["adoptionStatus"] == "Adopted"
    assert document["extensions"]["ext:sources"] == ["000", "002"]


@pytest.mark.parametrize(
    ("adoption", "status"),
    [
        ("Draft", "draft"),
        ("Private Draft", "draft"),
        ("Adopted", "published"),
        ("", "published"),
        ("Deprecated", "deprecated"),
        ("Retired", "retired"),
    ],
)
def test_adoption_status_maps_onto_status_and_back(adoption: str, status: str):
    assert status_of(adoption) == status
    framework = Framework("f", "F", status=status, extensions=tuple(adoption_extension(adoption)))
    assert adoption_of(framework) == adoption


def test_a_changed_status_wins_over_the_kept_spelling():
    framework = Framework("f", "F", status="draft", extensions=adoption_extension("Private Draft"))
    assert adoption_of(dataclasses.replace(framework, status="published")) == "Adopted"


def test_last_change_is_the_framework_date_when_known(bundled: Catalog):
    framework = dataclasses.replace(
        bundled.framework("wv-ckc-2015"), updated="2016-03-04T05:06:07Z"
    )
    catalog = Catalog(
        Dataset(
            [framework, *(f for f in bundled.dataset.frameworks if f.id != framework.id)],
            bundled.dataset.items,
            bundled.dataset.crosswalks,
            bundled.dataset.alignments,
        )
    )
    package = case.framework_package(catalog, "wv-ckc-2015")
    assert package["CFDocument"]["lastChangeDateTime"] == "2016-03-04T05:06:07+00:00"
    assert package["CFDocument"]["extensions"]["ext:updated"] == "2016-03-04T05:06:07Z"


# -- workbook ------------------------------------------------------------------------


def _framework_row(**cells: str) -> dict[str, str]:
    return {c: "" for c in FRAMEWORKS.columns} | {"id": "f", "title": "F"} | cells


def test_workbook_round_trip_of_the_new_fields(tmp_path: Path):
    framework = Framework(
        "f",
        "F",
        sources=("doc",),
        status="deprecated",
        updated="2017-05-25T18:05:33Z",
        extensions=((ITEM_TYPE, "Standard; with = signs"), ("case:adoptionStatus", "Retired!")),
    )
    dataset = Dataset(frameworks=[framework])
    row = tables(dataset)["frameworks"][0]
    assert row["status"] == "deprecated" and row["updated"] == "2017-05-25T18:05:33Z"
    assert json.loads(row["extensions"]) == dict(framework.extensions)
    assert from_tables({"frameworks": [row]}).frameworks == [framework]
    for kind, path in (("csv", tmp_path / "csv"), ("xlsx", tmp_path / "book.xlsx")):
        export_all(Catalog(dataset), kind, path)
        url = f"sqlite:///{tmp_path / kind}.sqlite3"
        import_file(path, url=url, seed=False)
        assert stored(url)[0].frameworks == [framework], kind


def test_workbook_without_the_new_columns_reads_the_defaults(empty_url: str, tmp_path: Path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "frameworks.csv").write_text(
        "id,title,version,publisher,description,notice,sources\nf,F,,,,,doc\n", encoding="utf-8"
    )
    import_file(folder, url=empty_url, seed=False)
    assert stored(empty_url)[0].frameworks == [Framework("f", "F", sources=("doc",))]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"updated": "last spring"}, "field updated: 'last spring' is not an ISO 8601"),
        ({"extensions": "case:x=1"}, "field extensions: not a JSON object"),
        ({"extensions": '["a", "b"]'}, "field extensions: expected a JSON object"),
        ({"extensions": '{"a": 1}'}, "field extensions: expected a JSON object"),
        ({"extensions": '{"a": "1", "a": "2"}'}, "field extensions: 'a' given twice"),
    ],
)
def test_bad_new_cells_are_refused(cells: dict[str, str], message: str):
    with pytest.raises(WorkbookError, match="frameworks row 2, " + message):
        from_tables({"frameworks": [_framework_row(**cells)]})


def test_extensions_text_is_compact_and_empty_for_none():
    assert extensions_text(()) == ""
    assert extensions_text(((ITEM_TYPE, "Ü"),)) == f'{{"{ITEM_TYPE}":"Ü"}}'
    assert parse_extensions(" ", "here") == ()
