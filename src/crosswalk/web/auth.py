"""Who is asking: a bearer token for the JSON API, a session cookie for the pages.

The API accepts only ``Authorization: Bearer <token>`` (never the cookie), so no other
site can make a browser write through it; the pages accept only the session cookie,
and every form they post carries a CSRF token (:mod:`crosswalk.web.csrf`).  Both end
in the same :class:`~crosswalk.curation.permissions.Actor`, and every write asks the
library whether that actor may.

Refusals are answered the same way everywhere: not signed in → 401 (with
``WWW-Authenticate: Bearer`` on the API), signed in without the role → 403, a request
the library cannot carry out → 400, a conflict with someone else's change → 409 with
both versions.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from crosswalk.curation import ANONYMOUS, Actor, actor_of
from crosswalk.curation.errors import CurationProblem
from crosswalk.curation.people import session_user, token_user
from crosswalk.curation.permissions import Denied
from crosswalk.store import ConflictError, Repository, StoreError
from crosswalk.web.csrf import CsrfRefused
from crosswalk.web.deps import CatalogStore, catalog_store

SESSION_COOKIE = "crosswalk_session"
_bearer = HTTPBearer(auto_error=False, description="An API token: crosswalk token create NAME")


def repository(request: Request) -> Repository:
    """The app's store (opened on the first request, shared by all)."""
    return catalog_store(request).repository()


RepositoryDep = Annotated[Repository, Depends(repository)]


def api_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The API caller: the owner of a live bearer token, or nobody (sync: it queries)."""
    if credentials is None:
        return ANONYMOUS
    user = token_user(repository(request), credentials.credentials)
    if user is None:
        raise Denied("the token is unknown, revoked, or its account disabled", signed_in=False)
    return actor_of(repository(request), user)


def page_actor(request: Request) -> Actor:
    """The person signed in with the session cookie, or nobody (sync: it queries)."""
    found = signed_in(request)
    return actor_of(repository(request), found[0]) if found is not None else ANONYMOUS


def signed_in(request: Request) -> tuple[Any, str] | None:
    """(user, session CSRF token) for the session cookie, read once per request
    (by :class:`SessionReader`, before the handler runs)."""
    try:
        found: tuple[Any, str] | None = request.state.signed_in
    except AttributeError:
        secret = request.cookies.get(SESSION_COOKIE)
        found = session_user(repository(request), secret) if secret else None
        request.state.signed_in = found
    return found


class SessionReader:
    """Looks up the session cookie, in a worker thread, before any handler runs, so
    pages and templates know who is signed in without a query on the event loop.
    Requests without the cookie (all anonymous readers) cost nothing."""

    def __init__(self, app: ASGIApp, store: CatalogStore) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            secret = _cookie(scope, SESSION_COOKIE)
            found = None
            if secret:
                found = await run_in_threadpool(
                    lambda: session_user(self.store.repository(), secret)
                )
            scope.setdefault("state", {})["signed_in"] = found
        await self.app(scope, receive, send)


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                cookie, _, content = part.strip().partition("=")
                if cookie == name:
                    return str(content)
    return None


ApiActor = Annotated[Actor, Depends(api_actor)]
PageActor = Annotated[Actor, Depends(page_actor)]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def add_refusal_handlers(app: FastAPI) -> None:
    """401/403/400/409 for the library's refusals, as JSON or as a page."""
    from crosswalk.web.rendering import render

    def answer(request: Request, status: int, detail: str, extra: dict[str, Any]) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 and _is_api(request) else {}
        if _is_api(request):
            return JSONResponse(
                {"detail": detail, "errors": [], **extra}, status_code=status, headers=headers
            )
        context = {"title": _TITLES[status], "status": status, "detail": detail, "errors": []}
        page = render(request, "error.html", {**context, **extra}, status_code=status)
        page.headers["Cache-Control"] = "no-store"
        return page

    async def denied(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Denied)
        return answer(request, 403 if exc.signed_in else 401, str(exc), {})

    async def forged(request: Request, exc: Exception) -> Response:
        return answer(request, 403, str(exc), {})

    async def problem(request: Request, exc: Exception) -> Response:
        return answer(request, 400, str(exc), {})

    async def conflict(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConflictError)
        clashes = [
            {
                "kind": c.kind,
                "key": c.key,
                "what": c.what,
                "base": c.base,
                "current": c.current,
                "stored": c.stored,
                "proposed": c.proposed,
                "message": str(c),
            }
            for c in exc.clashes
        ]
        return answer(request, 409, str(exc), {"conflicts": clashes})

    async def refused(request: Request, exc: Exception) -> Response:
        return answer(request, 409, str(exc), {})

    app.add_exception_handler(Denied, denied)
    app.add_exception_handler(CsrfRefused, forged)
    app.add_exception_handler(CurationProblem, problem)
    app.add_exception_handler(ConflictError, conflict)
    app.add_exception_handler(StoreError, refused)


_TITLES = {
    400: "That cannot be done",
    401: "Please sign in",
    403: "Not allowed",
    409: "Someone else changed this",
}
