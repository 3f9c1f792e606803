"""The only door to stored data: whole datasets in, whole datasets out.

The query layer works on model objects (see :mod:`crosswalk.catalog`), so the
repository offers no row-level API; it loads everything, or writes a dataset as one
transaction.  Every write either completes or leaves the database exactly as it was,
and bumps a revision counter that readers use to know when their copy is stale; a
write that would change nothing changes no revision, so re-importing a file does not
make every process reload nor refuse a concurrent import as stale.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, Select, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from crosswalk.model import Alias, Alignment, Crosswalk, Dataset, Framework, Item, code_sort_key
from crosswalk.store import rows
from crosswalk.store.errors import Cause, StoreError, failure
from crosswalk.store.tables import (
    STORE_META_ID,
    AlignmentRow,
    CrosswalkRow,
    FrameworkRow,
    ItemAliasRow,
    ItemRow,
    StoreMeta,
)


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

    def load(self) -> Dataset:
        """Everything, in an order that does not depend on the engine or insert history.

        Sorting happens in Python, not SQL, because SQLite and PostgreSQL collate text
        differently; codes sort naturally (``1.9`` before ``1.10``).
        """
        with self.engine.begin() as connection:
            return _read(connection)

    def revision(self) -> int:
        """A number that grows with every write; 0 for a store never written to."""
        with self.engine.connect() as connection:
            value = connection.scalar(
                select(StoreMeta.revision).where(StoreMeta.id == STORE_META_ID)
            )
        return int(value or 0)

    def is_empty(self) -> bool:
        with self.engine.connect() as connection:
            return not connection.scalar(select(func.count()).select_from(FrameworkRow))

    # -- writing -----------------------------------------------------------------------

    def replace(self, dataset: Dataset) -> bool:
        """Make the store hold exactly ``dataset``, or leave it untouched on failure.

        Returns whether anything was written: ``False`` when the store already held
        exactly ``dataset`` (and its revision did not move).
        """
        _check(dataset)

        def write(connection: Connection) -> None:
            for table in (AlignmentRow, CrosswalkRow, ItemAliasRow, ItemRow, FrameworkRow):
                connection.execute(delete(table))
            _insert(connection, dataset)

        return self._write(write, unchanged=lambda c: _holds(c, _Part(), dataset))

    def save(self, dataset: Dataset, *, expected_revision: int | None = None) -> bool:
        """Add or update the frameworks and crosswalks in ``dataset``; keep all others.

        A framework given with items has its items replaced by them (items no longer
        present disappear); one given without items keeps its stored items and only
        its record changes.  Likewise a crosswalk given with alignments has them
        replaced, one given without keeps its stored alignments.  Only frameworks and
        crosswalks named in the dataset are touched, so importing one crosswalk does
        not disturb the rest.  A crosswalk may refer to frameworks that are already
        stored.

        ``expected_revision`` is the :meth:`revision` the caller checked the dataset
        against: if another write came in between, nothing is written and
        :class:`StoreError` says to run the import again.  Returns whether anything
        was written: when the store already holds what ``dataset`` says, nothing is,
        the revision stays, and that is no conflict whatever came in between.
        """
        _check(dataset)
        framework_ids = sorted({i.framework for i in dataset.items})
        crosswalk_ids = sorted({a.crosswalk for a in dataset.alignments})
        part = _Part(
            frameworks=[f.id for f in dataset.frameworks],
            items_of=framework_ids,
            crosswalks=[c.id for c in dataset.crosswalks],
            alignments_of=crosswalk_ids,
        )

        def write(connection: Connection) -> None:
            connection.execute(
                delete(AlignmentRow).where(AlignmentRow.crosswalk_id.in_(crosswalk_ids))
            )
            stale_items = select(ItemRow.uuid).where(ItemRow.framework_id.in_(framework_ids))
            connection.execute(delete(ItemAliasRow).where(ItemAliasRow.item_uuid.in_(stale_items)))
            connection.execute(delete(ItemRow).where(ItemRow.framework_id.in_(framework_ids)))
            _upsert(connection, FrameworkRow, [rows.framework_row(f) for f in dataset.frameworks])
            _upsert(connection, CrosswalkRow, [rows.crosswalk_row(c) for c in dataset.crosswalks])
            _insert(connection, dataset, frameworks=False, crosswalks=False)

        return self._write(
            write,
            expected_revision=expected_revision,
            unchanged=lambda c: _holds(c, part, dataset),
        )

    def initialise(self, seed: Callable[[], Dataset]) -> bool:
        """Load ``seed()`` if the store is empty; say whether it did.

        The seed is built outside the transaction (it may parse documents), and the
        store is checked again inside it, so two processes starting at once on an
        empty database do not both load it.
        """
        if not self.is_empty():
            return False
        dataset = seed()
        _check(dataset)
        return self._write(
            lambda connection: _insert(connection, dataset),
            unchanged=lambda c: bool(c.scalar(select(func.count()).select_from(FrameworkRow))),
            doing="cannot fill the empty database",
        )

    def _write(
        self,
        work: Callable[[Connection], None],
        *,
        expected_revision: int | None = None,
        unchanged: Callable[[Connection], bool],
        doing: str = "nothing was changed",
    ) -> bool:
        """Do ``work`` in one transaction that bumps the revision; say whether it did.

        Bumping first takes the write lock (the ``store_meta`` row on PostgreSQL, the
        database on SQLite) before anything else, so concurrent writers queue instead of
        deadlocking.  Holding the lock, ``unchanged`` compares what is stored with what
        would be written: if they are the same, everything is rolled back, the bump
        too, and nothing happened.  Otherwise the revision is compared with
        ``expected_revision`` (when given): a write committed since the caller read it
        means the caller's checks are stale, so nothing is written.  Database refusals
        become :class:`StoreError` after the rollback, with their cause and ``doing``.
        """
        try:
            with self.engine.connect() as connection, connection.begin() as transaction:
                bumped = connection.execute(
                    update(StoreMeta)
                    .where(StoreMeta.id == STORE_META_ID)
                    .values(revision=StoreMeta.revision + 1)
                )
                if bumped.rowcount == 0:
                    connection.execute(insert(StoreMeta).values(id=STORE_META_ID, revision=1))
                if unchanged(connection):
                    transaction.rollback()
                    return False
                if expected_revision is not None:
                    revision = connection.scalar(
                        select(StoreMeta.revision).where(StoreMeta.id == STORE_META_ID)
                    )
                    if revision != expected_revision + 1:
                        raise StoreError(
                            "the database changed while importing; nothing was changed",
                            Cause.CONFLICT,
                        )
                work(connection)
        except DBAPIError as error:
            raise failure(error, doing) from error
        return True


@dataclass(frozen=True)
class _Part:
    """The part of the store a :meth:`Repository.save` of a dataset replaces (each
    ``None``: all of them)."""

    frameworks: Collection[str] | None = None  # framework records
    items_of: Collection[str] | None = None  # frameworks whose items are replaced
    crosswalks: Collection[str] | None = None  # crosswalk records
    alignments_of: Collection[str] | None = None  # crosswalks whose alignments are replaced


def _read(connection: Connection) -> Dataset:
    """The whole stored dataset, in :func:`_ordered` order."""
    return Dataset(
        frameworks=_frameworks(connection, None),
        items=_items(connection, None),
        crosswalks=_crosswalks(connection, None),
        alignments=_alignments(connection, None),
    )


def _holds(connection: Connection, part: _Part, dataset: Dataset) -> bool:
    """Whether ``part`` of the store already is what ``dataset`` would make it.

    The few records first, then the counts, then the many rows: a real change is
    mostly found before the items and alignments are read.
    """
    given = _ordered(dataset)
    return (
        _frameworks(connection, part.frameworks) == given.frameworks
        and _crosswalks(connection, part.crosswalks) == given.crosswalks
        and _count(connection, ItemRow.framework_id, part.items_of) == len(given.items)
        and _count(connection, AlignmentRow.crosswalk_id, part.alignments_of)
        == len(given.alignments)
        and _items(connection, part.items_of) == given.items
        and _alignments(connection, part.alignments_of) == given.alignments
    )


def _only(statement: Select[Any], column: Any, ids: Collection[str] | None) -> Select[Any]:
    return statement if ids is None else statement.where(column.in_(ids))


def _fetch(connection: Connection, statement: Select[Any]) -> Sequence[Any]:
    return connection.execute(statement).mappings().all()


def _count(connection: Connection, column: Any, ids: Collection[str] | None) -> int:
    statement = _only(select(func.count()).select_from(column.table), column, ids)
    return int(connection.scalar(statement) or 0)


def _frameworks(connection: Connection, ids: Collection[str] | None) -> list[Framework]:
    found = _fetch(connection, _only(select(FrameworkRow), FrameworkRow.id, ids))
    return sorted((rows.framework_of(r) for r in found), key=_by_id)


def _crosswalks(connection: Connection, ids: Collection[str] | None) -> list[Crosswalk]:
    found = _fetch(connection, _only(select(CrosswalkRow), CrosswalkRow.id, ids))
    return sorted((rows.crosswalk_of(r) for r in found), key=_by_id)


def _items(connection: Connection, framework_ids: Collection[str] | None) -> list[Item]:
    item_rows = _fetch(connection, _only(select(ItemRow), ItemRow.framework_id, framework_ids))
    with_item = select(ItemAliasRow).join(ItemRow, ItemRow.uuid == ItemAliasRow.item_uuid)
    alias_rows = _fetch(
        connection,
        _only(with_item, ItemRow.framework_id, framework_ids).order_by(
            ItemAliasRow.item_uuid, ItemAliasRow.position
        ),
    )
    aliases: dict[Any, list[Alias]] = defaultdict(list)
    for row in alias_rows:
        aliases[row["item_uuid"]].append(rows.alias_of(row))
    items = (rows.item_of(r, tuple(aliases.get(r["uuid"], ()))) for r in item_rows)
    return sorted(items, key=_item_order)


def _alignments(connection: Connection, crosswalk_ids: Collection[str] | None) -> list[Alignment]:
    statement = _only(select(AlignmentRow), AlignmentRow.crosswalk_id, crosswalk_ids)
    found = _fetch(
        connection,
        statement.order_by(AlignmentRow.crosswalk_id, AlignmentRow.position, AlignmentRow.id),
    )
    # Grouped by crosswalk again in Python, whose string order is the same everywhere.
    return sorted((rows.alignment_of(r) for r in found), key=_alignment_order)


def _ordered(dataset: Dataset) -> Dataset:
    """``dataset`` in the order :meth:`Repository.load` gives, so two compare equal
    exactly when storing one would store the other.

    Alignments keep their given order among equal positions: that is their insertion
    order, which the store keeps (``ORDER BY position, id``).  Python's sort is stable
    and, unlike SQL collations, the same on every engine.
    """
    return Dataset(
        frameworks=sorted(dataset.frameworks, key=_by_id),
        items=sorted(dataset.items, key=_item_order),
        crosswalks=sorted(dataset.crosswalks, key=_by_id),
        alignments=sorted(dataset.alignments, key=_alignment_order),
    )


# -- helpers -------------------------------------------------------------------------


def _by_id(record: Any) -> str:
    return str(record.id)


def _item_order(item: Item) -> tuple[Any, ...]:
    return (item.framework, item.position, code_sort_key(item.code), item.code)


def _alignment_order(alignment: Alignment) -> tuple[str, int]:
    return (alignment.crosswalk, alignment.position)


def _insert(
    connection: Connection, dataset: Dataset, *, frameworks: bool = True, crosswalks: bool = True
) -> None:
    """Bulk inserts, parents first: one executemany per table keeps large imports fast."""
    if frameworks:
        _insert_many(connection, FrameworkRow, [rows.framework_row(f) for f in dataset.frameworks])
    _insert_many(connection, ItemRow, [rows.item_row(i) for i in dataset.items])
    _insert_many(connection, ItemAliasRow, [r for i in dataset.items for r in rows.alias_rows(i)])
    if crosswalks:
        _insert_many(connection, CrosswalkRow, [rows.crosswalk_row(c) for c in dataset.crosswalks])
    _insert_many(connection, AlignmentRow, [rows.alignment_row(a) for a in dataset.alignments])


def _insert_many(connection: Connection, table: type[Any], records: list[rows.Row]) -> None:
    if records:
        connection.execute(insert(table), records)


def _upsert(connection: Connection, table: type[Any], records: list[rows.Row]) -> None:
    """Insert or update by primary key ``id``; portable, and there are only a few rows."""
    if not records:
        return
    ids = [r["id"] for r in records]
    existing = set(connection.scalars(select(table.id).where(table.id.in_(ids))))
    for record in records:
        if record["id"] in existing:
            connection.execute(update(table).where(table.id == record["id"]).values(record))
    _insert_many(connection, table, [r for r in records if r["id"] not in existing])


def _check(dataset: Dataset) -> None:
    """Refuse, with a readable reason, what the database would refuse cryptically.

    Duplicate keys and dangling references are the usual mistakes of an import; the
    database would catch the duplicates too, but only as an engine-specific message.
    """
    problems: list[str] = []
    problems += _duplicates("framework", (f.id for f in dataset.frameworks))
    problems += _duplicates("item", (f"{i.framework}:{i.code}" for i in dataset.items))
    problems += _duplicates("crosswalk", (c.id for c in dataset.crosswalks))
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


def _duplicates(what: str, keys: Iterable[str]) -> list[str]:
    repeated = sorted(key for key, count in Counter(keys).items() if count > 1)
    return [f"duplicate {what} {_few(repeated)}"] if repeated else []


def _few(values: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
