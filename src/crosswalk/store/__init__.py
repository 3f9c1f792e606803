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
from crosswalk.store.errors import Cause, StoreError, failure
from crosswalk.store.repository import Applied, Repository

__all__ = [
    "Applied",
    "Cause",
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
    database empty (a dry-run import) or a small function in tests.  A database that
    cannot be written (a read-only file or server) opens for reading as long as it
    needs neither; a failure is a :class:`StoreError` that says why and what to do.
    """
    engine = create_engine(url or get_settings().database_url)
    try:
        _migrate(engine)
        repository = Repository(engine, owns_engine=True)
        if seed is not None:
            repository.initialise(seed)
    except DBAPIError as error:
        engine.dispose()
        raise failure(error, "cannot open the database") from error
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
    except DBAPIError as error:
        raise failure(error, "cannot upgrade the database") from error
    finally:
        engine.dispose()


def _migrate(engine: Engine) -> None:
    """Upgrade the schema if it is behind; never touch a database that is current."""
    if not needs_upgrade(engine):
        return
    try:
        upgrade(engine)
    except DBAPIError as error:
        # Another process may have migrated the database between our check and our
        # attempt; that is success, anything else is a real failure.
        if not needs_upgrade(engine):
            return
        raise _cannot_upgrade(engine, error) from error


def _cannot_upgrade(engine: Engine, error: DBAPIError) -> StoreError:
    found = current_revision(engine)
    schema = f"schema {found}" if found else "no schema"
    problem = failure(error, f"the database has {schema}, this version needs {head_revision()}")
    if problem.cause is Cause.READ_ONLY:
        problem.hint = (
            "upgrade it where it can be written (crosswalk db upgrade), "
            "or read it with the crosswalk version that wrote it"
        )
    return problem
