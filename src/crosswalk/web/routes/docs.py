"""``/docs``: the API explorer, without inline script, and useful offline.

FastAPI's own page starts Swagger UI with an inline script, which our
Content-Security-Policy forbids.  This page loads Swagger UI from its CDN and starts
it from ``/static/docs.js``; underneath, it lists every endpoint from the OpenAPI
document, so it still says something when the CDN cannot be reached.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from crosswalk.web.rendering import render

router = APIRouter(include_in_schema=False)

SWAGGER_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"
METHODS = ("get", "post", "put", "patch", "delete")


@router.get("/docs")
async def api_docs(request: Request) -> Response:
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
            "swagger": SWAGGER_CDN,
            "description": schema.get("info", {}).get("description", ""),
        },
    )
