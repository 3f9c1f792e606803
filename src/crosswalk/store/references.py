"""The references a write must leave whole, checked inside its own transaction.

Items point at their parents and alignments at their ends by code, without foreign
keys (see :mod:`crosswalk.store.tables`), so the database cannot keep them whole by
itself.  After a write's rows are in place, and before it commits, this module asks
the database (not a copy read earlier) whether every reference the write made or
touched still resolves: an item's framework and parent, an alignment's crosswalk and
both its ends, and nothing left pointing at an item, crosswalk or framework it
removed.  Only the objects the write names are looked at, so a small change costs a
few small queries whatever the size of the data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from crosswalk.model import Alignment, Crosswalk, Framework, Item
from crosswalk.states import Record
from crosswalk.store.errors import StoreError
from crosswalk.store.tables import AlignmentRow, CrosswalkRow, FrameworkRow, ItemRow

CHUNK = 500


def check_references(
    connection: Connection, written: Sequence[Record], removed: Sequence[Record]
) -> None:
    """Raise :class:`StoreError` naming every reference the write leaves broken:
    ``written`` are the objects added or updated, ``removed`` those taken out."""
    problems: list[str] = []
    problems += _item_references(connection, [r for r in written if isinstance(r, Item)])
    problems += _alignment_ends(connection, [r for r in written if isinstance(r, Alignment)])
    problems += _removed_items(connection, [r for r in removed if isinstance(r, Item)])
    problems += _removed_crosswalks(connection, [r for r in removed if isinstance(r, Crosswalk)])
    problems += _removed_frameworks(connection, [r for r in removed if isinstance(r, Framework)])
    if problems:
        shown = "; ".join(problems[:5])
        more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise StoreError(f"{shown}{more}; nothing was changed")


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _existing_codes(connection: Connection, wanted: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Which of the (framework, code) pairs asked for are stored items."""
    found: set[tuple[str, str]] = set()
    for framework, codes in wanted.items():
        for part in _chunks(sorted(codes)):
            query = select(ItemRow.code).where(
                ItemRow.framework_id == framework, ItemRow.code.in_(part)
            )
            found |= {(framework, code) for code in connection.scalars(query)}
    return found


def _existing(connection: Connection, column: Any, values: set[str]) -> set[str]:
    found: set[str] = set()
    for part in _chunks(sorted(values)):
        found |= set(connection.scalars(select(column).where(column.in_(part))))
    return found


def _item_references(connection: Connection, items: list[Item]) -> list[str]:
    frameworks = _existing(connection, FrameworkRow.id, {i.framework for i in items})
    problems = [
        f"item {i.code!r}: unknown framework {i.framework!r}"
        for i in items
        if i.framework not in frameworks
    ]
    parents: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if item.parent is not None:
            parents[item.framework].add(item.parent)
    found = _existing_codes(connection, parents)
    for item in items:
        if item.parent == item.code:
            problems.append(f"item {item.framework}:{item.code} cannot be its own parent")
        elif item.parent is not None and (item.framework, item.parent) not in found:
            problems.append(
                f"item {item.framework}:{item.code}: its parent {item.parent!r} "
                f"is not an item of {item.framework}"
            )
    return problems


def _alignment_ends(connection: Connection, alignments: list[Alignment]) -> list[str]:
    if not alignments:
        return []
    ends: dict[str, tuple[str, str]] = {}
    for part in _chunks(sorted({a.crosswalk for a in alignments})):
        query = select(
            CrosswalkRow.id, CrosswalkRow.source_framework_id, CrosswalkRow.target_framework_id
        ).where(CrosswalkRow.id.in_(part))
        ends.update({cid: (source, target) for cid, source, target in connection.execute(query)})
    wanted: dict[str, set[str]] = defaultdict(set)
    problems: list[str] = []
    for alignment in alignments:
        if alignment.crosswalk not in ends:
            problems.append(f"alignment {alignment.id}: unknown crosswalk {alignment.crosswalk!r}")
            continue
        source, target = ends[alignment.crosswalk]
        wanted[source].add(alignment.source_code)
        if alignment.target_code is not None:
            wanted[target].add(alignment.target_code)
    found = _existing_codes(connection, wanted)
    for alignment in alignments:
        if alignment.crosswalk not in ends:
            continue
        source, target = ends[alignment.crosswalk]
        for framework, code in ((source, alignment.source_code), (target, alignment.target_code)):
            if code is not None and (framework, code) not in found:
                problems.append(
                    f"alignment {alignment.crosswalk}: {alignment.source_code} → "
                    f"{alignment.target_code}: {code!r} is not an item of {framework!r}"
                )
    return problems


def _removed_items(connection: Connection, items: list[Item]) -> list[str]:
    by_framework: dict[str, set[str]] = defaultdict(set)
    for item in items:
        by_framework[item.framework].add(item.code)
    problems: list[str] = []
    for framework, codes in by_framework.items():
        for part in _chunks(sorted(codes)):
            children = connection.execute(
                select(ItemRow.code, ItemRow.parent_code).where(
                    ItemRow.framework_id == framework, ItemRow.parent_code.in_(part)
                )
            )
            problems += [
                f"item {framework}:{parent} is removed but its child {code!r} stays"
                for code, parent in children
            ]
            links = connection.execute(
                select(
                    AlignmentRow.crosswalk_id, AlignmentRow.source_code, AlignmentRow.target_code
                )
                .join(CrosswalkRow, CrosswalkRow.id == AlignmentRow.crosswalk_id)
                .where(
                    or_(
                        (CrosswalkRow.source_framework_id == framework)
                        & AlignmentRow.source_code.in_(part),
                        (CrosswalkRow.target_framework_id == framework)
                        & AlignmentRow.target_code.in_(part),
                    )
                )
            )
            problems += [
                f"item {framework}:{source if source in codes else target} is removed but "
                f"crosswalk {crosswalk} still links {source} → {target}"
                for crosswalk, source, target in links
            ]
    return problems


def _removed_crosswalks(connection: Connection, crosswalks: list[Crosswalk]) -> list[str]:
    ids = sorted(c.id for c in crosswalks)
    left = _existing(connection, AlignmentRow.crosswalk_id, set(ids))
    return [f"crosswalk {c} is removed but still holds alignments" for c in sorted(left)]


def _removed_frameworks(connection: Connection, frameworks: list[Framework]) -> list[str]:
    ids = {f.id for f in frameworks}
    problems = [
        f"framework {f} is removed but still holds items"
        for f in sorted(_existing(connection, ItemRow.framework_id, ids))
    ]
    for part in _chunks(sorted(ids)):
        query = select(CrosswalkRow.id).where(
            or_(
                CrosswalkRow.source_framework_id.in_(part),
                CrosswalkRow.target_framework_id.in_(part),
            )
        )
        problems += [
            f"a framework of crosswalk {c} is removed but the crosswalk stays"
            for c in connection.scalars(query)
        ]
    return problems
