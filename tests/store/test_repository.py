"""The repository on SQLite and PostgreSQL: lossless, ordered, atomic, self-seeding."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from typing import Any

import pytest

from crosswalk.catalog import Catalog
from crosswalk.model import (
    Alias,
    Alignment,
    Crosswalk,
    Dataset,
    Framework,
    Item,
    Provenance,
    Relation,
    Status,
)
from crosswalk.store import Repository, StoreError, open_catalog, open_repository
from crosswalk.store import changes as changes_module


def small_dataset() -> Dataset:
    """Two frameworks and a crosswalk using every field, already in load() order."""
    imh = Framework(
        id="imh",
        title="Infant Mental Health Competency Guidelines®",
        version="2017",
        publisher="MI-AIMH",
        description="Areas of expertise and knowledge/skill areas.",
        notice="© MI-AIMH",
        sources=("000_5ab6a8de11d7ffd6.txt", "002_23138a9850aa3d8a.txt"),
    )
    ckc = Framework(id="wv-ckc-2015", title="WV Core Knowledge and Competencies 2015")
    seed = "000_5ab6a8de11d7ffd6.txt"
    items = [
        Item("imh", "direct-service-skills", "Direct Service Skills", kind="area", position=1),
        Item(
            "imh",
            "direct-service-skills/observation-listening",
            "Observation & listening",
            statement="Demonstrates the ability to observe…",
            kind="knowledge-area",
            parent="direct-service-skills",
            position=2,
            tags=("IMHS", "track:clinical"),
            aliases=(
                Alias("Observation and Listening", "name", Provenance(seed, 40, 41), "spelling"),
                Alias("Observation", "cited"),
            ),
            provenance=Provenance(seed, 38, 44),
            errata=("E-012: name reconstructed from two columns",),
        ),
        Item("wv-ckc-2015", "1", "Child Growth and Development", kind="area", position=0),
        Item("wv-ckc-2015", "1.2", "Observes children", parent="1", position=1),
        Item("wv-ckc-2015", "1.9", "Uses assessment", parent="1", position=1),
        Item("wv-ckc-2015", "1.10", "Plans from assessment", parent="1", position=1),
    ]
    crosswalk = Crosswalk(
        id="imh-to-wv-ckc-2015",
        title="IMH → CKC",
        source_framework="imh",
        target_framework="wv-ckc-2015",
        version="1",
        publisher="WV AIMH",
        description="A resource guide only.",
        source_document=seed,
        status="draft",
    )
    source = "direct-service-skills/observation-listening"
    alignments = [
        Alignment(crosswalk.id, source, "1.2", printed_target="1.2", position=0),
        Alignment(
            crosswalk.id,
            source,
            "1.10",
            relation=Relation.CLOSE,
            strength="Essential",
            level="MHS",
            evidence="As demonstrated by: case notes",
            note="printed twice",
            printed_target="1.10",
            provenance=Provenance(seed, 42, 42),
            position=1,
            confidence=0.625,
            justification="lexical",
            status=Status.PROPOSED,
            author="suggest",
            created="2024-06-01T12:00:00+00:00",
        ),
        Alignment(
            crosswalk.id,
            "direct-service-skills",
            None,
            relation=Relation.NO_MATCH,
            printed_target="Found no corresponding competencies",
            position=2,
        ),
        Alignment(
            crosswalk.id,
            "direct-service-skills",
            None,
            note="T&TA Competencies",
            printed_target="T&TA Competencies",
            position=3,  # (alignments tied in position load in the order of their ids)
        ),
    ]
    return Dataset([imh, ckc], items, [crosswalk], alignments)


@pytest.fixture
def repository(database_url: str) -> Iterator[Repository]:
    with open_repository(database_url, seed=None) as repo:
        yield repo


def test_round_trip_is_lossless(repository: Repository) -> None:
    dataset = small_dataset()
    repository.replace(dataset)
    assert repository.load() == dataset


def test_load_order_does_not_depend_on_insert_order(repository: Repository) -> None:
    dataset = small_dataset()
    shuffled = dataclasses.replace(dataset)
    for name in ("frameworks", "items", "crosswalks"):
        values = list(getattr(dataset, name))
        random.Random(7).shuffle(values)
        setattr(shuffled, name, values)
    repository.replace(shuffled)
    loaded = repository.load()
    assert loaded == dataset
    assert [i.code for i in loaded.items if i.framework == "wv-ckc-2015"] == [
        "1",
        "1.2",
        "1.9",
        "1.10",
    ]


def test_revision_grows_with_every_write_that_changes_something(repository: Repository) -> None:
    assert repository.revision() == 0
    assert repository.is_empty()
    repository.replace(small_dataset())
    assert repository.revision() == 1
    assert not repository.is_empty()
    # A write that changes nothing leaves no event and no new revision.
    assert repository.save(small_dataset()).revision is None
    assert repository.revision() == 1
    changed = small_dataset()
    changed.frameworks[1] = dataclasses.replace(changed.frameworks[1], title="CKC, renamed")
    assert repository.save(changed).revision == 2
    assert repository.revision() == 2


def test_duplicate_item_is_refused_and_nothing_changes(repository: Repository) -> None:
    original = small_dataset()
    repository.replace(original)
    broken = small_dataset()
    broken.items.append(dataclasses.replace(broken.items[-1], name="again"))
    with pytest.raises(StoreError, match=r"duplicate item 'wv-ckc-2015:1.10'"):
        repository.replace(broken)
    assert repository.load() == original
    assert repository.revision() == 1


def test_database_refusal_mid_write_rolls_back(repository: Repository) -> None:
    """A crosswalk to an unknown framework fails in the database, after the deletes."""
    original = small_dataset()
    repository.replace(original)
    broken = small_dataset()
    broken.crosswalks[0] = dataclasses.replace(broken.crosswalks[0], target_framework="nope")
    with pytest.raises(StoreError, match="the database refused the data"):
        repository.replace(broken)
    assert repository.load() == original
    assert repository.revision() == 1


def test_any_failure_mid_write_rolls_back(
    repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the rows are written (here: while checking references) leaves
    nothing of them behind."""
    original = small_dataset()
    repository.replace(original)

    def failing(connection: Any, written: Any, removed: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(changes_module, "check_references", failing)
    changed = small_dataset()
    changed.items[0] = dataclasses.replace(changed.items[0], name="changed")
    changed.alignments.pop()
    for write in (repository.replace, repository.save):
        with pytest.raises(RuntimeError, match="disk full"):
            write(changed)
    assert repository.load() == original
    assert repository.revision() == 1


def test_save_replaces_only_what_it_names(repository: Repository) -> None:
    original = small_dataset()
    repository.replace(original)
    iecmhc = Framework(id="iecmhc", title="IECMHC competencies")
    consultation = Item("iecmhc", "6B.2", "Builds relationships")
    to_imh = Crosswalk("iecmhc-to-imh", "IECMHC → IMH", "iecmhc", "imh")
    link = Alignment(to_imh.id, "6B.2", "direct-service-skills/observation-listening")
    repository.save(Dataset([iecmhc], [consultation], [to_imh], [link]))

    loaded = repository.load()
    assert [f.id for f in loaded.frameworks] == ["iecmhc", "imh", "wv-ckc-2015"]
    assert loaded.items == [consultation, *original.items]
    assert loaded.crosswalks == [to_imh, *original.crosswalks]
    assert loaded.alignments == [link, *original.alignments]

    # Saving a framework again replaces its items and updates its own fields; an item
    # that alignments still link cannot go (1.10), one that none links can (1.9).
    renamed = dataclasses.replace(original.frameworks[1], title="CKC (revised)")
    with pytest.raises(StoreError, match=r"item wv-ckc-2015:1.10 is removed but crosswalk"):
        repository.save(Dataset([renamed], original.items[2:4]))
    repository.save(Dataset([renamed], [*original.items[2:4], original.items[5]]))
    loaded = repository.load()
    assert loaded.frameworks[2] == renamed
    assert [i.code for i in loaded.items if i.framework == "wv-ckc-2015"] == ["1", "1.2", "1.10"]
    assert loaded.alignments == [link, *original.alignments]


def test_save_refuses_items_without_their_framework(repository: Repository) -> None:
    dataset = small_dataset()
    with pytest.raises(StoreError, match="items of frameworks not in the dataset: 'imh'"):
        repository.save(Dataset(dataset.frameworks[1:], dataset.items))
    assert repository.is_empty()


def test_empty_database_is_seeded_once(database_url: str) -> None:
    calls: list[int] = []

    def seed() -> Dataset:
        calls.append(1)
        return small_dataset()

    with open_repository(database_url, seed=seed) as repo:
        assert repo.load() == small_dataset()
        assert repo.revision() == 1
    with open_repository(database_url, seed=seed) as repo:
        assert repo.revision() == 1
    assert calls == [1]
    catalog = open_catalog(database_url, seed=seed)
    assert isinstance(catalog, Catalog)
    assert catalog.item("wv-ckc-2015", "1.10").name == "Plans from assessment"
    assert calls == [1]


def test_a_whole_state_catalogue_round_trips(repository: Repository) -> None:
    """20,000 items and 50,000 alignments: the scale of a state's whole catalogue.

    Correctness at volume only; how fast it is, is measured by bench/store.py.
    """
    frameworks = [Framework("big-a", "A"), Framework("big-b", "B")]
    items = [
        Item(f.id, f"{n // 100}.{n % 100}", f"item {n}", tags=("x",), position=n)
        for f in frameworks
        for n in range(10_000)
    ]
    crosswalk = Crosswalk("big", "A → B", "big-a", "big-b")
    alignments = [
        Alignment("big", f"{n % 100}.{n % 97}", f"{n % 89}.{n % 83}", position=n)
        for n in range(50_000)
    ]
    dataset = Dataset(frameworks, items, [crosswalk], alignments)
    repository.replace(dataset)
    loaded = repository.load()
    assert len(loaded.items) == 20_000
    assert len(loaded.alignments) == 50_000


def test_save_keeps_the_items_and_alignments_of_records_given_without_them(
    repository: Repository,
) -> None:
    """A framework (crosswalk) saved without items (alignments) keeps the stored ones."""
    original = small_dataset()
    repository.replace(original)
    renamed = dataclasses.replace(original.frameworks[0], title="IMH (renamed)")
    retitled = dataclasses.replace(original.crosswalks[0], title="IMH → CKC (retitled)")
    repository.save(Dataset([renamed], [], [retitled], []))
    loaded = repository.load()
    assert loaded.frameworks[0] == renamed and loaded.crosswalks == [retitled]
    assert loaded.items == original.items
    assert loaded.alignments == original.alignments


def test_upgrade_database_reports_the_revisions(database_url: str) -> None:
    from crosswalk.store import head_revision, upgrade_database

    assert upgrade_database(database_url) == (None, head_revision())
    assert upgrade_database(database_url) == (head_revision(), head_revision())
    with open_repository(database_url, seed=None) as repo:
        assert repo.is_empty()
