"""CASE 1.1: schema-valid export, identity round trip, and OpenSALT's real package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from exchange_helpers import interop, stored

from crosswalk.catalog import Catalog
from crosswalk.formats import case
from crosswalk.formats.exchange import export_all, import_file
from crosswalk.model import item_uuid


def test_every_bundled_framework_and_crosswalk_validates(bundled: Catalog, case_validator: Any):
    for framework_id in bundled.frameworks:
        package = case.framework_package(bundled, framework_id)
        assert not [e.message for e in case_validator.iter_errors(package)], framework_id
    for crosswalk_id in bundled.crosswalks:
        package = case.crosswalk_package(bundled, crosswalk_id)
        assert not [e.message for e in case_validator.iter_errors(package)], crosswalk_id


def test_identifiers_are_deterministic_uuids(bundled: Catalog):
    package = case.framework_package(bundled, "wv-ckc-2015")
    item = next(i for i in package["CFItems"] if i.get("humanCodingScheme") == "1.10")
    assert item["identifier"] == str(item_uuid("wv-ckc-2015", "1.10"))
    assert package["CFDocument"]["identifier"] == str(bundled.framework("wv-ckc-2015").uuid)
    assert case.dumps(package) == case.dumps(case.framework_package(bundled, "wv-ckc-2015"))


def test_relations_and_attributes_travel_as_extensions(bundled: Catalog):
    package = case.crosswalk_package(bundled, "imh-wv-ckc-2015")
    no_match = [
        a for a in package["CFAssociations"] if a["extensions"]["ext:relation"] == "noMatch"
    ]
    assert no_match, "the bundled crosswalk has explicit no-match rows"
    document = str(bundled.framework("wv-ckc-2015").uuid)
    assert all(a["destinationNodeURI"]["identifier"] == document for a in no_match)
    strengths = {
        a["extensions"]["ext:strength"]
        for a in case.crosswalk_package(bundled, "iecmhc-imh")["CFAssociations"]
    }
    assert {"Essential", "Important"} <= strengths


def test_export_import_export_is_identical(bundled: Catalog, empty_url: str, tmp_path: Path):
    export_all(bundled, "case", tmp_path / "first")
    report = import_file(tmp_path / "first", url=empty_url, seed=False)
    assert report.written and not report.warnings
    dataset, _ = stored(empty_url)
    export_all(Catalog(dataset), "case", tmp_path / "second")
    for first in sorted((tmp_path / "first").iterdir()):
        assert first.read_text() == (tmp_path / "second" / first.name).read_text(), first.name
    assert dataset.alignments == bundled.dataset.alignments
    assert sorted(dataset.items, key=lambda i: i.key) == sorted(
        bundled.dataset.items, key=lambda i: i.key
    )


def test_one_framework_alone_keeps_its_crosswalk_targets(
    bundled: Catalog, empty_url: str, tmp_path
):
    path = tmp_path / "imh.json"
    path.write_text(case.dumps(case.framework_package(bundled, "imh")))
    report = import_file(path, url=empty_url, seed=False)
    assert any("stub framework 'wv-ckc-2015'" in w for w in report.warnings)
    again = case.dumps(case.framework_package(Catalog(stored(empty_url)[0]), "imh"))
    assert again == path.read_text()


def test_opensalt_sample_imports_completely(empty_url: str, case_validator: Any):
    path = interop("opensalt-sample-cfpackage.json")
    original = json.loads(path.read_text(encoding="utf-8"))
    import_file(path, url=empty_url, seed=False)
    catalog = Catalog(stored(empty_url)[0])
    framework = next(f for f in catalog.frameworks.values() if not f.id.endswith("-external"))
    assert len(catalog.items_of(framework.id)) == 16
    package = case.framework_package(catalog, framework.id)
    assert not [e.message for e in case_validator.iter_errors(package)]
    assert package["CFDocument"]["identifier"] == original["CFDocument"]["identifier"]
    assert len(package["CFAssociations"]) == 39

    def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        return {r["identifier"]: r for r in records}

    mine, theirs = by_id(package["CFItems"]), by_id(original["CFItems"])
    assert mine.keys() == theirs.keys()
    for identifier, item in theirs.items():
        for field in ("fullStatement", "humanCodingScheme", "CFItemType", "notes", "language"):
            assert mine[identifier].get(field) == item.get(field), (identifier, field)
        assert mine[identifier].get("listEnumeration") == item.get("listEnumeration")

    def links(records: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
        return sorted(
            (
                a["originNodeURI"]["identifier"],
                a["associationType"],
                a["destinationNodeURI"]["identifier"],
            )
            for a in records
        )

    assert links(package["CFAssociations"]) == links(original["CFAssociations"])
    exact = [a for a in package["CFAssociations"] if a["associationType"] == "exactMatchOf"]
    assert len(exact) == 16  # the cross-framework links became a crosswalk, not dropped
    assert any(c.target_framework.endswith("-external") for c in catalog.crosswalks.values())
