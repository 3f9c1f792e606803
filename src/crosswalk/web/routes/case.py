"""The CASE 1.1 REST read endpoints, so CASE consumers can read our frameworks.

Every endpoint of the 1EdTech CASE 1.1 REST binding is served, so that every URI our
records hold resolves: CFDocuments (paged, sorted, filtered, ``fields``; total in
``X-Total-Count``, pages in ``Link``), CFPackages, CFItems, CFAssociations,
CFItemAssociations, CFItemTypes, CFAssociationGroupings, CFLicenses, CFSubjects,
CFConcepts and CFRubrics.  Failures carry the binding's ``imsx_StatusInfo``: 404
``unknownobject`` (also for unknown paths under the prefix) or ``invalid_uuid``, 400
``invalid_selection_field`` / ``invalid_sort_field``, and 405 ``unsupported`` (with
``Allow``) for methods other than GET and HEAD.  HEAD, ETag and Cache-Control come
from the app's middleware.

Records come from :mod:`crosswalk.formats.case_index`: built once per store revision
(by the first request that needs them; the others wait for that one build), written
to temporary files and served from there, under one base URL fixed for the process —
``CROSSWALK_BASE_URL``, else what ``crosswalk serve`` listens on, else
:data:`DEFAULT_BASE_URL` — never the ``Host`` a client sends.
"""

from __future__ import annotations

import re
import threading
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from crosswalk.formats.case_index import CaseIndex, LazyIndex
from crosswalk.formats.case_query import (
    FIELDS,
    FILTER_PATTERN,
    SORTABLE,
    QueryError,
    link_header,
    select_documents,
)
from crosswalk.web.deps import Snapshot, SnapshotDep
from crosswalk.web.routes import case_openapi as doc

PREFIX = "/ims/case/v1p1"
router = APIRouter(prefix=PREFIX, tags=["CASE 1.1"])
# Where URIs point when no public address is configured: `crosswalk serve`'s default.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
JSON = "application/json"
_holders = threading.Lock()


def case_base_url(request: Request) -> str:
    """The root of the CASE URIs: configured for the app, never taken from the request."""
    configured: str | None = getattr(request.app.state, "base_url", None)
    return (configured or DEFAULT_BASE_URL).rstrip("/") + PREFIX


def _holder(snapshot: Snapshot, request: Request) -> LazyIndex:
    base = case_base_url(request)
    with _holders:  # one holder per revision, so one build however many ask at once
        return snapshot.memo(("case-index", base), lambda: LazyIndex(snapshot.catalog, base))


def _index(snapshot: Snapshot, request: Request) -> CaseIndex:
    return _holder(snapshot, request).get()


def status_info(code: int, minor: str | None, description: str, **headers: str) -> JSONResponse:
    """The binding's error payload (``minor`` None: no code minor, as for 405)."""
    content: dict[str, Any] = {
        "imsx_codeMajor": "unsupported" if code == 405 else "failure",
        "imsx_severity": "error",
        "imsx_description": description,
    }
    if minor is not None:
        content["imsx_codeMinor"] = {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": minor}
            ]
        }
    return JSONResponse(status_code=code, content=content, headers=headers or None)


def _sourced_id(request: Request) -> str | JSONResponse:
    """The identifier in the path, or the binding's 404 ``invalid_uuid``."""
    value: str = request.path_params["sourcedId"]
    try:
        uuid.UUID(value)
    except ValueError:
        return status_info(404, "invalid_uuid", f"{value[:80]!r} is not a UUID (Invalid UUID)")
    return value.lower()


def _unknown(what: str, identifier: str) -> JSONResponse:
    return status_info(404, "unknownobject", f"Unknown Object: no {what} {identifier}")


def _json(body: bytes) -> Response:
    return Response(body, media_type=JSON)


# -- documents and packages -------------------------------------------------------------


@router.get(
    "/CFDocuments",
    summary="All frameworks as CFDocuments",
    responses=doc.responses(doc._set("CFDocuments", doc.DOCUMENT), bad_request=True),
    openapi_extra=doc.list_parameters(SORTABLE, FIELDS, FILTER_PATTERN),
)
def documents(request: Request, snapshot: SnapshotDep) -> Response:
    """Paged (``limit``, default 100; ``offset``), sorted, filtered, ``fields`` chosen."""
    params = dict(request.query_params)
    fields = request.query_params.getlist("fields")
    if len(fields) > 1:
        params["fields"] = ",".join(fields)
    documents = _holder(snapshot, request).documents()
    try:
        page = select_documents(list(documents.values()), params)
    except QueryError as error:
        return status_info(error.status, error.minor, str(error))
    url = f"{case_base_url(request)}/CFDocuments"
    headers = {"X-Total-Count": str(page.total), "Link": link_header(url, page, params)}
    return JSONResponse({"CFDocuments": page.documents}, headers=headers)


@router.get(
    "/CFDocuments/{sourcedId}",
    summary="One CFDocument",
    responses=doc.responses(doc.DOCUMENT),
    openapi_extra=doc.SOURCED_ID,
)
def document(request: Request, snapshot: SnapshotDep) -> Response:
    key = _sourced_id(request)
    if isinstance(key, Response):
        return key
    found = _holder(snapshot, request).documents().get(key)
    return JSONResponse(found) if found else _unknown("CFDocument", key)


@router.get(
    "/CFPackages/{sourcedId}",
    summary="A framework as a whole CFPackage",
    responses=doc.responses(doc.PACKAGE),
    openapi_extra=doc.SOURCED_ID,
)
def package(request: Request, snapshot: SnapshotDep) -> Response:
    """Streamed from the file it was written to once: a large package never sits in
    memory, whoever asks for it and however often."""
    key = _sourced_id(request)
    if isinstance(key, Response):
        return key
    index = _index(snapshot, request)
    if key not in index.packages:
        return _unknown("CFPackage", key)
    size = str(index.package_size(key))
    return StreamingResponse(index.stream(key), media_type=JSON, headers={"Content-Length": size})


# -- items and associations -------------------------------------------------------------


@router.get(
    "/CFItems/{sourcedId}",
    summary="One CFItem",
    responses=doc.responses(doc.ITEM),
    openapi_extra=doc.SOURCED_ID,
)
def item(request: Request, snapshot: SnapshotDep) -> Response:
    key = _sourced_id(request)
    if isinstance(key, Response):
        return key
    found = _index(snapshot, request).item(key)
    return _json(found) if found is not None else _unknown("CFItem", key)


@router.get(
    "/CFAssociations/{sourcedId}",
    summary="One CFAssociation",
    responses=doc.responses(doc.ASSOCIATION),
    openapi_extra=doc.SOURCED_ID,
)
def association(request: Request, snapshot: SnapshotDep) -> Response:
    key = _sourced_id(request)
    if isinstance(key, Response):
        return key
    found = _index(snapshot, request).association(key)
    return _json(found) if found is not None else _unknown("CFAssociation", key)


@router.get(
    "/CFItemAssociations/{sourcedId}",
    summary="An item and all its associations",
    responses=doc.responses(doc.ITEM_ASSOCIATIONS),
    openapi_extra=doc.SOURCED_ID,
)
def item_associations(request: Request, snapshot: SnapshotDep) -> Response:
    key = _sourced_id(request)
    if isinstance(key, Response):
        return key
    found = _index(snapshot, request).item_associations(key)
    return _json(found) if found is not None else _unknown("CFItem", key)


# -- definitions ------------------------------------------------------------------------


def _definition(request: Request, snapshot: Snapshot, kind: str, wrap: bool) -> Response:
    key = _sourced_id(request)
    if isinstance(key, Response):
        return key
    index = _index(snapshot, request)
    table = index.rubrics if kind == "CFRubrics" else index.definitions.get(kind, {})
    found = table.get(key)
    if found is None:
        return _unknown(kind.removesuffix("s"), key)
    return JSONResponse({kind: [found]} if wrap else found)


# (endpoint, summary, answer schema, whether the answer is a set) — the binding answers
# CFItemTypes, CFSubjects and CFConcepts as sets, the others as the object.
DEFINITIONS = (
    ("CFItemTypes", "One CFItemType", doc._set("CFItemTypes", doc.ITEM_TYPE), True),
    ("CFAssociationGroupings", "One CFAssociationGrouping", doc.GROUPING, False),
    ("CFLicenses", "One CFLicense", doc.LICENSE, False),
    ("CFSubjects", "One CFSubject", doc._set("CFSubjects", doc.SUBJECT), True),
    ("CFConcepts", "One CFConcept", doc._set("CFConcepts", doc.CONCEPT), True),
    ("CFRubrics", "One CFRubric", doc.RUBRIC, False),
)


def _definition_route(kind: str, summary: str, schema: dict[str, Any], wrap: bool) -> None:
    def endpoint(request: Request, snapshot: SnapshotDep) -> Response:
        return _definition(request, snapshot, kind, wrap)

    endpoint.__name__ = f"get_{kind}"
    router.get(
        f"/{kind}/{{sourcedId}}",
        summary=summary,
        responses=doc.responses(schema),
        openapi_extra=doc.SOURCED_ID,
    )(endpoint)


for _kind, _summary, _schema, _wrap in DEFINITIONS:
    _definition_route(_kind, _summary, _schema, _wrap)


# -- anything else ----------------------------------------------------------------------

_KNOWN = re.compile(
    r"/(CFDocuments|(CFDocuments|CFPackages|CFItems|CFAssociations|CFItemAssociations|"
    + "|".join(kind for kind, *_ in DEFINITIONS)
    + r")/[^/]+)"
)


async def unknown(request: Request) -> Response:
    """Under the prefix: 405 for another method on an endpoint, else the CASE 404.

    Registered for every method (a route with no method list), so QUERY, CONNECT or
    any made-up method gets the binding's shape too.
    """
    path: str = request.path_params["unknown"]
    if _KNOWN.fullmatch("/" + path):
        return status_info(
            405,
            None,
            f"{request.method[:20]} is not supported: the CASE API is read-only (GET, HEAD)",
            Allow="GET, HEAD",
        )
    return status_info(404, "unknownobject", f"no CASE endpoint {PREFIX}/{path[:200]}")


class _AnyMethod:
    """:func:`unknown` as a plain ASGI app: Starlette gives a function route GET only."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await unknown(Request(scope, receive))
        await response(scope, receive, send)


# add_route does not apply the router's prefix (only the decorators do).
router.add_route(f"{PREFIX}/{{unknown:path}}", _AnyMethod(), include_in_schema=False)  # type: ignore[arg-type]
