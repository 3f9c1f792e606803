"""Engines and schema migrations, the same way for SQLite and PostgreSQL.

Everything that depends on the database engine is kept here, so the repository can be
written once against SQLAlchemy Core.  Migrations are found through the installed
package, never through the current directory, so ``crosswalk db upgrade`` works from
anywhere and from a wheel.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
        # A writer takes the write lock at once (see ``writing``): a transaction that
        # reads first and writes later could find its snapshot stale and fail.
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_IMMEDIATE = "crosswalk_immediate"


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction that holds the store's write lock from its first statement.

    Writers queue here one after another (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: the
    ``store_meta`` row locked ``FOR UPDATE``), so the versions a writer checks cannot
    change before it commits.
    """
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.execution_options(**{_IMMEDIATE: True})
        with connection.begin():
            if engine.dialect.name != "sqlite":
                connection.exec_driver_sql(
                    "SELECT revision FROM store_meta WHERE id = 1 FOR UPDATE"
                )
            yield connection


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read transaction that sees one consistent state across all its statements
    (PostgreSQL's default isolation gives each statement its own snapshot)."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


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
