"""What an import would change, record by record, for ``--check`` and the report.

Importing updates each framework and crosswalk in the file, replaces the items of each
framework the file gives items of and the alignments of each crosswalk it gives
alignments of (see ``Repository.save``), so the difference is computed in exactly that
scope: records the file does not replace are never reported, because they are never
touched.  :func:`kept` names the frameworks and crosswalks in the file whose items or
alignments stay as stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from crosswalk.model import Alignment, Dataset


@dataclass(frozen=True, slots=True)
class Change:
    record: str  # framework | item | crosswalk | alignment
    action: str  # added | changed | removed
    key: str
    fields: tuple[str, ...] = ()  # for "changed": the fields whose values differ


def diff(before: Dataset, after: Dataset) -> list[Change]:
    frameworks = {i.framework for i in after.items}
    crosswalks = {a.crosswalk for a in after.alignments}
    changes: list[Change] = []
    changes += _compare(
        "framework",
        _by(before.frameworks, _id, {f.id for f in after.frameworks}, _id),
        _by(after.frameworks, _id),
    )
    changes += _compare(
        "item",
        {f"{i.framework}:{i.code}": i for i in before.items if i.framework in frameworks},
        {f"{i.framework}:{i.code}": i for i in after.items},
    )
    changes += _compare(
        "crosswalk",
        _by(before.crosswalks, _id, {c.id for c in after.crosswalks}, _id),
        _by(after.crosswalks, _id),
    )
    changes += _compare(
        "alignment",
        _alignments(a for a in before.alignments if a.crosswalk in crosswalks),
        _alignments(after.alignments),
    )
    return changes


def kept(before: Dataset, after: Dataset) -> list[str]:
    """What an import leaves as stored although its owner is in the file, one line each.

    ``framework imh: items kept: not in the file (139 stored)``; only frameworks and
    crosswalks that have stored items or alignments are named.
    """
    items = Counter(i.framework for i in before.items)
    alignments = Counter(a.crosswalk for a in before.alignments)
    given_items = {i.framework for i in after.items}
    given_alignments = {a.crosswalk for a in after.alignments}
    lines = [
        f"framework {f.id}: items kept: not in the file ({items[f.id]} stored)"
        for f in after.frameworks
        if f.id not in given_items and items[f.id]
    ]
    lines += [
        f"crosswalk {c.id}: alignments kept: not in the file ({alignments[c.id]} stored)"
        for c in after.crosswalks
        if c.id not in given_alignments and alignments[c.id]
    ]
    return lines


def _id(record: Any) -> str:
    return str(record.id)


def _by(
    records: Iterable[Any], key: Any, only: set[str] | None = None, of: Any = None
) -> dict[str, Any]:
    return {key(r): r for r in records if only is None or of(r) in only}


def _alignments(alignments: Iterable[Alignment]) -> dict[str, Alignment]:
    """Key by the link itself (plus a counter for repeats), not by position.

    Inserting one row in the middle of a crosswalk then reports one addition, not a
    change to every row after it.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    keyed = {}
    for a in sorted(alignments, key=lambda a: (a.crosswalk, a.position)):
        link = (a.crosswalk, a.source_code, a.target_code or "∅")
        seen[link] += 1
        keyed[
            f"{link[0]}: {link[1]} → {link[2]}" + (f" #{seen[link]}" if seen[link] > 1 else "")
        ] = a
    return keyed


def _compare(record: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    changes = [Change(record, "added", k) for k in after if k not in before]
    changes += [
        Change(record, "changed", k, _differing(before[k], after[k]))
        for k in after
        if k in before and before[k] != after[k]
    ]
    changes += [Change(record, "removed", k) for k in before if k not in after]
    return changes


def _differing(before: Any, after: Any) -> tuple[str, ...]:
    return tuple(
        f.name for f in fields(before) if getattr(before, f.name) != getattr(after, f.name)
    )
