"""What every request must satisfy before a route sees it: a bounded size, and a method
the route takes.

Both are plain ASGI middleware around the whole app, so they hold for every route it
has or will have, whoever writes it:

* :class:`RequestLimits`: a target (path and query string) longer than
  :data:`~crosswalk.web.limits.MAX_TARGET_BYTES` is 414, a body larger than
  :data:`~crosswalk.web.limits.MAX_BODY_BYTES` is 413 — at once when its
  ``Content-Length`` says so, else as soon as the bytes read pass the limit (the route
  reading it is stopped there);
* :class:`AllowedMethods`: the first route whose path matches owns the address (with
  any other route declared for the same path), and a method none of them takes is 405
  with an ``Allow`` header naming those they do (HEAD wherever GET is), whether or not
  a catch-all further down (the CASE prefix's) would take it.

Their refusals go through :func:`crosswalk.web.errors.error_response`, in the thread
pool, like every other error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.routing import BaseRoute, Match, Mount, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crosswalk.web.errors import error_response
from crosswalk.web.limits import MAX_BODY_BYTES, MAX_TARGET_BYTES


async def refuse(
    scope: Scope, send: Send, status: int, detail: str, headers: dict[str, str] | None = None
) -> None:
    """Answer the request with an error of the app's usual shape."""
    request = Request(scope)
    response = await run_in_threadpool(error_response, request, status, detail, (), headers)
    await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class _BodyTooLarge(Exception):
    """Raised from ``receive`` once a body passes the limit."""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


class RequestLimits:
    """414 for a target, 413 for a body over the app's limits."""

    def __init__(
        self, app: ASGIApp, max_target: int = MAX_TARGET_BYTES, max_body: int = MAX_BODY_BYTES
    ) -> None:
        self.app = app
        self.max_target = max_target
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("raw_path") or scope["path"].encode()
        if len(path) + len(scope.get("query_string", b"")) > self.max_target:
            detail = (
                f"the address is longer than {self.max_target:,} bytes, the most this site "
                "reads; ask for less at a time"
            )
            await refuse(scope, send, 414, detail)
            return
        too_large = (
            f"the request body is larger than {_megabytes(self.max_body)}, the most this site reads"
        )
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            await refuse(scope, send, 413, too_large, {"Connection": "close"})
            return
        received = 0
        started = False

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, watched)
        except _BodyTooLarge:
            if started:
                raise
            await refuse(scope, send, 413, too_large, {"Connection": "close"})


def allowed_methods(route: BaseRoute) -> set[str]:
    methods = {"GET"} if isinstance(route, Mount) else set(getattr(route, "methods", None) or ())
    return methods | ({"HEAD"} if "GET" in methods else set())


def flat_routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, in the order the app tries them.  Recent FastAPI keeps an included
    router whole (``original_router``); its routes carry their full paths already."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from flat_routes(inner.routes)
        else:
            yield route


class AllowedMethods:
    """405 with ``Allow`` for a method the route owning the address does not take.

    Paths under ``except_under`` answer other methods themselves (the CASE API, in the
    error shape its binding prescribes).
    """

    def __init__(self, app: ASGIApp, router: Router, except_under: tuple[str, ...] = ()) -> None:
        self.app = app
        self.router = router
        self.except_under = except_under
        self._routes: list[BaseRoute] | None = None  # read at the first request

    def allowed(self, scope: Scope) -> set[str]:
        """The methods of the routes that own the request's path: the first route whose
        path matches, whatever its method, and the others declared for the same path."""
        if self._routes is None:
            self._routes = list(flat_routes(self.router.routes))
        probe = dict(scope)
        owner = next((r for r in self._routes if r.matches(probe)[0] != Match.NONE), None)
        if owner is None:
            return set()
        path = getattr(owner, "path", None)
        owners = [r for r in self._routes if r is owner or getattr(r, "path", None) == path]
        return {method for route in owners for method in allowed_methods(route)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(self.except_under):
            allowed = self.allowed(scope)
            if allowed and scope["method"] not in allowed:
                listed = ", ".join(sorted(allowed))
                detail = f"this address answers {listed}, not {scope['method']}"
                await refuse(scope, send, 405, detail, {"Allow": listed})
                return
        await self.app(scope, receive, send)
