"""The only door to stored data: whole datasets in, whole datasets out.

The query layer works on model objects (see :mod:`crosswalk.catalog`), so the
repository offers no row-level API; it loads everything, or writes a dataset as one
transaction.  Every write either completes or leaves the database exactly as it was,
and bumps a revision counter that readers use to know when their copy is stale.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from crosswalk.model import Alias, Dataset, Item, code_sort_key
from crosswalk.store import rows
from crosswalk.store.tables import (
    STORE_META_ID,
    AlignmentRow,
    CrosswalkRow,
    FrameworkRow,
    ItemAliasRow,
    ItemRow,
    StoreMeta,
)


class StoreError(Exception):
    """A write was refused or failed; nothing was changed in the database."""


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
            alignment_rows = (
                connection.execute(
                    select(AlignmentRow).order_by(
                        AlignmentRow.crosswalk_id, AlignmentRow.position, AlignmentRow.id
                    )
                )
                .mappings()
                .all()
            )

        aliases: dict[Any, list[Alias]] = defaultdict(list)
        for row in alias_rows:
            aliases[row["item_uuid"]].append(rows.alias_of(row))
        items = [rows.item_of(row, tuple(aliases.get(row["uuid"], ()))) for row in item_rows]
        items.sort(key=_item_order)
        alignments = [rows.alignment_of(row) for row in alignment_rows]
        # The SQL order above already groups by crosswalk; re-sort so that the
        # crosswalk ids compare as Python strings, as frameworks and crosswalks do.
        alignments.sort(key=lambda a: a.crosswalk)
        return Dataset(
            frameworks=sorted((rows.framework_of(r) for r in framework_rows), key=_by_id),
            items=items,
            crosswalks=sorted((rows.crosswalk_of(r) for r in crosswalk_rows), key=_by_id),
            alignments=alignments,
        )

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

    def replace(self, dataset: Dataset) -> None:
        """Make the store hold exactly ``dataset``, or leave it untouched on failure."""
        _check(dataset)
        with self._writing() as connection:
            for table in (AlignmentRow, CrosswalkRow, ItemAliasRow, ItemRow, FrameworkRow):
                connection.execute(delete(table))
            _insert(connection, dataset)

    def save(self, dataset: Dataset, *, expected_revision: int | None = None) -> None:
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
        :class:`StoreError` says to run the import again.
        """
        _check(dataset)
        framework_ids = sorted({i.framework for i in dataset.items})
        crosswalk_ids = sorted({a.crosswalk for a in dataset.alignments})
        with self._writing(expected_revision) as connection:
            connection.execute(
                delete(AlignmentRow).where(AlignmentRow.crosswalk_id.in_(crosswalk_ids))
            )
            stale_items = select(ItemRow.uuid).where(ItemRow.framework_id.in_(framework_ids))
            connection.execute(delete(ItemAliasRow).where(ItemAliasRow.item_uuid.in_(stale_items)))
            connection.execute(delete(ItemRow).where(ItemRow.framework_id.in_(framework_ids)))
            _upsert(connection, FrameworkRow, [rows.framework_row(f) for f in dataset.frameworks])
            _upsert(connection, CrosswalkRow, [rows.crosswalk_row(c) for c in dataset.crosswalks])
            _insert(connection, dataset, frameworks=False, crosswalks=False)

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
        with self._writing() as connection:
            if connection.scalar(select(func.count()).select_from(FrameworkRow)):
                return False
            _insert(connection, dataset)
        return True

    @contextmanager
    def _writing(self, expected_revision: int | None = None) -> Iterator[Connection]:
        """One transaction that bumps the revision first, then does the caller's work.

        Bumping first takes the write lock (the ``store_meta`` row on PostgreSQL, the
        database on SQLite) before anything else, so concurrent writers queue instead of
        deadlocking.  Holding the lock, the revision is compared with
        ``expected_revision`` (when given): a write committed since the caller read it
        means the caller's checks are stale, so nothing is written.  Database refusals
        become :class:`StoreError` after the rollback.
        """
        try:
            with self.engine.begin() as connection:
                bumped = connection.execute(
                    update(StoreMeta)
                    .where(StoreMeta.id == STORE_META_ID)
                    .values(revision=StoreMeta.revision + 1)
                )
                if bumped.rowcount == 0:
                    connection.execute(insert(StoreMeta).values(id=STORE_META_ID, revision=1))
                if expected_revision is not None:
                    revision = connection.scalar(
                        select(StoreMeta.revision).where(StoreMeta.id == STORE_META_ID)
                    )
                    if revision != expected_revision + 1:
                        raise StoreError(
                            "the database changed while importing; run the import again "
                            "(nothing was changed)"
                        )
                yield connection
        except DBAPIError as error:
            reason = str(error.orig).strip().splitlines()
            raise StoreError(
                "the database refused the data; nothing was changed: " + " ".join(reason)
            ) from error


# -- helpers -------------------------------------------------------------------------


def _by_id(record: Any) -> str:
    return str(record.id)


def _item_order(item: Item) -> tuple[Any, ...]:
    return (item.framework, item.position, code_sort_key(item.code), item.code)


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
