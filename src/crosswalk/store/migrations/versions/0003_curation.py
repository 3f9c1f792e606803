"""Curation: people, change sets, the event log, releases; revisions and alignment ids.

* ``frameworks``, ``items``, ``crosswalks`` and ``alignments`` get a ``revision``
  (1 for every existing row), and ``frameworks`` a ``replaces`` (``""``).
* ``alignments`` are keyed by a stable uuid instead of an autoincrement number: the
  table is rebuilt, each row's id derived from what it links exactly as
  ``crosswalk.model.with_ids`` derives it (so the bundled data gets the ids it would
  get when loaded fresh, and the CASE identifiers it was exported with before).
* New tables: users, api_tokens, grants, sessions, login_attempts, change_sets,
  operations, events, releases, release_scopes, release_objects,
  rejected_suggestions.  ``events`` refuses UPDATE and DELETE (a trigger).
* What the database held before becomes the first change set (kind ``initial``) with
  one ``add`` event per object, so every object has a history from here on.

Self-contained on purpose, like 0002: it must keep working whatever later code does.

Revision ID: 0003
Revises: 0002
Create Date: 2024-09-01
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# crosswalk.model.CROSSWALK_NAMESPACE, copied: identifiers must never change.
_NAMESPACE = uuid.UUID("6f1d4c2e-9a57-5b8e-a3c1-2f0e7d9b4a61")
_CHUNK = 1000


def _provenance() -> list[sa.Column[Any]]:
    return [
        sa.Column("provenance_document", sa.Text(), nullable=True),
        sa.Column("provenance_first_line", sa.Integer(), nullable=True),
        sa.Column("provenance_last_line", sa.Integer(), nullable=True),
    ]


def _alignment_columns(key: sa.Column[Any]) -> list[Any]:
    return [
        key,
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
    ]


def _alignment_indexes() -> None:
    op.create_index("ix_alignments_crosswalk_position", "alignments", ["crosswalk_id", "position"])
    op.create_index("ix_alignments_source_code", "alignments", ["source_code"])
    op.create_index("ix_alignments_target_code", "alignments", ["target_code"])


def _derived_id(row: dict[str, Any], repeat: int) -> str:
    name = (
        f"alignment:{row['crosswalk_id']}:{row['source_code']}:"
        f"{row['target_code']}:{row['position']}"
    )
    return str(uuid.uuid5(_NAMESPACE, name if repeat == 1 else f"{name}#{repeat}"))


def _insert(connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _CHUNK):
        connection.execute(table.insert(), rows[start : start + _CHUNK])


def _rebuild_alignments_with_ids(connection: sa.Connection) -> list[dict[str, Any]]:
    old = sa.Table("alignments", sa.MetaData(), autoload_with=connection)
    rows = [
        dict(r)
        for r in connection.execute(
            sa.select(old).order_by(old.c.crosswalk_id, old.c.position, old.c.id)
        ).mappings()
    ]
    op.drop_table("alignments")
    new = op.create_table(
        "alignments",
        *_alignment_columns(sa.Column("id", sa.Uuid(), nullable=False)),
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
    )
    _alignment_indexes()
    used: set[str] = set()
    for row in rows:
        repeat = 1
        while (candidate := _derived_id(row, repeat)) in used:
            repeat += 1
        used.add(candidate)
        row["id"] = uuid.UUID(candidate)
        row["revision"] = 1
    _insert(connection, new, rows)
    return rows


def _create_curation_tables() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("admin", sa.Boolean(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("created", sa.String(), nullable=False),
        sa.Column("last_used", sa.String(), nullable=True),
        sa.Column("revoked", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_api_tokens_user_id", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("scope_kind", sa.String(), nullable=False),
        sa.Column("scope_id", sa.String(), nullable=False),
        sa.Column("created", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_grants_user_id", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_grants"),
        sa.UniqueConstraint(
            "user_id",
            "role",
            "scope_kind",
            "scope_id",
            name="uq_grants_user_id_role_scope_kind_scope_id",
        ),
    )
    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(), nullable=False),
        sa.Column("created", sa.Float(), nullable=False),
        sa.Column("expires", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_sessions_user_id", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id_hash", name="pk_sessions"),
    )
    op.create_index("ix_sessions_expires", "sessions", ["expires"])
    op.create_table(
        "login_attempts",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure", sa.Float(), nullable=False),
        sa.Column("locked_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_login_attempts"),
    )
    op.create_table(
        "change_sets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created", sa.String(), nullable=False),
        sa.Column("updated", sa.String(), nullable=False),
        sa.Column("reviewer", sa.String(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("reviewed", sa.String(), nullable=False),
        sa.Column("applied_revision", sa.Integer(), nullable=True),
        sa.Column("reverts", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["reverts"], ["change_sets.id"], name="fk_change_sets_reverts"),
        sa.PrimaryKeyConstraint("id", name="pk_change_sets"),
    )
    op.create_index("ix_change_sets_status", "change_sets", ["status"])
    op.create_table(
        "operations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("change_set_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("base", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_set_id"],
            ["change_sets.id"],
            name="fk_operations_change_set_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_operations"),
        sa.UniqueConstraint(
            "change_set_id", "kind", "key", name="uq_operations_change_set_id_kind_key"
        ),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("change_set_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["change_set_id"], ["change_sets.id"], name="fk_events_change_set_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_kind_key", "events", ["kind", "key"])
    op.create_index("ix_events_revision", "events", ["revision"])
    op.create_index("ix_events_change_set_id", "events", ["change_set_id"])
    op.create_index("ix_events_scope", "events", ["scope"])
    op.create_table(
        "releases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("created", sa.String(), nullable=False),
        sa.Column("store_revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_releases"),
        sa.UniqueConstraint("name", name="uq_releases_name"),
    )
    op.create_table(
        "release_scopes",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("scope_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["releases.id"],
            name="fk_release_scopes_release_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("release_id", "kind", "scope_id", name="pk_release_scopes"),
    )
    op.create_table(
        "release_objects",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["releases.id"],
            name="fk_release_objects_release_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("release_id", "kind", "key", name="pk_release_objects"),
    )
    op.create_table(
        "rejected_suggestions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("crosswalk_id", sa.String(), nullable=False),
        sa.Column("source_code", sa.String(), nullable=False),
        sa.Column("target_code", sa.String(), nullable=False),
        sa.Column("justification", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rejected_suggestions"),
        sa.UniqueConstraint(
            "crosswalk_id",
            "source_code",
            "target_code",
            name="uq_rejected_suggestions_crosswalk_id_source_code_target_code",
        ),
    )


_APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'events are append-only'; END $$",
        "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events "
        "FOR EACH ROW EXECUTE FUNCTION events_append_only()",
    ],
}
_DROP_APPEND_ONLY = {
    "sqlite": ["DROP TRIGGER events_no_update", "DROP TRIGGER events_no_delete"],
    "postgresql": [
        "DROP TRIGGER events_append_only ON events",
        "DROP FUNCTION events_append_only()",
    ],
}


# -- the state before curation, as its first change set --------------------------------


def _text(value: Any) -> list[Any]:
    if isinstance(value, str):
        value = json.loads(value)
    return list(value or [])


def _provenance_state(row: dict[str, Any]) -> dict[str, Any] | None:
    if row.get("provenance_document") is None:
        return None
    return {
        "document": row["provenance_document"],
        "first_line": row["provenance_first_line"],
        "last_line": row["provenance_last_line"],
    }


def _framework_state(row: dict[str, Any]) -> dict[str, Any]:
    names = ("id", "title", "version", "publisher", "description", "notice")
    return {
        **{n: row[n] for n in names},
        "sources": _text(row["sources"]),
        "status": row["status"],
        "updated": row["updated"],
        "extensions": [list(pair) for pair in _text(row["extensions"])],
        "replaces": "",
    }


def _crosswalk_state(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "source_framework": row["source_framework_id"],
        "target_framework": row["target_framework_id"],
        **{n: row[n] for n in ("version", "publisher", "description", "source_document")},
        "status": row["status"],
    }


def _item_state(row: dict[str, Any], aliases: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "framework": row["framework_id"],
        "code": row["code"],
        **{n: row[n] for n in ("name", "statement", "kind")},
        "parent": row["parent_code"],
        "position": row["position"],
        "tags": _text(row["tags"]),
        "aliases": aliases,
        "provenance": _provenance_state(row),
        "errata": _text(row["errata"]),
    }


def _alignment_state(row: dict[str, Any]) -> dict[str, Any]:
    names = (
        "relation",
        "strength",
        "level",
        "evidence",
        "note",
        "printed_target",
        "position",
        "confidence",
        "justification",
        "status",
        "author",
        "created",
    )
    return {
        "crosswalk": row["crosswalk_id"],
        "source_code": row["source_code"],
        "target_code": row["target_code"],
        **{n: row[n] for n in names},
        "provenance": _provenance_state(row),
        "id": str(row["id"]),
    }


def _record_initial_state(connection: sa.Connection, alignments: list[dict[str, Any]]) -> None:
    meta = sa.MetaData()
    tables = {
        name: sa.Table(name, meta, autoload_with=connection)
        for name in ("frameworks", "crosswalks", "items", "item_aliases", "change_sets", "events")
    }
    frameworks: list[dict[str, Any]] = [
        dict(r) for r in connection.execute(sa.select(tables["frameworks"])).mappings()
    ]
    if not frameworks:
        return
    store_revision = connection.execute(sa.text("SELECT revision FROM store_meta")).scalar() or 0
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    change_set: Any = connection.execute(
        tables["change_sets"]
        .insert()
        .values(
            title="The data as it was before curation began",
            reason="Recorded by the database upgrade that introduced change sets (0003).",
            kind="initial",
            author="database upgrade",
            status="approved",
            created=now,
            updated=now,
            reviewer="",
            comment="",
            reviewed=now,
            applied_revision=store_revision,
            reverts=None,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    aliases: dict[Any, list[dict[str, Any]]] = {}
    alias_table = tables["item_aliases"]
    for row in connection.execute(
        sa.select(alias_table).order_by(alias_table.c.item_uuid, alias_table.c.position)
    ).mappings():
        aliases.setdefault(row["item_uuid"], []).append(
            {
                "text": row["text"],
                "kind": row["kind"],
                "provenance": _provenance_state(dict(row)),
                "note": row["note"],
            }
        )
    items: list[dict[str, Any]] = [
        dict(r) for r in connection.execute(sa.select(tables["items"])).mappings()
    ]
    crosswalks: list[dict[str, Any]] = [
        dict(r) for r in connection.execute(sa.select(tables["crosswalks"])).mappings()
    ]
    events: list[dict[str, Any]] = []

    def add(kind: str, key: str, scope: str, after: dict[str, Any]) -> None:
        events.append(
            {
                "revision": store_revision,
                "change_set_id": change_set,
                "at": now,
                "actor": "database upgrade",
                "action": "add",
                "kind": kind,
                "key": key,
                "scope": scope,
                "version": 1,
                "before": None,
                "after": after,
            }
        )

    for framework in sorted(frameworks, key=lambda r: r["id"]):
        fid = framework["id"]
        add("framework", fid, f"framework:{fid}", _framework_state(framework))
    for crosswalk in sorted(crosswalks, key=lambda r: r["id"]):
        cid = crosswalk["id"]
        add("crosswalk", cid, f"crosswalk:{cid}", _crosswalk_state(crosswalk))
    for item in sorted(items, key=lambda r: (r["framework_id"], r["position"], r["code"])):
        key = f"{item['framework_id']}:{item['code']}"
        state = _item_state(item, aliases.get(item["uuid"], []))
        add("item", key, f"framework:{item['framework_id']}", state)
    for alignment in alignments:
        scope = f"crosswalk:{alignment['crosswalk_id']}"
        add("alignment", str(alignment["id"]), scope, _alignment_state(alignment))
    _insert(connection, tables["events"], events)


def upgrade() -> None:
    # Plain ALTER TABLE for the tables others refer to (see 0002 on batch mode).
    op.add_column(
        "frameworks", sa.Column("replaces", sa.String(), server_default="", nullable=False)
    )
    for table in ("frameworks", "items", "crosswalks"):
        op.add_column(
            table, sa.Column("revision", sa.Integer(), server_default="1", nullable=False)
        )
    connection = op.get_bind()
    alignments = _rebuild_alignments_with_ids(connection)
    _create_curation_tables()
    for statement in _APPEND_ONLY[connection.dialect.name]:
        connection.exec_driver_sql(statement)
    _record_initial_state(connection, alignments)


def downgrade() -> None:
    connection = op.get_bind()
    for statement in _DROP_APPEND_ONLY[connection.dialect.name]:
        connection.exec_driver_sql(statement)
    for table in (
        "rejected_suggestions",
        "release_objects",
        "release_scopes",
        "releases",
        "events",
        "operations",
        "change_sets",
        "login_attempts",
        "sessions",
        "grants",
        "api_tokens",
        "users",
    ):
        op.drop_table(table)
    old = sa.Table("alignments", sa.MetaData(), autoload_with=connection)
    rows = [
        {k: v for k, v in dict(r).items() if k not in ("id", "revision")}
        for r in connection.execute(
            sa.select(old).order_by(old.c.crosswalk_id, old.c.position, old.c.id)
        ).mappings()
    ]
    op.drop_table("alignments")
    new = op.create_table(
        "alignments",
        *_alignment_columns(sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)),
    )
    _alignment_indexes()
    _insert(connection, new, rows)
    for table in ("crosswalks", "items", "frameworks"):
        op.drop_column(table, "revision")
    op.drop_column("frameworks", "replaces")
