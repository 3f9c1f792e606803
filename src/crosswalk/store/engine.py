"""Engines and schema migrations, the same way for SQLite and PostgreSQL.

Everything that depends on the database engine is kept here, so the repository can be
written once against SQLAlchemy Core.  Migrations are found through the installed
package, never through the current directory, so ``crosswalk db upgrade`` works from
anywhere and from a wheel.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import sqlalchemy
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection, make_url

from crosswalk.config import normalise_database_url


def create_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the per-connection settings this application relies on.

    SQLite needs three things switched on: foreign keys (off by default, and the
    cascades depend on them), WAL (readers such as the web app keep reading while an
    import writes) and real transactions around *every* statement, DDL included (the
    driver's own transaction handling leaves DDL and reads outside, which would make a
    failed migration or import half-applied).
    """
    url = normalise_database_url(url)
    engine = sqlalchemy.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, in_memory=_is_in_memory(url))
    return engine


def _is_in_memory(url: str) -> bool:
    database = make_url(url).database
    return not database or database == ":memory:" or "mode=memory" in url


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


# -- migrations ---------------------------------------------------------------------


def alembic_config() -> Config:
    """An Alembic configuration pointing at the migrations shipped in this package."""
    config = Config()
    location = resources.files("crosswalk.store").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str | None:
    """The newest migration this version of the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at; ``None`` for a database never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()


def upgrade(url: str | Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` in one transaction (``alembic upgrade``)."""
    engine = url if isinstance(url, Engine) else create_engine(url)
    try:
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if engine is not url:
            engine.dispose()
