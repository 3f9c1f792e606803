"""What an import would change, record by record, for ``--check`` and the report.

Importing replaces each framework in the file with its items and each crosswalk with
its alignments (see ``Repository.save``), so the difference is computed in exactly
that scope: records of frameworks and crosswalks the file does not mention are never
reported, because they are never touched.
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
    frameworks = {f.id for f in after.frameworks}
    crosswalks = {c.id for c in after.crosswalks}
    changes: list[Change] = []
    changes += _compare(
        "framework", _by(before.frameworks, _id, frameworks, _id), _by(after.frameworks, _id)
    )
    changes += _compare(
        "item",
        {f"{i.framework}:{i.code}": i for i in before.items if i.framework in frameworks},
        {f"{i.framework}:{i.code}": i for i in after.items},
    )
    changes += _compare(
        "crosswalk", _by(before.crosswalks, _id, crosswalks, _id), _by(after.crosswalks, _id)
    )
    changes += _compare(
        "alignment",
        _alignments(a for a in before.alignments if a.crosswalk in crosswalks),
        _alignments(after.alignments),
    )
    return changes


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
