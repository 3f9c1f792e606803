"""Field-level reading of CASE JSON: each check names the file, object and field.

Kept apart from :mod:`crosswalk.formats.case_import` so the importer reads as the
mapping it is; everything here only validates and converts one value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crosswalk.formats.errors import ExchangeError
from crosswalk.model import Alias, Provenance, Relation, Status


def part(data: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if name in data:
            return data[name]
    return None


def as_list(source: str, where: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ExchangeError(f"{source}: {where}: expected a list, got {type(value).__name__}")
    return value


def text(
    source: str, where: str, record: Mapping[str, Any], name: str, *, required: bool = False
) -> str:
    value = record.get(name)
    if value is None:
        if required:
            raise ExchangeError(f"{source}: {where}: required field {name} is missing")
        return ""
    if not isinstance(value, str):
        raise ExchangeError(
            f"{source}: {where}: field {name} must be text, not {_kind(value)} {value!r}"
        )
    if required and not value.strip():
        raise ExchangeError(f"{source}: {where}: required field {name} is empty")
    return value


def _kind(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list"}.get(
        type(value), f"a {type(value).__name__}"
    )


UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def uuid_text(source: str, where: str, record: Mapping[str, Any], name: str) -> str:
    """A required identifier: CASE identifiers are UUIDs (8-4-4-4-12 hexadecimal)."""
    value = text(source, where, record, name, required=True)
    if not UUID.fullmatch(value.strip()):
        raise ExchangeError(f"{source}: {where}: field {name}: {value!r} is not a UUID")
    return value.strip()


def date_time(source: str, where: str, record: Mapping[str, Any], name: str) -> str:
    """An optional ISO 8601 date-time (``2017-05-25T18:05:33``, ``…Z``, ``…+00:00``)."""
    value = text(source, where, record, name)
    if value:
        try:
            datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ExchangeError(
                f"{source}: {where}: field {name}: {value!r} is not an ISO 8601 date-time "
                "(e.g. 2017-05-25T18:05:33Z)"
            ) from None
    return value.strip()


def text_list(
    source: str, where: str, record: Mapping[str, Any], name: str, *, split: bool = True
) -> list[str]:
    """A list of text; a single text (CASE 1.0 tools) is one value, or comma-separated."""
    value = record.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        parts = value.split(",") if split else [value]
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ExchangeError(f"{source}: {where}: field {name} must be text or a list of text")


def text_pairs(
    source: str, where: str, record: Mapping[str, Any], name: str
) -> list[tuple[str, str]]:
    """An object of text values (``ext:extensions``) as ``(name, value)`` pairs."""
    value = record.get(name)
    if value is None:
        return []
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ExchangeError(f"{source}: {where}: field {name} must be an object of text values")
    return [(str(k), v) for k, v in value.items()]


def extensions(source: str, where: str, record: Mapping[str, Any]) -> dict[str, Any]:
    value = record.get("extensions") or {}
    if not isinstance(value, dict):
        raise ExchangeError(f"{source}: {where}: extensions must be an object")
    return value


def end(source: str, where: str, record: Mapping[str, Any], name: str) -> dict[str, str]:
    value = record.get(name)
    if not isinstance(value, dict) or not str(value.get("identifier") or "").strip():
        raise ExchangeError(
            f"{source}: {where}: {name} is missing or has no identifier "
            "(association with a missing end)"
        )
    identifier = value["identifier"]
    if not isinstance(identifier, str) or not UUID.fullmatch(identifier.strip()):
        raise ExchangeError(
            f"{source}: {where}: field {name}.identifier: {identifier!r} is not a UUID"
        )
    return {k: str(v) for k, v in value.items() if isinstance(v, str | int)}


def sequence(source: str, where: str, value: Any) -> int | None:
    """An integer, or (as CASE 1.0 tools write it) a string of digits."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise ExchangeError(f"{source}: {where}: sequenceNumber {value!r} is not an integer")


def link_identifier(value: Any) -> str:
    return str(value.get("identifier") or "") if isinstance(value, dict) else ""


def groupings(source: str, definitions: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(definitions, dict):
        return {}
    records = as_list(
        source, "CFDefinitions.CFAssociationGroupings", definitions.get("CFAssociationGroupings")
    )
    return {str(g.get("identifier")): g for g in records if isinstance(g, dict)}


def alias(source: str, where: str, value: Any) -> Alias:
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        raise ExchangeError(f"{source}: {where}: ext:aliases entries need a text")
    return Alias(
        text=value["text"],
        kind=str(value.get("kind") or "name"),
        provenance=provenance(source, where, str(value.get("provenance") or "")),
        note=str(value.get("note") or ""),
    )


def provenance(source: str, where: str, text: str) -> Provenance | None:
    try:
        return Provenance.parse(text)
    except ValueError as error:
        raise ExchangeError(f"{source}: {where}: ext:provenance: {error}") from None


def choice(source: str, where: str, name: str, value: Any, kind: type[Any]) -> Any:
    if value in (None, ""):
        return Status.ACCEPTED if kind is Status else Relation.RELATED
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(v.value for v in kind)
        raise ExchangeError(
            f"{source}: {where}: {name} {value!r} is not one of {allowed}"
        ) from None
