"""A write that changes nothing changes no revision (issue 8, operations).

Before: every save bumped the revision, so re-importing a file made every process
reload and refused a concurrent real import as stale ("database changed").  Each test
runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
from test_repository import small_dataset

from crosswalk.model import Alias, Dataset, Status
from crosswalk.store import Repository, open_repository


@pytest.fixture
def repository(database_url: str) -> Iterator[Repository]:
    with open_repository(database_url, seed=None) as repo:
        repo.replace(small_dataset())
        yield repo


def test_saving_what_is_stored_writes_nothing(repository: Repository) -> None:
    revision = repository.revision()
    dataset = small_dataset()
    assert repository.save(dataset) is False
    assert repository.replace(dataset) is False
    assert repository.save(Dataset([dataset.frameworks[0]])) is False  # a record alone
    assert repository.save(Dataset(crosswalks=dataset.crosswalks)) is False
    assert repository.revision() == revision
    assert repository.load() == dataset


def _retitled(d: Dataset) -> None:
    d.frameworks[0] = dataclasses.replace(d.frameworks[0], title="IMH (new title)")


def _restated(d: Dataset) -> None:
    d.items[1] = dataclasses.replace(d.items[1], statement="Demonstrates something else")


def _alias_renoted(d: Dataset) -> None:
    first, second = d.items[1].aliases
    renoted = Alias(second.text, second.kind, second.provenance, "a new note")
    d.items[1] = dataclasses.replace(d.items[1], aliases=(first, renoted))


def _aliases_reordered(d: Dataset) -> None:
    d.items[1] = dataclasses.replace(d.items[1], aliases=tuple(reversed(d.items[1].aliases)))


def _item_dropped(d: Dataset) -> None:
    d.items.pop()


def _alignment_reworded(d: Dataset) -> None:
    d.alignments[1] = dataclasses.replace(d.alignments[1], evidence="As demonstrated by: video")


def _ties_reordered(d: Dataset) -> None:
    """The two alignments at position 2 swap: their stored order is their insert order."""
    d.alignments[2], d.alignments[3] = d.alignments[3], d.alignments[2]


def _alignment_dropped(d: Dataset) -> None:
    d.alignments.pop()


def _crosswalk_published(d: Dataset) -> None:
    d.crosswalks[0] = dataclasses.replace(d.crosswalks[0], status="published")


def _accepted(d: Dataset) -> None:
    d.alignments[1] = dataclasses.replace(d.alignments[1], status=Status.ACCEPTED)


@pytest.mark.parametrize(
    "change",
    [
        _retitled,
        _restated,
        _alias_renoted,
        _aliases_reordered,
        _item_dropped,
        _alignment_reworded,
        _ties_reordered,
        _alignment_dropped,
        _crosswalk_published,
        _accepted,
    ],
)
def test_any_difference_is_written(
    repository: Repository, change: Callable[[Dataset], None]
) -> None:
    revision = repository.revision()
    changed = small_dataset()
    change(changed)
    assert changed != small_dataset()
    assert repository.save(changed) is True
    assert repository.revision() == revision + 1
    assert repository.load() == changed
    assert repository.save(changed) is False
    assert repository.revision() == revision + 1


def test_a_no_op_write_does_not_make_a_concurrent_import_stale(
    repository: Repository, database_url: str
) -> None:
    """Process A checks its import at revision r; process B re-imports what is stored;
    A's write must still go through."""
    checked_at = repository.revision()
    with open_repository(database_url, seed=None) as other_process:
        assert other_process.save(small_dataset()) is False
    changed = small_dataset()
    _retitled(changed)
    assert repository.save(changed, expected_revision=checked_at) is True
    assert repository.load() == changed


def test_a_no_op_with_a_stale_revision_is_no_conflict(repository: Repository) -> None:
    """Writing what is already stored is harmless whatever came in since the check."""
    checked_at = repository.revision()
    changed = small_dataset()
    _retitled(changed)
    repository.save(changed)  # another writer
    assert repository.save(changed, expected_revision=checked_at) is False
    assert repository.revision() == checked_at + 1


def test_seeding_a_filled_store_writes_nothing(repository: Repository) -> None:
    revision = repository.revision()
    assert repository.initialise(small_dataset) is False
    assert repository.revision() == revision
