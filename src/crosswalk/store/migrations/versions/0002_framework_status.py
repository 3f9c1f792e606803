"""Frameworks: publication status, date of last change, exchange-format extensions.

Adds ``frameworks.status`` (``published`` for existing rows), ``frameworks.updated``
(``""``: unknown) and ``frameworks.extensions`` (``[]``), with server defaults so
rows written before stay valid.

Earlier versions kept these CASE document fields in ``frameworks.sources`` as
``case:NAME=VALUE`` entries; they are moved into the new columns here, so that
``sources`` names only source documents: ``case:adoptionStatus=…`` becomes the
status, ``case:lastChangeDateTime=…`` the date, and ``case:CFItemType:<uuid>=<title>``
the extension ``("case:CFItemType:<uuid>", "<title>")``.  The downgrade puts them
back.  This file is self-contained on purpose: it must keep working whatever later
code does.

Revision ID: 0002
Revises: 0001
Create Date: 2024-07-01
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LEGACY = "case:"
_ITEM_TYPE = "CFItemType:"
_ADOPTION = "adoptionStatus"
# CASE adoptionStatus ↔ status, a copy of crosswalk.formats.case_links's mapping.
_STATUS_OF = {
    "": "published",
    "adopted": "published",
    "published": "published",
    "draft": "draft",
    "private draft": "draft",
    "deprecated": "deprecated",
}
_ADOPTION_OF = {"published": "Adopted", "draft": "Draft", "deprecated": "Deprecated"}

_frameworks = sa.table(
    "frameworks",
    sa.column("id", sa.String()),
    sa.column("sources", sa.JSON()),
    sa.column("status", sa.String()),
    sa.column("updated", sa.String()),
    sa.column("extensions", sa.JSON()),
)


def upgrade() -> None:
    # Plain ALTER TABLE, never batch mode: on SQLite batch mode copies the table and
    # drops the old one, which would cascade to every item of every framework.
    op.add_column(
        "frameworks", sa.Column("status", sa.String(), server_default="published", nullable=False)
    )
    op.add_column(
        "frameworks", sa.Column("updated", sa.String(), server_default="", nullable=False)
    )
    op.add_column(
        "frameworks", sa.Column("extensions", sa.JSON(), server_default="[]", nullable=False)
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(_frameworks.c.id, _frameworks.c.sources)).all()
    for framework_id, sources in rows:
        moved = _split(_loaded(sources))
        if moved is not None:
            connection.execute(
                _frameworks.update().where(_frameworks.c.id == framework_id).values(**moved)
            )


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            _frameworks.c.id,
            _frameworks.c.sources,
            _frameworks.c.status,
            _frameworks.c.updated,
            _frameworks.c.extensions,
        )
    ).all()
    for framework_id, sources, status, updated, extensions in rows:
        legacy = _joined(status, updated, _loaded(extensions))
        if legacy:
            connection.execute(
                _frameworks.update()
                .where(_frameworks.c.id == framework_id)
                .values(sources=[*_loaded(sources), *legacy])
            )
    for column in ("extensions", "updated", "status"):
        op.drop_column("frameworks", column)  # SQLite ≥ 3.35 drops a column in place


def _loaded(value: Any) -> list[Any]:
    """A JSON column's value (some drivers hand back the text)."""
    if isinstance(value, str):
        value = json.loads(value)
    return list(value or [])


def _split(sources: list[str]) -> dict[str, Any] | None:
    """The new columns' values from ``case:`` entries; ``None`` when there are none."""
    kept, moved, extensions = [], {}, []
    adoption = ""
    for source in sources:
        if not (source.startswith(_LEGACY) and "=" in source):
            kept.append(source)
            continue
        name, _, value = source[len(_LEGACY) :].partition("=")
        if name == _ADOPTION:
            adoption = value
        elif name == "lastChangeDateTime":
            moved["updated"] = value
        elif name.startswith(_ITEM_TYPE):
            extensions.append([_LEGACY + name, value])
    if len(kept) == len(sources):
        return None
    status = _STATUS_OF.get(adoption.strip().lower(), adoption.strip().lower())
    if _ADOPTION_OF.get(status, status) != adoption:
        # The spelling the package used (or its absence) is given back on export.
        extensions.append([_LEGACY + _ADOPTION, adoption])
    return {"sources": kept, "status": status, "extensions": sorted(extensions), **moved}


def _joined(status: str, updated: str, extensions: list[list[str]]) -> list[str]:
    """The ``case:`` entries the columns' values were before the upgrade."""
    legacy = []
    named = dict(extensions)
    for name, value in extensions:
        if name.startswith(_LEGACY + _ITEM_TYPE) or (name == _LEGACY + _ADOPTION and value):
            legacy.append(f"{name}={value}")
    if _LEGACY + _ADOPTION not in named and status != "published":
        legacy.append(f"{_LEGACY}{_ADOPTION}={_ADOPTION_OF.get(status, status)}")
    if updated:
        legacy.append(f"{_LEGACY}lastChangeDateTime={updated}")
    return legacy
