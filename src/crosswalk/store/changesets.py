"""Change sets and their operations as stored rows (the SQL behind curation).

A change set moves draft → submitted → approved | rejected | withdrawn.  Until it is
approved its operations live in ``operations`` and the data is untouched; approval
applies them (:func:`crosswalk.store.changes.apply`) and records what changed in
``events``.  The rules for who may move a change set where are the curation
library's (:mod:`crosswalk.curation`); this module only reads and writes rows, always
inside a transaction the caller holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from crosswalk.store.changes import Operation
from crosswalk.store.curation_tables import ChangeSetRow, EventRow, OperationRow

STATUSES = ("draft", "submitted", "approved", "rejected", "withdrawn")
OPEN = ("draft", "submitted")


def utc_now() -> str:
    """Now, as the ISO 8601 text every curation record uses (``…T12:00:00Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """A proposed change: what, why, by whom, and where it stands."""

    id: int
    title: str
    reason: str
    kind: str  # edit | import | initial | revert | edition
    author: str
    status: str
    created: str
    updated: str
    reviewer: str = ""
    comment: str = ""
    reviewed: str = ""
    applied_revision: int | None = None
    reverts: int | None = None
    size: int = 0  # objects it changes (operations, or for one applied at once, events)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def _of(row: Any, size: int = 0) -> ChangeSet:
    return ChangeSet(
        id=row.id,
        title=row.title,
        reason=row.reason,
        kind=row.kind,
        author=row.author,
        status=row.status,
        created=row.created,
        updated=row.updated,
        reviewer=row.reviewer,
        comment=row.comment,
        reviewed=row.reviewed,
        applied_revision=row.applied_revision,
        reverts=row.reverts,
        size=size,
    )


def create(
    connection: Connection,
    *,
    title: str,
    reason: str,
    kind: str,
    author: str,
    status: str = "draft",
    reverts: int | None = None,
    at: str | None = None,
) -> int:
    when = at or utc_now()
    result = connection.execute(
        insert(ChangeSetRow).values(
            title=title,
            reason=reason,
            kind=kind,
            author=author,
            status=status,
            created=when,
            updated=when,
            reviewer="",
            comment="",
            reviewed="",
            applied_revision=None,
            reverts=reverts,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def get(connection: Connection, change_set_id: int, *, lock: bool = False) -> ChangeSet | None:
    query = select(ChangeSetRow).where(ChangeSetRow.id == change_set_id)
    if lock:
        query = query.with_for_update()
    row = connection.execute(query).first()
    if row is None:
        return None
    return _of(row, count_operations(connection, change_set_id))


def listed(
    connection: Connection, statuses: Sequence[str] = (), limit: int = 200, offset: int = 0
) -> list[ChangeSet]:
    """Newest first; only the given statuses when some are named."""
    query = select(ChangeSetRow).order_by(ChangeSetRow.id.desc()).limit(limit).offset(offset)
    if statuses:
        query = query.where(ChangeSetRow.status.in_(list(statuses)))
    found = list(connection.execute(query))
    ids = [r.id for r in found]
    counts: dict[int, int] = {}
    for table in (OperationRow, EventRow):  # proposed operations, else what it did
        counts |= dict(
            connection.execute(
                select(table.change_set_id, func.count())
                .where(table.change_set_id.in_(ids))
                .group_by(table.change_set_id)
            ).all()
        )
    return [_of(r, int(counts.get(r.id, 0))) for r in found]


def set_fields(connection: Connection, change_set_id: int, **values: Any) -> None:
    connection.execute(
        update(ChangeSetRow)
        .where(ChangeSetRow.id == change_set_id)
        .values(updated=values.pop("updated", utc_now()), **values)
    )


def delete_change_set(connection: Connection, change_set_id: int) -> None:
    """Only for a change set that left no events (an import that changed nothing)."""
    connection.execute(delete(ChangeSetRow).where(ChangeSetRow.id == change_set_id))


# -- operations ------------------------------------------------------------------------


def operations(connection: Connection, change_set_id: int) -> list[Operation]:
    query = (
        select(OperationRow)
        .where(OperationRow.change_set_id == change_set_id)
        .order_by(OperationRow.position, OperationRow.id)
    )
    return [
        Operation(r.action, r.kind, r.key, r.base, r.before, r.after, r.note)
        for r in connection.execute(query)
    ]


def count_operations(connection: Connection, change_set_id: int) -> int:
    query = select(func.count()).where(OperationRow.change_set_id == change_set_id)
    return int(connection.scalar(query) or 0)


def put_operations(connection: Connection, change_set_id: int, new: Sequence[Operation]) -> None:
    """Add operations; one already there for the same object is replaced (an editor
    changing the same item twice in a draft keeps one operation, with the first base)."""
    if not new:
        return
    existing = {(o.kind, o.key): o for o in operations(connection, change_set_id)}
    position = connection.scalar(
        select(func.coalesce(func.max(OperationRow.position), -1)).where(
            OperationRow.change_set_id == change_set_id
        )
    )
    rows = []
    for offset, operation in enumerate(new, start=int(position or 0) + 1):
        earlier = existing.get((operation.kind, operation.key))
        if earlier is not None:
            operation = _merged(earlier, operation)
            remove_operation(connection, change_set_id, operation.kind, operation.key)
        if operation.action == "update" and operation.before == operation.after:
            continue  # edited back to what it was: nothing left to propose
        rows.append(
            {
                "change_set_id": change_set_id,
                "position": offset,
                "action": operation.action,
                "kind": operation.kind,
                "key": operation.key,
                "base": operation.base,
                "before": operation.before,
                "after": operation.after,
                "note": operation.note,
            }
        )
    if rows:
        connection.execute(insert(OperationRow), rows)
    set_fields(connection, change_set_id)


def _merged(earlier: Operation, later: Operation) -> Operation:
    """Two edits of one object in one draft: the first one's base, the last one's result."""
    if earlier.action == "add":
        if later.after is None:  # added, then removed again: an update of nothing
            return Operation("update", earlier.kind, earlier.key, None, None, None, later.note)
        return Operation("add", later.kind, later.key, None, None, later.after, later.note)
    action = "remove" if later.after is None else "update"
    return Operation(
        action, later.kind, later.key, earlier.base, earlier.before, later.after, later.note
    )


def remove_operation(connection: Connection, change_set_id: int, kind: str, key: str) -> bool:
    result = connection.execute(
        delete(OperationRow).where(
            OperationRow.change_set_id == change_set_id,
            OperationRow.kind == kind,
            OperationRow.key == key,
        )
    )
    return bool(result.rowcount)
