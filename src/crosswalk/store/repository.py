"""The only door to stored data: the whole catalog out, change sets in.

Reading: :meth:`Repository.load_catalog` gives everything with each object's revision
in one consistent read; :meth:`Repository.events_since` gives what changed after a
revision, so a process holding a catalog catches up by applying those events
(:meth:`crosswalk.catalog.Catalog.updated`) instead of reading everything again.

Writing: every change is a change set whose operations go through
:func:`crosswalk.store.changes.apply` in one transaction, leaving one event per
changed object.  The helpers here cover the writes that are approved at once — the
first load, an import by the operator, :meth:`replace` and :meth:`save` — and give
the curation library the same transaction (:meth:`writing`) for reviewed ones.  A
write that would change nothing leaves no change set, no event and no new revision,
so re-importing a file makes no process reload and no concurrent import stale.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from crosswalk.bulk import collector_paused
from crosswalk.catalog import Catalog, Change
from crosswalk.model import Alias, Dataset, alignment_order, item_order, with_ids
from crosswalk.states import restore
from crosswalk.store import changesets, releases, rows
from crosswalk.store.changes import Operation, apply
from crosswalk.store.curation_tables import EventRow
from crosswalk.store.engine import reading, writing
from crosswalk.store.errors import StoreError, failure
from crosswalk.store.events import Event, count_events_since, events_since
from crosswalk.store.plans import plan
from crosswalk.store.tables import (
    STORE_META_ID,
    AlignmentRow,
    CrosswalkRow,
    FrameworkRow,
    ItemAliasRow,
    ItemRow,
    StoreMeta,
)

__all__ = ["Applied", "Repository", "StoreError"]

# Who the writes approved at once are recorded under when no person is named.
OPERATOR = "command line"
INITIAL_TITLE = "Initial state: the data as printed in the source documents"


@dataclass(frozen=True, slots=True)
class Applied:
    """What a write did: its change set and the store revision it made (None: no change)."""

    change_set: int | None
    revision: int | None
    operations: int


class Repository:
    """Frameworks, items, crosswalks and alignments kept in one SQL database."""

    def __init__(self, engine: Engine, *, owns_engine: bool = False) -> None:
        """Wrap an engine whose schema is up to date (see ``open_repository``).

        With ``owns_engine`` the repository disposes of the engine on :meth:`close`;
        otherwise the engine is left to the caller.
        """
        self.engine = engine
        self._owns_engine = owns_engine

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> Repository:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------

    @collector_paused()
    def load(self) -> Dataset:
        """Everything, in an order that does not depend on the engine or insert history
        (as :meth:`load_catalog`, without building the catalog's indexes)."""
        with reading(self.engine) as connection:
            return load_dataset(connection)[0]

    @collector_paused()
    def load_catalog(self) -> Catalog:
        """Everything, indexed, with each object's revision and the store's, read as
        one consistent state."""
        with reading(self.engine) as connection:
            return load_catalog(connection)

    def revision(self) -> int:
        """A number that grows with every write that changes something; 0 for a store
        never written to."""
        with self.engine.connect() as connection:
            return _revision(connection)

    def is_empty(self) -> bool:
        with self.engine.connect() as connection:
            return not connection.scalar(select(func.count()).select_from(FrameworkRow))

    def events_since(self, revision: int, upto: int | None = None) -> list[Event]:
        with self.engine.connect() as connection:
            return events_since(connection, revision, upto)

    def count_events_since(self, revision: int) -> int:
        with self.engine.connect() as connection:
            return count_events_since(connection, revision)

    def catch_up(self, catalog: Catalog, *, limit: int = 20_000) -> Catalog:
        """``catalog`` brought to the current revision by applying the events since
        its own; a full read when there are more than ``limit`` of them."""
        with reading(self.engine) as connection:
            current = _revision(connection)
            if current == catalog.revision:
                return catalog
            if count_events_since(connection, catalog.revision) > limit:
                return load_catalog(connection)
            events = events_since(connection, catalog.revision, current)
        return catalog.updated([change_of(e) for e in events], current)

    # -- writing -----------------------------------------------------------------------

    @contextmanager
    def writing(self, doing: str = "nothing was changed") -> Iterator[Connection]:
        """One write transaction holding the store's write lock; database refusals
        become :class:`StoreError` after the rollback, with their cause (a full disk,
        read-only storage …) and ``doing``."""
        try:
            with writing(self.engine) as connection:
                yield connection
        except DBAPIError as error:
            raise failure(error, doing) from error

    def apply(
        self,
        operations: Sequence[Operation],
        *,
        title: str,
        reason: str = "",
        kind: str = "import",
        actor: str = OPERATOR,
    ) -> Applied:
        """Apply ``operations`` as a change set approved at once (imports by the
        operator or an admin).  A change set that changes nothing is not kept."""
        with self.writing() as connection:
            return apply_at_once(
                connection, operations, title=title, reason=reason, kind=kind, actor=actor
            )

    def replace(self, dataset: Dataset, *, actor: str = OPERATOR) -> Applied:
        """Make the store hold exactly ``dataset``, or leave it untouched on failure."""
        return self._write(dataset, whole=True, title="Replace all data", actor=actor)

    def save(self, dataset: Dataset, *, actor: str = OPERATOR, title: str = "Import") -> Applied:
        """Add or update the frameworks and crosswalks in ``dataset``; keep all others.

        A framework given with items has its items replaced by them (items no longer
        present disappear); one given without items keeps its stored items.  Likewise
        a crosswalk given with alignments has them replaced, one given without keeps
        its stored alignments.  Only what the dataset names is touched.
        """
        return self._write(dataset, whole=False, title=title, actor=actor)

    def _write(self, dataset: Dataset, *, whole: bool, title: str, actor: str) -> Applied:
        """Plan against what is stored under the write lock, then apply at once."""
        _check(dataset)
        with self.writing() as connection:
            operations = plan(load_catalog(connection), dataset, whole=whole)
            return apply_at_once(connection, operations, title=title, actor=actor)

    def initialise(self, seed: Callable[[], Dataset]) -> bool:
        """Load ``seed()`` if the store is empty, as the first change set and the first
        release; say whether it did.

        The seed is built outside the transaction (it may parse documents), and the
        store is checked again inside it, so two processes starting at once on an
        empty database do not both load it.
        """
        if not self.is_empty():
            return False
        dataset = seed()
        _check(dataset)
        dataset.alignments = with_ids(dataset.alignments)
        with self.writing("cannot fill the empty database") as connection:
            if connection.scalar(select(func.count()).select_from(FrameworkRow)):
                return False
            operations = [Operation.add(r) for r in _records(dataset)]
            applied = apply_at_once(
                connection, operations, title=INITIAL_TITLE, kind="initial", actor="initial load"
            )
            catalog = load_catalog(connection)
            releases.create(
                connection,
                name=releases.INITIAL_RELEASE,
                title=releases.INITIAL_TITLE,
                note="The data as the bundled source documents print it, before any change.",
                actor="initial load",
                at=changesets.utc_now(),
                store_revision=applied.revision or 0,
                scopes=[("framework", f) for f in catalog.frameworks]
                + [("crosswalk", c) for c in catalog.crosswalks],
                current=catalog.dataset,
                revisions=catalog.revisions,
            )
        return True


def apply_at_once(
    connection: Connection,
    operations: Sequence[Operation],
    *,
    title: str,
    reason: str = "",
    kind: str = "import",
    actor: str = OPERATOR,
) -> Applied:
    """A change set approved as it is made, applied in the caller's transaction."""
    now = changesets.utc_now()
    change_set = changesets.create(
        connection,
        title=title,
        reason=reason,
        kind=kind,
        author=actor,
        status="approved",
        at=now,
    )
    revision = apply(connection, operations, change_set=change_set, actor=actor, at=now)
    if revision is None:
        changesets.delete_change_set(connection, change_set)
        return Applied(None, None, 0)
    changesets.set_fields(
        connection,
        change_set,
        reviewer=actor,
        reviewed=now,
        applied_revision=revision,
        updated=now,
    )
    return Applied(change_set, revision, len(operations))


def change_of(event: Event) -> Change:
    record = restore(event.kind, event.after) if event.after is not None else None
    return Change(event.kind, event.key, record, event.version, event.at)


def _records(dataset: Dataset) -> list[Any]:
    return [*dataset.frameworks, *dataset.crosswalks, *dataset.items, *dataset.alignments]


def _revision(connection: Connection) -> int:
    value = connection.scalar(select(StoreMeta.revision).where(StoreMeta.id == STORE_META_ID))
    return int(value or 0)


def load_catalog(connection: Connection) -> Catalog:
    """Everything stored, read on ``connection``, in an order that does not depend on
    the engine or insert history (sorted in Python: engines collate text differently)."""
    revision = _revision(connection)
    dataset, revisions = load_dataset(connection)
    written = {
        int(number): str(at)
        for number, at in connection.execute(
            select(EventRow.revision, func.min(EventRow.at)).group_by(EventRow.revision)
        )
    }
    return Catalog(dataset, revisions, revision, written)


def load_dataset(connection: Connection) -> tuple[Dataset, dict[tuple[str, str], int]]:
    """Every stored object, sorted (see :func:`load_catalog`), and each one's revision."""
    framework_rows = connection.execute(select(FrameworkRow)).mappings().all()
    item_rows = connection.execute(select(ItemRow)).mappings().all()
    alias_rows = (
        connection.execute(
            select(ItemAliasRow).order_by(ItemAliasRow.item_uuid, ItemAliasRow.position)
        )
        .mappings()
        .all()
    )
    crosswalk_rows = connection.execute(select(CrosswalkRow)).mappings().all()
    alignment_rows = connection.execute(select(AlignmentRow)).mappings().all()
    aliases: dict[Any, list[Alias]] = defaultdict(list)
    for row in alias_rows:
        aliases[row["item_uuid"]].append(rows.alias_of(row))
    revisions: dict[tuple[str, str], int] = {}
    frameworks = []
    for row in framework_rows:
        frameworks.append(rows.framework_of(row))
        revisions[("framework", row["id"])] = row["revision"]
    crosswalks = []
    for row in crosswalk_rows:
        crosswalks.append(rows.crosswalk_of(row))
        revisions[("crosswalk", row["id"])] = row["revision"]
    items = []
    for row in item_rows:
        items.append(rows.item_of(row, tuple(aliases.get(row["uuid"], ()))))
        revisions[("item", f"{row['framework_id']}:{row['code']}")] = row["revision"]
    alignments = []
    for row in alignment_rows:
        alignment = rows.alignment_of(row)
        alignments.append(alignment)
        revisions[("alignment", alignment.id)] = row["revision"]
    dataset = Dataset(
        frameworks=sorted(frameworks, key=lambda f: f.id),
        items=sorted(items, key=item_order),
        crosswalks=sorted(crosswalks, key=lambda c: c.id),
        alignments=sorted(alignments, key=alignment_order),
    )
    return dataset, revisions


def _check(dataset: Dataset) -> None:
    """Refuse, with a readable reason, what the database would refuse cryptically.

    Duplicate keys and dangling references are the usual mistakes of an import; the
    database would catch the duplicates too, but only as an engine-specific message.
    """
    problems: list[str] = []
    problems += _duplicates("framework", (f.id for f in dataset.frameworks))
    problems += _duplicates("item", (f"{i.framework}:{i.code}" for i in dataset.items))
    problems += _duplicates("crosswalk", (c.id for c in dataset.crosswalks))
    problems += _duplicates("alignment id", (a.id for a in dataset.alignments if a.id))
    framework_ids = {f.id for f in dataset.frameworks}
    crosswalk_ids = {c.id for c in dataset.crosswalks}
    orphans = sorted({i.framework for i in dataset.items} - framework_ids)
    if orphans:
        problems.append(f"items of frameworks not in the dataset: {_few(orphans)}")
    orphans = sorted({a.crosswalk for a in dataset.alignments} - crosswalk_ids)
    if orphans:
        problems.append(f"alignments of crosswalks not in the dataset: {_few(orphans)}")
    if problems:
        raise StoreError("; ".join(problems) + "; nothing was changed")


def _duplicates(what: str, keys: Any) -> list[str]:
    repeated = sorted(key for key, count in Counter(keys).items() if count > 1)
    return [f"duplicate {what} {_few(repeated)}"] if repeated else []


def _few(values: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
