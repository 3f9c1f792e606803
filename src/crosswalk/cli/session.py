"""Where commands get their catalog: one seam between the CLI and the store.

Commands never open the store themselves; they ask :func:`catalog` for the catalog of
the database chosen by ``--database`` (or ``CROSSWALK_DATABASE_URL``), as released
under ``--release NAME`` when one is named.  Tests replace :func:`open_catalog` to run
every command on a small fixture dataset.  Curation commands ask :func:`repository`
for the store and :func:`actor` for who they act as: the command line itself (it
holds the database, so it may do what an admin may), or ``--as NAME``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import typer

from crosswalk.catalog import Catalog
from crosswalk.cli.output import CommandError, mask_password, mask_url
from crosswalk.curation.permissions import Actor
from crosswalk.store import Repository

CHECK_URL = "check --database URL or CROSSWALK_DATABASE_URL"


def open_catalog(url: str | None, release: str | None = None) -> Catalog:
    """The catalog of the database at ``url`` (default from configuration), as
    released under ``release`` when one is named."""
    from crosswalk.curation.releases import find, release_catalog
    from crosswalk.store import open_repository

    with open_repository(url) as opened:
        published = opened.load_catalog()
        if release is None:
            return published
        return release_catalog(published, find(opened, release)[1])


@dataclass
class Session:
    """Per-invocation state set by ``--database`` and ``--release``; the catalog loads
    once, and so does the repository curation commands use."""

    database_url: str | None = None
    release: str | None = None
    _catalog: Catalog | None = field(default=None, repr=False)
    _repository: Repository | None = field(default=None, repr=False)


def catalog(ctx: typer.Context) -> Catalog:
    """The catalog for this invocation, opened on first use."""
    session = ctx.find_object(Session) or Session()
    if session._catalog is None:
        try:
            if session.release is not None:
                session._catalog = open_catalog(session.database_url, session.release)
            else:
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


def repository(ctx: typer.Context) -> Repository:
    """The store, opened once per invocation and closed when the command ends."""
    from crosswalk.store import open_repository

    session = ctx.find_object(Session) or Session()
    if session._repository is None:
        try:
            session._repository = open_repository(session.database_url)
        except Exception as error:  # the store's errors differ per engine and driver
            raise database_problem(session.database_url, error) from error
        ctx.call_on_close(session._repository.close)
    return session._repository


def actor(ctx: typer.Context, name: str | None) -> Actor:
    """Who a command acts as: ``--as NAME`` (a user of the database), or the operator."""
    from crosswalk.curation import OPERATOR, actor_of
    from crosswalk.curation.people import find_user

    if name is None:
        return OPERATOR
    store = repository(ctx)
    return actor_of(store, find_user(store, name))
