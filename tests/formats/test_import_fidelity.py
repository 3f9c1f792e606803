"""Imports that must not change what they bring back: old files, our own CASE, lone items.

Each test failed before its fix:

1. files written before migration 0002 (``case:NAME=VALUE`` entries in ``sources`` /
   ``ext:sources``) are converted as the migration converts stored rows;
2. re-importing our CASE export of an imported OpenSALT package changes nothing (tag
   order and the original identifier URIs come back);
3. items without an aliases table keep the stored aliases of the items they replace.
"""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from exchange_helpers import interop, stored
from openpyxl import load_workbook

from crosswalk.catalog import Catalog
from crosswalk.formats import case
from crosswalk.formats.case_import import merged_tags
from crosswalk.formats.case_links import IDENTIFIER_ALIAS, with_legacy_sources
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.exchange import export_all, export_framework, import_file, read_dataset
from crosswalk.formats.workbook import from_tables
from crosswalk.model import Alias, Dataset, Framework, Item

MIGRATION = (
    Path(__file__).resolve().parents[2]
    / "src/crosswalk/store/migrations/versions/0002_framework_status.py"
)
ITEM_TYPE = "case:CFItemType:0d3a4c52-1b2e-4f3a-9c8d-7e6f5a4b3c21"
OLD_SOURCES = (
    "doc",
    "case:adoptionStatus=Private Draft",
    "case:lastChangeDateTime=2017-05-25T18:05:33Z",
    f"{ITEM_TYPE}=Standard",
)
OLD_FRAMEWORKS_CSV = "id,title,version,publisher,description,notice,sources\n"


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("migration_0002", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _migrated(framework_id: str, title: str, sources: tuple[str, ...]) -> Framework:
    """The framework migration 0002 makes of a stored row with these sources."""
    moved = _migration()._split(list(sources)) or {"sources": list(sources)}
    return Framework(
        framework_id,
        title,
        sources=tuple(moved["sources"]),
        status=moved.get("status", "published"),
        updated=moved.get("updated", ""),
        extensions=tuple((name, value) for name, value in moved.get("extensions", [])),
    )


# 1. the old convention is converted on import, as migration 0002 converts rows ---------


@pytest.mark.parametrize(
    "sources",
    [
        OLD_SOURCES,
        ("case:adoptionStatus=Draft",),
        ("doc", "case:lastChangeDateTime=2016-01-02T03:04:05"),  # no adoptionStatus
        ("case:adoptionStatus=Retired", "case:unknown=x", "urn:uuid:x"),
        ("doc", "case-study.pdf"),  # nothing old
    ],
)
def test_legacy_sources_convert_as_migration_0002_does(sources: tuple[str, ...]):
    kept, status, updated, extensions = with_legacy_sources(sources)
    assert Framework(
        "f", "F", sources=kept, status=status, updated=updated, extensions=extensions
    ) == (_migrated("f", "F", sources))


def test_old_workbook_rows_import_with_status_updated_and_extensions(
    empty_url: str, tmp_path: Path
):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "frameworks.csv").write_text(
        OLD_FRAMEWORKS_CSV + f"f,F,,,,,{';'.join(OLD_SOURCES)}\n", encoding="utf-8"
    )
    import_file(folder, url=empty_url, seed=False)
    framework = stored(empty_url)[0].frameworks[0]
    assert framework == _migrated("f", "F", OLD_SOURCES)
    assert framework.sources == ("doc",)
    assert framework.status == "draft" and framework.updated == "2017-05-25T18:05:33Z"
    assert dict(framework.extensions) == {
        ITEM_TYPE: "Standard",
        "case:adoptionStatus": "Private Draft",
    }
    # …and nothing old comes back out on export.
    export_all(Catalog(stored(empty_url)[0]), "csv", tmp_path / "new")
    text = (tmp_path / "new" / "frameworks.csv").read_text(encoding="utf-8")
    assert "case:adoptionStatus=" not in text and "case:lastChangeDateTime=" not in text


def test_new_workbook_columns_win_over_old_entries():
    row = dict.fromkeys(("version", "publisher", "description", "notice"), "")
    row |= {"id": "f", "title": "F", "sources": ";".join(OLD_SOURCES)}
    row |= {"status": "deprecated", "updated": "", "extensions": f'{{"{ITEM_TYPE}":"Unit"}}'}
    framework = from_tables({"frameworks": [row]}).frameworks[0]
    assert framework.sources == ("doc",)
    assert framework.status == "deprecated"  # the column, not case:adoptionStatus
    assert framework.updated == "2017-05-25T18:05:33Z"  # the column was empty
    assert framework.extensions == (
        (ITEM_TYPE, "Unit"),
        ("case:adoptionStatus", "Private Draft"),
    )


def test_a_bad_old_date_names_the_sources_field():
    row = dict.fromkeys(("version", "publisher", "description", "notice", "status"), "")
    row |= {"id": "f", "title": "F", "updated": "", "extensions": ""}
    row["sources"] = "case:lastChangeDateTime=last spring"
    with pytest.raises(ExchangeError, match=r"field sources \(case:lastChangeDateTime\)"):
        from_tables({"frameworks": [row]})


def _old_package(bundled: Catalog, framework_id: str, sources: tuple[str, ...]) -> Any:
    """Our CASE package as the version before migration 0002 wrote it."""
    package = case.framework_package(bundled, framework_id, with_crosswalks=False)
    ext = package["CFDocument"]["extensions"]
    for name in ("ext:status", "ext:updated", "ext:extensions"):
        del ext[name]
    ext["ext:sources"] = list(sources)
    return package


@pytest.mark.parametrize("old", [OLD_SOURCES, ("000", "002")])
def test_old_case_exports_import_as_migrated(
    bundled: Catalog, empty_url: str, tmp_path: Path, old: tuple[str, ...]
):
    path = tmp_path / "imh.json"
    path.write_text(json.dumps(_old_package(bundled, "imh", old)), encoding="utf-8")
    import_file(path, url=empty_url, seed=False)
    framework = next(f for f in stored(empty_url)[0].frameworks if f.id == "imh")
    imh = bundled.framework("imh")
    assert framework == dataclasses.replace(
        _migrated("imh", imh.title, old),
        version=imh.version,
        publisher=imh.publisher,
        description=imh.description,
        notice=imh.notice,
    )
    assert not [s for s in framework.sources if s.startswith("case:")]


def test_a_bad_old_date_in_a_case_package_is_refused(bundled: Catalog, tmp_path: Path):
    path = tmp_path / "imh.json"
    old = ("case:lastChangeDateTime=last spring",)
    path.write_text(json.dumps(_old_package(bundled, "imh", old)), encoding="utf-8")
    with pytest.raises(ExchangeError, match="field ext:sources: 'last spring' is not an ISO"):
        read_dataset(path, "case", bundled)


# 2. our CASE export of an imported OpenSALT package re-imports with no change ---------


def test_reimporting_our_export_of_opensalt_changes_nothing(empty_url: str, tmp_path: Path):
    import_file(interop("opensalt-sample-cfpackage.json"), url=empty_url, seed=False)
    catalog = Catalog(stored(empty_url)[0])
    framework = next(f for f in catalog.frameworks.values() if not f.id.endswith("-external"))
    out = export_framework(catalog, framework.id, "case", tmp_path / "ws1.json")[0]
    report = import_file(out, check=True, url=empty_url, seed=False)
    assert report.changes == []
    items = catalog.items_of(framework.id)
    assert any(t.startswith("language:") for i in items for t in i.tags)
    assert all(
        a.note.startswith("http") for i in items for a in i.aliases if a.kind == IDENTIFIER_ALIAS
    )


def test_tags_keep_their_order_through_case(bundled: Catalog, empty_url: str, tmp_path: Path):
    item = bundled.items_of("imh")[0]
    tags = ("language:en", "IMHS", "listEnumeration:1.", "educationLevel:06", "level:x")
    changed = dataclasses.replace(item, tags=tags)
    dataset = bundled.dataset
    catalog = Catalog(
        Dataset(
            dataset.frameworks,
            [changed if i.key == item.key else i for i in dataset.items],
            dataset.crosswalks,
            dataset.alignments,
        )
    )
    export_framework(catalog, "imh", "case", tmp_path / "imh.json")
    import_file(tmp_path / "imh.json", url=empty_url, seed=False)
    assert next(i for i in stored(empty_url)[0].items if i.key == item.key).tags == tags


@pytest.mark.parametrize(
    ("given", "fields", "tags"),
    [
        # ext:tags agrees with the fields: its order stands
        (["language:en", "x", "educationLevel:06"], {"language": ["en"], "educationLevel": ["06"]},
         ("language:en", "x", "educationLevel:06")),
        # a scalar field shows the first value; the others stay
        (["language:en", "language:fr"], {"language": ["en"]}, ("language:en", "language:fr")),
        # a field edited in another tool wins, in the place of the first tag it replaces
        (["x", "educationLevel:06", "y"], {"educationLevel": ["07", "08"]},
         ("x", "educationLevel:07", "educationLevel:08", "y")),
        # files written before ext:tags held the fields: the fields come after
        (["x"], {"educationLevel": ["06"], "language": ["en"]},
         ("x", "educationLevel:06", "language:en")),
        # a field emptied elsewhere removes its tags
        (["language:en", "x"], {"language": []}, ("x",)),
    ],
)  # fmt: skip
def test_merged_tags(given: list[str], fields: dict[str, list[str]], tags: tuple[str, ...]):
    assert merged_tags(given, fields) == tags


def test_a_stale_identifier_alias_is_not_kept(bundled: Catalog, empty_url: str, tmp_path: Path):
    """A package copied with new identifiers: the item's own identifier is the one kept."""
    item = bundled.items_of("imh")[0]
    package = case.framework_package(bundled, "imh", with_crosswalks=False)
    record = next(r for r in package["CFItems"] if r["extensions"]["ext:code"] == item.code)
    old = "5b0c4e1a-0000-4000-8000-000000000001"
    record["extensions"]["ext:aliases"].append(
        {"text": old, "kind": IDENTIFIER_ALIAS, "provenance": "", "note": "http://x/" + old}
    )
    new = "5b0c4e1a-0000-4000-8000-000000000002"
    for association in package["CFAssociations"]:
        for end in ("originNodeURI", "destinationNodeURI"):
            if association[end]["identifier"] == record["identifier"]:
                association[end]["identifier"] = new
    record["identifier"] = new
    path = tmp_path / "imh.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    import_file(path, url=empty_url, seed=False)
    aliases = next(i for i in stored(empty_url)[0].items if i.key == item.key).aliases
    assert [a.text for a in aliases if a.kind == IDENTIFIER_ALIAS] == [new]


# 3. items without an aliases table keep the stored aliases ---------------------------


def _with_aliases(bundled: Catalog) -> list[Item]:
    return [i for i in bundled.dataset.items if i.aliases]


def test_items_csv_alone_keeps_the_stored_aliases(
    bundled: Catalog, seeded_url: str, tmp_path: Path
):
    assert _with_aliases(bundled)
    export_all(bundled, "csv", tmp_path / "all")
    report = import_file(tmp_path / "all" / "items.csv", check=True, url=seeded_url)
    assert report.changes == []
    frameworks = {i.framework for i in _with_aliases(bundled)}
    for framework in frameworks:
        assert any(
            line.startswith(f"framework {framework}: aliases kept: no aliases table")
            for line in report.kept
        ), report.kept
    import_file(tmp_path / "all" / "items.csv", url=seeded_url)
    assert stored(seeded_url)[0].items == bundled.dataset.items


def test_an_empty_aliases_csv_still_means_no_aliases(
    bundled: Catalog, seeded_url: str, tmp_path: Path
):
    folder = tmp_path / "all"
    export_all(bundled, "csv", folder)
    with (folder / "aliases.csv").open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    (folder / "aliases.csv").write_text(",".join(header) + "\n", encoding="utf-8")
    report = import_file(folder, check=True, url=seeded_url)
    changed = {c.key for c in report.changes if c.record == "item"}
    assert changed == {f"{i.framework}:{i.code}" for i in _with_aliases(bundled)}
    assert all(c.fields == ("aliases",) for c in report.changes)
    assert not [line for line in report.kept if "aliases kept" in line]


def test_xlsx_without_an_aliases_sheet_keeps_them_and_a_blank_one_clears_them(
    bundled: Catalog, seeded_url: str, tmp_path: Path
):
    path = export_all(bundled, "xlsx", tmp_path / "all.xlsx")[0]
    book = load_workbook(path)
    del book["Aliases"]
    book.save(tmp_path / "without.xlsx")
    book.create_sheet("Aliases")  # no header, no rows: there, and empty
    book.save(tmp_path / "blank.xlsx")
    report = import_file(tmp_path / "without.xlsx", check=True, url=seeded_url)
    assert report.changes == [] and any("aliases kept" in line for line in report.kept)
    report = import_file(tmp_path / "blank.xlsx", check=True, url=seeded_url)
    assert len(report.changes) == len(_with_aliases(bundled))
    assert not any("aliases kept" in line for line in report.kept)


def test_aliases_kept_only_for_stored_items(empty_url: str, tmp_path: Path):
    """A new item gets none; a stored one keeps its own."""
    with_alias = Item("f", "a", "A", aliases=(Alias("old name"),))
    seed = Dataset([Framework("f", "F")], [with_alias])
    export_all(Catalog(seed), "csv", tmp_path / "seed")
    import_file(tmp_path / "seed", url=empty_url, seed=False)
    items = tmp_path / "items.csv"
    text = (tmp_path / "seed" / "items.csv").read_text(encoding="utf-8")
    items.write_text(text + "f,b,B,,,,1,,,\n", encoding="utf-8")
    report = import_file(items, url=empty_url, seed=False)
    assert [(c.action, c.key) for c in report.changes] == [("added", "f:b")]
    assert {i.code: i.aliases for i in stored(empty_url)[0].items} == {
        "a": (Alias("old name"),),
        "b": (),
    }
