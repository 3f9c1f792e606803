"""No page grows without bound with the data: the matrix in views of bounded size.

A crosswalk of 480 × 480 items (``large_data``) is shown as counts per pair of areas,
each count leading to that pair's items; any view larger than the library's cell
bound comes in windows.  The bundled crosswalks keep their whole item matrix.  Results
kept per revision are built once however many requests ask at the same moment, and a
bounded number of them is kept.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from large_data import AREAS, CROSSWALK, PER_AREA, large_dataset
from webpage import parse

from crosswalk.catalog import Catalog
from crosswalk.query import MAX_CELLS, AreaView, ItemView, matrix, matrix_view, restrict
from crosswalk.store import open_repository
from crosswalk.web import memo
from crosswalk.web.app import create_app
from crosswalk.web.deps import Snapshot

PAGE = f"/crosswalks/{CROSSWALK}"


@pytest.fixture
def large_client(database_file: str) -> Iterator[TestClient]:
    open_repository(database_file, seed=large_dataset).close()
    with TestClient(create_app(database_file)) as client:
        yield client


def _matrix(html: str) -> tuple[list[str], list[str], int]:
    """The matrix's links, column headings and grid cells (the no-match column aside)."""
    page = parse(html)
    table = next(
        i
        for i, (tag, attrs, _) in enumerate(page.elements)
        if tag == "table" and "matrix" in attrs.get("class", "").split()
    )
    links = [page.elements[i][1].get("href", "") for i in page.within(table, "a")]
    heads = [
        page.text_of(i)
        for i in page.within(table, "th")
        if page.elements[i][1].get("scope") == "col"
        and "other-head" not in page.elements[i][1].get("class", "")
    ]
    cells = [page.elements[i][1].get("class", "") for i in page.within(table, "td")]
    return links, heads, sum(1 for c in cells if c not in ("other", "corner"))


def _cells(html: str) -> int:
    return _matrix(html)[2]


def _query(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query, keep_blank_values=True).items()}


def test_a_large_crosswalk_is_shown_as_counts_per_pair_of_areas(large_client: TestClient) -> None:
    response = large_client.get(PAGE)
    assert response.status_code == 200
    page = parse(response.text)
    assert page.find("table", class_="matrix overview vertical")
    assert _cells(response.text) == AREAS * AREAS
    assert len(response.content) < 300_000
    # Each count is the number of links between the two areas' items, and leads to them.
    catalog = Catalog(large_dataset())
    counted = 0
    for attrs, text in page.find("a"):
        query = _query(attrs.get("href", ""))
        if "source_area" in query and "target_area" in query:
            links = [
                a
                for a in catalog.by_crosswalk[CROSSWALK]
                if a.target_code
                and a.source_code.split(".")[0] == query["source_area"]
                and a.target_code.split(".")[0] == query["target_area"]
            ]
            assert int(text) == len(links), attrs["href"]
            counted += 1
    assert counted == AREAS * AREAS


def test_a_pair_of_areas_shows_its_items(large_client: TestClient) -> None:
    response = large_client.get(f"{PAGE}?source_area=2&target_area=5")
    assert response.status_code == 200
    page = parse(response.text)
    links, heads, cells = _matrix(response.text)
    rows = [href for href in links if href.startswith("/frameworks/big-a/items/")]
    assert rows and all(href.startswith("/frameworks/big-a/items/2.") for href in rows)
    assert heads and all(re.search(r"(^| )5\.\d", text) for text in heads)
    assert 0 < cells <= MAX_CELLS
    back = [a["href"] for a, text in page.find("a") if text == "Back to the whole crosswalk"]
    assert back == [f"{PAGE}#matrix"]


@pytest.mark.parametrize("query", ["", "?columns=all", "?source_area=3", "?target_area=1"])
def test_no_view_of_a_large_crosswalk_exceeds_the_cell_bound(
    large_client: TestClient, query: str
) -> None:
    response = large_client.get(PAGE + query)
    assert response.status_code == 200
    assert _cells(response.text) <= MAX_CELLS
    assert len(response.content) < 2_000_000


def test_a_view_too_large_for_one_page_comes_in_windows(large_client: TestClient) -> None:
    # One source area against every target item: 60 × 480 cells.
    first_html = large_client.get(f"{PAGE}?source_area=3&columns=all").text
    first = parse(first_html)
    windows = {text: a["href"] for a, text in first.find("a") if text.startswith("Columns ")}
    assert list(windows) == ["Columns 51–100"]
    second_html = large_client.get(windows["Columns 51–100"]).text
    second = parse(second_html)
    first_heads = set(_matrix(first_html)[1])
    second_heads = set(_matrix(second_html)[1])
    assert len(second_heads - first_heads) == 50
    assert any(t.startswith("Columns 1–50") for _, t in second.find("a"))
    # A window past the end is the last one, not an error.
    last = large_client.get(f"{PAGE}?source_area=3&columns=all&column_start=100000")
    assert last.status_code == 200 and "of 480" in last.text


def test_an_unknown_area_is_404_naming_the_areas(large_client: TestClient) -> None:
    response = large_client.get(f"{PAGE}?source_area=99")
    assert response.status_code == 404
    words = parse(response.text).words
    assert "'99'" in words and "'1', '2'" in words


@pytest.mark.parametrize(
    ("crosswalk", "rows", "columns"), [("imh-wv-ckc-2015", 64, 45), ("iecmhc-imh", 12, 64)]
)
def test_the_bundled_crosswalks_keep_their_whole_item_matrix(
    client: TestClient, crosswalk: str, rows: int, columns: int
) -> None:
    html = client.get(f"/crosswalks/{crosswalk}?columns=all").text
    assert not parse(html).find("nav", class_="matrix-windows")
    _, heads, cells = _matrix(html)
    assert len(heads) == columns
    assert cells == rows * columns


def test_the_library_cuts_every_view_to_the_bound() -> None:
    catalog = Catalog(large_dataset())
    grid = matrix(catalog, CROSSWALK)
    whole = matrix_view(catalog, grid, all_columns=True)
    assert isinstance(whole, AreaView)
    assert sum(whole.overview.links.values()) == 3 * AREAS * PER_AREA
    assert whole.overview.no_match == {"1": 1}
    for source_area, target_area in [("1", None), (None, "2"), ("3", "4")]:
        view = matrix_view(
            catalog, grid, source_area=source_area, target_area=target_area, all_columns=True
        )
        assert isinstance(view, ItemView)
        shown = sum(len(g.items) for g in view.rows) * sum(len(g.items) for g in view.columns)
        assert 0 < shown <= MAX_CELLS
    small = matrix(catalog, "imh-wv-ckc-2015")
    assert isinstance(matrix_view(catalog, small), ItemView)
    part = restrict(catalog, grid, source_area="2", target_area="3")
    assert {i.code.split(".")[0] for i in part.row_items} == {"2"}
    assert all(r.startswith("2.") and c.startswith("3.") for r, c in part.cells)


# -- built once, kept within bounds ------------------------------------------------------


def test_a_memo_builds_once_while_concurrent_callers_wait() -> None:
    snapshot = Snapshot(Catalog(large_dataset()), revision=1)
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        time.sleep(0.3)
        return 42

    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(snapshot.memo("key", build)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 8
    assert len(builds) == 1


def test_a_failed_build_is_not_kept() -> None:
    kept = memo.Memo()

    def fail() -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        kept.get("key", fail)
    assert kept.get("key", lambda: 7) == 7


def test_a_memo_keeps_a_bounded_number_of_results() -> None:
    snapshot = Snapshot(Catalog(large_dataset()), revision=1)
    for n in range(1_000):
        snapshot.memo(("page", n), lambda n=n: n)  # type: ignore[misc]
    assert len(list(snapshot._memo)) <= memo.DEFAULT_ENTRIES
    assert snapshot.memo(("page", 999), lambda: -1) == 999  # the most recent stay


def test_concurrent_requests_for_one_matrix_build_it_once(
    large_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crosswalk.web.routes import explore

    builds: list[int] = []
    original = explore.matrix

    def counted(*args: object, **kwargs: object) -> object:
        builds.append(1)
        time.sleep(0.3)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(explore, "matrix", counted)
    statuses: list[int] = []
    threads = [
        threading.Thread(target=lambda: statuses.append(large_client.get(PAGE).status_code))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 6
    assert len(builds) == 1


def test_the_map_page_offers_a_bounded_number_of_tick_boxes(
    large_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big A has 480 items: with the bound at 100, its map page ticks 100 of them (it
    would grow with the framework: 3.5 MB for a 20,000-item one) and says to type the rest."""
    from crosswalk.web.routes import explore

    monkeypatch.setattr(explore, "MAX_CHOICES", 100)
    big = large_client.get("/map?from=big-a")
    assert big.status_code == 200
    assert big.text.count('type="checkbox" name="codes"') == 100
    assert "And 380 more codes, too many to tick: type them above." in big.text
    small = large_client.get("/map?from=imh")
    assert 'type="checkbox" name="codes"' in small.text
    assert "too many to tick" not in small.text
    mapped = large_client.get("/map?from=big-a&to=big-b&codes=1.1")
    assert mapped.status_code == 200 and "Competency 1.1 of big-a" in mapped.text
