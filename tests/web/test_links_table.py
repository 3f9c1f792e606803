"""The alignments table (/crosswalks/{id}/links) over real HTTP.

Expected counts are read straight from the committed alignments table
(``data/bundled/alignments.csv``), not from the library under test: a link's level is
its own tag (seed 002's MHS/MHM) or, untagged, Family Specialist, since no IECMHC item
carries a level.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from webpage import FORMULA, parse

from crosswalk.sources.bundled import load_bundled
from crosswalk.store import open_repository
from crosswalk.web.app import create_app

PAGE = "/crosswalks/iecmhc-imh/links"
BUNDLED = Path(__file__).resolve().parents[2] / "src/crosswalk/data/bundled/alignments.csv"
LEVEL = {"": "FS", "MHS": "IMHS", "MHM": "IMHM"}


def source_rows() -> list[dict[str, str]]:
    with BUNDLED.open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["crosswalk"] == "iecmhc-imh"]


def shown(text: str) -> list[str]:
    """(source code → target code) of each table row, in order."""
    return [a["data-link"] for a, _ in parse(text).find("tr") if "data-link" in a]


def status(text: str) -> str:
    return " ".join(parse(text).texts("p", id="links-status"))


def test_no_filter_lists_every_link_in_source_order(client: TestClient) -> None:
    response = client.get(PAGE)
    assert response.status_code == 200
    expected = [f"{r['source_code']} → {r['target_code']}" for r in source_rows()]
    assert shown(response.text) == expected
    assert status(response.text).startswith(f"{len(expected)} of {len(expected)} links")


@pytest.mark.parametrize("level", ["FS", "IMHS", "IMHM"])
def test_level_filter_counts_links_by_their_own_tag(client: TestClient, level: str) -> None:
    expected = [r for r in source_rows() if LEVEL[r["level"]] == level]
    response = client.get(PAGE, params={"level": level})
    assert len(shown(response.text)) == len(expected) > 0
    # The source's own spelling reads the same.
    if level != "FS":
        again = client.get(PAGE, params={"level": level[1:].lower()})
        assert shown(again.text) == shown(response.text)


def test_values_of_one_facet_widen_and_facets_combine(client: TestClient) -> None:
    rows = source_rows()
    either = client.get(PAGE, params=[("level", "FS"), ("level", "IMHS")])
    assert len(shown(either.text)) == sum(LEVEL[r["level"]] in {"FS", "IMHS"} for r in rows)
    both = client.get(PAGE, params={"level": "IMHM", "strength": "Important"})
    expected = [
        f"{r['source_code']} → {r['target_code']}"
        for r in rows
        if r["level"] == "MHM" and r["strength"] == "Important"
    ]
    assert shown(both.text) == expected
    assert "Mental Health Mentor" in status(both.text) and "Important" in status(both.text)


def facet(text: str, name: str) -> dict[str, tuple[int, str]]:
    """A facet's values as shown: text → (count, href)."""
    return {
        attrs["data-value"]: (int(attrs["data-count"]), attrs["href"])
        for attrs, _ in parse(text).find("a", data_facet=name)
    }


def test_facet_counts_follow_the_other_filters_and_links_keep_them(client: TestClient) -> None:
    rows = source_rows()
    text = client.get(PAGE, params={"level": "IMHM"}).text
    strengths = facet(text, "strength")
    mentor = [r for r in rows if r["level"] == "MHM"]
    for value in ("Essential", "Important"):
        assert strengths[value][0] == sum(r["strength"] == value for r in mentor)
        query = parse_qs(urlsplit(strengths[value][1]).query)
        assert query == {"level": ["IMHM"], "strength": [value]}
    # The chosen facet counts under the others only: every level still has its count.
    levels = facet(text, "level")
    assert {k: v[0] for k, v in levels.items()} == {
        level: sum(LEVEL[r["level"]] == level for r in rows) for level in ("FS", "IMHS", "IMHM")
    }
    # Following a chosen value's link lets it go again.
    assert parse_qs(urlsplit(levels["IMHM"][1]).query) == {}
    # Targets in IMH name their area, so the two "Advocacy" items can be told apart.
    targets = facet(text, "target")
    assert targets and all(k for k in targets)


def test_sort_by_a_column_and_back(client: TestClient) -> None:
    by_strength = shown(client.get(PAGE, params={"sort": "strength"}).text)
    strengths = {f"{r['source_code']} → {r['target_code']}": r["strength"] for r in source_rows()}
    assert [strengths[s] for s in by_strength] == sorted(strengths[s] for s in by_strength)
    backwards = shown(client.get(PAGE, params={"sort": "-strength"}).text)
    assert [strengths[s] for s in backwards] == sorted(
        (strengths[s] for s in by_strength), reverse=True
    )
    page = parse(client.get(PAGE, params={"sort": "strength"}).text)
    assert page.find("th", scope="col", aria_sort="ascending")
    bad = client.get(PAGE, params={"sort": "colour"})
    assert bad.status_code == 422 and "cannot sort by" in bad.text and "colour" in bad.text


def test_pages_are_bounded(client: TestClient) -> None:
    total = len(source_rows())
    first = client.get(PAGE, params={"size": 5})
    assert len(shown(first.text)) == 5
    last_page = -(-total // 5)
    past = client.get(PAGE, params={"size": 5, "page": 99})
    assert past.status_code == 200
    assert len(shown(past.text)) == total - 5 * (last_page - 1)
    assert f"Page {last_page} of {last_page}" in past.text
    assert client.get(PAGE, params={"size": 1000}).status_code == 422
    many = [("target", f"x{n}") for n in range(60)]
    assert client.get(PAGE, params=many).status_code == 422
    assert client.get(PAGE, params={"level": "expert"}).status_code == 422
    assert client.get("/crosswalks/nowhere/links").status_code == 404


def test_words_narrow_the_table(client: TestClient) -> None:
    rows = source_rows()
    text = client.get(PAGE, params={"q": "Parents"}).text
    expected = [
        f"{r['source_code']} → {r['target_code']}"
        for r in rows
        if "parents" in (r["evidence"] + r["note"] + r["printed_target"]).lower()
    ]
    found = shown(text)
    assert expected and set(expected) <= set(found) and len(found) < len(rows)


def test_downloads_hold_the_filtered_view(client: TestClient) -> None:
    params = {"level": "IMHM", "sort": "-target"}
    page = shown(client.get(PAGE, params=params).text)
    response = client.get(PAGE, params={**params, "format": "csv"})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [f"{r['source_code']} → {r['target_code']}" for r in rows] == page
    xlsx = client.get(PAGE, params={**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == len(page) + 1


@pytest.fixture
def formula_client(database_file: str) -> Iterator[TestClient]:
    data = load_bundled()
    alignments = [
        dataclasses.replace(a, evidence=FORMULA) if a.source_code == "6B.2" else a
        for a in data.alignments
    ]
    seeded = dataclasses.replace(data, alignments=alignments)
    open_repository(database_file, seed=lambda: seeded).close()
    with TestClient(create_app(database_file)) as test_client:
        yield test_client


def test_csv_of_the_table_never_carries_a_formula(formula_client: TestClient) -> None:
    response = formula_client.get(PAGE, params={"q": "hyperlink", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and all(r["evidence"] == "'" + FORMULA for r in rows)
    page = formula_client.get(PAGE, params={"q": "hyperlink"}).text
    assert '<a href="http://evil' not in page
