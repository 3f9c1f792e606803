"""Where commands get their catalog: one seam between the CLI and the store.

Commands never open the store themselves; they ask :func:`catalog` for the catalog of
the database chosen by ``--database`` (or ``CROSSWALK_DATABASE_URL``).  Tests replace
:func:`open_catalog` to run every command on a small fixture dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import typer

from crosswalk.catalog import Catalog
from crosswalk.cli.output import CommandError, mask_password, mask_url

CHECK_URL = "check --database URL or CROSSWALK_DATABASE_URL"


def open_catalog(url: str | None) -> Catalog:
    """The catalog of the database at ``url`` (default from configuration)."""
    from crosswalk.store import open_catalog as open_store_catalog

    return open_store_catalog(url)


@dataclass
class Session:
    """Per-invocation state set by the ``--database`` option; the catalog loads once."""

    database_url: str | None = None
    _catalog: Catalog | None = field(default=None, repr=False)


def catalog(ctx: typer.Context) -> Catalog:
    """The catalog for this invocation, opened on first use."""
    session = ctx.find_object(Session) or Session()
    if session._catalog is None:
        try:
            session._catalog = open_catalog(session.database_url)
        except CommandError:
            raise
        except Exception as error:  # the store's errors differ per engine and driver
            raise database_problem(session.database_url, error) from error
    return session._catalog


def database_file(ctx: typer.Context) -> Path | None:
    """The SQLite file this invocation reads, if its database is one (never written over)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from crosswalk.config import get_settings

    session = ctx.find_object(Session) or Session()
    try:
        url = make_url(session.database_url or get_settings().database_url)
    except (ArgumentError, ValueError):
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def database_problem(
    url: str | None, error: Exception, prefix: str = "", verb: str = "cannot open"
) -> CommandError:
    """A failure of the database at ``url`` as a one-line error: which database, why,
    and what to do next — about the storage (full, read-only, locked), the URL or a
    race, as the store found; never "fix the file" for what is not the file's fault.

    ``prefix`` starts the line (``x.csv not imported: ``); ``verb`` says what failed
    for errors that are not the store's own (a bad URL, say).
    """
    from crosswalk.store import StoreError

    where = mask_url(url or "") or "the default database"
    if isinstance(error, StoreError):
        reason = mask_password(str(error), url)
        return CommandError(f"{prefix}{where}: {reason}", error.hint or CHECK_URL)
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return CommandError(f"{prefix}{verb} {where}: {mask_password(reason, url)}", CHECK_URL)
