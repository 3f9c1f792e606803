"""Storage: SQL tables behind a repository that speaks in model objects.

``open_repository()`` is the one call an interface needs: it finds the database from
the settings, brings its schema up to date and, the first time, fills it with the
bundled dataset, so a new user's first command simply works.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from crosswalk.catalog import Catalog
from crosswalk.config import get_settings
from crosswalk.model import Dataset
from crosswalk.store.changes import ConflictError, Operation
from crosswalk.store.engine import (
    create_engine,
    current_revision,
    head_revision,
    needs_upgrade,
    upgrade,
)
from crosswalk.store.repository import Applied, Repository, StoreError

__all__ = [
    "Applied",
    "ConflictError",
    "Operation",
    "Repository",
    "StoreError",
    "create_engine",
    "current_revision",
    "head_revision",
    "load_bundled",
    "open_catalog",
    "open_repository",
    "upgrade",
    "upgrade_database",
]

Seed = Callable[[], Dataset]


def load_bundled() -> Dataset:
    """The dataset shipped with the package (imported late: building it reads files)."""
    from crosswalk.sources.bundled import load_bundled as build

    return build()


def open_repository(url: str | None = None, *, seed: Seed | None = load_bundled) -> Repository:
    """A ready repository: migrated to the newest schema and, if it was empty, seeded.

    ``url`` defaults to ``CROSSWALK_DATABASE_URL`` (or the SQLite file in the user data
    directory).  ``seed`` supplies the first dataset; pass ``None`` to leave an empty
    database empty (a dry-run import) or a small function in tests.
    """
    engine = create_engine(url or get_settings().database_url)
    try:
        _migrate(engine)
        repository = Repository(engine, owns_engine=True)
        if seed is not None:
            repository.initialise(seed)
    except BaseException:
        engine.dispose()
        raise
    return repository


def open_catalog(url: str | None = None, *, seed: Seed | None = load_bundled) -> Catalog:
    """The stored dataset, indexed for queries; the connection is closed again."""
    with open_repository(url, seed=seed) as repository:
        return repository.load_catalog()


def upgrade_database(url: str | None = None) -> tuple[str | None, str | None]:
    """Create or migrate the schema at ``url`` (default: the configured database).

    Returns the revision before (``None``: the database had no schema) and after.  The
    data is left as it is: nothing is seeded.
    """
    engine = create_engine(url or get_settings().database_url)
    try:
        before = current_revision(engine)
        upgrade(engine)
        return before, current_revision(engine)
    finally:
        engine.dispose()


def _migrate(engine: Engine) -> None:
    if not needs_upgrade(engine):
        return
    try:
        upgrade(engine)
    except DBAPIError:
        # Another process may have migrated the database between our check and our
        # attempt; that is success, anything else is a real failure.
        if needs_upgrade(engine):
            raise
