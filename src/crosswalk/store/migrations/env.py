"""Alembic environment for the crosswalk store.

Run programmatically by :func:`crosswalk.store.upgrade`, which hands over an open
connection (so the migration joins the caller's transaction), or by the ``alembic``
command from the repository root, which falls back to ``sqlalchemy.url`` and then to
``CROSSWALK_DATABASE_URL``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from crosswalk.config import get_settings, normalise_database_url
from crosswalk.store.engine import create_engine
from crosswalk.store.tables import metadata

config = context.config


def _url() -> str:
    return normalise_database_url(
        config.get_main_option("sqlalchemy.url") or get_settings().database_url
    )


def _run(connection: Connection) -> None:
    # Batch mode lets later migrations alter SQLite tables (by copy-and-move).
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Emit SQL to standard output instead of running it (``alembic upgrade --sql``)."""
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url())
    try:
        with engine.begin() as new_connection:
            _run(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
