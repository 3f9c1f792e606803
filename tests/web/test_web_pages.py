"""Every page over HTTP on the bundled data, parsed, with real content checked."""

from __future__ import annotations

import csv
import io
import itertools
import json

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from webpage import Page, parse

OBSERVATION = "/frameworks/imh/items/direct-service-skills/observation-listening"


def test_home_lists_frameworks_crosswalks_search_and_notice(client: TestClient) -> None:
    page = parse(client.get("/").text)
    assert page.texts("h1") == ["Competency crosswalk"]
    hrefs = page.hrefs()
    for target in ("/frameworks/imh", "/frameworks/wv-ckc-2015", "/frameworks/iecmhc"):
        assert target in hrefs
    assert "/crosswalks/imh-wv-ckc-2015" in hrefs and "/crosswalks/iecmhc-imh" in hrefs
    assert "/readiness" in hrefs
    cards = " ".join(page.texts("p", class_="meta"))
    assert "45 competencies in 7 areas" in cards
    assert "427 links from 64 items; 2 items are stated as having no match" in cards
    assert page.find("form", role="search")
    assert any("resource guide only" in t for t in page.texts("section", class_="notice"))


def test_landmarks_skip_link_and_heading_order(client: TestClient) -> None:
    for url in ("/", "/frameworks/imh", OBSERVATION, "/crosswalks/iecmhc-imh", "/map", "/lint"):
        page = parse(client.get(url).text)
        assert page.find("a", class_="skip-link", href="#main"), url
        assert page.find("main", id="main") and page.find("header") and page.find("footer")
        assert page.find("nav", aria_label="Main")
        levels = [int(t[1]) for t, _, _ in page.elements if t in {"h1", "h2", "h3", "h4"}]
        assert levels[0] == 1 and levels.count(1) == 1, url
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (url, levels)
        labelled = {a["for"] for a, _ in page.find("label") if "for" in a}
        for attrs, _ in page.find("input") + page.find("select"):
            if attrs.get("type") not in {"checkbox", "hidden"}:
                assert attrs.get("id") in labelled, (url, attrs)


def test_framework_tree_with_level_badges(client: TestClient) -> None:
    page = parse(client.get("/frameworks/imh").text)
    closed = page.texts("a", aria_expanded="false")
    assert "▸Direct Service Skills · 11 items" in closed
    area = parse(client.get("/frameworks/imh/items/leading-people").text)
    assert "IMHM" in area.texts("span", class_="badge badge-imhm")
    ckc = parse(client.get("/frameworks/wv-ckc-2015/items/1").text)
    assert "/frameworks/wv-ckc-2015/items/1.10" in ckc.hrefs()


def test_item_page_lists_links_both_ways_and_chains(client: TestClient) -> None:
    response = client.get(OBSERVATION)
    assert response.status_code == 200
    page = parse(response.text)
    assert page.texts("h1") == ["Observation & listening"]
    assert "WV crosswalk of the IMH Competency Guidelines® and the 2015 CKC, line 29" in page.texts(
        "a", class_="provenance"
    )
    rows = page.find("tr", id="link-wv-ckc-2015-1-2")
    assert rows and "Corresponds to" in rows[0][1]
    assert "/frameworks/wv-ckc-2015/items/1.2" in page.hrefs()
    cited = page.find("tr", id="link-iecmhc-6C-2")
    assert cited and "Cited by" in cited[0][1] and "Important" in cited[0][1]
    assert "MHM" in cited[0][1]


def test_item_page_shows_chains_with_their_path(client: TestClient) -> None:
    page = parse(client.get("/frameworks/iecmhc/items/6B.2").text)
    assert page.find("h2", id="chains")
    paths = page.texts("ol", class_="path")
    assert any(p.startswith("6B.2 → Developmental guidance → 1.1") for p in paths), paths[:3]
    back = parse(client.get("/frameworks/wv-ckc-2015/items/1.2").text)
    assert any("← Observation & listening ← 6C.2" in p for p in back.texts("ol", class_="path"))


def test_item_by_name_redirects_and_unknown_is_a_friendly_404(client: TestClient) -> None:
    response = client.get("/frameworks/imh/items/Self Awareness", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/frameworks/imh/items/reflection/self-awareness"
    missing = client.get("/frameworks/imh/items/no-such-thing")
    assert missing.status_code == 404
    page = parse(missing.text)
    assert page.texts("h1") == ["Not found"]
    assert "/" in page.hrefs() and page.find("form", role="search")
    assert client.get("/frameworks/nope").status_code == 404
    assert client.get("/no/such/page").status_code == 404


def test_crosswalk_matrix_is_an_accessible_table(client: TestClient) -> None:
    page = parse(client.get("/crosswalks/imh-wv-ckc-2015").text)
    assert page.find("table", class_="matrix")
    assert page.texts("caption", id="matrix-caption")
    assert page.find("div", class_="matrix-scroll", role="region", tabindex="0")
    columns = page.find("th", scope="col")
    # Column headings name the items, not only their codes.
    assert any(text.startswith("1.2 Applies the process") for _, text in columns)
    assert page.find("th", scope="colgroup") and page.find("th", scope="rowgroup")
    cells = [a for a, _ in page.find("a") if a.get("aria-label", "").startswith("Observation")]
    pair = [a for a in cells if " → 1.2 " in a["aria-label"]]
    assert pair and pair[0]["href"] == OBSERVATION + "#link-wv-ckc-2015-1-2"
    assert "Applies the process of assessment" in pair[0]["aria-label"]


def test_crosswalk_gaps_and_coverage(client: TestClient) -> None:
    page = parse(client.get("/crosswalks/imh-wv-ckc-2015").text)
    no_match = page.texts("ul", class_="gap-list")[0]
    assert "WV crosswalk of the IMH Competency Guidelines® and the 2015 CKC, line 73" in no_match
    assert page.find("h3", id="gaps-none") and page.find("h2", id="coverage")
    assert page.texts("caption", id="cov-source")


def test_level_filter_works_without_script(client: TestClient) -> None:
    full = parse(client.get("/crosswalks/imh-wv-ckc-2015").text)
    mentor = parse(client.get("/crosswalks/imh-wv-ckc-2015?level=IMHM").text)

    def rows(page: Page) -> int:
        return len(page.find("th", scope="row"))

    assert 0 < rows(mentor) < rows(full)
    assert mentor.find("option", value="IMHM", selected="")
    bad = client.get("/crosswalks/imh-wv-ckc-2015?level=expert")
    assert bad.status_code == 422
    assert "level" in parse(bad.text).texts("strong")


def test_map_page_carries_the_query_and_shows_paths(client: TestClient) -> None:
    response = client.get("/map?from=iecmhc&to=wv-ckc-2015&codes=6B.2")
    page = parse(response.text)
    assert page.find("input", type="checkbox", value="6B.2", checked="")
    table = page.texts("table", class_="links map-results")[0]
    assert "Developmental guidance" in table and "6B.2" in table
    typed = parse(client.get("/map?from=wv-ckc-2015&to=imh&codes=2.1, 4.1").text)
    groups = typed.texts("th", scope="rowgroup")
    assert [g.split()[3] for g in groups] == ["2.1", "4.1"], groups


def test_map_page_explains_an_unknown_code(client: TestClient) -> None:
    response = client.get("/map?from=wv-ckc-2015&to=imh&codes=9.9")
    assert response.status_code == 422  # nothing at all could be mapped
    assert "9.9" in parse(response.text).texts("div", role="alert")[0]
    assert client.get("/map?from=nope&to=imh&codes=1.1").status_code == 422
    assert client.get("/map").status_code == 200


def test_search_ranks_and_highlights(client: TestClient) -> None:
    page = parse(client.get("/search?q=observation").text)
    titles = [t for _, t in page.find("h3")][:3]
    assert any(t.startswith("Observation & listening") for t in titles), titles
    assert "Observation" in page.texts("mark")
    assert client.get("/search").status_code == 200
    assert client.get("/search?framework=nope&q=x").status_code == 404


def test_lint_report_is_readable(client: TestClient) -> None:
    page = parse(client.get("/lint").text)
    assert page.texts("h1") == ["Data quality report"]
    headings = " ".join(page.texts("h2"))
    assert "Same pair listed twice" in headings and "Cited but not defined" in headings
    assert page.find("li", class_="finding warning")
    text = " ".join(page.texts("main"))
    for jargon in ("*", "canonical", "parser", "undefined reference", "'imh'"):
        assert jargon not in text, jargon
    # Each finding names its items, linked, instead of raw ids.
    findings = page.find("p", class_="finding-items")
    assert findings and "Study of infant relationships & attachment" in " ".join(
        t for _, t in findings
    )
    assert (
        "/frameworks/imh/items/theoretical-foundations/study-of-infant-relationships-attachment"
        in page.hrefs()
        or any(h.startswith("/frameworks/imh/items/") for h in page.hrefs())
    )


@pytest.mark.parametrize(
    "url",
    [
        "/frameworks/imh",
        OBSERVATION,
        "/crosswalks/imh-wv-ckc-2015",
        "/map?from=wv-ckc-2015&to=imh&codes=2.1",
        "/search?q=observation",
        "/lint",
    ],
)
def test_every_data_page_downloads_csv_xlsx_json(client: TestClient, url: str) -> None:
    page = parse(client.get(url).text)
    links = [h for h in page.hrefs() if "format=" in h]
    assert {h.rsplit("=", 1)[1] for h in links} == {"csv", "xlsx", "json"}
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert "attachment" in response.headers["content-disposition"]
        if link.endswith("csv"):
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
            assert len(rows) > 1
        elif link.endswith("json"):
            assert json.loads(response.content)
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            assert sheet is not None and sheet.max_row > 1


def test_crosswalk_download_holds_the_alignments(client: TestClient) -> None:
    rows = json.loads(client.get("/crosswalks/imh-wv-ckc-2015?format=json").content)
    assert {
        "source_code": "direct-service-skills/observation-listening",
        "target_code": "1.2",
    }.items() <= next(
        r for r in rows if r["target_code"] == "1.2" and "observation" in r["source_code"]
    ).items()
    assert any(r["relation"] == "noMatch" for r in rows)


def test_docs_page_and_openapi(client: TestClient) -> None:
    page = parse(client.get("/docs").text)
    assert any("/api/map" in t for t in page.texts("code"))
    schema = client.get("/openapi.json").json()
    assert "/api/map" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/map"]["get"]["parameters"]}
    assert names == {"from", "to", "codes", "release", "preview"}  # every read names a release
