"""A framework too large for suggestions is refused with the limit named, and left out
of what other frameworks' suggestions read: a 20,000-item framework would otherwise
be embedded whole (minutes of the model, per catalog) for any free-text question."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosswalk.catalog import Catalog
from crosswalk.model import Alignment, Crosswalk, Dataset, Framework, Item
from crosswalk.sources.bundled import load_bundled
from crosswalk.store import open_repository
from crosswalk.suggest import MAX_ITEMS, SuggestError, suggest_pair, suggest_text
from crosswalk.suggest.embeddings import Embeddings
from crosswalk.web.app import create_app

BIG = "big-framework"


def with_big_framework() -> Dataset:
    """The bundled data, and a framework of one item more than suggestions take,
    linked to IMH (so that its items would be "via" items of IMH)."""
    data = load_bundled()
    items = [
        Item(BIG, f"B.{n}", f"Big competency {n}", f"Understands topic number {n} in depth")
        for n in range(MAX_ITEMS + 1)
    ]
    imh = next(i for i in data.items if i.framework == "imh" and i.parent)
    return Dataset(
        frameworks=[*data.frameworks, Framework(BIG, "Big Framework")],
        items=[*data.items, *items],
        crosswalks=[*data.crosswalks, Crosswalk("big-imh", "Big to IMH", BIG, "imh")],
        alignments=[
            *data.alignments,
            *(Alignment("big-imh", i.code, imh.code) for i in items[:50]),
        ],
    )


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(with_big_framework())


def test_a_framework_too_large_is_refused_naming_the_limit(catalog: Catalog) -> None:
    limit = f"{BIG} has {MAX_ITEMS + 1:,} items; suggestions are made for frameworks of at most"
    with pytest.raises(SuggestError, match=limit):
        suggest_text(catalog, BIG, "observation of infants")
    for source, target in ((BIG, "imh"), ("imh", BIG)):
        with pytest.raises(SuggestError, match=limit):
            suggest_pair(catalog, source, target, top=3)


def test_other_frameworks_suggestions_read_nothing_of_it(
    catalog: Catalog, embeddings: Embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded: list[str] = []
    original = embeddings.embed

    def spy(texts: list[str], **kwargs: bool) -> object:
        embedded.extend(texts)
        return original(texts, **kwargs)

    monkeypatch.setattr(embeddings, "embed", spy)
    found = suggest_text(catalog, "imh", "observation of infants", top=3, embeddings=embeddings)
    assert len(found) == 3 and all(s.target.framework == "imh" for s in found)
    assert embedded and not [t for t in embedded if "topic number" in t]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'big.sqlite3'}"
    open_repository(url, seed=with_big_framework).close()
    with TestClient(create_app(url)) as test_client:
        yield test_client


def test_the_page_and_the_api_say_so(client: TestClient) -> None:
    page = client.post("/suggest", data={"text": "observation of infants"})
    assert page.status_code == 200
    assert "Not suggested from: Big Framework" in page.text
    assert f"at most {MAX_ITEMS:,} items" in page.text
    answer = client.get(f"/api/suggest/text?to={BIG}&text=observation")
    assert answer.status_code == 422
    assert f"at most {MAX_ITEMS:,} items" in answer.json()["detail"]
