"""Headers every response carries: security policy and HTTP caching.

Both are plain ASGI middleware (no per-request task or body buffering), so they cost
next to nothing on the hot paths the benchmark measures.

Caching: the data only changes when the store's revision does, so a page or an API
answer is identified by (code build, revision, Host, URL).  That makes a strong ETag that
every process behind a load balancer computes alike, and lets a revalidation
(``If-None-Match``) be answered with 304 before any page is rendered.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crosswalk.web.deps import CatalogStore

# No inline script or style anywhere, and nothing from other hosts (/docs included):
# templates use classes and /static files only.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Revalidate every time (cheap: a 304), so an import is seen at once.
DATA_CACHE_CONTROL = "public, no-cache"


class SecurityHeaders:
    """Adds the security headers: one policy for every page, /docs included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", PAGE_POLICY)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RevisionCaching:
    """ETag + Cache-Control on read-only GETs; 304 when the client's copy is current.

    The same key also indexes a small in-process cache of whole responses, so a page
    asked for again at the same revision is sent without being rendered again.  It is
    bounded in entries, in bytes per response (a larger one is passed on, not kept) and
    in bytes in all; a new revision simply stops matching old keys.
    """

    def __init__(
        self,
        app: ASGIApp,
        store: CatalogStore,
        build: str,
        prefixes: Iterable[str],
        max_entries: int = 512,
        max_body: int = 2_000_000,
        max_bytes: int = 64_000_000,
    ) -> None:
        self.app = app
        self.store = store
        self.build = build
        self.prefixes = tuple(prefixes)
        self.max_entries = max_entries
        self.max_body = max_body
        self.max_bytes = max_bytes
        self._bytes = 0
        self._responses: OrderedDict[str, tuple[list[tuple[bytes, bytes]], bytes]] = OrderedDict()

    def _cacheable(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return False
        if _personal(scope):  # a signed-in page or a draft's preview is nobody else's
            return False
        path: str = scope["path"]
        return path == "/" or any(
            path == p or path.startswith(p.rstrip("/") + "/") for p in self.prefixes
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        try:
            revision = (await self.store.current()).revision
        except Exception:  # the route will report the failure properly
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        # The host is part of the key: answers may hold absolute URLs built from it
        # (CASE URIs when no public base URL is configured), so one Host must never be
        # served another's cached answer.
        host = Headers(scope=scope).get("host", "")
        key = f"{self.build}|{revision}|{host}|{scope['path']}?{query}"
        digest = hashlib.sha256(key.encode())
        etag = f'"{digest.hexdigest()[:24]}"'
        if etag in client_tags(Headers(scope=scope)):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [
                        (b"etag", etag.encode()),
                        (b"cache-control", DATA_CACHE_CONTROL.encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        cached = self._responses.get(etag) if scope["method"] == "GET" else None
        if cached is not None:
            self._responses.move_to_end(etag)
            headers, body = cached
            await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
            await send({"type": "http.response.body", "body": body})
            return
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def send_with_etag(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = MutableHeaders(scope=message)
                headers.setdefault("ETag", etag)
                headers.setdefault("Cache-Control", DATA_CACHE_CONTROL)
                start = message
            elif message["type"] == "http.response.body" and start is not None:
                size += len(message.get("body", b""))
                if size > self.max_body:  # too large to keep: stop collecting it
                    start, chunks[:] = None, []
                else:
                    chunks.append(message.get("body", b""))
                    if not message.get("more_body", False):
                        self._keep(etag, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, send_with_etag)

    def _keep(self, etag: str, start: Message, body: bytes) -> None:
        if any(k.lower() == b"set-cookie" for k, _ in start["headers"]):
            return  # an answer that sets a cookie is for its one reader
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-security-policy"]
        previous = self._responses.pop(etag, None)
        self._bytes += len(body) - (len(previous[1]) if previous else 0)
        self._responses[etag] = (headers, body)
        while len(self._responses) > self.max_entries or self._bytes > self.max_bytes:
            _, (_, dropped) = self._responses.popitem(last=False)
            self._bytes -= len(dropped)


def _personal(scope: Scope) -> bool:
    """Whether the answer may depend on who asks: credentials, or a change set preview."""
    headers = Headers(scope=scope)
    cookies = headers.get("cookie", "")
    return (
        "authorization" in headers
        or "crosswalk_session=" in cookies
        or b"preview=" in scope.get("query_string", b"")
    )


def client_tags(headers: Headers) -> set[str]:
    """The ETags an ``If-None-Match`` header names (weak ones compared as strong)."""
    value = headers.get("if-none-match", "")
    return {tag.strip().removeprefix("W/") for tag in value.split(",") if tag.strip()}


class HeadAsGet:
    """HEAD is answered wherever GET is: the GET response's headers, without the body.

    FastAPI routes declared with ``@router.get`` answer only GET (405 for HEAD), and
    link checkers, proxies and monitors probe with HEAD.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
