"""The CASE 1.1 REST read endpoints, driven through the real app.

Every answer here is also validated against the official binding (see conftest.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from case_binding import validated
from fastapi.testclient import TestClient

from crosswalk.model import item_uuid
from crosswalk.web.app import create_app
from crosswalk.web.routes.case import DEFAULT_BASE_URL

ROOT = "/ims/case/v1p1"
SCHEMA = (
    Path(__file__).resolve().parents[4] / "shared" / "interop" / "case-v1p1-cfpackage.schema.json"
)
METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _documents(client: TestClient) -> dict[str, dict[str, Any]]:
    answer = client.get(f"{ROOT}/CFDocuments")
    assert answer.status_code == 200
    return {d["extensions"]["ext:framework"]: d for d in answer.json()["CFDocuments"]}


def _minor(answer: Any) -> str:
    return str(
        answer.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]
    )


def test_documents_list_every_framework(case_client: TestClient):
    assert set(_documents(case_client)) == {"imh", "wv-ckc-2015", "iecmhc"}


def test_package_is_valid_and_uris_resolve(case_client: TestClient):
    document = _documents(case_client)["wv-ckc-2015"]
    package = case_client.get(f"{ROOT}/CFPackages/{document['identifier']}").json()
    assert len(package["CFItems"]) == 52
    if SCHEMA.exists():
        jsonschema = pytest.importorskip("jsonschema")
        validator = jsonschema.Draft201909Validator(json.loads(SCHEMA.read_text()))
        assert not [e.message for e in validator.iter_errors(package)]


def _uris(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [u for v in value.values() for u in _uris(v)] + (
            [value["uri"]] if isinstance(value.get("uri"), str) else []
        )
    if isinstance(value, list):
        return [u for v in value for u in _uris(v)]
    return []


def test_every_uri_we_emit_resolves(case_client: TestClient):
    """A strict consumer: every URI under our base, in every document and package."""
    uris: set[str] = set()
    for document in _documents(case_client).values():
        uris |= set(_uris(document))
        package = case_client.get(document["CFPackageURI"]["uri"].removeprefix(DEFAULT_BASE_URL))
        uris |= set(_uris(package.json()))
    ours = {u for u in uris if u.startswith(DEFAULT_BASE_URL + ROOT)}
    kinds = {urlsplit(u).path.split("/")[-2] for u in ours}
    assert kinds >= {
        "CFDocuments", "CFPackages", "CFItems", "CFAssociations", "CFItemTypes",
        "CFAssociationGroupings", "CFLicenses",
    }  # fmt: skip
    for uri in sorted(ours):
        answer = case_client.get(uri.removeprefix(DEFAULT_BASE_URL))
        assert answer.status_code == 200, uri
        if isinstance(answer.json(), dict) and "identifier" in answer.json():
            assert answer.json()["identifier"] == uri.rsplit("/", 1)[1]
    assert not {u for u in uris - ours if not u.startswith("urn:uuid:")}


def test_item_association_and_item_associations(case_client: TestClient):
    identifier = str(item_uuid("wv-ckc-2015", "1.10"))
    item = case_client.get(f"{ROOT}/CFItems/{identifier}").json()
    assert item["humanCodingScheme"] == "1.10"
    assert item["CFDocumentURI"]["title"].startswith("West Virginia")
    links = case_client.get(f"{ROOT}/CFItemAssociations/{identifier}").json()
    assert links["CFItem"]["identifier"] == identifier
    kinds = {a["associationType"] for a in links["CFAssociations"]}
    assert "isChildOf" in kinds and len(links["CFAssociations"]) > 1
    assert not [a for a in links["CFAssociations"] if "CFDocumentURI" in a]
    first = links["CFAssociations"][0]["identifier"]
    assert case_client.get(f"{ROOT}/CFAssociations/{first}").json()["identifier"] == first


def test_a_no_match_is_served_as_ext_no_match(case_client: TestClient):
    imh = _documents(case_client)["imh"]
    package = case_client.get(f"{ROOT}/CFPackages/{imh['identifier']}").json()
    kinds = {a["associationType"] for a in package["CFAssociations"]}
    assert "ext:noMatch" in kinds
    assert not [
        a
        for a in package["CFAssociations"]
        if a["associationType"] != "ext:noMatch"
        and a.get("extensions", {}).get("ext:relation") == "noMatch"
    ]


COLLECTIONS = [
    "CFDocuments", "CFPackages", "CFItems", "CFAssociations", "CFItemAssociations",
    "CFItemTypes", "CFAssociationGroupings", "CFLicenses", "CFSubjects", "CFConcepts",
    "CFRubrics",
]  # fmt: skip


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_errors_have_the_binding_shape(case_client: TestClient, collection: str):
    missing = case_client.get(f"{ROOT}/{collection}/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert missing.json()["imsx_codeMajor"] == "failure"
    assert _minor(missing) == "unknownobject"
    invalid = case_client.get(f"{ROOT}/{collection}/not-a-uuid")
    assert invalid.status_code == 404 and _minor(invalid) == "invalid_uuid"


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_other_methods_answer_405(case_client: TestClient, collection: str):
    path = f"{ROOT}/{collection}/{item_uuid('wv-ckc-2015', '1.1')}"
    for method in METHODS:
        answer = case_client.request(method, path)
        assert answer.status_code == 405, (method, path)
        assert answer.headers["allow"] == "GET, HEAD"
        assert answer.json()["imsx_codeMajor"] == "unsupported"
    assert case_client.post(f"{ROOT}/CFDocuments").status_code == 405
    assert case_client.post(f"{ROOT}/CFNothing/x").status_code == 404
    assert case_client.request("QUERY", f"{ROOT}/CFDocuments").status_code == 405


def test_documents_page_sort_and_link(case_client: TestClient):
    every = case_client.get(f"{ROOT}/CFDocuments")
    assert every.headers["x-total-count"] == "3"
    page = case_client.get(f"{ROOT}/CFDocuments", params={"limit": 1, "offset": 1, "sort": "title"})
    titles = sorted(d["title"].lower() for d in every.json()["CFDocuments"])
    assert [d["title"].lower() for d in page.json()["CFDocuments"]] == titles[1:2]
    links = dict(
        (rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', page.headers["link"])
    )
    assert set(links) == {"first", "prev", "next", "last"}
    assert links["next"].startswith(DEFAULT_BASE_URL) and "offset=2" in links["next"]
    assert "sort=title" in links["next"]
    last = case_client.get(links["last"].removeprefix(DEFAULT_BASE_URL))
    assert [d["title"].lower() for d in last.json()["CFDocuments"]] == titles[2:]
    desc = case_client.get(f"{ROOT}/CFDocuments", params={"sort": "title", "orderBy": "desc"})
    assert [d["title"].lower() for d in desc.json()["CFDocuments"]] == titles[::-1]


@pytest.mark.parametrize(
    ("params", "status", "minor"),
    [
        ({"limit": "0"}, 400, "invalid_selection_field"),
        ({"limit": "lots"}, 400, "invalid_selection_field"),
        ({"offset": "-1"}, 400, "invalid_selection_field"),
        ({"offset": "3"}, 404, "unknownobject"),  # past the end: a set holds one at least
        ({"sort": "colour"}, 400, "invalid_sort_field"),
        ({"orderBy": "up"}, 400, "invalid_sort_field"),
        ({"filter": "colour='red'"}, 400, "invalid_selection_field"),
        ({"filter": "title"}, 400, "invalid_selection_field"),
        ({"filter": "title~'a' AND title~'b' OR version='1'"}, 400, "invalid_selection_field"),
        ({"filter": "title='nothing like it'"}, 404, "unknownobject"),
        ({"fields": "title,colour"}, 400, "invalid_selection_field"),
    ],
)
def test_bad_list_parameters_are_refused(
    case_client: TestClient, params: dict[str, str], status: int, minor: str
):
    answer = case_client.get(f"{ROOT}/CFDocuments", params=params)
    assert answer.status_code == status and _minor(answer) == minor


def test_filter_and_fields_are_honoured(case_client: TestClient):
    found = case_client.get(f"{ROOT}/CFDocuments", params={"filter": "version='2015'"}).json()
    assert [d["extensions"]["ext:framework"] for d in found["CFDocuments"]] == ["wv-ckc-2015"]
    either = case_client.get(
        f"{ROOT}/CFDocuments", params={"filter": "title~'consultation' OR title~'virginia'"}
    )
    assert either.headers["x-total-count"] == "2"
    both = case_client.get(
        f"{ROOT}/CFDocuments", params={"filter": "title~'infant' AND title~'guidelines'"}
    )
    assert [d["extensions"]["ext:framework"] for d in both.json()["CFDocuments"]] == ["imh"]
    slim = case_client.get(f"{ROOT}/CFDocuments?fields=title&fields=version").json()
    for document in slim["CFDocuments"]:
        assert set(document) <= {
            "identifier", "uri", "creator", "title", "lastChangeDateTime", "CFPackageURI",
            "version",
        }  # fmt: skip
        assert "description" not in document


def test_head_etag_and_cache_control(case_client: TestClient):
    identifier = str(item_uuid("wv-ckc-2015", "1.10"))
    for path in ("CFDocuments", f"CFItems/{identifier}"):
        answer = case_client.get(f"{ROOT}/{path}")
        assert answer.headers["etag"] and "no-cache" in answer.headers["cache-control"]
        head = case_client.head(f"{ROOT}/{path}")
        assert head.status_code == 200 and head.headers["etag"] == answer.headers["etag"]
        again = case_client.get(f"{ROOT}/{path}", headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304


def test_unknown_paths_answer_in_the_case_shape(case_client: TestClient):
    answer = case_client.get(f"{ROOT}/CFNothing/whatever")
    assert answer.status_code == 404
    assert answer.json()["imsx_codeMajor"] == "failure"


def test_change_times_are_not_all_the_placeholder(case_client: TestClient):
    times = {
        d["lastChangeDateTime"]
        for d in case_client.get(f"{ROOT}/CFDocuments").json()["CFDocuments"]
    }
    assert "2015-01-01T00:00:00+00:00" in times


# -- the Host header is never trusted ---------------------------------------------------


def test_the_host_header_is_never_echoed(case_client: TestClient):
    identifier = str(item_uuid("wv-ckc-2015", "1.10"))
    url = f"{ROOT}/CFItems/{identifier}"
    poisoned = case_client.get(url, headers={"Host": "evil.example"})
    assert poisoned.json()["uri"] == f"{DEFAULT_BASE_URL}{url}"
    assert "evil.example" not in poisoned.text
    page = case_client.get(f"{ROOT}/CFDocuments?limit=1", headers={"Host": "evil.example"})
    assert "evil.example" not in page.headers["link"]


def test_one_index_per_revision_whatever_the_host(case_client: TestClient):
    for n in range(12):
        answer = case_client.get(f"{ROOT}/CFDocuments", headers={"Host": f"h{n}.example"})
        assert answer.is_success
    snapshot = case_client.app.state.catalog_store.snapshot()  # type: ignore[attr-defined]
    keys = [k for k in snapshot._memo if isinstance(k, tuple) and k[0] == "case-index"]
    assert len(keys) == 1


def test_a_configured_base_url_is_used(tmp_path: Path):
    app = create_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", base_url="https://cw.example.org/")
    with TestClient(app) as client:
        validated(client)
        identifier = str(item_uuid("wv-ckc-2015", "1.10"))
        for host in ("evil.example", "testserver"):
            answer = client.get(f"{ROOT}/CFItems/{identifier}", headers={"Host": host})
            assert answer.json()["uri"] == f"https://cw.example.org{ROOT}/CFItems/{identifier}"


def test_item_associations_are_found_whatever_the_case_of_the_uuid(case_client: TestClient):
    identifier = str(item_uuid("imh", "direct-service-skills/observation-listening"))
    lower = case_client.get(f"{ROOT}/CFItemAssociations/{identifier.lower()}").json()
    upper = case_client.get(f"{ROOT}/CFItemAssociations/{identifier.upper()}").json()
    assert lower == upper
    assert len(lower["CFAssociations"]) > 1


def test_an_imported_package_is_served_with_every_uri_resolving(tmp_path: Path):
    """OpenSALT's package, with a license and a subject, imported then served: every
    URI of ours resolves, foreign ones are the publisher's, answers fit the binding."""
    sample = SCHEMA.parent / "opensalt-sample-cfpackage.json"
    if not sample.exists():
        pytest.skip("../shared/interop absent")
    from crosswalk.formats.exchange import import_file

    data = json.loads(sample.read_text(encoding="utf-8"))
    license_id, subject_id = str(item_uuid("x", "license")), str(item_uuid("x", "subject"))
    data["CFDocument"]["licenseURI"] = {
        "title": "CC BY", "identifier": license_id, "uri": "https://example.org/l",
    }  # fmt: skip
    data["CFItems"][0]["subjectURI"] = [
        {"title": "Math", "identifier": subject_id, "uri": "https://example.org/s"}
    ]
    data["CFDefinitions"]["CFLicenses"] = [
        {
            "identifier": license_id, "uri": "https://example.org/l", "title": "CC BY",
            "licenseText": "Attribution", "lastChangeDateTime": "2017-01-01T00:00:00+00:00",
        }
    ]  # fmt: skip
    data["CFDefinitions"]["CFSubjects"] = [
        {
            "identifier": subject_id, "uri": "https://example.org/s", "title": "Math",
            "hierarchyCode": "1", "lastChangeDateTime": "2017-01-01T00:00:00+00:00",
        }
    ]  # fmt: skip
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    import_file(path, url=url)
    with TestClient(create_app(url)) as client:
        validated(client)
        uris: set[str] = set()
        for document in _documents(client).values():
            uris |= set(_uris(document))
            package = client.get(document["CFPackageURI"]["uri"].removeprefix(DEFAULT_BASE_URL))
            uris |= set(_uris(package.json()))
        ours = {u for u in uris if u.startswith(DEFAULT_BASE_URL + ROOT)}
        assert f"{DEFAULT_BASE_URL}{ROOT}/CFLicenses/{license_id}" in ours
        assert f"{DEFAULT_BASE_URL}{ROOT}/CFSubjects/{subject_id}" in ours
        for uri in sorted(ours):
            assert client.get(uri.removeprefix(DEFAULT_BASE_URL)).status_code == 200, uri
        foreign = uris - ours - {u for u in uris if u.startswith("urn:uuid:")}
        assert foreign <= {u for u in _uris(data) if u.startswith("http")}  # ends outside


def test_documents_are_listed_without_writing_every_package() -> None:
    """Listing the CFDocuments, what a reader asks first, does not wait for every package
    to be written (seconds on a 20,000-item store); the list is the index's own."""
    from crosswalk.catalog import Catalog
    from crosswalk.formats.case_index import LazyIndex, build_index
    from crosswalk.sources.bundled import load_bundled

    catalog, base = Catalog(load_bundled()), "https://example.org/ims/case/v1p1"
    lazy = LazyIndex(catalog, base)
    listed = lazy.documents()
    assert lazy._index is None  # no package written
    assert listed == build_index(catalog, base).documents
    assert lazy.get().documents == listed and lazy.documents() is lazy.get().documents
