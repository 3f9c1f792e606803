"""Who is asking: a bearer token for the JSON API, a session cookie for the pages.

The API accepts only ``Authorization: Bearer <token>`` (never the cookie), so no other
site can make a browser write through it; the pages accept only the session cookie,
and every form they post carries a CSRF token (:mod:`crosswalk.web.csrf`).  Both end
in the same :class:`~crosswalk.curation.permissions.Actor`, and every write asks the
library whether that actor may.

Refusals are answered the same way everywhere: not signed in → 401 (with
``WWW-Authenticate: Bearer`` on the API), signed in without the role → 403, a request
the library cannot carry out → 400, a conflict with someone else's change → 409 with
both versions, storage that cannot take a write (read-only, full) → 503.
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
from crosswalk.store import Cause, ConflictError, Repository, StoreError
from crosswalk.web.csrf import CsrfRefused
from crosswalk.web.deps import CatalogStore, catalog_store
from crosswalk.web.errors import error_response, wants_json

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


def api_person(actor: Annotated[Actor, Depends(api_actor)]) -> Actor:
    """The API caller of a route that needs a token: 401 before anything else is read
    when there is none (what the caller may do is the library's answer)."""
    if not actor.signed_in:
        raise Denied("send a bearer token: crosswalk token create NAME", signed_in=False)
    return actor


ApiActor = Annotated[Actor, Depends(api_actor)]  # a token if one is sent (reads)
ApiPerson = Annotated[Actor, Depends(api_person)]  # a token is needed (writes, yours)
PageActor = Annotated[Actor, Depends(page_actor)]
# For the OpenAPI document of a route that takes a token but reads without one too.
TOKEN_OPTIONAL: dict[str, object] = {"security": [{}]}


# A store refusal by cause: someone else's change or data the store refuses is a
# conflict with what is stored; storage that cannot take the write is unavailable.
_STORE_STATUS = {Cause.DATA: 409, Cause.CONFLICT: 409}


def add_refusal_handlers(app: FastAPI) -> None:
    """401/403/400/409/503 for the library's refusals, as JSON or as a page (plain
    functions: Starlette runs them in the thread pool, like every handler)."""

    def answer(request: Request, status: int, detail: str, **extra: Any) -> Response:
        api = wants_json(request.url.path)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 and api else {}
        if not api:
            headers["Cache-Control"] = "no-store"
        if api and extra:  # the API's extra keys ride beside detail and errors
            body = {"detail": detail, "errors": [], **extra}
            return JSONResponse(body, status_code=status, headers=headers)
        return error_response(request, status, detail, (), headers, **extra)

    def denied(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Denied)
        return answer(request, 403 if exc.signed_in else 401, str(exc))

    def forged(request: Request, exc: Exception) -> Response:
        return answer(request, 403, str(exc))

    def problem(request: Request, exc: Exception) -> Response:
        return answer(request, 400, str(exc))

    def conflict(request: Request, exc: Exception) -> Response:
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
        return answer(request, 409, str(exc), conflicts=clashes)

    def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StoreError)
        status = _STORE_STATUS.get(exc.cause, 503)
        detail = f"{exc} ({exc.hint})" if exc.hint and status == 503 else str(exc)
        return answer(request, status, detail)

    app.add_exception_handler(Denied, denied)
    app.add_exception_handler(CsrfRefused, forged)
    app.add_exception_handler(CurationProblem, problem)
    app.add_exception_handler(ConflictError, conflict)
    app.add_exception_handler(StoreError, refused)
