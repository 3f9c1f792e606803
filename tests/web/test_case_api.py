"""The CASE 1.1 REST read endpoints, driven through the real app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crosswalk.model import item_uuid
from crosswalk.web.app import create_app

ROOT = "/ims/case/v1p1"
SCHEMA = (
    Path(__file__).resolve().parents[3] / "shared" / "interop" / "case-v1p1-cfpackage.schema.json"
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    url = f"sqlite:///{tmp_path_factory.mktemp('case') / 'db.sqlite3'}"
    with TestClient(create_app(url)) as client:
        yield client


def _documents(client: TestClient) -> dict[str, dict[str, Any]]:
    answer = client.get(f"{ROOT}/CFDocuments")
    assert answer.status_code == 200
    return {d["extensions"]["ext:framework"]: d for d in answer.json()["CFDocuments"]}


def test_documents_list_every_framework(client: TestClient):
    assert set(_documents(client)) == {"imh", "wv-ckc-2015", "iecmhc"}


def test_package_is_valid_and_uris_resolve(client: TestClient):
    document = _documents(client)["wv-ckc-2015"]
    package = client.get(f"{ROOT}/CFPackages/{document['identifier']}").json()
    assert len(package["CFItems"]) == 52
    if SCHEMA.exists():
        jsonschema = pytest.importorskip("jsonschema")
        validator = jsonschema.Draft201909Validator(json.loads(SCHEMA.read_text()))
        assert not [e.message for e in validator.iter_errors(package)]
    item_path = package["CFItems"][0]["uri"].split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + item_path).status_code == 200


def test_item_association_and_item_associations(client: TestClient):
    identifier = str(item_uuid("wv-ckc-2015", "1.10"))
    item = client.get(f"{ROOT}/CFItems/{identifier}").json()
    assert item["humanCodingScheme"] == "1.10"
    assert item["CFDocumentURI"]["title"].startswith("West Virginia")
    links = client.get(f"{ROOT}/CFItemAssociations/{identifier}").json()
    assert links["CFItem"]["identifier"] == identifier
    kinds = {a["associationType"] for a in links["CFAssociations"]}
    assert "isChildOf" in kinds and len(links["CFAssociations"]) > 1
    first = links["CFAssociations"][0]["identifier"]
    assert client.get(f"{ROOT}/CFAssociations/{first}").json()["identifier"] == first


@pytest.mark.parametrize(
    "collection", ["CFPackages", "CFItems", "CFAssociations", "CFItemAssociations"]
)
def test_errors_have_the_status_info_shape(client: TestClient, collection: str):
    missing = client.get(f"{ROOT}/{collection}/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    body = missing.json()
    assert body["imsx_codeMajor"] == "failure"
    minor = body["imsx_codeMinor"]["imsx_codeMinorField"][0]
    assert minor["imsx_codeMinorFieldValue"] == "unknownobject"
    invalid = client.get(f"{ROOT}/{collection}/not-a-uuid")
    assert invalid.status_code == 400
    assert (
        invalid.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]
        == "invalid_uuid"
    )


def test_documents_page_and_sort(client: TestClient):
    every = client.get(f"{ROOT}/CFDocuments")
    assert every.headers["x-total-count"] == "3"
    page = client.get(f"{ROOT}/CFDocuments", params={"limit": 1, "offset": 1, "sort": "title"})
    titles = sorted(d["title"].lower() for d in every.json()["CFDocuments"])
    assert [d["title"].lower() for d in page.json()["CFDocuments"]] == titles[1:2]
    desc = client.get(f"{ROOT}/CFDocuments", params={"sort": "title", "orderBy": "desc"})
    assert [d["title"].lower() for d in desc.json()["CFDocuments"]] == titles[::-1]
    bad = client.get(f"{ROOT}/CFDocuments", params={"limit": "lots"})
    assert bad.status_code == 400 and bad.json()["imsx_codeMajor"] == "failure"


def test_head_etag_and_cache_control(client: TestClient):
    identifier = str(item_uuid("wv-ckc-2015", "1.10"))
    for path in ("CFDocuments", f"CFItems/{identifier}"):
        answer = client.get(f"{ROOT}/{path}")
        assert answer.headers["etag"] and "no-cache" in answer.headers["cache-control"]
        head = client.head(f"{ROOT}/{path}")
        assert head.status_code == 200 and head.headers["etag"] == answer.headers["etag"]
        again = client.get(f"{ROOT}/{path}", headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304


def test_unknown_paths_answer_in_the_case_shape(client: TestClient):
    answer = client.get(f"{ROOT}/CFNothing/whatever")
    assert answer.status_code == 404
    assert answer.json()["imsx_codeMajor"] == "failure"


def test_change_times_are_not_all_the_placeholder(client: TestClient):
    times = {
        d["lastChangeDateTime"] for d in client.get(f"{ROOT}/CFDocuments").json()["CFDocuments"]
    }
    assert "2015-01-01T00:00:00+00:00" in times
