"""Releases as stored rows: a name, what it is of, and a frozen copy of every object.

A release keeps its own copy of each object it covers (``release_objects``), written
once and never changed.  Reading a release is then one query, exact whatever happened
since, and independent of the event log: the copy is the release.  (Reconstructing a
release from the log instead would save space but make every read of an old release
replay history, and a bug in that replay would silently change what was released.)

A framework's release holds the framework and its items; a crosswalk's holds the
crosswalk, its alignments and both its frameworks with their items, so a released
crosswalk can be shown and exported exactly as it was, names of items included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from crosswalk.model import Dataset, alignment_order, item_order
from crosswalk.states import Record, key_of, kind_of, restore, state
from crosswalk.store.curation_tables import ReleaseObjectRow, ReleaseRow, ReleaseScopeRow
from crosswalk.store.errors import StoreError

# The release every database seeded with the bundled data starts with.
INITIAL_RELEASE = "as-printed"
INITIAL_TITLE = "As printed in the source documents"


@dataclass(frozen=True, slots=True)
class Release:
    """A named, immutable version of some frameworks and crosswalks."""

    name: str
    title: str
    note: str
    actor: str
    created: str
    store_revision: int
    scopes: tuple[tuple[str, str], ...]  # (framework | crosswalk, id)

    def covers(self, kind: str, scope_id: str) -> bool:
        return (kind, scope_id) in self.scopes


def create(
    connection: Connection,
    *,
    name: str,
    title: str,
    note: str,
    actor: str,
    at: str,
    store_revision: int,
    scopes: Sequence[tuple[str, str]],
    current: Dataset,
    revisions: dict[tuple[str, str], int],
) -> Release:
    """Write a release of ``scopes`` from ``current`` (the stored data, read in the
    caller's transaction, with each object's revision)."""
    if connection.scalar(select(ReleaseRow.id).where(ReleaseRow.name == name)) is not None:
        raise StoreError(f"a release named {name!r} exists already; releases never change")
    released = scoped(current, scopes)
    release_id = connection.execute(
        insert(ReleaseRow).values(
            name=name,
            title=title,
            note=note,
            actor=actor,
            created=at,
            store_revision=store_revision,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    connection.execute(
        insert(ReleaseScopeRow),
        [{"release_id": release_id, "kind": k, "scope_id": s} for k, s in sorted(set(scopes))],
    )
    records: list[Record] = [
        *released.frameworks,
        *released.crosswalks,
        *released.items,
        *released.alignments,
    ]
    objects = [
        {
            "release_id": release_id,
            "kind": kind_of(r),
            "key": key_of(r),
            "version": revisions.get((kind_of(r), key_of(r)), 1),
            "state": state(r),
        }
        for r in records
    ]
    for start in range(0, len(objects), 1000):
        connection.execute(insert(ReleaseObjectRow), objects[start : start + 1000])
    return Release(name, title, note, actor, at, store_revision, tuple(sorted(set(scopes))))


def scoped(data: Dataset, scopes: Sequence[tuple[str, str]]) -> Dataset:
    """What a release of ``scopes`` holds, taken from ``data``."""
    frameworks = {s for k, s in scopes if k == "framework"}
    crosswalk_ids = {s for k, s in scopes if k == "crosswalk"}
    known_f = {f.id for f in data.frameworks}
    known_c = {c.id: c for c in data.crosswalks}
    unknown = sorted(frameworks - known_f) + sorted(crosswalk_ids - set(known_c))
    if unknown:
        raise StoreError(f"nothing to release under {', '.join(map(repr, unknown))}: unknown id")
    if not frameworks and not crosswalk_ids:
        raise StoreError("a release needs at least one framework or crosswalk")
    for crosswalk_id in crosswalk_ids:
        crosswalk = known_c[crosswalk_id]
        frameworks |= {crosswalk.source_framework, crosswalk.target_framework}
    return Dataset(
        frameworks=[f for f in data.frameworks if f.id in frameworks],
        items=[i for i in data.items if i.framework in frameworks],
        crosswalks=[c for c in data.crosswalks if c.id in crosswalk_ids],
        alignments=[a for a in data.alignments if a.crosswalk in crosswalk_ids],
    )


def _of(row: Any, scopes: tuple[tuple[str, str], ...]) -> Release:
    return Release(
        row.name,
        row.title,
        row.note,
        row.actor,
        row.created,
        row.store_revision,
        scopes,
    )


def listed(connection: Connection) -> list[Release]:
    """Every release, newest first."""
    scopes: dict[int, list[tuple[str, str]]] = {}
    for release_id, kind, scope_id in connection.execute(
        select(ReleaseScopeRow.release_id, ReleaseScopeRow.kind, ReleaseScopeRow.scope_id)
    ):
        scopes.setdefault(release_id, []).append((kind, scope_id))
    rows = connection.execute(select(ReleaseRow).order_by(ReleaseRow.id.desc()))
    return [_of(r, tuple(sorted(scopes.get(r.id, [])))) for r in rows]


def find(connection: Connection, name: str) -> tuple[int, Release] | None:
    row = connection.execute(select(ReleaseRow).where(ReleaseRow.name == name)).first()
    if row is None:
        return None
    scopes = connection.execute(
        select(ReleaseScopeRow.kind, ReleaseScopeRow.scope_id).where(
            ReleaseScopeRow.release_id == row.id
        )
    ).all()
    return row.id, _of(row, tuple(sorted((k, s) for k, s in scopes)))


def objects(connection: Connection, release_id: int) -> Dataset:
    """The released objects, as a dataset in the store's usual order."""
    data = Dataset()
    lists: dict[str, list[Any]] = {
        "framework": data.frameworks,
        "crosswalk": data.crosswalks,
        "item": data.items,
        "alignment": data.alignments,
    }
    query = select(ReleaseObjectRow.kind, ReleaseObjectRow.state).where(
        ReleaseObjectRow.release_id == release_id
    )
    for kind, saved in connection.execute(query):
        lists[kind].append(restore(kind, saved))
    data.frameworks.sort(key=lambda f: f.id)
    data.crosswalks.sort(key=lambda c: c.id)
    data.items.sort(key=item_order)
    data.alignments.sort(key=alignment_order)
    return data
