"""The event log read back: what changed after a revision, of one object, of a scope.

Every applied change leaves one row in ``events`` (see :mod:`crosswalk.store.changes`);
readers catch up by applying the events after the revision they hold, and history
pages read an object's or a framework's or crosswalk's events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from crosswalk.states import State
from crosswalk.store.curation_tables import EventRow


@dataclass(frozen=True, slots=True)
class Event:
    """One applied change to one object, as the append-only log keeps it."""

    id: int
    revision: int
    change_set: int
    at: str
    actor: str
    action: str
    kind: str
    key: str
    scope: str
    version: int
    before: State | None
    after: State | None


def event_of(row: Any) -> Event:
    return Event(
        id=row.id,
        revision=row.revision,
        change_set=row.change_set_id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        kind=row.kind,
        key=row.key,
        scope=row.scope,
        version=row.version,
        before=row.before,
        after=row.after,
    )


def events_since(connection: Connection, revision: int, upto: int | None = None) -> list[Event]:
    """The events written after store revision ``revision`` (up to ``upto``), in order."""
    query = select(EventRow).where(EventRow.revision > revision)
    if upto is not None:
        query = query.where(EventRow.revision <= upto)
    return [event_of(r) for r in connection.execute(query.order_by(EventRow.id))]


def events_of_change_set(connection: Connection, change_set: int) -> list[Event]:
    query = select(EventRow).where(EventRow.change_set_id == change_set).order_by(EventRow.id)
    return [event_of(r) for r in connection.execute(query)]


def events_where(
    connection: Connection,
    *,
    kind: str | None = None,
    key: str | None = None,
    scope: str | None = None,
    action: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = True,
) -> list[Event]:
    """Events of one object (``kind`` and ``key``), of one framework or crosswalk
    (``scope``), or all of them; only of one ``action`` (add, update, remove) if given."""
    query = select(EventRow)
    if kind is not None:
        query = query.where(EventRow.kind == kind)
    if key is not None:
        query = query.where(EventRow.key == key)
    if scope is not None:
        query = query.where(EventRow.scope == scope)
    if action is not None:
        query = query.where(EventRow.action == action)
    query = query.order_by(EventRow.id.desc() if newest_first else EventRow.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [event_of(r) for r in connection.execute(query)]


def count_events_since(connection: Connection, revision: int) -> int:
    query = select(func.count()).select_from(EventRow).where(EventRow.revision > revision)
    return int(connection.scalar(query) or 0)
