"""Free text from the data never becomes markup or formulas; security headers everywhere."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from webpage import FORMULA, HOSTILE, parse

OBSERVATION = "/frameworks/imh/items/direct-service-skills/observation-listening"


def test_hostile_text_is_escaped_on_every_page(hostile_client: TestClient) -> None:
    for url in (
        "/frameworks/imh",
        OBSERVATION,
        "/frameworks/iecmhc/items/6C.2",
        "/frameworks/wv-ckc-2015/items/1.2",
        "/crosswalks/imh-wv-ckc-2015",
        "/crosswalks/iecmhc-imh",
        "/crosswalks/iecmhc-imh/links?q=alert",
        "/crosswalks/iecmhc-imh/links?target=direct-service-skills/observation-listening",
        "/map?from=iecmhc&to=imh&codes=6C.2",
        "/search?q=script+alert",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/map?from=imh&to=wv-ckc-2015&codes=%3Cscript%3Ex",
    ):
        html = hostile_client.get(url).text
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        scripts = parse(html).find("script")
        assert all(a.get("src", "").startswith(("/static/", "https://cdn.")) for a, _ in scripts)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
    page = hostile_client.get(OBSERVATION).text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_search_highlight_escapes_around_the_marks(hostile_client: TestClient) -> None:
    html = hostile_client.get("/search?q=alert").text
    assert "<mark>alert</mark>" in html
    assert "<script>" not in html


def test_downloads_keep_formulas_as_text(hostile_client: TestClient) -> None:
    response = hostile_client.get("/frameworks/imh?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    statements = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPER")]
    assert statements and all(c.data_type == "s" for c in statements)
    assert FORMULA in str(statements[0].value) and HOSTILE in str(statements[0].value)


def test_security_headers_on_pages_api_and_errors(client: TestClient) -> None:
    for url in ("/", "/api/frameworks", "/nope", "/api/nope", "/static/style.css"):
        headers = client.get(url).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    docs = client.get("/docs").headers["content-security-policy"]
    assert "unsafe-inline" not in docs and "frame-ancestors 'none'" in docs


def test_static_assets_are_cached_and_versioned(client: TestClient) -> None:
    page = parse(client.get("/").text)
    css = [a["href"] for a, _ in page.find("link", rel="stylesheet")]
    assert css and all("?v=" in href for href in css)
    response = client.get(css[0])
    assert response.status_code == 200 and "max-age" in response.headers["cache-control"]
    print_sheet = [a for a, _ in page.find("link", rel="stylesheet") if a.get("media") == "print"]
    assert print_sheet


def test_static_assets_are_sent_whole_revalidated_and_nothing_else(client: TestClient) -> None:
    """The in-memory assets (:mod:`crosswalk.web.assets`) behave as files served by a
    web server would: type, length, ETag and 304, HEAD, 404 and 405."""
    from crosswalk.web.rendering import STATIC

    css = client.get("/static/style.css?v=anything")
    assert css.status_code == 200
    assert css.content == (STATIC / "style.css").read_bytes()
    assert css.headers["content-type"] == "text/css; charset=utf-8"
    assert int(css.headers["content-length"]) == len(css.content)
    again = client.get("/static/style.css", headers={"If-None-Match": css.headers["etag"]})
    assert again.status_code == 304 and not again.content
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/favicon.svg").headers["content-type"].startswith("image/svg+xml")
    head = client.head("/static/style.css")
    assert head.status_code == 200 and not head.content
    assert head.headers["content-length"] == css.headers["content-length"]
    for missing in ("/static/nope.css", "/static/../app.py", "/static/", "/static"):
        answer = client.get(missing)
        assert answer.status_code == 404, missing
        assert "nosniff" in answer.headers["x-content-type-options"]
    refused = client.post("/static/style.css")
    assert refused.status_code == 405 and "GET" in refused.headers["allow"]
