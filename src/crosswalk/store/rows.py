"""Model objects to table rows and back, field by field.

Kept apart from the repository so that the one place that knows both shapes is short
enough to check against ``model.py`` by eye: every dataclass field appears here once
in each direction, which is what makes a round trip through the store lossless.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

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

Row = dict[str, Any]
# What a database hands back: read by column name (SQLAlchemy's RowMapping fits).
StoredRow = Mapping[Any, Any]


def provenance_columns(provenance: Provenance | None) -> Row:
    if provenance is None:
        return {
            "provenance_document": None,
            "provenance_first_line": None,
            "provenance_last_line": None,
        }
    return {
        "provenance_document": provenance.document,
        "provenance_first_line": provenance.first_line,
        "provenance_last_line": provenance.last_line,
    }


def provenance_of(row: StoredRow) -> Provenance | None:
    if row["provenance_document"] is None:
        return None
    return Provenance(
        row["provenance_document"], row["provenance_first_line"], row["provenance_last_line"]
    )


# -- to rows -------------------------------------------------------------------------


def framework_row(framework: Framework) -> Row:
    return {
        "id": framework.id,
        "title": framework.title,
        "version": framework.version,
        "publisher": framework.publisher,
        "description": framework.description,
        "notice": framework.notice,
        "sources": list(framework.sources),
        "status": framework.status,
        "updated": framework.updated,
        "extensions": [[name, value] for name, value in framework.extensions],
        "replaces": framework.replaces,
    }


def item_row(item: Item) -> Row:
    return {
        "uuid": item.uuid,
        "framework_id": item.framework,
        "code": item.code,
        "name": item.name,
        "statement": item.statement,
        "kind": item.kind,
        "parent_code": item.parent,
        "position": item.position,
        "tags": list(item.tags),
        "errata": list(item.errata),
        **provenance_columns(item.provenance),
    }


def alias_rows(item: Item) -> list[Row]:
    return [
        {
            "item_uuid": item.uuid,
            "position": position,
            "text": alias.text,
            "kind": alias.kind,
            "note": alias.note,
            **provenance_columns(alias.provenance),
        }
        for position, alias in enumerate(item.aliases)
    ]


def crosswalk_row(crosswalk: Crosswalk) -> Row:
    return {
        "id": crosswalk.id,
        "title": crosswalk.title,
        "source_framework_id": crosswalk.source_framework,
        "target_framework_id": crosswalk.target_framework,
        "version": crosswalk.version,
        "publisher": crosswalk.publisher,
        "description": crosswalk.description,
        "source_document": crosswalk.source_document,
        "status": crosswalk.status,
    }


def alignment_row(alignment: Alignment) -> Row:
    if not alignment.id:
        raise ValueError("an alignment is stored with its id (see crosswalk.model.with_ids)")
    return {
        "id": uuid.UUID(alignment.id),
        "crosswalk_id": alignment.crosswalk,
        "source_code": alignment.source_code,
        "target_code": alignment.target_code,
        "relation": Relation(alignment.relation).value,
        "strength": alignment.strength,
        "level": alignment.level,
        "evidence": alignment.evidence,
        "note": alignment.note,
        "printed_target": alignment.printed_target,
        "position": alignment.position,
        "confidence": alignment.confidence,
        "justification": alignment.justification,
        "status": Status(alignment.status).value,
        "author": alignment.author,
        "created": alignment.created,
        **provenance_columns(alignment.provenance),
    }


# -- from rows -----------------------------------------------------------------------


def framework_of(row: StoredRow) -> Framework:
    return Framework(
        id=row["id"],
        title=row["title"],
        version=row["version"],
        publisher=row["publisher"],
        description=row["description"],
        notice=row["notice"],
        sources=tuple(row["sources"]),
        status=row["status"],
        updated=row["updated"],
        extensions=tuple((name, value) for name, value in row["extensions"]),
        replaces=row["replaces"],
    )


def alias_of(row: StoredRow) -> Alias:
    return Alias(
        text=row["text"],
        kind=row["kind"],
        provenance=provenance_of(row),
        note=row["note"],
    )


def item_of(row: StoredRow, aliases: tuple[Alias, ...]) -> Item:
    return Item(
        framework=row["framework_id"],
        code=row["code"],
        name=row["name"],
        statement=row["statement"],
        kind=row["kind"],
        parent=row["parent_code"],
        position=row["position"],
        tags=tuple(row["tags"]),
        aliases=aliases,
        provenance=provenance_of(row),
        errata=tuple(row["errata"]),
    )


def crosswalk_of(row: StoredRow) -> Crosswalk:
    return Crosswalk(
        id=row["id"],
        title=row["title"],
        source_framework=row["source_framework_id"],
        target_framework=row["target_framework_id"],
        version=row["version"],
        publisher=row["publisher"],
        description=row["description"],
        source_document=row["source_document"],
        status=row["status"],
    )


def alignment_of(row: StoredRow) -> Alignment:
    return Alignment(
        crosswalk=row["crosswalk_id"],
        source_code=row["source_code"],
        target_code=row["target_code"],
        relation=Relation(row["relation"]),
        strength=row["strength"],
        level=row["level"],
        evidence=row["evidence"],
        note=row["note"],
        printed_target=row["printed_target"],
        provenance=provenance_of(row),
        position=row["position"],
        confidence=row["confidence"],
        justification=row["justification"],
        status=Status(row["status"]),
        author=row["author"],
        created=row["created"],
        id=str(row["id"]),
    )
