"""What foreign CASE packages carry comes back out; a no-match is never a link.

A framework imported from another CASE server (OpenSALT's real sample) leaves our
export with its publisher's URIs, association identifiers and dates, license,
subject and concept links and official source URL; and our explicit no-match
rows are an ``ext:`` association type, which no consumer can take for isRelatedTo.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from exchange_helpers import interop, stored

from crosswalk.catalog import Catalog
from crosswalk.formats import case
from crosswalk.formats.case_links import normalise_time
from crosswalk.formats.exchange import export_all, import_file
from crosswalk.model import Relation


def _sample() -> dict[str, Any]:
    return json.loads(interop("opensalt-sample-cfpackage.json").read_text(encoding="utf-8"))


def _enriched() -> dict[str, Any]:
    """The sample with the optional fields a state framework carries."""
    data = _sample()
    license_id, subject_id, concept_id = (str(uuid.uuid4()) for _ in range(3))
    link = {"title": "CC BY 4.0", "identifier": license_id, "uri": "https://example.org/l"}
    subject = {"title": "Math", "identifier": subject_id, "uri": "https://example.org/s"}
    data["CFDocument"] |= {
        "licenseURI": link,
        "officialSourceURL": "https://example.org/official.pdf",
        "subject": ["Math"],
        "subjectURI": [subject],
        "language": "en",
    }
    data["CFItems"][0] |= {
        "subject": ["Math"],
        "subjectURI": [subject],
        "conceptKeywords": ["ratio"],
        "statusStartDate": "2017-01-01",
    }
    data["CFDefinitions"] |= {
        "CFLicenses": [
            {
                "identifier": license_id,
                "uri": "https://example.org/l",
                "title": "CC BY 4.0",
                "licenseText": "Attribution 4.0",
                "lastChangeDateTime": "2017-01-01T00:00:00+00:00",
            }
        ],
        "CFSubjects": [
            {
                "identifier": subject_id,
                "uri": "https://example.org/s",
                "title": "Math",
                "hierarchyCode": "1",
                "lastChangeDateTime": "2017-01-01T00:00:00+00:00",
            }
        ],
        "CFConcepts": [
            {
                "identifier": concept_id,
                "uri": "https://example.org/c",
                "title": "Ratio",
                "hierarchyCode": "1",
                "lastChangeDateTime": "2017-01-01T00:00:00+00:00",
            }
        ],
    }
    return data


def _import(data: dict[str, Any], url: str, folder: Path) -> tuple[Catalog, dict[str, Any]]:
    path = folder / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    import_file(path, url=url, seed=False)
    catalog = Catalog(stored(url)[0])
    framework = next(f for f in catalog.frameworks.values() if not f.id.endswith("-external"))
    return catalog, case.framework_package(catalog, framework.id)


def test_uris_identifiers_and_dates_come_back(empty_url: str, tmp_path: Path, case_validator: Any):
    original = _sample()
    _, package = _import(original, empty_url, tmp_path)
    assert not [e.message for e in case_validator.iter_errors(package)]
    assert package["CFDocument"]["uri"] == original["CFDocument"]["uri"]
    mine = {i["identifier"]: i for i in package["CFItems"]}
    for item in original["CFItems"]:
        assert mine[item["identifier"]]["uri"] == item["uri"]
        assert mine[item["identifier"]]["lastChangeDateTime"] == normalise_time(
            item["lastChangeDateTime"]
        )
    theirs = {a["identifier"]: a for a in original["CFAssociations"]}
    ours = {a["identifier"]: a for a in package["CFAssociations"]}
    assert set(theirs) <= set(ours)  # every association keeps its identifier …
    for identifier, association in theirs.items():
        assert ours[identifier]["uri"] == association["uri"]  # … URI and date
        assert ours[identifier]["lastChangeDateTime"] == normalise_time(
            association["lastChangeDateTime"]
        )
    types = {t["identifier"]: t for t in package["CFDefinitions"]["CFItemTypes"]}
    for kind in original["CFDefinitions"]["CFItemTypes"]:
        assert types[kind["identifier"]]["uri"] == kind["uri"]
        assert types[kind["identifier"]]["hierarchyCode"] == kind["hierarchyCode"]


def test_license_subjects_and_source_come_back(empty_url: str, tmp_path: Path, case_validator: Any):
    original = _enriched()
    catalog, package = _import(original, empty_url, tmp_path)
    assert not [e.message for e in case_validator.iter_errors(package)]
    document = package["CFDocument"]
    for name in ("licenseURI", "officialSourceURL", "subject", "subjectURI", "language"):
        assert document[name] == original["CFDocument"][name], name
    first = original["CFItems"][0]
    item = next(i for i in package["CFItems"] if i["identifier"] == first["identifier"])
    for name in ("subject", "subjectURI", "conceptKeywords", "statusStartDate"):
        assert item[name] == first[name], name
    for kind in ("CFLicenses", "CFSubjects", "CFConcepts"):
        assert package["CFDefinitions"][kind] == original["CFDefinitions"][kind], kind
    # … and through our own file again, unchanged.
    export_all(catalog, "case", tmp_path / "first")
    again = tmp_path / "again.sqlite3"
    import_file(tmp_path / "first", url=f"sqlite:///{again}", seed=False)
    export_all(Catalog(stored(f"sqlite:///{again}")[0]), "case", tmp_path / "second")
    for path in sorted((tmp_path / "first").iterdir()):
        assert path.read_text() == (tmp_path / "second" / path.name).read_text(), path.name


def test_our_frameworks_publish_their_notice_as_a_license(bundled: Catalog, case_validator: Any):
    package = case.framework_package(bundled, "imh")
    assert not [e.message for e in case_validator.iter_errors(package)]
    link = package["CFDocument"]["licenseURI"]
    (license_,) = package["CFDefinitions"]["CFLicenses"]
    assert license_["identifier"] == link["identifier"]
    assert license_["licenseText"] == bundled.framework("imh").notice


def test_no_match_is_never_published_as_a_link(bundled: Catalog, case_validator: Any):
    package = case.crosswalk_package(bundled, "imh-wv-ckc-2015")
    assert not [e.message for e in case_validator.iter_errors(package)]
    no_match = [a for a in package["CFAssociations"] if a["associationType"] == "ext:noMatch"]
    assert no_match
    assert all(a["extensions"]["ext:relation"] == "noMatch" for a in no_match)
    related = [a for a in package["CFAssociations"] if a["associationType"] == "isRelatedTo"]
    assert not [a for a in related if a["extensions"]["ext:relation"] == "noMatch"]


def test_a_foreign_no_match_is_read_as_one(empty_url: str, tmp_path: Path):
    data = _sample()
    association = next(a for a in data["CFAssociations"] if a["associationType"] != "isChildOf")
    association["associationType"] = "ext:noMatch"
    association["destinationNodeURI"] = {
        k: data["CFDocument"][k] for k in ("identifier", "uri", "title")
    }
    catalog, _ = _import(data, empty_url, tmp_path)
    found = [a for a in catalog.dataset.alignments if a.justification == "case:ext:noMatch"]
    assert len(found) == 1 and found[0].relation is Relation.NO_MATCH
    assert found[0].target_code is None
