"""Fixes from the QA pass: HEAD, partial maps, level scopes, plain words, downloads."""

from __future__ import annotations

import io
import json

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from webpage import Page, parse


def test_head_is_answered_wherever_get_is(client: TestClient) -> None:
    for url in (
        "/",
        "/frameworks/imh",
        "/frameworks/wv-ckc-2015/items/2.1",
        "/crosswalks/iecmhc-imh",
        "/map?from=wv-ckc-2015&to=imh&codes=2.1",
        "/search?q=observation",
        "/lint",
        "/docs",
        "/api/frameworks",
        "/api/map?from=wv-ckc-2015&to=imh&codes=2.1",
        "/static/style.css",
    ):
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == 200, url
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers.get("etag") == get.headers.get("etag"), url


def test_trailing_slash_on_item_pages_redirects(client: TestClient) -> None:
    page = client.get("/frameworks/wv-ckc-2015/items/2.1/", follow_redirects=False)
    assert page.status_code == 308
    assert page.headers["location"] == "/frameworks/wv-ckc-2015/items/2.1"
    api = client.get("/api/frameworks/wv-ckc-2015/items/2.1/?x=1", follow_redirects=False)
    assert api.headers["location"] == "/api/frameworks/wv-ckc-2015/items/2.1?x=1"
    assert client.get("/frameworks/wv-ckc-2015/items/2.1/").status_code == 200


def test_unknown_filters_are_4xx_naming_parameter_and_choices(client: TestClient) -> None:
    # A value that names nothing here is 404; one outside the schema (level) is 422.
    for url, parameter, allowed, status in [
        ("/api/frameworks/imh/items?tag=boss", "tag", "IMHS", 404),
        ("/api/frameworks/imh/items?kind=x", "kind", "area", 404),
        ("/api/crosswalks/iecmhc-imh/alignments?source=zz", "source", "iecmhc", 404),
        ("/api/crosswalks/iecmhc-imh/alignments?target=zz", "target", "imh", 404),
        ("/api/crosswalks/iecmhc-imh/alignments?level=boss", "level", "IMHS", 422),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        body = response.json()
        assert [e["parameter"] for e in body["errors"]] == [parameter]
        assert allowed in body["detail"], body["detail"]
    assert client.get("/api/frameworks/imh/items?tag=imhs").json()["total"] == 11


def test_map_answers_known_codes_and_flags_unknown_ones(client: TestClient) -> None:
    response = client.get("/map?from=wv-ckc-2015&to=imh&codes=2.1, 9.9")
    assert response.status_code == 200
    page = parse(response.text)
    assert page.texts("table", class_="links map-results")
    alert = page.texts("div", role="alert")[0]
    assert "9.9" in alert and "did you mean" in alert
    # One form asks again: the known codes kept, each unknown one with its suggestions.
    kept = [a["value"] for a, _ in page.find("input", type="hidden", name="codes")]
    offered = [a["value"] for a, _ in page.find("input", type="radio", name="codes")]
    assert kept == ["2.1"] and offered[0] and offered[-1] == ""
    api = client.get(
        "/api/map", params={"from": "wv-ckc-2015", "to": "imh", "codes": ["2.1", "9.9"]}
    )
    body = api.json()
    assert api.status_code == 200 and {r["code"] for r in body["results"]} == {"2.1"}
    assert body["unknown"][0]["code"] == "9.9" and body["unknown"][0]["suggestions"]
    only_bad = client.get("/api/map?from=wv-ckc-2015&to=imh&codes=9.9")
    assert only_bad.status_code == 404


def test_map_accepts_prefixed_and_semicolon_lists(client: TestClient) -> None:
    for typed in ("CKC 2.1; 4.1", "2.1; 4.1", "CKC 2.1, CKC 4.1"):
        body = client.get("/api/map", params={"from": "wv-ckc-2015", "to": "imh", "codes": typed})
        assert body.json()["codes"] == ["2.1", "4.1"], typed
        assert {r["code"] for r in body.json()["results"]} == {"2.1", "4.1"}
    page = parse(
        client.get(
            "/map", params={"from": "wv-ckc-2015", "to": "imh", "codes": "CKC 2.1; 4.1"}
        ).text
    )
    assert len(page.find("th", scope="rowgroup")) == 2


def test_map_results_grouped_by_input_in_target_order(client: TestClient) -> None:
    from crosswalk.catalog import Catalog
    from crosswalk.sources.bundled import load_bundled

    order = {i.code: n for n, i in enumerate(Catalog(load_bundled()).items_of("imh"))}
    body = client.get("/api/map?from=wv-ckc-2015&to=imh&codes=4.1&codes=2.1").json()
    keys = [(r["code"], order[r["target"]["code"]]) for r in body["results"]]
    assert [k[0] for k in keys] == sorted((k[0] for k in keys), key=["4.1", "2.1"].index)
    assert keys == sorted(keys, key=lambda k: (["4.1", "2.1"].index(k[0]), k[1]))
    rows = json.loads(
        client.get("/map?from=wv-ckc-2015&to=imh&codes=4.1&codes=2.1&format=json").content
    )
    assert [(r["input"], r["target_code"]) for r in rows] == [
        (r["code"], r["target"]["code"]) for r in body["results"]
    ]


def test_web_messages_are_plain_words(client: TestClient) -> None:
    same = client.get("/map?from=imh&to=imh&codes=Self Awareness")
    assert same.status_code == 422 and "--to" not in same.text
    assert "Pick a different framework" in same.text
    api = client.get("/api/map?from=imh&to=imh&codes=x").json()
    assert "--" not in api["detail"]


def test_empty_codes_are_dropped_from_shareable_urls(client: TestClient) -> None:
    response = client.get("/map?from=wv-ckc-2015&to=imh&codes=&codes=2.1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/map?from=wv-ckc-2015&to=imh&codes=2.1"


def test_level_scope_filters_matrix_gaps_and_coverage(client: TestClient) -> None:
    full = parse(client.get("/crosswalks/imh-wv-ckc-2015").text)
    only = parse(client.get("/crosswalks/imh-wv-ckc-2015?level=IMHS").text)
    upto = parse(client.get("/crosswalks/imh-wv-ckc-2015?level=upto-IMHS").text)

    def items(page: Page) -> int:
        return int(" ".join(page.texts("p", id="matrix-summary")).split()[1])

    assert items(only) < items(upto) < items(full)
    assert any("IMHS areas only" in h for h in only.texts("h2"))
    assert "Up to IMHS: Family Specialist + IMHS areas" in " ".join(upto.texts("h2"))
    assert upto.find("option", value="upto-IMHS", selected="")
    hint = " ".join(upto.texts("p", id="level-hint"))
    assert "Family Specialist" in hint and "Up to IMHS" in hint

    def source_items(url: str) -> int:
        """The coverage table's "Items" column, summed over its areas."""
        rows = parse(client.get(url).text).table("cov-source")
        assert rows and all(len(row) == 5 for row in rows), rows
        return sum(int(row[0]) for row in rows)  # td cells first: Items, Linked, …

    assert "IMHS areas only" in only.texts("caption", id="cov-source")[0]
    base = "/crosswalks/imh-wv-ckc-2015"
    sizes = [source_items(f"{base}?level=IMHS"), source_items(f"{base}?level=upto-IMHS")]
    assert 0 < sizes[0] < sizes[1] < source_items(base)
    no_match_full = len(full.find("h3", id="gaps-none"))
    assert no_match_full == 1


def test_matrix_shows_cited_columns_with_a_toggle_and_strengths(
    client: TestClient,
) -> None:
    page = parse(client.get("/crosswalks/iecmhc-imh").text)
    columns = page.find("tr", class_="codes")
    shown = page.columns_with_links()  # the matrix's item columns
    assert 0 < shown < 20
    assert "/crosswalks/iecmhc-imh?columns=all#matrix" in page.hrefs()
    every = parse(client.get("/crosswalks/iecmhc-imh?columns=all").text)
    link = [t for a, t in page.find("a") if a.get("href", "").endswith("columns=all#matrix")]
    total = int(link[0].split()[2])
    assert every.columns_with_links() == total > shown
    assert every.find("a", href="/crosswalks/iecmhc-imh#matrix")
    assert columns is not None
    # A cell says what its links state (strength), not a count the source never varies.
    tones = {a["class"] for a, _ in page.find("td") if a.get("class", "").startswith("tone-")}
    assert tones == {"tone-1", "tone-2"}
    assert page.find("div", id="matrix-key")
    assert any("6B.2" in t for t in page.texts("th", scope="row"))
    summary = " ".join(page.texts("p", id="matrix-summary"))
    # 12 × 13 fits the page: no frame to scroll in, so no word of scrolling.
    assert "Showing 12" in summary and "scroll" not in summary
    assert page.find("div", class_="matrix-frame small")
    assert "#after-matrix" in page.hrefs()


def test_plain_language_titles_quotes_and_provenance(client: TestClient) -> None:
    item = parse(client.get("/frameworks/wv-ckc-2015/items/2.1").text)
    crumbs = item.texts("nav", aria_label="Breadcrumb")[0]
    assert "West Virginia" not in crumbs or "2015 CKC" in crumbs
    assert "wv-ckc-2015" not in crumbs
    assert item.texts("h1") == ["2015 CKC competency 2.1"]
    title = item.texts("title")[0]
    assert len(title) < 100 and title.startswith("2015 CKC 2.1:")
    note = " ".join(item.texts("aside", class_="sources-note"))
    assert "Crosswalk between the WV" in note
    tips = [a["title"] for a, _ in item.find("a", class_="provenance") if "title" in a]
    assert tips and tips[0].startswith("Crosswalk between the WV")
    xw = parse(client.get("/crosswalks/imh-wv-ckc-2015").text)
    assert any("resource guide only" in t for t in xw.texts("blockquote"))
    assert "imh-wv-ckc-2015" not in xw.texts("nav", aria_label="Breadcrumb")[0]
    legend = " ".join(xw.texts("p", class_="legend"))
    assert "none" in legend


def test_errata_are_explained_in_a_sentence(client: TestClient) -> None:
    page = parse(client.get("/frameworks/imh/items/systems-expertise/community-resources").text)
    text = " ".join(page.texts("ul", class_="errata"))
    assert "E09" in text and len(text) > 40
    assert "Corrected from the source" in page.texts("dt")


def test_home_does_not_count_no_match_rows_as_links(client: TestClient) -> None:
    meta = " ".join(parse(client.get("/").text).texts("p", class_="meta"))
    assert "427 links from 64 items; 2 items are stated as having no match" in meta


def test_docs_page_needs_no_cdn(client: TestClient) -> None:
    response = client.get("/docs")
    assert "cdn." not in response.text and "swagger-ui-bundle" not in response.text
    assert "cdn." not in response.headers["content-security-policy"]


def test_xlsx_keeps_numbers_as_numbers(client: TestClient) -> None:
    response = client.get("/search?q=observation&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    rank, score = header.index("rank") + 1, header.index("score") + 1
    assert sheet.cell(2, rank).value == 1 and isinstance(sheet.cell(2, score).value, float)
    assert sheet.cell(2, header.index("name") + 1).data_type == "s"
