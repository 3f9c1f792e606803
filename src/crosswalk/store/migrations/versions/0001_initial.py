"""Initial schema: frameworks, items, item aliases, crosswalks, alignments, store_meta.

Written by hand to match ``crosswalk/store/tables.py``; a test compares the two on
SQLite and PostgreSQL, so any drift fails the build.

Revision ID: 0001
Revises:
Create Date: 2024-06-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _provenance() -> list[sa.Column[object]]:
    return [
        sa.Column("provenance_document", sa.Text(), nullable=True),
        sa.Column("provenance_first_line", sa.Integer(), nullable=True),
        sa.Column("provenance_last_line", sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    store_meta = op.create_table(
        "store_meta",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_store_meta"),
    )
    op.bulk_insert(store_meta, [{"id": 1, "revision": 0}])

    op.create_table(
        "frameworks",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("notice", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_frameworks"),
    )

    op.create_table(
        "items",
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("framework_id", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("parent_code", sa.String(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("errata", sa.JSON(), nullable=False),
        *_provenance(),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["frameworks.id"],
            name="fk_items_framework_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("uuid", name="pk_items"),
        sa.UniqueConstraint("framework_id", "code", name="uq_items_framework_id_code"),
    )

    op.create_table(
        "item_aliases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_uuid", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_provenance(),
        sa.ForeignKeyConstraint(
            ["item_uuid"],
            ["items.uuid"],
            name="fk_item_aliases_item_uuid",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_item_aliases"),
        sa.UniqueConstraint("item_uuid", "position", name="uq_item_aliases_item_uuid_position"),
    )

    op.create_table(
        "crosswalks",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source_framework_id", sa.String(), nullable=False),
        sa.Column("target_framework_id", sa.String(), nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source_document", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_framework_id"],
            ["frameworks.id"],
            name="fk_crosswalks_source_framework_id",
        ),
        sa.ForeignKeyConstraint(
            ["target_framework_id"],
            ["frameworks.id"],
            name="fk_crosswalks_target_framework_id",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_crosswalks"),
    )

    op.create_table(
        "alignments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("crosswalk_id", sa.String(), nullable=False),
        sa.Column("source_code", sa.String(), nullable=False),
        sa.Column("target_code", sa.String(), nullable=True),
        sa.Column("relation", sa.String(), nullable=False),
        sa.Column("strength", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("printed_target", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("justification", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("created", sa.String(), nullable=False),
        *_provenance(),
        sa.ForeignKeyConstraint(
            ["crosswalk_id"],
            ["crosswalks.id"],
            name="fk_alignments_crosswalk_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_alignments"),
    )
    op.create_index("ix_alignments_crosswalk_position", "alignments", ["crosswalk_id", "position"])
    op.create_index("ix_alignments_source_code", "alignments", ["source_code"])
    op.create_index("ix_alignments_target_code", "alignments", ["target_code"])


def downgrade() -> None:
    op.drop_table("alignments")
    op.drop_table("crosswalks")
    op.drop_table("item_aliases")
    op.drop_table("items")
    op.drop_table("frameworks")
    op.drop_table("store_meta")
