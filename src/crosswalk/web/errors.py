"""Errors as people and programs read them: a page, or ``{"detail", "errors"}`` JSON.

Every error the app answers goes through :func:`error_response`, whether a route
raised it (the handlers below) or a guard refused the request before any route saw it
(:mod:`crosswalk.web.guards`), so the same problem reads the same everywhere.  The
handlers are plain functions: Starlette runs them in the thread pool, so rendering an
error page never holds up the event loop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from crosswalk.catalog import NotFound
from crosswalk.query import NoRoute
from crosswalk.web.rendering import render

TITLES = {
    400: "That cannot be done",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not available this way",
    408: "Too slow",
    413: "Too much sent",
    414: "Address too long",
    409: "Someone else changed this",
    422: "Please check the address",
    503: "The data cannot be changed now",
}


def wants_json(path: str) -> bool:
    """Whether answers under ``path`` are for programs (the JSON API, CASE)."""
    return path.startswith("/api/") or path == "/api" or path.startswith("/ims/")


def error_response(
    request: Request,
    status: int,
    detail: str,
    errors: Sequence[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    **page: Any,
) -> Response:
    """The error as JSON for the API, as a page (with ``page`` in its context) for people."""
    if wants_json(request.url.path):
        body = {"detail": detail, "errors": list(errors)}
        return JSONResponse(body, status_code=status, headers=headers)
    context = {
        "title": TITLES.get(status, "Something went wrong"),
        "status": status,
        "detail": detail,
        "errors": list(errors),
        **page,
    }
    response = render(request, "error.html", context, status_code=status)
    response.headers.update(headers or {})
    return response


def parameter_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    """One ``{parameter, in, message}`` per problem FastAPI or a route found.

    The parameter is the last name in the error's location; a body that is not JSON at
    all is located by character offset (``("body", 1)``), and is named ``body``.
    """
    return [
        {
            "parameter": _parameter(e.get("loc") or ()),
            "in": str(e["loc"][0]) if e.get("loc") else "",
            "message": str(e.get("msg", "invalid")),
        }
        for e in exc.errors()
    ]


def _parameter(location: tuple[object, ...] | list[object]) -> str:
    names = [str(part) for part in location if isinstance(part, str)]
    return names[-1] if names else ""


class NotThere(LookupError):
    """A parameter names something that does not exist: 404 naming the parameter."""

    def __init__(self, parameter: str, message: str, where: str = "query") -> None:
        super().__init__(message)
        self.error = {"parameter": parameter, "in": where, "message": message}


def _not_found(request: Request, exc: Exception) -> Response:
    detail = str(exc) if isinstance(exc, NotFound | NoRoute) else "page not found"
    if isinstance(exc, StarletteHTTPException):
        if exc.status_code != 404:
            return error_response(request, exc.status_code, str(exc.detail), (), exc.headers)
        detail = exc.detail if exc.detail != "Not Found" else "page not found"
    return error_response(request, 404, detail)


def _not_there(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotThere)
    return error_response(request, 404, f"{exc.error['parameter']}: {exc}", [exc.error])


def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = parameter_errors(exc)
    detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors)
    return error_response(request, 422, detail, errors)


def install(app: FastAPI) -> None:
    """404, 422 and the other HTTP errors as a friendly page or as JSON."""
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(NoRoute, _not_found)
    app.add_exception_handler(NotThere, _not_there)
    app.add_exception_handler(StarletteHTTPException, _not_found)
    app.add_exception_handler(RequestValidationError, _invalid)
