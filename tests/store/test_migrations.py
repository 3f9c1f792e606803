"""The hand-written migrations must build exactly the schema that ``tables.py`` declares."""

from __future__ import annotations

import dataclasses
import json
import uuid
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Index, Integer, MetaData, Table, text
from sqlalchemy.engine import Engine

from crosswalk.catalog import Catalog
from crosswalk.model import Dataset, Framework, item_uuid, with_ids
from crosswalk.store import Repository, create_engine, current_revision, head_revision, upgrade
from crosswalk.store.engine import alembic_config
from crosswalk.store.repository import change_of
from crosswalk.store.tables import metadata


def _differences(engine: Engine, target: MetaData) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, target))


def test_migrations_match_tables(database_url: str) -> None:
    upgrade(database_url)
    engine = create_engine(database_url)
    try:
        assert current_revision(engine) == head_revision()
        assert _differences(engine, metadata) == []

        # Guard against a comparison that sees nothing at all.
        tampered = MetaData(naming_convention=metadata.naming_convention)
        for table in metadata.sorted_tables:
            table.to_metadata(tampered)
        Index("ix_items_name", tampered.tables["items"].c.name)
        Table("extra", tampered, Column("id", Integer, primary_key=True))
        assert len(_differences(engine, tampered)) == 2
    finally:
        engine.dispose()


def test_upgrade_twice_is_harmless(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)
    engine = create_engine(database_url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def _fill_at_0001(engine: Engine) -> None:
    """Rows as version 0001 wrote them: one bundled-like framework, one CASE import."""
    frameworks = [
        ("plain", ["000"]),
        (
            "imported",
            [
                "https://example.org/doc",
                "case:adoptionStatus=Draft",
                "case:lastChangeDateTime=2017-05-25T18:05:33",
                "case:CFItemType:6f2b3c1e-0000-4000-8000-000000000001=Standard",
                "urn:uuid:6f2b3c1e-0000-4000-8000-000000000002",
            ],
        ),
    ]
    with engine.begin() as connection:
        for framework_id, sources in frameworks:
            connection.execute(
                text(
                    "INSERT INTO frameworks (id, title, version, publisher, description, "
                    "notice, sources) VALUES (:id, :title, '', '', '', '', :sources)"
                ),
                {"id": framework_id, "title": framework_id.title(), "sources": json.dumps(sources)},
            )
            connection.execute(
                text(
                    "INSERT INTO items (uuid, framework_id, code, name, statement, kind, "
                    "parent_code, position, tags, errata) VALUES "
                    "(:uuid, :framework, '1', 'One', '', 'competency', NULL, 0, '[]', '[]')"
                ),
                {
                    "uuid": _uuid_param(engine, item_uuid(framework_id, "1")),
                    "framework": framework_id,
                },
            )


def _uuid_param(engine: Engine, value: uuid.UUID) -> str:
    # SQLAlchemy's Uuid type stores 32 hex digits on SQLite, a native uuid on PostgreSQL.
    return value.hex if engine.dialect.name == "sqlite" else str(value)


def test_upgrade_from_0001_keeps_the_rows(database_url: str) -> None:
    upgrade(database_url, "0001")
    engine = create_engine(database_url)
    try:
        _fill_at_0001(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        dataset = Repository(engine).load()
    finally:
        engine.dispose()
    assert [i.key for i in dataset.items] == [("imported", "1"), ("plain", "1")]
    plain, imported = sorted(dataset.frameworks, key=lambda f: f.id != "plain")
    assert plain == Framework("plain", "Plain", sources=("000",))
    assert plain.status == "published" and plain.updated == "" and plain.extensions == ()
    # The CASE fields 0001 kept in sources move to their own columns.
    assert imported.sources == (
        "https://example.org/doc",
        "urn:uuid:6f2b3c1e-0000-4000-8000-000000000002",
    )
    assert imported.status == "draft"
    assert imported.updated == "2017-05-25T18:05:33"
    assert imported.extensions == (
        ("case:CFItemType:6f2b3c1e-0000-4000-8000-000000000001", "Standard"),
    )


def test_downgrade_to_0001_keeps_the_rows(database_url: str) -> None:
    upgrade(database_url, "0001")
    engine = create_engine(database_url)
    try:
        _fill_at_0001(engine)
        with engine.begin() as connection:
            before = connection.execute(text("SELECT id, sources FROM frameworks ORDER BY id"))
            before_rows = [(i, sorted(_json(s))) for i, s in before]
        upgrade(engine)
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        assert current_revision(engine) == "0001"
        with engine.begin() as connection:
            after = connection.execute(text("SELECT id, sources FROM frameworks ORDER BY id"))
            after_rows = [(i, sorted(_json(s))) for i, s in after]
            items = connection.execute(text("SELECT count(*) FROM items")).scalar()
    finally:
        engine.dispose()
    assert after_rows == before_rows
    assert items == 2


def _json(value: Any) -> list[str]:
    """A JSON column read with plain SQL: text on SQLite, already parsed on PostgreSQL."""
    return list(json.loads(value) if isinstance(value, str) else value)


def _fill_at_0002(engine: Engine) -> None:
    """0001's rows, a crosswalk, and alignments as 0002 kept them (autoincrement ids),
    one link given twice at the same position."""
    _fill_at_0001(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO crosswalks (id, title, source_framework_id, target_framework_id, "
                "version, publisher, description, source_document, status) VALUES "
                "('plain-imported', 'P → I', 'plain', 'imported', '', '', '', '', 'published')"
            )
        )
        for target, position in (("'1'", 0), ("NULL", 1), ("NULL", 1)):
            connection.execute(
                text(
                    "INSERT INTO alignments (crosswalk_id, source_code, target_code, relation, "
                    "strength, level, evidence, note, printed_target, position, confidence, "
                    "justification, status, author, created) VALUES ('plain-imported', '1', "
                    f"{target}, 'noMatch', '', '', '', '', '', {position}, 1.0, 'manual', "
                    "'accepted', '', '')"
                )
            )


def test_upgrade_from_0002_keys_alignments_and_starts_the_history(database_url: str) -> None:
    upgrade(database_url, "0002")
    engine = create_engine(database_url)
    try:
        _fill_at_0002(engine)
        upgrade(engine)
        repository = Repository(engine)
        catalog = repository.load_catalog()
        events = repository.events_since(-1)
    finally:
        engine.dispose()
    links = catalog.by_crosswalk["plain-imported"]
    # The ids are those the model derives for the same links (repeats numbered).
    expected = with_ids([dataclasses.replace(a, id="") for a in links])
    assert sorted(a.id for a in links) == sorted(a.id for a in expected)
    assert len({a.id for a in links}) == 3
    assert set(catalog.revisions.values()) == {1}
    # One "add" event per object, in one change set: replaying them gives the data.
    assert {e.action for e in events} == {"add"} and {e.change_set for e in events} == {1}
    assert len(events) == len(catalog.revisions)
    replayed = Catalog(Dataset()).updated([change_of(e) for e in events])
    assert replayed.dataset == catalog.dataset


def test_downgrade_from_0003_keeps_the_data(database_url: str) -> None:
    upgrade(database_url, "0002")
    engine = create_engine(database_url)
    try:
        _fill_at_0002(engine)
        upgrade(engine)
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0002")
        assert current_revision(engine) == "0002"
        with engine.begin() as connection:
            count = connection.execute(text("SELECT count(*) FROM alignments")).scalar()
        assert count == 3
        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
