"""The app's own style sheets, script and icon, held in memory and sent as they are.

They are a handful of small files that change only with the code, and every page asks
for them.  Starlette's ``StaticFiles`` stats and reads the file in the thread pool on
each request; under a 50-client load those hops made ``/static/style.css`` the slowest
path of all (p50 105 ms where every page was 8 ms).  Read once at start-up, an asset is
one ``send`` from the event loop, with a strong ETag (304 on revalidation) and a long
``Cache-Control``: its URL carries the build (``?v=``), so a new build is a new URL.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from crosswalk.web.middleware import client_tags

CACHE_CONTROL = b"public, max-age=86400"
LARGEST_ASSET = 1_000_000  # bytes; the folder holds only our own small files


@dataclass(frozen=True)
class _Asset:
    body: bytes
    content_type: bytes
    etag: bytes


class StaticAssets:
    """An ASGI app answering ``GET /<name>`` with the file ``name`` of ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.assets: dict[str, _Asset] = {}
        for path in sorted(folder.iterdir()):
            if not path.is_file():
                continue
            body = path.read_bytes()
            if len(body) > LARGEST_ASSET:
                raise ValueError(f"{path}: {len(body):,} bytes is not a small static asset")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith(("javascript", "+xml")):
                kind += "; charset=utf-8"
            etag = '"' + hashlib.sha256(body).hexdigest()[:24] + '"'
            self.assets[path.name] = _Asset(body, kind.encode(), etag.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(405, headers={"Allow": "GET, HEAD"})
        asset = self.assets.get(scope["path"].removeprefix(scope.get("root_path", "")).lstrip("/"))
        if asset is None:
            raise HTTPException(404)
        headers = [
            (b"etag", asset.etag),
            (b"cache-control", CACHE_CONTROL),
        ]
        if asset.etag.decode() in client_tags(Headers(scope=scope)):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers += [
            (b"content-type", asset.content_type),
            (b"content-length", str(len(asset.body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        body = b"" if scope["method"] == "HEAD" else asset.body
        await send({"type": "http.response.body", "body": body})
