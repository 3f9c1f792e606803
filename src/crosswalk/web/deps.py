"""The catalog every request reads, shared by all routers of the app.

A process keeps one :class:`~crosswalk.catalog.Catalog` in memory (the whole dataset
is small and every page needs most of it) and asks the store for its revision before
serving; when another process has written, the events since are applied to it
(:meth:`~crosswalk.store.Repository.catch_up`), so the cost follows the change.  Nothing else is
kept between requests, so several processes can run behind a load balancer on one
database.  Derived results that are costly to build (the lint report, a rendered
matrix) are memoised on the :class:`Snapshot`, so they die with its revision.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool

from crosswalk.catalog import Catalog
from crosswalk.levels import SCOPES, parse_scope, scope_pattern
from crosswalk.store import Repository, open_repository
from crosswalk.web.busy import COSTLY
from crosswalk.web.limits import MAX_ROW_ID
from crosswalk.web.memo import Memo

T = TypeVar("T")

# How long a revision read stays fresh.  Short enough that an import shows up almost at
# once in every process, long enough that a burst of requests costs one query.
DEFAULT_CHECK_INTERVAL = 0.5


@dataclass
class Snapshot:
    """One revision of the store, indexed, with results derived from it."""

    catalog: Catalog
    revision: int
    _memo: Memo = field(default_factory=Memo, repr=False)

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()`` once per key for this revision: concurrent requests for the same
        key wait for the one build; a bounded number of keys is kept (see :class:`Memo`).
        A build is costly work: it takes a slot of :data:`~crosswalk.web.busy.COSTLY`."""

        def gated() -> T:
            with COSTLY.slot("page"):
                return build()

        return self._memo.get(key, gated)


class CatalogStore:
    """Opens the database once, then hands out the snapshot of its current revision."""

    def __init__(
        self, database_url: str | None = None, check_interval: float = DEFAULT_CHECK_INTERVAL
    ) -> None:
        self.database_url = database_url
        self.check_interval = check_interval
        self._repository: Repository | None = None
        self._snapshot: Snapshot | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def fresh(self) -> Snapshot | None:
        """The snapshot if its revision was checked lately, else None; never blocks."""
        current = self._snapshot
        if current is not None and time.monotonic() - self._checked < self.check_interval:
            return current
        return None

    def snapshot(self, *, latest: bool = False) -> Snapshot:
        """The current snapshot, reloaded if the store's revision moved on.

        ``latest`` checks the revision now, whenever it was last checked: what an edit
        is checked against must not be half a second old.  Blocking (a database query,
        maybe a whole reload, a lock): async code calls :meth:`current` instead.
        """
        current = None if latest else self.fresh()
        if current is not None:
            return current
        with self._lock:
            current = None if latest else self.fresh()  # another thread checked meanwhile
            if current is not None:
                return current
            repository = self._open()
            if self._snapshot is None:
                catalog = repository.load_catalog()
            else:  # one query when nothing changed; else only the events since
                catalog = repository.catch_up(self._snapshot.catalog)
            self._checked = time.monotonic()
            if self._snapshot is None or catalog is not self._snapshot.catalog:
                self._snapshot = Snapshot(catalog, catalog.revision)
            return self._snapshot

    async def current(self) -> Snapshot:
        """:meth:`snapshot` for async code: a dictionary read while the revision is
        fresh, otherwise the check (and any reload) runs in the thread pool, off the
        event loop."""
        current = self.fresh()
        if current is not None:
            return current
        return await run_in_threadpool(self.snapshot)

    def repository(self) -> Repository:
        """The store itself, for writes and sessions (blocking the first time: call it
        from a worker thread).  Once open it is handed out without waiting for the lock
        a catalog reload may hold."""
        opened = self._repository
        if opened is not None:
            return opened
        with self._lock:
            return self._open()

    def _open(self) -> Repository:
        if self._repository is None:
            # Migrates and, on an empty database, loads the bundled dataset.
            self._repository = open_repository(self.database_url)
        return self._repository

    def close(self) -> None:
        with self._lock:
            if self._repository is not None:
                self._repository.close()
            self._repository = None
            self._snapshot = None


def catalog_store(request: Request) -> CatalogStore:
    store: CatalogStore = request.app.state.catalog_store
    return store


async def get_snapshot(request: Request) -> Snapshot:
    """The snapshot for this request (dependency): the published data, or what
    ``?release=`` or ``?preview=`` names (:mod:`crosswalk.web.readings`).

    Async on purpose: it is a dictionary read almost always, and a sync dependency
    would cost a thread hop on every request.  The blocking part (the revision query,
    at most every ``check_interval``, and a reload) runs in the thread pool.
    """
    published = await catalog_store(request).current()
    if "release" in request.query_params or "preview" in request.query_params:
        from crosswalk.web.readings import chosen

        return await run_in_threadpool(chosen, request, published)
    return published


async def get_catalog(request: Request) -> Catalog:
    """The catalog for this request (dependency; other routers use this one)."""
    return (await get_snapshot(request)).catalog


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]


def reading_parameters(
    release: Annotated[
        str | None,
        Query(description="Read this release instead of the published data (GET /api/releases)"),
    ] = None,
    preview: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_ROW_ID,
            description="Read the data as this change set would make it (for those who may "
            "see it; not with release=)",
        ),
    ] = None,
) -> None:
    """Documents the two parameters every read takes; :func:`get_snapshot` reads them."""


# A stored row's id in a path (a change set, a token): 422 beyond what a row can carry.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def stored_id(text: str, least: int = 1) -> int | None:
    """The number a form or query field names, or None when no stored row could carry
    it: anything but ASCII digits (``int`` reads "١٢" and fails on "²", which
    ``str.isdigit`` passes), or a number outside ``least`` … :data:`MAX_ROW_ID`."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ROW_ID)):
        return None
    number = int(text)
    return number if least <= number <= MAX_ROW_ID else None


def invalid_parameter(name: str, message: str, where: str = "query") -> RequestValidationError:
    """A 422 naming the parameter, for checks FastAPI cannot express in a signature."""
    return RequestValidationError([{"loc": (where, name), "msg": message, "type": "value_error"}])


# The one ``?level=`` every page, download and API endpoint takes: a scope of
# :mod:`crosswalk.levels` in any of its spellings (``FS``, ``mhs``, ``IMHM``,
# ``upto-IMHS`` …).  Read it with :func:`level_scope`, so all of them accept and refuse
# the same values.
LevelQuery = Annotated[
    str | None,
    Query(
        description="Only links at this endorsement level: "
        + ", ".join(f"{value} ({text})" for value, (_, text) in SCOPES.items())
        + "; MHS and MHM are accepted for IMHS and IMHM, and any case; empty for all",
        json_schema_extra={"pattern": scope_pattern()},  # checked by level_scope: its message
    ),
]


def level_scope(value: str | None) -> str | None:
    """The canonical scope of ``?level=`` (None: every level); a bad value is a 422
    naming the parameter and the allowed values."""
    try:
        return parse_scope(value)
    except ValueError as error:
        raise invalid_parameter("level", str(error)) from None
