"""History: what the append-only event log says about an object, a framework or a
crosswalk, and the whole log as CSV.

Every approved change leaves one event per changed object (who, when, which change
set, the object before and after), so an item's history tab, a crosswalk's, and
"who made this link, when" are all questions to the same log.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from crosswalk.catalog import Catalog
from crosswalk.states import State, item_key
from crosswalk.store import Repository
from crosswalk.store.curation_tables import EventRow
from crosswalk.store.events import Event, event_of, events_of_change_set, events_where

LOG_COLUMNS = (
    "event",
    "revision",
    "change_set",
    "at",
    "actor",
    "action",
    "kind",
    "key",
    "scope",
    "version",
    "fields",
    "before",
    "after",
)
PAGE = 1000


def changed_fields(event: Event) -> list[str]:
    """The fields an update changed (all of them for an add or a removal)."""
    return changed_between(event.action, event.before, event.after)


def changed_between(action: str, before: State | None, after: State | None) -> list[str]:
    """The fields an update changes (none for an add or a removal: all of it is)."""
    if action != "update":
        return []
    old, new = before or {}, after or {}
    names = list(dict.fromkeys([*old, *new]))
    return [n for n in names if old.get(n) != new.get(n)]


def recent(repository: Repository, limit: int = 50) -> list[Event]:
    """The latest events of everything, newest first."""
    with repository.engine.connect() as connection:
        return events_where(connection, limit=limit)


def of_object(repository: Repository, kind: str, key: str, limit: int = 200) -> list[Event]:
    """One object's events, newest first."""
    with repository.engine.connect() as connection:
        return events_where(connection, kind=kind, key=key, limit=limit)


def of_item(
    repository: Repository, catalog: Catalog, framework: str, code: str, limit: int = 200
) -> list[Event]:
    """An item's events and those of its links, newest first: the links it has in
    ``catalog`` and those removed since (found among the removals of the crosswalks
    whose side it is on), so a removed link — or a retired item's — stays in its
    history."""
    links = catalog.outgoing.get((framework, code), []) + catalog.incoming.get(
        (framework, code), []
    )
    current = {a.id for a in links}
    sides = [
        (crosswalk.id, side)
        for crosswalk in catalog.crosswalks.values()
        for side, on in (
            ("source_code", crosswalk.source_framework),
            ("target_code", crosswalk.target_framework),
        )
        if on == framework
    ]
    found: list[Event] = []
    with repository.engine.connect() as connection:
        removed = {
            event.key
            for crosswalk_id, side in sides
            for event in _removals(connection, crosswalk_id)
            if (event.before or {}).get(side) == code
        }
        keys = [("item", item_key(framework, code))]
        keys += [("alignment", key) for key in sorted(current | removed)]
        for kind, key in keys:
            found += events_where(connection, kind=kind, key=key, limit=limit)
    return sorted(found, key=lambda e: e.id, reverse=True)[:limit]


def _removals(connection: Connection, crosswalk: str) -> Iterator[Event]:
    """The links removed from a crosswalk, a page at a time (memory stays bounded;
    the work follows the number of removals, not the size of the crosswalk)."""
    offset = 0
    while True:
        page = events_where(
            connection,
            kind="alignment",
            scope=f"crosswalk:{crosswalk}",
            action="remove",
            limit=PAGE,
            offset=offset,
        )
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def of_change_set(repository: Repository, change_set: int) -> list[Event]:
    """The events an approved change set left, in the order it applied them."""
    with repository.engine.connect() as connection:
        return events_of_change_set(connection, change_set)


def of_scope(repository: Repository, kind: str, scope_id: str, limit: int = 500) -> list[Event]:
    """A framework's events (its record and items) or a crosswalk's (record and
    alignments), newest first."""
    with repository.engine.connect() as connection:
        return events_where(connection, scope=f"{kind}:{scope_id}", limit=limit)


@dataclass(frozen=True, slots=True)
class Made:
    """Who made an alignment and when, and who changed it last (from the log)."""

    by: str
    at: str
    change_set: int
    last_by: str
    last_at: str
    last_change_set: int


def makers(repository: Repository, alignment_ids: Iterable[str]) -> dict[str, Made]:
    """For each alignment id: the event that added it and the latest one."""
    wanted = sorted(set(alignment_ids))
    found: dict[str, list[Event]] = {}
    with repository.engine.connect() as connection:
        for start in range(0, len(wanted), 500):
            query = (
                select(EventRow)
                .where(EventRow.kind == "alignment", EventRow.key.in_(wanted[start : start + 500]))
                .order_by(EventRow.id)
            )
            for row in connection.execute(query):
                found.setdefault(row.key, []).append(event_of(row))
    result = {}
    for key, events in found.items():
        adds = [e for e in events if e.action == "add"]
        first = adds[-1] if adds else events[0]
        last = events[-1]
        result[key] = Made(
            first.actor, first.at, first.change_set, last.actor, last.at, last.change_set
        )
    return result


def log_rows(repository: Repository) -> Iterator[dict[str, str]]:
    """The whole log, oldest first, read a page at a time (memory stays bounded)."""
    after = 0
    while True:
        with repository.engine.connect() as connection:
            rows = connection.execute(
                select(EventRow).where(EventRow.id > after).order_by(EventRow.id).limit(PAGE)
            ).all()
        if not rows:
            return
        for row in rows:
            event = event_of(row)
            yield {
                "event": str(event.id),
                "revision": str(event.revision),
                "change_set": str(event.change_set),
                "at": event.at,
                "actor": event.actor,
                "action": event.action,
                "kind": event.kind,
                "key": event.key,
                "scope": event.scope,
                "version": str(event.version),
                "fields": ";".join(changed_fields(event)),
                "before": _json(event.before),
                "after": _json(event.after),
            }
        after = rows[-1].id


def _json(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def log_csv(repository: Repository) -> Iterator[str]:
    """The whole log as CSV text, in chunks (header first)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, LOG_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for count, row in enumerate(log_rows(repository), start=1):
        writer.writerow(row)
        if count % PAGE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
