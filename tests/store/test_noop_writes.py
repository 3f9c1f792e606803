"""A write that changes nothing changes no revision (issue 8, operations).

Before: every save bumped the revision, so re-importing a file made every process
reload and refused a concurrent real import as stale ("database changed").  Writes are
change sets now (issue 12): one that changes nothing keeps no change set, leaves no
event and moves no revision.  Each test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
from test_repository import small_dataset

from crosswalk.model import Alias, Dataset, Status
from crosswalk.store import Repository, open_repository
from crosswalk.store.plans import plan


@pytest.fixture
def repository(database_url: str) -> Iterator[Repository]:
    with open_repository(database_url, seed=None) as repo:
        repo.replace(small_dataset())
        yield repo


def test_saving_what_is_stored_writes_nothing(repository: Repository) -> None:
    revision = repository.revision()
    dataset = small_dataset()
    events = repository.count_events_since(0)
    assert repository.save(dataset).revision is None
    assert repository.replace(dataset).revision is None
    assert repository.save(Dataset([dataset.frameworks[0]])).revision is None  # a record alone
    assert repository.save(Dataset(crosswalks=dataset.crosswalks)).revision is None
    assert repository.revision() == revision
    assert repository.count_events_since(0) == events
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
    d.items = [i for i in d.items if i.code != "1.9"]  # one no link names


def _alignment_reworded(d: Dataset) -> None:
    d.alignments[1] = dataclasses.replace(d.alignments[1], evidence="As demonstrated by: video")


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
    assert repository.save(changed).revision == revision + 1
    assert repository.revision() == revision + 1
    assert repository.load() == changed
    assert repository.save(changed).revision is None
    assert repository.revision() == revision + 1


def test_a_no_op_write_does_not_make_a_concurrent_import_stale(
    repository: Repository, database_url: str
) -> None:
    """Process A plans its import against revision r; process B re-imports what is
    stored; A's write must still go through."""
    changed = small_dataset()
    _retitled(changed)
    planned = plan(repository.load_catalog(), changed, whole=False)
    with open_repository(database_url, seed=None) as other_process:
        assert other_process.save(small_dataset()).revision is None
    assert repository.apply(planned, title="A's import").revision is not None
    assert repository.load() == changed


def test_a_no_op_with_a_stale_revision_is_no_conflict(repository: Repository) -> None:
    """Writing what is already stored is harmless whatever came in since the check:
    the same change made meanwhile by someone else is no conflict, and writes nothing."""
    checked_at = repository.revision()
    changed = small_dataset()
    _retitled(changed)
    planned = plan(repository.load_catalog(), changed, whole=False)
    repository.save(changed)  # another writer, the same change
    assert repository.apply(planned, title="the same change").revision is None
    assert repository.revision() == checked_at + 1


def test_seeding_a_filled_store_writes_nothing(repository: Repository) -> None:
    revision = repository.revision()
    assert repository.initialise(small_dataset) is False
    assert repository.revision() == revision
