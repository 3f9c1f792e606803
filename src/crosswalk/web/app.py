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

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from crosswalk import __version__
from crosswalk.catalog import NotFound
from crosswalk.config import get_settings, normalise_base_url
from crosswalk.query import NoRoute
from crosswalk.web.deps import CatalogStore
from crosswalk.web.middleware import HeadAsGet, RevisionCaching, SecurityHeaders
from crosswalk.web.rendering import STATIC, TEMPLATES, render, set_build

# Paths whose answers depend only on the URL and the store revision (ETag-able).
CACHEABLE = ("/frameworks", "/crosswalks", "/map", "/search", "/lint", "/api", "/ims/case")

API_DESCRIPTION = """\
The competency frameworks, their items and the crosswalks between them, and their
curation.  Reading needs no account; every read takes `release=NAME` to read a named
release instead of the published data.  Lists are paginated (`limit`, `offset`, with
`total` and a `next` link); answers carry an `ETag` and can be revalidated with
`If-None-Match`.  A wrong parameter gives 422 with `errors[].parameter` naming it; an
unknown framework, crosswalk or item gives 404 with a `detail` that says what exists.

Writing (change sets, people, releases) needs `Authorization: Bearer <token>` (made
with `crosswalk token create NAME`): 401 without one, 403 without the role, 409 when
someone changed the same thing meanwhile (both versions in `conflicts`).
"""


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
        pages,
        readiness,
    )

    app.include_router(pages.router)
    app.include_router(explore.router)
    app.include_router(api.router)
    app.include_router(curation_api.router)  # people, change sets, history, releases
    app.include_router(account.router)  # sign in and out (curation)
    app.include_router(changes.router)  # change sets and the forms that fill them
    app.include_router(history.router)  # history, releases, new editions
    app.include_router(docs.router)
    app.include_router(case.router)  # CASE 1.1 under /ims/case/v1p1/ (exchange)
    app.include_router(readiness.router)  # /readiness upload page (readiness)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    _add_error_pages(app)
    add_refusal_handlers(app)
    app.add_middleware(SessionReader, store=store)  # who is signed in (curation)
    app.add_middleware(RevisionCaching, store=store, build=build, prefixes=CACHEABLE)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)  # outermost: every layer below sees a GET
    return app


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path.startswith("/ims/")


def _add_error_pages(app: FastAPI) -> None:
    """404 and 422 as a friendly page for people and as JSON for programs."""

    async def not_found(request: Request, exc: Exception) -> Response:
        detail = str(exc) if isinstance(exc, NotFound | NoRoute) else "page not found"
        if isinstance(exc, StarletteHTTPException):
            if exc.status_code != 404:
                return await _plain_http_error(request, exc)
            detail = exc.detail if exc.detail != "Not Found" else "page not found"
        if _wants_json(request):
            return JSONResponse({"detail": detail, "errors": []}, status_code=404)
        return render(
            request,
            "error.html",
            {"title": "Not found", "status": 404, "detail": detail, "errors": []},
            status_code=404,
        )

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {
                "parameter": str(e["loc"][-1]) if e.get("loc") else "",
                "in": str(e["loc"][0]) if e.get("loc") else "",
                "message": str(e.get("msg", "invalid")),
            }
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors)
        if _wants_json(request):
            return JSONResponse({"detail": detail, "errors": errors}, status_code=422)
        return render(
            request,
            "error.html",
            {
                "title": "Please check the address",
                "status": 422,
                "detail": detail,
                "errors": errors,
            },
            status_code=422,
        )

    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(StarletteHTTPException, not_found)
    app.add_exception_handler(RequestValidationError, invalid)


async def _plain_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if _wants_json(request):
        return JSONResponse(
            {"detail": exc.detail, "errors": []}, status_code=exc.status_code, headers=exc.headers
        )
    context = {"title": "Something went wrong", "status": exc.status_code, "detail": exc.detail}
    return render(request, "error.html", {**context, "errors": []}, status_code=exc.status_code)
