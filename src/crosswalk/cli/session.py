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

import typer

from crosswalk.catalog import Catalog
from crosswalk.cli.output import CommandError, mask_password, mask_url
from crosswalk.curation.permissions import Actor
from crosswalk.store import Repository


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
            where = mask_url(session.database_url or "") or "the default database"
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            reason = mask_password(reason, session.database_url)
            raise CommandError(
                f"cannot open {where}: {reason}",
                "check --database URL or CROSSWALK_DATABASE_URL",
            ) from error
    return session._catalog


def repository(ctx: typer.Context) -> Repository:
    """The store, opened once per invocation and closed when the command ends."""
    from crosswalk.store import open_repository

    session = ctx.find_object(Session) or Session()
    if session._repository is None:
        try:
            session._repository = open_repository(session.database_url)
        except Exception as error:
            where = mask_url(session.database_url or "") or "the default database"
            reason = mask_password(
                str(error).splitlines()[0] if str(error) else "", session.database_url
            )
            raise CommandError(f"cannot open {where}: {reason}", "check --database URL") from error
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
