"""``/docs``: every endpoint of the JSON API, listed from the OpenAPI document.

FastAPI's own page loads Swagger UI from a CDN (unpinned, no integrity check) and
starts it with an inline script, which our Content-Security-Policy forbids; the site
must also work without internet.  So this page is a plain list rendered on the server,
and ``/openapi.json`` is there for tools that want the interactive explorer.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from crosswalk.web.rendering import render

router = APIRouter(include_in_schema=False)

METHODS = ("get", "post", "put", "patch", "delete")


@router.get("/openapi.json")
def openapi_document(request: Request) -> Response:
    """The OpenAPI document (FastAPI's own route for it is turned off: it runs on the
    event loop, and no route here does; the document is built once and kept)."""
    return JSONResponse(request.app.openapi())


@router.get("/docs")
def api_docs(request: Request) -> Response:
    schema: dict[str, Any] = request.app.openapi()
    endpoints = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": (operation.get("description") or "").split("\n\n")[0],
            "parameters": [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                }
                for p in operation.get("parameters", [])
            ],
        }
        for path, methods in schema.get("paths", {}).items()
        for method, operation in methods.items()
        if method in METHODS
    ]
    return render(
        request,
        "docs.html",
        {
            "title": "JSON API",
            "endpoints": endpoints,
            "description": schema.get("info", {}).get("description", ""),
        },
    )
