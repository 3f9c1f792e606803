"""Applying operations: the one way stored data changes, and the events it leaves.

An :class:`Operation` adds, updates or removes one framework, item, crosswalk or
alignment, naming the revision of the object it was based on.  :func:`apply` runs a
list of them inside a write transaction (see :func:`crosswalk.store.engine.writing`):

1. every base revision is compared with the stored one; any difference is a
   :class:`ConflictError` listing both versions of each object, and nothing is written
   — unless the object already is what the operation would make it (someone made the
   same change meanwhile): writing what is stored is harmless whatever came between;
2. operations that change nothing are dropped, so a write that changes nothing leaves
   no event and no new store revision;
3. the rows are written table by table in bulk, then the references among them are
   checked inside the same transaction (an item's parent, an alignment's ends, nothing
   left pointing at a removed item), so no concurrent write can strand a link;
4. one event per changed object is appended, and the store revision moves on by one.

Readers in other processes then apply just those events (:func:`events_since`), so
what a write costs them follows the size of the change, not of the data.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Column, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from crosswalk.model import Alignment, Crosswalk, Framework, Item, item_uuid
from crosswalk.states import (
    Record,
    State,
    describe,
    key_of,
    kind_of,
    restore,
    split_item_key,
    state,
)
from crosswalk.store import rows
from crosswalk.store.curation_tables import EventRow
from crosswalk.store.errors import Cause, StoreError
from crosswalk.store.references import check_references
from crosswalk.store.tables import (
    STORE_META_ID,
    AlignmentRow,
    CrosswalkRow,
    FrameworkRow,
    ItemAliasRow,
    ItemRow,
    StoreMeta,
)

Action = Literal["add", "update", "remove"]
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Operation:
    """One proposed change to one object; ``before`` is the object at revision ``base``."""

    action: str  # add | update | remove
    kind: str  # framework | crosswalk | item | alignment
    key: str
    base: int | None = None
    before: State | None = None
    after: State | None = None
    note: str = ""
    # The object ``after`` describes, when the operation was made from it (not stored:
    # saves reading the state back when a large import is applied at once).
    record: Record | None = field(default=None, compare=False, repr=False)

    @classmethod
    def add(cls, record: Record, note: str = "") -> Operation:
        return cls("add", kind_of(record), key_of(record), None, None, state(record), note, record)

    @classmethod
    def update(cls, before: Record, after: Record, base: int, note: str = "") -> Operation:
        if key_of(before) != key_of(after):
            raise ValueError("an update keeps the object's key; remove and add instead")
        return cls(
            "update", kind_of(after), key_of(after), base, state(before), state(after), note, after
        )

    @classmethod
    def remove(cls, record: Record, base: int, note: str = "") -> Operation:
        return cls("remove", kind_of(record), key_of(record), base, state(record), None, note)

    @property
    def scope(self) -> str:
        return scope_of_state(self.kind, self.after if self.after is not None else self.before)

    @property
    def changes_nothing(self) -> bool:
        return self.action == "update" and self.before == self.after


def scope_of_state(kind: str, data: State | None) -> str:
    """The framework or crosswalk an object's history belongs to (``framework:imh``)."""
    assert data is not None
    if kind == "framework":
        return f"framework:{data['id']}"
    if kind == "item":
        return f"framework:{data['framework']}"
    if kind == "crosswalk":
        return f"crosswalk:{data['id']}"
    return f"crosswalk:{data['crosswalk']}"


@dataclass(frozen=True, slots=True)
class Clash:
    """An operation based on a revision that is no longer the stored one."""

    kind: str
    key: str
    base: int | None
    current: int | None
    stored: State | None  # the object as it is now (None: it no longer exists)
    proposed: State | None  # what the operation would have made of it

    @property
    def what(self) -> str:
        return describe(self.kind, self.key, self.stored, self.proposed)

    def __str__(self) -> str:
        what = self.what
        if self.base is None:
            return f"{what} already exists (revision {self.current}); it was added meanwhile"
        if self.current is None:
            return f"{what} was edited at revision {self.base} but has been removed since"
        return (
            f"{what} was edited at revision {self.base} but is at revision {self.current} "
            "now: someone changed it in the meantime"
        )


class ConflictError(StoreError):
    """Operations based on stale revisions; nothing was written.  ``clashes`` holds
    both versions of each object, for the person to decide."""

    def __init__(self, clashes: Sequence[Clash]) -> None:
        self.clashes = list(clashes)
        shown = "; ".join(str(c) for c in self.clashes[:5])
        more = len(self.clashes) - 5
        super().__init__(
            f"conflict: {shown}"
            + (f" and {more} more" if more > 0 else "")
            + "; nothing was changed",
            Cause.CONFLICT,
        )


# -- tables by kind ----------------------------------------------------------------------

_TABLES: dict[str, Table] = {
    "framework": FrameworkRow.__table__,  # type: ignore[dict-item]
    "crosswalk": CrosswalkRow.__table__,  # type: ignore[dict-item]
    "item": ItemRow.__table__,  # type: ignore[dict-item]
    "alignment": AlignmentRow.__table__,  # type: ignore[dict-item]
}
_ALIASES: Table = ItemAliasRow.__table__  # type: ignore[assignment]


def _primary(kind: str) -> Column[Any]:
    table = _TABLES[kind]
    return table.c.uuid if kind == "item" else table.c.id


def _pk_value(kind: str, key: str) -> Any:
    if kind == "item":
        return item_uuid(*split_item_key(key))
    if kind == "alignment":
        return uuid.UUID(key)
    return key


def row_of(record: Record) -> dict[str, Any]:
    if isinstance(record, Framework):
        return rows.framework_row(record)
    if isinstance(record, Crosswalk):
        return rows.crosswalk_row(record)
    if isinstance(record, Item):
        return rows.item_row(record)
    assert isinstance(record, Alignment)
    return rows.alignment_row(record)


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# -- reading versions --------------------------------------------------------------------


def versions(connection: Connection, kind: str, keys: Iterable[str]) -> dict[str, int]:
    """The stored revision of each of ``keys`` that exists."""
    wanted = list(dict.fromkeys(keys))
    table = _TABLES[kind]
    found: dict[str, int] = {}
    by_pk = {_pk_value(kind, k): k for k in wanted}
    for part in chunks(list(by_pk)):
        for pk, revision in connection.execute(
            select(_primary(kind), table.c.revision).where(_primary(kind).in_(part))
        ):
            found[by_pk[pk]] = revision
    return found


def stored_states(connection: Connection, kind: str, keys: Iterable[str]) -> dict[str, State]:
    """The stored objects among ``keys``, as states."""
    table = _TABLES[kind]
    wanted = [_pk_value(kind, k) for k in dict.fromkeys(keys)]
    found: dict[str, State] = {}
    for part in chunks(wanted):
        records = connection.execute(select(table).where(_primary(kind).in_(part))).mappings()
        for row in records:
            record = _record_of_row(connection, kind, row)
            found[key_of(record)] = state(record)
    return found


def _record_of_row(connection: Connection, kind: str, row: Any) -> Record:
    if kind == "framework":
        return rows.framework_of(row)
    if kind == "crosswalk":
        return rows.crosswalk_of(row)
    if kind == "alignment":
        return rows.alignment_of(row)
    aliases = connection.execute(
        select(_ALIASES).where(_ALIASES.c.item_uuid == row["uuid"]).order_by(_ALIASES.c.position)
    ).mappings()
    return rows.item_of(row, tuple(rows.alias_of(a) for a in aliases))


# -- applying ----------------------------------------------------------------------------


def apply(
    connection: Connection,
    operations: Sequence[Operation],
    *,
    change_set: int,
    actor: str,
    at: str,
) -> int | None:
    """Apply ``operations`` in the caller's write transaction; the new store revision,
    or ``None`` when nothing changed.  Raises :class:`ConflictError` (stale bases) or
    :class:`StoreError` (broken references); the caller's transaction then rolls back."""
    _refuse_repeats(operations)
    by_kind: dict[str, list[Operation]] = defaultdict(list)
    for operation in operations:
        by_kind[operation.kind].append(operation)
    clashes: list[Clash] = []
    for kind, group in by_kind.items():
        clashes += _clashes(connection, kind, group)
    settled = {(c.kind, c.key) for c in clashes if c.stored == c.proposed}
    clashes = [c for c in clashes if (c.kind, c.key) not in settled]
    if clashes:
        raise ConflictError(clashes)
    effective = [o for o in operations if not o.changes_nothing and (o.kind, o.key) not in settled]
    if not effective:
        return None
    current = connection.scalar(select(StoreMeta.revision).where(StoreMeta.id == STORE_META_ID))
    if current is None:
        connection.execute(insert(StoreMeta).values(id=STORE_META_ID, revision=0))
    revision = int(current or 0) + 1
    new_versions = _new_versions(connection, effective)
    written = [
        (o, o.record if o.record is not None else restore(o.kind, o.after))
        for o in effective
        if o.after is not None
    ]
    for kind in ("framework", "crosswalk", "item", "alignment"):
        _write(connection, kind, [(o, r) for o, r in written if o.kind == kind], new_versions)
    for kind in ("alignment", "item", "crosswalk", "framework"):
        _remove(connection, kind, [o for o in effective if o.kind == kind and o.after is None])
    removed = [restore(o.kind, o.before) for o in effective if o.after is None and o.before]
    check_references(connection, [r for _, r in written], removed)
    connection.execute(
        insert(EventRow),
        [
            {
                "revision": revision,
                "change_set_id": change_set,
                "at": at,
                "actor": actor,
                "action": o.action,
                "kind": o.kind,
                "key": o.key,
                "scope": o.scope,
                "version": new_versions[(o.kind, o.key)],
                "before": o.before,
                "after": o.after,
            }
            for o in effective
        ],
    )
    connection.execute(
        update(StoreMeta).where(StoreMeta.id == STORE_META_ID).values(revision=revision)
    )
    return revision


def _refuse_repeats(operations: Sequence[Operation]) -> None:
    seen: set[tuple[str, str]] = set()
    for operation in operations:
        name = (operation.kind, operation.key)
        if name in seen:
            raise StoreError(f"{operation.kind} {operation.key} is changed twice in one change")
        seen.add(name)


def _clashes(connection: Connection, kind: str, group: list[Operation]) -> list[Clash]:
    stored = versions(connection, kind, (o.key for o in group))
    found = [
        (o, stored.get(o.key))
        for o in group
        if (o.base is None and o.key in stored)
        or (o.base is not None and stored.get(o.key) != o.base)
    ]
    if not found:
        return []
    states = stored_states(connection, kind, (o.key for o, _ in found))
    return [Clash(kind, o.key, o.base, current, states.get(o.key), o.after) for o, current in found]


def _new_versions(
    connection: Connection, operations: Sequence[Operation]
) -> dict[tuple[str, str], int]:
    """Each object's revision after the write; a re-added object continues its series."""
    result = {(o.kind, o.key): (o.base or 0) + 1 for o in operations if o.base is not None}
    adds: dict[str, list[str]] = defaultdict(list)
    for o in operations:
        if o.base is None:
            adds[o.kind].append(o.key)
    for kind, keys in adds.items():
        last: dict[str, int] = {}
        for part in chunks(keys):
            query = (
                select(EventRow.key, func.max(EventRow.version))
                .where(EventRow.kind == kind, EventRow.key.in_(part))
                .group_by(EventRow.key)
            )
            last.update({key: int(version) for key, version in connection.execute(query)})
        for key in keys:
            result[(kind, key)] = last.get(key, 0) + 1
    return result


def _write(
    connection: Connection,
    kind: str,
    written: list[tuple[Operation, Record]],
    new_versions: dict[tuple[str, str], int],
) -> None:
    """Insert the added rows and update the changed ones, each in one statement."""
    if not written:
        return
    table = _TABLES[kind]
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for operation, record in written:
        values = row_of(record) | {"revision": new_versions[(kind, operation.key)]}
        (added if operation.action == "add" else changed).append(values)
    if added:
        connection.execute(insert(table), added)
    if changed:
        pk = _primary(kind)
        connection.execute(
            update(table).where(pk == bindparam("key_")),
            [v | {"key_": v[pk.name]} for v in changed],
        )
    if kind == "item":
        items = [(o, r) for o, r in written if isinstance(r, Item)]
        updated = [r.uuid for o, r in items if o.action == "update"]
        for part in chunks(updated):
            connection.execute(delete(_ALIASES).where(_ALIASES.c.item_uuid.in_(part)))
        aliases = [a for _, r in items for a in rows.alias_rows(r)]
        if aliases:
            connection.execute(insert(_ALIASES), aliases)


def _remove(connection: Connection, kind: str, operations: list[Operation]) -> None:
    keys = [_pk_value(kind, o.key) for o in operations]
    for part in chunks(keys):
        if kind == "item":
            connection.execute(delete(_ALIASES).where(_ALIASES.c.item_uuid.in_(part)))
        connection.execute(delete(_TABLES[kind]).where(_primary(kind).in_(part)))
