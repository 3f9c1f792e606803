"""Search reads codes as words, corrects misspellings and names frameworks by title.

On the bundled data: CKC area items are named "Area 1" … "Area 7" (their titles are
not printed in seed 000), and "(1)" occurs in 6A.4's statement (seed 002 line 29:
"between (1) families and program staff"); before codes were words, "2.1" was read
as the words "2" and "1" and found those.  "Reflective supervision" is a knowledge
area (seed 000 lines 76–79), and Self-awareness's description (line 112) says
"reflective supervision/consultation".
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from webpage import parse

from crosswalk.catalog import Catalog
from crosswalk.cli import app
from crosswalk.query import search
from crosswalk.query.search import did_you_mean
from crosswalk.sources.bundled import load_bundled


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(load_bundled())


@pytest.mark.parametrize("code", ["2.1", "6B.2", "1.10"])
def test_a_code_finds_its_item_and_nothing_else(catalog: Catalog, code: str) -> None:
    hits = search(catalog, code, limit=100)
    assert [h.item.code for h in hits] == [code]


def test_a_misspelt_query_finds_what_the_correction_finds(catalog: Catalog) -> None:
    assert did_you_mean(catalog, "reflectve supervison") == "reflective supervision"
    hits = search(catalog, "reflectve supervison")
    assert hits[0].item.code == "direct-service-skills/reflective-supervision"
    assert {h.corrected for h in hits} == {"reflective supervision"}
    assert "reflection/self-awareness" in {h.item.code for h in hits}
    # Correct spellings are left alone, and found as typed.
    assert did_you_mean(catalog, "reflective supervision") == ""
    assert search(catalog, "reflective supervision")[0].corrected == ""


def test_nothing_close_is_no_correction(catalog: Catalog) -> None:
    assert did_you_mean(catalog, "xylophone quartz") == ""
    assert search(catalog, "xylophone quartz") == []


def test_page_api_and_cli_say_what_they_searched_for(client: TestClient) -> None:
    page = parse(client.get("/search", params={"q": "reflectve supervison"}).text)
    assert "Showing results for “reflective supervision”" in page.words
    assert "Reflective supervision" in page.texts("h3")
    api = client.get("/api/search", params={"q": "reflectve supervison"}).json()
    assert api["items"][0]["corrected"] == "reflective supervision"
    shown = CliRunner().invoke(app, ["search", "reflectve supervison"])
    assert "showing results for 'reflective supervision'" in shown.stderr
    assert "Reflective supervision" in shown.stdout


def test_results_name_frameworks_by_title(client: TestClient) -> None:
    page = parse(client.get("/search", params={"q": "2.1"}).text)
    assert page.texts("p", class_="meta") == ["2015 CKC · competency"]
    assert "Area 1" not in page.words and "Area 2" not in page.words
