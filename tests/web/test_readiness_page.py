"""The readiness page: upload → report → download, with nothing written anywhere.

The router runs on a bare FastAPI app with the catalog dependency pointed at the
bundled dataset, so these tests need no database and exercise only this feature.
"""

from __future__ import annotations

import json
import re
import tempfile

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from webpage import Page, csrf_token

from crosswalk.catalog import Catalog
from crosswalk.sources.bundled import load_bundled
from crosswalk.web.deps import get_catalog
from crosswalk.web.routes.readiness import router

# Two trainings worked by hand against seed 000: CKC 6.2 is listed by Parallel process
# (its only code) and by 14 other IMHS-level rows (12 Family Specialist areas, Intervention/
# treatment planning, Supporting others/mentoring), so IMHS sees Parallel process touched
# by a broad code, not covered; nothing lists 9.9.
TRANSCRIPT = (
    b"Title,Date,Hours,Codes\n"
    b"Reflective Practice,2024-02-01,3,6.2\n"
    b"<script>alert(1)</script>,2024-03-01,1,9.9\n"
)


@pytest.fixture(scope="module")
def client() -> TestClient:
    catalog = Catalog(load_bundled())
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_catalog] = lambda: catalog
    return TestClient(app)


def upload(client: TestClient, data: bytes, name: str = "t.csv", **fields: str) -> Response:
    response: Response = client.post(
        "/readiness",
        files={"transcript": (name, data, "text/csv")},
        data={"category": "IMHS", "csrf_token": csrf_token(client), **fields},
    )
    return response


def test_upload_page_offers_the_form_the_template_and_says_nothing_is_stored(
    client: TestClient,
) -> None:
    response = client.get("/readiness")
    assert response.status_code == 200
    page = Page(response.text)
    form = next(a for t, a in page.tags if t == "form")
    assert (form["method"], form["enctype"]) == ("post", "multipart/form-data")
    options = [a["value"] for t, a in page.tags if t == "option"]
    assert {"IFS", "ECFS", "IMHS", "IMHM-R/F"} <= set(options)
    links = [a.get("href") for t, a in page.tags if t == "a"]
    assert "/readiness/template.csv" in links and "/readiness/template.xlsx" in links
    assert "nothing you upload is written to disk or to the database" in page.words
    labels = {a.get("for") for t, a in page.tags if t == "label"}
    assert {"readiness-transcript", "readiness-category"} <= labels


def test_report_in_the_browser(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_disk(*args: object, **kwargs: object) -> None:
        raise AssertionError("the upload was spilled to a temporary file")

    monkeypatch.setattr(tempfile.SpooledTemporaryFile, "rollover", no_disk)
    response = upload(client, TRANSCRIPT)
    assert response.status_code == 200
    page = Page(response.text)
    assert "svg" in [t for t, _ in page.tags]
    assert "Endorsement® readiness: IMHS" in page.words
    assert "Parallel process" in page.words
    assert "<script>alert(1)</script>" not in response.text
    assert "does not decide" in page.words
    stylesheets = [a["href"] for t, a in page.tags if t == "link"]
    assert "/readiness/report.css" in stylesheets
    assert client.get("/readiness/report.css").headers["content-type"].startswith("text/css")


@pytest.mark.parametrize(
    ("fmt", "kind"), [("json", "application/json"), ("html", "text/html"), ("csv", "text/csv")]
)
def test_downloads_send_the_same_file_back(client: TestClient, fmt: str, kind: str) -> None:
    page = upload(client, TRANSCRIPT).text
    carried = re.search(r'name="carried" value="([^"]+)"', page)
    assert carried is not None
    assert page.count('name="carried"') == 1  # one form, a button per format
    assert f'name="format" value="{fmt}"' in page
    response = client.post(
        "/readiness",
        files={"transcript": ("", b"", "application/octet-stream")},
        data={
            "carried": carried[1],
            "transcript_name": "t.csv",
            "category": "IMHS",
            "format": fmt,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(kind)
    assert "attachment" in response.headers["content-disposition"]
    if fmt == "json":
        data = json.loads(response.text)
        parallel = next(a for a in data["knowledge_areas"] if a["name"] == "Parallel process")
        assert (parallel["state"], parallel["covered"]) == ("touched", False)
        (evidence,) = parallel["evidence"]
        assert (evidence["written"], evidence["breadth"], evidence["specificity"]) == (
            ["6.2"],
            15,
            "broad",
        )
        assert [(p["row"], p["kind"]) for p in data["problems"]] == [(3, "unknown-code")]
        assert data["totals"]["training_hours"]["total"] == 4
    if fmt == "csv":
        lines = response.text.split("\r\n")
        assert lines[0].startswith("code,name,area_of_expertise,level,state")
        assert len([line for line in lines if line]) == 1 + 47  # one row per IMHS area
        assert "readiness-IMHS.csv" in response.headers["content-disposition"]


@pytest.mark.parametrize(
    ("name", "data", "fields", "reason", "field"),
    [
        ("t.xlsx", b"Title,Hours,Codes\n", {}, "not an XLSX workbook", "transcript"),
        ("t.csv", b"", {}, "t.csv: the file is empty", "transcript"),
        ("t.csv", TRANSCRIPT, {"category": "NOPE"}, "unknown endorsement category", "category"),
        ("t.csv", TRANSCRIPT, {"framework": "nope"}, "unknown framework 'nope'", "framework"),
        ("t.csv", b"a,b\n1,2\n", {}, "no header row", "transcript"),
        (
            "links.csv",
            b"crosswalk,position,source_code,target_code,relation,strength,level,evidence\n",
            {},
            "not a training transcript",
            "transcript",
        ),
    ],
)
def test_bad_uploads_explain_themselves(
    client: TestClient, name: str, data: bytes, fields: dict[str, str], reason: str, field: str
) -> None:
    """The message comes first, focusable and focused on load, and the field at fault is
    marked invalid and described by it."""
    response = upload(client, data, name, **fields)
    assert response.status_code == 400
    page = Page(response.text)
    assert reason in page.words
    (alert,) = page.find("div", role="alert")
    assert alert[0]["id"] == "readiness-error"
    assert alert[0]["tabindex"] == "-1" and "autofocus" in alert[0]
    invalid = [a for t, a in page.tags if a.get("aria-invalid") == "true"]
    assert [a["name"] for a in invalid] == [field]
    assert "readiness-error" in invalid[0]["aria-describedby"].split()


def test_a_form_without_a_file(client: TestClient) -> None:
    response = client.post("/readiness", data={"category": "IFS"})
    assert response.status_code == 400
    assert "send the transcript as a file upload" in Page(response.text).words
    response = client.post(
        "/readiness",
        files={"other": ("x", b"1", "text/plain")},
        data={"category": "IFS", "csrf_token": csrf_token(client)},
    )
    assert "choose a transcript file" in Page(response.text).words


def test_template_downloads(client: TestClient) -> None:
    csv_file = client.get("/readiness/template.csv")
    assert csv_file.text.startswith("Title,Date,Clock Hours")
    xlsx = client.get("/readiness/template.xlsx")
    assert xlsx.content.startswith(b"PK")


# -- QA pass ------------------------------------------------------------------------------


def test_the_framework_choice_survives_an_error(client: TestClient) -> None:
    response = upload(client, b"a,b\n1,2\n", framework="iecmhc")
    assert response.status_code == 400
    selected = [
        a.get("value")
        for t, a in Page(response.text).tags
        if t == "option" and "selected" in a and a.get("value") in {"", "iecmhc", "imh"}
    ]
    assert selected == ["iecmhc"]


def test_pages_carrying_the_transcript_are_not_cached(client: TestClient) -> None:
    assert upload(client, TRANSCRIPT).headers["cache-control"] == "no-store"
    assert upload(client, b"a,b\n1,2\n").headers["cache-control"] == "no-store"


def test_web_messages_point_to_the_example_download_not_the_cli(client: TestClient) -> None:
    words = Page(upload(client, b"a,b\n1,2\n").text).words
    assert "crosswalk readiness template" not in words
    assert "“Example transcript” download on this page" in words
    links = [a.get("href") for t, a in Page(upload(client, b"a,b\n1,2\n").text).tags if t == "a"]
    assert "#example-transcript" in links


def test_download_buttons_come_right_below_the_report_heading(client: TestClient) -> None:
    page = Page(upload(client, TRANSCRIPT).text)
    names = [t for t, _ in page.tags]
    h1 = names.index("h1")
    assert names.count("h1") == 1
    assert names[h1 + 1] == "nav"  # the downloads, before the report's summary
    assert names.index("form", h1) < names.index("table")


def test_the_report_speaks_plainly(client: TestClient) -> None:
    """QA: the page said "requirements from bundled requirements.toml"."""
    page = Page(upload(client, TRANSCRIPT).text)
    assert "requirements.toml" not in page.words
    assert "Requirements: Published initial requirements of the Endorsement®" in page.words
    assert "How evidence is weighed" in page.words
    assert "What to take next" in page.words
    # One row per knowledge area, its name the row header (a block on a phone).
    areas = page.find("table", class_="areas")
    assert areas
    assert len([a for a, _ in page.find("th", scope="row") if a]) >= 47
