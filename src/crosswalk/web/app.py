"""The web application: explorer pages, JSON API and the routers of other features.

``create_app`` wires everything and holds no data itself: the catalog comes from the
:class:`~crosswalk.web.deps.CatalogStore` on ``app.state``, which re-reads the store
when its revision changes.  ``uvicorn --factory crosswalk.web.app:create_app`` and the
``crosswalk serve`` command both start it.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from crosswalk import __version__
from crosswalk.config import get_settings, normalise_base_url
from crosswalk.web import busy, errors
from crosswalk.web.assets import StaticAssets
from crosswalk.web.deps import CatalogStore
from crosswalk.web.guards import AllowedMethods, RequestLimits
from crosswalk.web.middleware import HeadAsGet, RevisionCaching, SecurityHeaders
from crosswalk.web.rendering import STATIC, TEMPLATES, set_build

# Paths whose answers depend only on the URL and the store revision (ETag-able).
CACHEABLE = (
    *("/frameworks", "/crosswalks", "/map", "/search", "/lint", "/sources", "/api"),
    "/ims/case",
)

API_DESCRIPTION = """\
The competency frameworks, their items and the crosswalks between them, and their
curation.  Reading needs no account; every read takes `release=NAME` to read a named
release instead of the published data.  Lists are paginated (`limit`, `offset`, with
`total` and a `next` link); answers carry an `ETag` and can be revalidated with
`If-None-Match`.  Errors name the parameter in `errors[]`: 422 when the schema refuses
a value, 404 when an allowed value names nothing here (an unknown framework,
crosswalk, item, tag or kind).  An address longer than 8 kB is 414, a method an
address does not take is 405 with `Allow`.

Writing (change sets, people, releases) needs `Authorization: Bearer <token>` (made
with `crosswalk token create NAME`): 401 without one, 403 without the role, 409 when
someone changed the same thing meanwhile (both versions in `conflicts`), 503 when the
database cannot take writes (read-only or full storage: `detail` says which).

Costly work (suggestions, the lint report, a large crosswalk's matrix, an import) runs
a few requests at a time per server process; beyond that the answer is 503 at once,
with `Retry-After` (seconds) saying when to ask again.
"""


# How the app is served (``crosswalk serve``, and the servers of the tests and benches).
# h11's parser answers 431 to a request head over 16 KB.  httptools, uvicorn's faster
# parser, has no such bound: one connection sending a header that never ended grew the
# server by 225 MB per 115 MB sent.  uvloop is used when installed (``loop="auto"``).
SERVER_OPTIONS: dict[str, Any] = {"http": "h11", "h11_max_incomplete_event_size": 16 * 1024}


def build_id() -> str:
    """Identifies this code and its templates, so ETags change when they do."""
    digest = hashlib.sha256(__version__.encode())
    for folder in (TEMPLATES, STATIC):
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def create_app(database_url: str | None = None, base_url: str | None = None) -> FastAPI:
    """The application on ``database_url`` (default: ``CROSSWALK_DATABASE_URL``).

    ``base_url`` (default: ``CROSSWALK_BASE_URL``) is the public address absolute URIs
    are built from; without one, each request's own address is used.
    """
    store = CatalogStore(database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Open, migrate (and on an empty database seed) the store and load the catalog
        # before the first request, in a worker thread: the event loop never waits on it.
        await run_in_threadpool(store.snapshot)
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="Competency crosswalk",
        version=__version__,
        description=API_DESCRIPTION,
        docs_url=None,  # our /docs page below: no inline script, works offline too
        redoc_url=None,
        openapi_url=None,  # served by the docs router, off the event loop like every route
        lifespan=lifespan,
    )
    app.state.catalog_store = store
    app.state.base_url = normalise_base_url(base_url) or get_settings().base_url
    build = build_id()
    set_build(build)

    # Imported here: the routers import the rendering set-up, which reads the build id.
    from crosswalk.web.auth import SessionReader, add_refusal_handlers
    from crosswalk.web.routes import (
        account,
        api,
        case,
        changes,
        curation_api,
        docs,
        explore,
        history,
        links,
        pages,
        people,
        readiness,
        sources,
        start,
        suggest,
        suggest_review,
    )

    app.include_router(pages.router)
    app.include_router(explore.router)
    app.include_router(links.router)  # /crosswalks/{id}/links: the alignments table
    app.include_router(api.router)
    app.include_router(curation_api.router)  # people, change sets, history, releases
    app.include_router(account.router)  # sign in and out (curation)
    app.include_router(changes.router)  # change sets and the forms that fill them
    app.include_router(people.router)  # people, roles and API tokens (curation)
    app.include_router(history.router)  # history, releases, new editions
    app.include_router(docs.router)
    app.include_router(case.router)  # CASE 1.1 under /ims/case/v1p1/ (exchange)
    app.include_router(readiness.router)  # /readiness upload page (readiness)
    app.include_router(suggest.router)  # /suggest page and /api/suggest (suggestions)
    app.include_router(suggest_review.router)  # a crosswalk's suggestions, accept/reject
    app.include_router(sources.router)  # /sources: the documents as printed
    app.include_router(start.router)  # /lookup, /compare: the home page's forms
    app.mount("/static", StaticAssets(STATIC), name="static")

    errors.install(app)
    busy.install(app)
    add_refusal_handlers(app)
    app.add_middleware(SessionReader, store=store)  # who is signed in (curation)
    app.add_middleware(RevisionCaching, store=store, build=build, prefixes=CACHEABLE)
    app.add_middleware(AllowedMethods, router=app.router, except_under=(case.PREFIX + "/",))
    app.add_middleware(RequestLimits)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)  # outermost: every layer below sees a GET
    return app
