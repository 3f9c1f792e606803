"""The hand-written migrations must build exactly the schema that ``tables.py`` declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Index, Integer, MetaData, Table
from sqlalchemy.engine import Engine

from crosswalk.store import create_engine, current_revision, head_revision, upgrade
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
        assert current_revision(engine) == "0001"
    finally:
        engine.dispose()
