"""The framework browser: a tree beside the selected item's details, every choice an
address, and bounded for a framework of 20,000 items.

Counts on the bundled data, read off the documents: IMH has 10 areas of expertise
(seed 000 column 1); Direct Service Skills has 11 knowledge areas; Observation &
listening has 7 links — 6 CKC codes on seed 000 line 29 and 6C.2's link on seed 002
lines 61–65.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from webpage import parse

from crosswalk.catalog import Catalog
from crosswalk.model import Dataset, Framework, Item
from crosswalk.query import framework_tree
from crosswalk.store import open_repository
from crosswalk.web.app import create_app

OBSERVATION = "/frameworks/imh/items/direct-service-skills/observation-listening"


def _tree(page_html: str) -> list[tuple[dict[str, str], str]]:
    page = parse(page_html)
    nav = next(
        i
        for i, (tag, attrs, _) in enumerate(page.elements)
        if tag == "nav" and attrs.get("id") == "tree"
    )
    return [(page.elements[i][1], page.text_of(i)) for i in page.within(nav, "a")]


def test_the_framework_page_starts_with_its_areas_closed(client: TestClient) -> None:
    links = _tree(client.get("/frameworks/imh").text)
    areas = [text for attrs, text in links if attrs.get("aria-expanded") == "false"]
    assert len(areas) == 10
    assert "▸Direct Service Skills · 11 items" in areas
    assert not any(attrs.get("aria-expanded") == "true" for attrs, _ in links)


def test_an_item_page_opens_the_path_to_it(client: TestClient) -> None:
    links = _tree(client.get(OBSERVATION).text)
    current = [text for attrs, text in links if attrs.get("aria-current") == "page"]
    assert current == ["Observation & listening · 7 links"]
    opened = [text for attrs, text in links if attrs.get("aria-expanded") == "true"]
    assert opened == ["▾Direct Service Skills · 11 items"]
    # Its area's other knowledge areas are listed, the other areas stay closed.
    assert "Screening & assessment · 10 links" in [t for _, t in links]
    assert sum(1 for attrs, _ in links if attrs.get("aria-expanded") == "false") == 9


def test_each_link_says_relation_level_strength_evidence_and_source(client: TestClient) -> None:
    page = parse(client.get("/frameworks/iecmhc/items/6A.2").text)
    heads = page.texts("th", scope="col")
    for column in ("Relation", "Strength", "Level", "Evidence and notes", "Source"):
        assert column in heads
    assert "Related" in page.texts("td", data_label="Relation")


@pytest.mark.parametrize(
    "path",
    [
        "/frameworks/iecmhc/items/6A.2",
        "/frameworks/imh/items/theoretical-foundations/relationship-focused-therapeutic-practice",
        OBSERVATION,
        "/frameworks/imh",
    ],
)
def test_no_two_elements_share_an_id(client: TestClient, path: str) -> None:
    """6A.2 cites Relationship focused therapeutic practice twice (seed 002 lines 9–13 and
    14–18): each row has an id of its own; the first keeps the one the matrix links to."""
    page = parse(client.get(path).text)
    ids = Counter(attrs["id"] for _, attrs in page.tags if "id" in attrs)
    assert [i for i, n in ids.items() if n > 1] == []
    if path.endswith("6A.2"):
        therapeutic = "link-imh-theoretical-foundations-relationship-focused-therapeutic-practice"
        assert {therapeutic, therapeutic + "-2"} <= set(ids)


# -- a framework of 20,000 items --------------------------------------------------------


def big_dataset(areas: int = 200, per_area: int = 99) -> Dataset:
    """Shaped like bench/exchange.py's synthetic framework: 200 areas of 99 items."""
    items: list[Item] = []
    for a in range(areas):
        items.append(Item("big", str(a), f"Area {a}", kind="area", position=a))
        items += [
            Item(
                "big",
                f"{a}.{n}",
                f"Synthetic competency statement number {a}.{n}",
                parent=str(a),
                position=n,
            )
            for n in range(1, per_area + 1)
        ]
    return Dataset([Framework("big", "A big framework")], items)


def test_the_tree_of_20000_items_shows_one_page_per_open_list() -> None:
    catalog = Catalog(big_dataset())
    assert len(catalog.dataset.items) == 20_000
    top = framework_tree(catalog, "big")
    assert (len(top.nodes), top.pages, top.total) == (50, 4, 200)
    deep = framework_tree(catalog, "big", catalog.items[("big", "157.60")])
    assert deep.page == 4  # the page of area 157
    area = next(n for n in deep.nodes if n.open is not None)
    assert area.item.code == "157" and area.open is not None
    assert area.open.page == 2 and [n.item.code for n in area.open.nodes][9] == "157.60"
    shown = len(deep.nodes) + len(area.open.nodes)
    assert shown == 50 + 49  # 200 areas a page at a time; 99 items, the second page


@pytest.fixture(scope="module")
def big_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('big') / 'big.sqlite3'}"
    open_repository(url, seed=big_dataset).close()
    with TestClient(create_app(url)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "path", ["/frameworks/big", "/frameworks/big/items/157.60", "/frameworks/big/items/157?page=2"]
)
def test_pages_of_a_20000_item_framework_stay_small(big_client: TestClient, path: str) -> None:
    response = big_client.get(path)
    assert response.status_code == 200
    assert len(response.content) < 60_000
    links = _tree(response.text)
    assert len(links) <= 2 + 50 + 50 + 4  # title, two open lists, page links
