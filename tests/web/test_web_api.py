"""The JSON API over HTTP on the bundled data: shapes, pagination, errors, caching."""

from __future__ import annotations

import dataclasses

from fastapi.testclient import TestClient
from webpage import parse

from crosswalk.model import Dataset
from crosswalk.sources.bundled import load_bundled
from crosswalk.store import open_repository
from crosswalk.web.app import create_app


def test_frameworks_and_one_framework(client: TestClient) -> None:
    body = client.get("/api/frameworks").json()
    assert body["total"] == 3 and body["next"] is None
    ids = [f["id"] for f in body["items"]]
    assert ids == ["iecmhc", "imh", "wv-ckc-2015"]
    one = client.get("/api/frameworks/wv-ckc-2015").json()
    assert one["items"] == 52
    missing = client.get("/api/frameworks/nope")
    assert (
        missing.status_code == 404 and "known: iecmhc, imh, wv-ckc-2015" in missing.json()["detail"]
    )


def test_items_are_paginated_with_next_links(client: TestClient) -> None:
    first = client.get("/api/frameworks/wv-ckc-2015/items?limit=10").json()
    assert first["total"] == 52 and len(first["items"]) == 10
    assert first["next"] == "/api/frameworks/wv-ckc-2015/items?limit=10&offset=10"
    last = client.get("/api/frameworks/wv-ckc-2015/items?limit=10&offset=50").json()
    assert len(last["items"]) == 2 and last["next"] is None
    assert last["previous"] == "/api/frameworks/wv-ckc-2015/items?limit=10&offset=40"
    tagged = client.get("/api/frameworks/imh/items?tag=IMHS&limit=500").json()
    assert tagged["total"] == 11 and all("IMHS" in i["tags"] for i in tagged["items"])


def test_item_detail_with_links_and_chains(client: TestClient) -> None:
    url = "/api/frameworks/imh/items/direct-service-skills/observation-listening"
    body = client.get(url).json()
    assert body["item"]["provenance"] == "seed 000, line 29"
    out = {link["other"]["code"] for link in body["links"] if link["direction"] == "out"}
    assert "1.2" in out
    cited = [link for link in body["links"] if link["direction"] == "in"]
    assert cited[0]["other"]["code"] == "6C.2" and cited[0]["strength"] == "Important"
    chain = client.get("/api/frameworks/iecmhc/items/6B.2").json()["chains"]
    assert any(
        [h["target"]["code"] for h in c["path"]]
        == ["direct-service-skills/developmental-guidance", "1.1"]
        for c in chain
    )


def test_crosswalks_alignments_gaps_coverage(client: TestClient) -> None:
    crosswalks = client.get("/api/crosswalks").json()["items"]
    assert {c["id"]: c["no_match"] for c in crosswalks}["imh-wv-ckc-2015"] == 2
    pair = client.get(
        "/api/crosswalks/iecmhc-imh/alignments",
        params={"source": "6C.2", "target": "direct-service-skills/observation-listening"},
    ).json()
    assert pair["total"] == 1 and pair["items"][0]["level"] == "MHM"
    mentor = client.get("/api/crosswalks/iecmhc-imh/alignments?level=MHM").json()
    assert mentor["total"] == 8
    gaps = client.get("/api/crosswalks/imh-wv-ckc-2015/gaps").json()
    assert len(gaps["no_match"]) == 2 and gaps["no_match"][0]["provenance"].startswith("seed 000")
    coverage = client.get("/api/crosswalks/imh-wv-ckc-2015/coverage").json()
    assert sum(a["items"] for a in coverage["source_areas"]) == 64


def test_map_direct_and_through_imh(client: TestClient) -> None:
    body = client.get("/api/map?from=wv-ckc-2015&to=imh&codes=2.1&codes=4.1").json()
    assert body["from"] == "wv-ckc-2015" and body["codes"] == ["2.1", "4.1"]
    assert {r["code"] for r in body["results"]} == {"2.1", "4.1"}
    assert all(r["via"] == [] for r in body["results"])
    chained = client.get(
        "/api/map", params={"from": "iecmhc", "to": "wv-ckc-2015", "codes": "6B.2"}
    )
    results = chained.json()["results"]
    assert results and all(r["via"] == ["imh"] for r in results)
    assert results[0]["path"][0]["source"]["code"] == "6B.2"
    assert results[0]["path"][1]["target"]["framework"] == "wv-ckc-2015"


def test_validation_errors_name_the_parameter(client: TestClient) -> None:
    # 422: the schema refuses the value; 404: it is allowed but names nothing here.
    for url, parameter, status in [
        ("/api/map?from=wv-ckc-2015&to=imh", "codes", 422),
        ("/api/map?from=nope&to=imh&codes=1.1", "from", 404),
        ("/api/map?from=wv-ckc-2015&to=imh&codes=9.9", "codes", 404),
        ("/api/frameworks?limit=0", "limit", 422),
        ("/api/frameworks/imh/items?offset=-1", "offset", 422),
        ("/api/search", "q", 422),
        ("/api/crosswalks/iecmhc-imh/alignments?level=boss", "level", 422),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        body = response.json()
        assert [e["parameter"] for e in body["errors"]] == [parameter], url
        assert parameter in body["detail"]
    page = client.get("/frameworks/imh?format=pdf")
    assert page.status_code == 422 and "format" in parse(page.text).texts("strong")


def test_search_and_lint(client: TestClient) -> None:
    hits = client.get("/api/search?q=observation&limit=2").json()
    assert hits["total"] > 2 and len(hits["items"]) == 2 and hits["next"]
    # Each hit names the words that matched, as spelled in its text.
    for hit in hits["items"]:
        assert [w.lower() for w in hit["matched"]] == ["observation"], hit
        assert all(w in hit["text"] for w in hit["matched"])
    assert hits["items"][0]["item"]["name"] == "Observation & listening"
    assert hits["items"][0]["matched"] == ["Observation"]
    assert client.get("/api/search?q=x&framework=nope").status_code == 404
    findings = client.get("/api/lint").json()
    assert findings["total"] > 0 and {"check", "severity", "message"} <= findings["items"][0].keys()


def test_etag_and_not_modified(client: TestClient) -> None:
    for url in ("/api/frameworks", "/crosswalks/imh-wv-ckc-2015", "/"):
        response = client.get(url)
        etag = response.headers["etag"]
        assert response.headers["cache-control"] == "public, no-cache"
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
    other = client.get("/api/frameworks?limit=1").headers["etag"]
    assert other != client.get("/api/frameworks").headers["etag"]
    assert "etag" not in client.get("/api/frameworks/nope").headers


def test_a_write_elsewhere_changes_the_etag_and_the_data(
    client: TestClient, database_file: str
) -> None:
    client.app.state.catalog_store.check_interval = 0  # type: ignore[attr-defined]
    before = client.get("/api/frameworks/imh").headers["etag"]
    data = load_bundled()
    data.frameworks = [f for f in data.frameworks if f.id != "iecmhc"]
    data.items = [i for i in data.items if i.framework != "iecmhc"]
    data.crosswalks = [c for c in data.crosswalks if c.id != "iecmhc-imh"]
    data.alignments = [a for a in data.alignments if a.crosswalk != "iecmhc-imh"]
    with open_repository(database_file) as repository:  # another process, say
        repository.replace(data)
    after = client.get("/api/frameworks/imh", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["etag"] != before
    assert client.get("/api/frameworks").json()["total"] == 2


def test_framework_status_and_date_in_json_and_page(database_file: str) -> None:
    def seed() -> Dataset:
        data = load_bundled()
        data.frameworks = [
            dataclasses.replace(f, status="draft", updated="2017-05-25T18:05:33Z")
            if f.id == "imh"
            else f
            for f in data.frameworks
        ]
        return data

    open_repository(database_file, seed=seed).close()
    with TestClient(create_app(database_file)) as client:
        one = client.get("/api/frameworks/imh").json()
        assert (one["status"], one["updated"]) == ("draft", "2017-05-25T18:05:33Z")
        other = client.get("/api/frameworks/iecmhc").json()
        assert (other["status"], other["updated"]) == ("published", "")
        assert not any(s.startswith("case:") for s in other["sources"])
        page = parse(client.get("/frameworks/imh").text)
        facts = dict(zip(page.texts("dt"), page.texts("dd"), strict=True))
        assert facts["Status"] == "Draft"
        assert facts["Last changed"] == "2017-05-25T18:05:33Z"
        plain = parse(client.get("/frameworks/iecmhc").text)
        assert "Last changed" not in plain.texts("dt") and "Status" in plain.texts("dt")
