"""The JSON shapes of the CLI's answers: stable keys, plain values.

Every ``--format json`` document is built from these few functions, so a key means
the same thing in every command and a consumer can rely on it:

* item: ``framework, code, name, statement, kind, parent, tags, aliases, provenance``
* alias: ``text, kind, provenance``
* link: ``direction, crosswalk, framework, code, name, relation, strength, level,
  evidence, note, printed, provenance``
* hop: ``crosswalk, direction, source_code, target_code, relation, strength, level,
  evidence, note, provenance``
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from crosswalk.catalog import Catalog
from crosswalk.model import Item, Provenance
from crosswalk.query import Hop, Link, alignment_fields

Record = dict[str, Any]


def provenance(value: Provenance | None) -> str:
    return str(value) if value else ""


def item(value: Item) -> Record:
    return {
        "framework": value.framework,
        "code": value.code,
        "name": value.name,
        "statement": value.statement,
        "kind": value.kind,
        "parent": value.parent,
        "tags": list(value.tags),
        "aliases": [
            {"text": a.text, "kind": a.kind, "provenance": provenance(a.provenance)}
            for a in value.aliases
        ],
        "provenance": provenance(value.provenance),
    }


def item_brief(value: Item | None) -> Record | None:
    if value is None:
        return None
    return {"framework": value.framework, "code": value.code, "name": value.name}


def link(value: Link) -> Record:
    other = value.other
    return {
        "direction": value.direction,
        "crosswalk": value.crosswalk.id,
        "framework": other.framework if other else None,
        "code": other.code if other else None,
        "name": other.name if other else None,
        **alignment_fields(value.alignment),
        "printed": value.alignment.printed_target,
        "provenance": provenance(value.provenance),
    }


def hop(value: Hop) -> Record:
    return {
        "crosswalk": value.crosswalk.id,
        "direction": value.direction,
        "source_code": value.source.code,
        "target_code": value.target.code,
        **alignment_fields(value.alignment),
        "provenance": provenance(value.alignment.provenance),
    }


def printed_code(value: Item) -> str:
    """The code as a terminal table shows it: a printed code (``1.10``, ``6B.2``), or
    nothing for a code made up from the name (``direct-service-skills/advocacy``), which
    the name column already says and which can be wider than the terminal."""
    return value.code if value.label != value.name else ""


def short(value: Item, repeated: Collection[tuple[str, str]] = ()) -> str:
    """The printed code where there is one (``1.10``), otherwise the name — with the
    code too when the name alone is ambiguous (``Advocacy (leading-people/advocacy)``).

    How ``crosswalk map`` names the items of a path (:func:`crosswalk.query.path_text`);
    ``repeated`` (from :func:`repeated_names`) lists the names that need their code."""
    if value.label != value.name:
        return value.code
    if (value.framework, value.name) in repeated:
        return f"{value.name} ({value.code})"
    return value.name


def repeated_names(catalog: Catalog) -> set[tuple[str, str]]:
    """(framework, name) pairs that more than one item of a framework bears."""
    counts = Counter((i.framework, i.name) for i in catalog.dataset.items)
    return {key for key, count in counts.items() if count > 1}
