"""The relational shape of a :class:`~crosswalk.model.Dataset`.

One table per model class, one column per field, so that a dataset survives a round
trip through the database unchanged.  Only dialect-neutral types are used: the same
tables must work on a SQLite file and on PostgreSQL.  Constraint names come from a
naming convention so that migrations can refer to them on every engine.

Alignments point at items by code, like the model, and deliberately have no foreign
key to ``items``: a source document can cite an item it never defines, and keeping
that citation (for the lint to report) matters more than referential tidiness.

Every framework, item, crosswalk and alignment carries a ``revision``: 1 when it is
first stored, one more with each approved change to it.  A change names the revision
it was based on, and one based on an older revision is a conflict, never a silent
overwrite (see :mod:`crosswalk.store.changes`).  The tables of people, change sets,
events and releases are in :mod:`crosswalk.store.curation_tables`.
"""

from __future__ import annotations

import uuid

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}

STORE_META_ID = 1


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class StoreMeta(Base):
    """A single row whose revision grows with every write that changes something.

    Readers (the web app) compare it with the revision they cached to know, with one
    cheap query, whether the dataset they hold is still current, and then read only
    the events written since.  Writers lock this row first in their transaction, which
    serialises concurrent writes on PostgreSQL.
    """

    __tablename__ = "store_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer)


class FrameworkRow(Base):
    __tablename__ = "frameworks"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String)
    publisher: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    notice: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[str]] = mapped_column(JSON)
    # Added by migration 0002; the server defaults are what rows written before get.
    status: Mapped[str] = mapped_column(String, server_default="published")
    updated: Mapped[str] = mapped_column(String, server_default="")
    # [[name, value], …]: exchange-format properties kept only to be given back.
    extensions: Mapped[list[list[str]]] = mapped_column(JSON, server_default="[]")
    # Added by migration 0003.
    replaces: Mapped[str] = mapped_column(String, server_default="")
    revision: Mapped[int] = mapped_column(Integer, server_default="1")


class _Provenance:
    """Provenance as three nullable columns: all set, or all null."""

    provenance_document: Mapped[str | None] = mapped_column(Text)
    provenance_first_line: Mapped[int | None] = mapped_column(Integer)
    provenance_last_line: Mapped[int | None] = mapped_column(Integer)


class ItemRow(_Provenance, Base):
    """An item, keyed by its deterministic UUID so CASE exports and the store agree."""

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    framework_id: Mapped[str] = mapped_column(
        String, ForeignKey("frameworks.id", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(Text)
    statement: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String)
    # A code, not a foreign key: the model references parents by code, and the
    # query layer, not the store, decides what a dangling parent means.
    parent_code: Mapped[str | None] = mapped_column(String)
    position: Mapped[int] = mapped_column(Integer)
    tags: Mapped[list[str]] = mapped_column(JSON)
    errata: Mapped[list[str]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer, server_default="1")


class ItemAliasRow(_Provenance, Base):
    __tablename__ = "item_aliases"
    __table_args__ = (UniqueConstraint("item_uuid", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.uuid", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String)
    note: Mapped[str] = mapped_column(Text)


class CrosswalkRow(Base):
    __tablename__ = "crosswalks"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    source_framework_id: Mapped[str] = mapped_column(String, ForeignKey("frameworks.id"))
    target_framework_id: Mapped[str] = mapped_column(String, ForeignKey("frameworks.id"))
    version: Mapped[str] = mapped_column(String)
    publisher: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    source_document: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String)
    revision: Mapped[int] = mapped_column(Integer, server_default="1")


class AlignmentRow(_Provenance, Base):
    """One alignment, keyed by its stable id; ``target_code`` is null for a no-match."""

    __tablename__ = "alignments"
    __table_args__ = (
        Index("ix_alignments_crosswalk_position", "crosswalk_id", "position"),
        Index("ix_alignments_source_code", "source_code"),
        Index("ix_alignments_target_code", "target_code"),
    )

    # Since migration 0003 the model's ``Alignment.id``; before, an autoincrement.
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    crosswalk_id: Mapped[str] = mapped_column(
        String, ForeignKey("crosswalks.id", ondelete="CASCADE")
    )
    source_code: Mapped[str] = mapped_column(String)
    target_code: Mapped[str | None] = mapped_column(String)
    relation: Mapped[str] = mapped_column(String)
    strength: Mapped[str] = mapped_column(String)
    level: Mapped[str] = mapped_column(String)
    evidence: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    printed_target: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    justification: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String)
    author: Mapped[str] = mapped_column(String)
    created: Mapped[str] = mapped_column(String)
    revision: Mapped[int] = mapped_column(Integer, server_default="1")


# The curation tables join the same metadata (imported last: they build on ``Base``).
from crosswalk.store import curation_tables as curation_tables  # noqa: E402

metadata = Base.metadata
