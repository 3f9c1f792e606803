"""Engines and schema migrations, the same way for SQLite and PostgreSQL.

Everything that depends on the database engine is kept here, so the repository can be
written once against SQLAlchemy Core.  Migrations are found through the installed
package, never through the current directory, so ``crosswalk db upgrade`` works from
anywhere and from a wheel.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, Connection, make_url

from crosswalk.config import normalise_database_url


def create_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the per-connection settings this application relies on.

    SQLite needs three things switched on: foreign keys (off by default, and the
    cascades depend on them), WAL (readers such as the web app keep reading while an
    import writes) and real transactions around *every* statement, DDL included (the
    driver's own transaction handling leaves DDL and reads outside, which would make a
    failed migration or import half-applied).  A SQLite file on storage this process
    cannot write is opened read-only (see :func:`sqlite_access`), so it can still be
    read and served.
    """
    address = make_url(normalise_database_url(url))
    if address.get_backend_name() == "sqlite":
        address = sqlite_access(address)
    engine = sqlalchemy.create_engine(address, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, wal=not _is_in_memory(address) and not is_read_only(address))
    return engine


def is_read_only(url: URL) -> bool:
    """Whether a SQLite URL opens its file read-only (``mode=ro`` or ``immutable=1``)."""
    return url.query.get("mode") == "ro" or url.query.get("immutable") == "1"


def sqlite_access(url: URL) -> URL:
    """``url``, opened read-only when this process cannot write the file or its folder.

    SQLite writes beside the database (the ``-wal``/``-shm`` files of WAL mode, or a
    rollback journal), so a writable file in a folder we cannot write is read-only
    too.  A WAL-mode file can be read without writing only through its ``-shm`` file;
    when there is none and none can be made, the file is opened ``immutable``: on
    storage nobody can write, nobody changes it either.  URLs that already are SQLite
    URIs (``?uri=true``: ``mode=ro``, ``immutable=1`` …) are taken as they are.
    """
    database = url.database
    if not database or database == ":memory:" or url.query.get("uri") is not None:
        return url
    path = Path(database).absolute()
    folder_writable = os.access(path.parent, os.W_OK)
    if not path.is_file() or (folder_writable and os.access(path, os.W_OK)):
        return url
    options = {"mode": "ro", "uri": "true"}
    if not folder_writable and _in_wal_mode(path) and not Path(f"{path}-shm").exists():
        options["immutable"] = "1"
    return url.set(database="file:" + quote(str(path))).update_query_dict(options)


def _in_wal_mode(path: Path) -> bool:
    """Whether the file's header says WAL (file format versions 2 at offsets 18–19)."""
    try:
        with path.open("rb") as stream:
            header = stream.read(20)
    except OSError:
        return False
    return header[18:20] == b"\x02\x02"


def _is_in_memory(url: URL) -> bool:
    database = url.database
    return not database or database == ":memory:" or url.query.get("mode") == "memory"


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if wal:
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


@functools.cache
def head_revision() -> str | None:
    """The newest migration this version of the code knows.

    Read once per process: the migrations shipped with the code do not change while it
    runs, and every catalog opened (each process, each reload) asks.
    """
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
