"""Model objects as JSON states, and the keys that name them in history.

A change set's operations, the event log and release snapshots all hold objects as
JSON, in the one shape defined here: every dataclass field by name, enums as their
values, provenance as ``{document, first_line, last_line}``.  Reading a state back
gives an equal object (a test round-trips every kind), and a state written before a
field existed reads back with that field's default, so history stays readable as the
model grows.

Keys: a framework or crosswalk by its id, an item by ``framework:code`` (framework ids
are slugs, so the first colon separates them), an alignment by its stable id.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from enum import Enum
from typing import Any, Literal, TypeAlias

from crosswalk.model import (
    Alias,
    Alignment,
    Crosswalk,
    Framework,
    Item,
    Provenance,
    Relation,
    Status,
)

Kind = Literal["framework", "crosswalk", "item", "alignment"]
KINDS: tuple[Kind, ...] = ("framework", "crosswalk", "item", "alignment")
Record: TypeAlias = Framework | Crosswalk | Item | Alignment
State: TypeAlias = dict[str, Any]

CLASSES: dict[str, type[Any]] = {
    "framework": Framework,
    "crosswalk": Crosswalk,
    "item": Item,
    "alignment": Alignment,
}


_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls)) for cls in CLASSES.values()
}


def kind_of(record: Record) -> Kind:
    if isinstance(record, Framework):
        return "framework"
    if isinstance(record, Crosswalk):
        return "crosswalk"
    if isinstance(record, Item):
        return "item"
    return "alignment"


def item_key(framework: str, code: str) -> str:
    return f"{framework}:{code}"


def split_item_key(key: str) -> tuple[str, str]:
    framework, _, code = key.partition(":")
    return framework, code


def key_of(record: Record) -> str:
    if isinstance(record, Item):
        return item_key(record.framework, record.code)
    if isinstance(record, Alignment):
        if not record.id:
            raise ValueError("an alignment needs its id before it can be named (see with_ids)")
        return record.id
    return record.id


def scope_of(record: Record) -> str:
    """The framework or crosswalk whose history the record belongs to."""
    if isinstance(record, Framework):
        return f"framework:{record.id}"
    if isinstance(record, Item):
        return f"framework:{record.framework}"
    if isinstance(record, Crosswalk):
        return f"crosswalk:{record.id}"
    return f"crosswalk:{record.crosswalk}"


# -- to JSON -----------------------------------------------------------------------------


def state(record: Record) -> State:
    """The record as a JSON-ready dict, every field included.

    Most fields are plain text or numbers, taken as they are without a call (an import
    of 20,000 items and 30,000 links makes 70,000 states)."""
    result: State = {}
    for name in _FIELD_NAMES[type(record)]:
        value = getattr(record, name)
        result[name] = value if type(value) in _PLAIN else _encode(value)
    return result


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _encode(value: Any) -> Any:
    kind = type(value)
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Provenance):
        return {
            "document": value.document,
            "first_line": value.first_line,
            "last_line": value.last_line,
        }
    if isinstance(value, Alias):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


# -- from JSON ---------------------------------------------------------------------------


def restore(kind: str, data: State) -> Record:
    """The record a state describes; fields the state lacks take their defaults."""
    cls = CLASSES[kind]
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                raise ValueError(f"a {kind} state without {f.name!r}")
            continue
        values[f.name] = _decode(kind, f.name, data[f.name])
    record: Record = cls(**values)
    return record


def _provenance(value: Any) -> Provenance | None:
    if value is None:
        return None
    return Provenance(value["document"], int(value["first_line"]), int(value["last_line"]))


def _decode(kind: str, name: str, value: Any) -> Any:
    if name == "provenance":
        return _provenance(value)
    if name == "aliases":
        return tuple(
            Alias(a["text"], a["kind"], _provenance(a.get("provenance")), a.get("note", ""))
            for a in value
        )
    if name == "relation":
        return Relation(value)
    if name == "status" and kind == "alignment":
        return Status(value)
    if name == "extensions":
        return tuple((str(k), str(v)) for k, v in value)
    if isinstance(value, list):
        return tuple(value)
    return value


def describe(kind: str, key: str, before: State | None, after: State | None) -> str:
    """What an event or operation is about, as a person reads it: ``imh: Advocacy``,
    ``imh-wv-ckc-2015: 1.2 → 2.1``, ``framework imh``."""
    data = after if after is not None else before or {}
    if kind == "item":
        return f"{data.get('framework', '')} {data.get('code', key)}: {data.get('name', '')}"
    if kind == "alignment":
        target = data.get("target_code") or "(no match)"
        return f"{data.get('crosswalk', '')}: {data.get('source_code', '')} → {target}"
    return f"{kind} {key}"
