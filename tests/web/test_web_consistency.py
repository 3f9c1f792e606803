"""Page, API and downloads agree: one ``?level=`` everywhere, ambiguous item names ask
which one was meant, map downloads keep the page's status and its unknown codes, and
the level filter says truthfully what it keeps."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from webpage import parse

from crosswalk.catalog import Catalog
from crosswalk.query import crosswalk_counts, gaps, source_filter
from crosswalk.sources.bundled import load_bundled

API = "/api/crosswalks/imh-wv-ckc-2015"
PAGE = "/crosswalks/imh-wv-ckc-2015"

# -- 1. one level parameter for the pages, the downloads and the API ----------------------


@pytest.mark.parametrize("endpoint", ["gaps", "coverage"])
def test_api_gaps_and_coverage_apply_the_level(client: TestClient, endpoint: str) -> None:
    everything = client.get(f"{API}/{endpoint}").json()
    for level in ("FS", "IMHM", "upto-IMHS"):
        scoped = client.get(f"{API}/{endpoint}", params={"level": level})
        assert scoped.status_code == 200
        assert scoped.json() != everything, level
    # The same answer as the library's filter, which the page uses too.
    catalog = Catalog(load_bundled())
    keep = source_filter(catalog, "imh-wv-ckc-2015", {"FS"})
    fs = client.get(f"{API}/gaps?level=FS").json()
    expected = gaps(catalog, "imh-wv-ckc-2015", sources=keep)
    assert [i["code"] for i in fs["unlinked"]] == [i.code for i in expected.unlinked]
    assert len(fs["no_match"]) == len(expected.no_match)
    # Spellings of one level give one answer.
    assert client.get(f"{API}/{endpoint}?level=mhm").json() == (
        client.get(f"{API}/{endpoint}?level=IMHM").json()
    )


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/gaps?level=bogus",
        f"{API}/coverage?level=bogus",
        f"{API}/alignments?level=bogus",
        f"{PAGE}?level=bogus",
        f"{PAGE}?level=bogus&format=csv",
    ],
)
def test_a_bad_level_is_422_naming_the_parameter_and_choices(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422, url
    if url.startswith("/api/"):
        error = response.json()["errors"][0]
        assert error["parameter"] == "level"
        assert all(choice in error["message"] for choice in ("FS", "upto-IMHS", "IMHS", "IMHM"))
    else:
        assert "level" in parse(response.text).texts("strong")
        assert "upto-IMHS" in response.text


def test_every_level_spelling_the_page_takes_the_api_takes(client: TestClient) -> None:
    for level in ("FS", "IMHS", "mhs", "IMHM", "MHM", "upto-IMHS", "fs+imhs"):
        page = client.get(PAGE, params={"level": level})
        api = client.get(f"{API}/alignments", params={"level": level, "limit": 500})
        download = client.get(PAGE, params={"level": level, "format": "json"})
        assert (page.status_code, api.status_code, download.status_code) == (200, 200, 200), level
        assert api.json()["total"] == len(download.json()), level
    upto = client.get(f"{API}/alignments?level=upto-IMHS&limit=500").json()["total"]
    fs = client.get(f"{API}/alignments?level=FS&limit=500").json()["total"]
    imhs = client.get(f"{API}/alignments?level=IMHS&limit=500").json()["total"]
    assert upto == fs + imhs and fs and imhs


def test_unknown_extra_parameters_are_ignored_as_documented(client: TestClient) -> None:
    assert client.get(f"{API}/gaps?foo=1").json() == client.get(f"{API}/gaps").json()
    docs = (Path(__file__).parents[2] / "docs" / "web.md").read_text()
    assert "ignored" in docs and "upto-IMHS" in docs


# -- 2. an ambiguous name asks which item was meant ---------------------------------------


@pytest.mark.parametrize(
    ("address", "codes"),
    [
        ("Advocacy", {"direct-service-skills/advocacy", "leading-people/advocacy"}),
        (
            "research%20%26%20evaluation",
            {"theoretical-foundations/research-evaluation", "research-evaluation"},
        ),
    ],
)
def test_an_ambiguous_item_name_lists_the_candidates(
    client: TestClient, address: str, codes: set[str]
) -> None:
    response = client.get(f"/frameworks/imh/items/{address}", follow_redirects=False)
    assert response.status_code == 300
    page = parse(response.text)
    assert page.texts("h1") == ["Which one did you mean?"]
    listed = page.texts("ul", class_="plain item-choices")[0]
    links = {h.removeprefix("/frameworks/imh/items/") for h in page.hrefs()}
    assert codes <= links
    for code in codes:
        assert code in listed
        assert client.get(f"/frameworks/imh/items/{code}").status_code == 200
    assert "in Direct Service Skills" in listed or "area" in listed
    # A download asked of the name keeps the format in each choice.
    asked = client.get(f"/frameworks/imh/items/{address}?format=csv")
    assert asked.status_code == 300 and "?format=csv" in asked.text


def test_a_name_matching_nothing_is_404_with_did_you_mean_links(client: TestClient) -> None:
    response = client.get("/frameworks/imh/items/Advocacx")
    assert response.status_code == 404
    page = parse(response.text)
    assert page.texts("h1") == ["Not found"]
    assert "/frameworks/imh/items/direct-service-skills/advocacy" in page.hrefs()
    assert client.get("/frameworks/imh/items/zzzzzz").status_code == 404


# -- 3. map downloads follow the page --------------------------------------------------


def test_map_download_reports_unknown_codes(client: TestClient) -> None:
    base = "/map?from=wv-ckc-2015&to=imh&codes=2.1&codes=9.9"
    page = client.get(base)
    assert page.status_code == 200
    rows = client.get(base + "&format=json").json()
    assert {r["input"] for r in rows} == {"2.1", "9.9"}
    unknown = [r for r in rows if r["input"] == "9.9"]
    assert len(unknown) == 1 and unknown[0]["target_code"] == ""
    assert unknown[0]["note"].startswith("unknown code") and "9.9" in unknown[0]["note"]
    assert all(r["note"] == "" for r in rows if r["input"] == "2.1")
    assert rows[-1]["input"] == "9.9"  # in the order given
    text = client.get(base + "&format=csv").content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["input"] for r in table] == [r["input"] for r in rows]
    assert "unknown code" in table[-1]["note"]
    sheet = load_workbook(io.BytesIO(client.get(base + "&format=xlsx").content)).active
    assert sheet is not None and sheet.max_row == len(rows) + 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("from=wv-ckc-2015&to=imh&codes=9.9", "codes"),
        ("from=imh&to=imh&codes=Self Awareness", "to"),
    ],
)
def test_map_download_is_422_when_the_page_is(
    client: TestClient, fmt: str, query: str, parameter: str
) -> None:
    assert client.get(f"/map?{query}").status_code == 422
    response = client.get(f"/map?{query}&format={fmt}")
    assert response.status_code == 422
    assert "attachment" not in response.headers.get("content-disposition", "")
    assert parameter in parse(response.text).texts("strong")


def test_map_download_lists_codes_with_no_counterpart(client: TestClient) -> None:
    query = (
        "from=imh&to=wv-ckc-2015&codes=theoretical-foundations/adult-theory-practice"
        "&codes=direct-service-skills/observation-listening"
    )
    answer = client.get(f"/api/map?{query}").json()
    assert answer["unmatched"] == ["theoretical-foundations/adult-theory-practice"]
    assert client.get(f"/map?{query}").status_code == 200
    rows = json.loads(client.get(f"/map?{query}&format=json").content)
    noted = [r for r in rows if r["note"]]
    assert [r["input"] for r in noted] == answer["unmatched"]
    assert noted[0]["source_name"] == "Adult theory & practice" and not noted[0]["target_code"]
    assert "no corresponding item in" in noted[0]["note"]
    assert rows[0] == noted[0] and len(rows) > 1  # in the order given, mappings after


# -- 4. counts from the library ---------------------------------------------------------


def test_crosswalk_counts_are_the_librarys(client: TestClient) -> None:
    catalog = Catalog(load_bundled())
    for crosswalk_id in catalog.crosswalks:
        counts = crosswalk_counts(catalog, crosswalk_id)
        api = client.get(f"/api/crosswalks/{crosswalk_id}").json()
        assert (api["alignments"], api["no_match"]) == (counts.alignments, counts.no_match)
        facts = parse(client.get(f"/crosswalks/{crosswalk_id}").text).texts("dl", class_="facts")
        assert f"{counts.links} links" in facts[0]
    home = parse(client.get("/").text).texts("p", class_="meta")
    counts = crosswalk_counts(catalog, "imh-wv-ckc-2015")
    assert f"{counts.links} links from {counts.source_items} items" in " ".join(home)


# -- 5. the level filter says what it keeps ---------------------------------------------


def test_link_level_filter_is_labelled_by_links_not_areas(client: TestClient) -> None:
    page = parse(client.get("/crosswalks/iecmhc-imh?level=FS").text)
    labels = [text for _, text in page.find("option")]
    assert labels and not any("areas" in text for text in labels)
    assert "Untagged links only (Family Specialist)" in labels
    assert "Links tagged MHM (IMHM) only" in labels
    assert "belongs to each link" in page.texts("p", id="level-hint")[0]
    status = " ".join(page.texts("p", class_="level-note"))
    assert "Untagged links only" in status and "areas" not in status
    # Where the level is the source areas' own, the area wording stays.
    areas = parse(client.get(f"{PAGE}?level=FS").text)
    assert "Family Specialist areas only" in [text for _, text in areas.find("option")]


def test_web_modules_do_not_re_export_library_names() -> None:
    from crosswalk.web import downloads, views

    for name in ("map_rows", "lint_rows", "MAP_COLUMNS", "LINT_COLUMNS", "_prov"):
        assert not hasattr(downloads, name), name
    assert not hasattr(views, "Chain")
