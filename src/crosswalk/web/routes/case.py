"""The CASE 1.1 REST read endpoints, so CASE consumers can read our frameworks.

Paths, payloads and errors follow the 1EdTech CASE 1.1 REST binding: success returns
the object, failure returns an ``imsx_StatusInfo`` with ``imsx_codeMajor`` "failure"
(404 ``unknownobject``, 400 ``invalid_uuid`` / ``invalid_selection_field`` /
``invalid_sort_field``), also for unknown paths under the prefix.  ``CFDocuments``
pages with ``limit``/``offset`` (total in ``X-Total-Count``) and sorts with
``sort``/``orderBy``.  HEAD (the app's ``HeadAsGet``), ETag and Cache-Control (its
``RevisionCaching``) come from the app's middleware, for every path here.  Records are the ones
the CASE export writes (:mod:`crosswalk.formats.case`), with URIs pointing back at
these endpoints: under the configured public base URL (``CROSSWALK_BASE_URL``), or,
without one, under the address the request was sent to.  Packages are built once per
store revision and base URL; only a few base URLs are kept per revision, since any
client can send any ``Host``.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from crosswalk.catalog import Catalog
from crosswalk.formats.case import framework_package
from crosswalk.web.deps import Snapshot, SnapshotDep

PREFIX = "/ims/case/v1p1"
router = APIRouter(prefix=PREFIX, tags=["CASE 1.1"])
DEFAULT_LIMIT = 100
# Base URLs whose index is kept per revision (without a configured base URL, one per
# Host the app is reached by: localhost, the LAN name, the public name …).
MAX_BASE_URLS = 4
SORTABLE = ("title", "identifier", "lastChangeDateTime", "creator", "version")


@dataclass
class _Index:
    """Every CASE object of every framework, by identifier."""

    packages: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    associations: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_node: dict[str, list[str]] = field(default_factory=dict)


def _build(catalog: Catalog, base_url: str) -> _Index:
    """Every table keyed by lower-case identifier: UUIDs compare case-blind, and an
    imported package may have brought upper-case ones."""
    index = _Index()
    for framework_id in sorted(catalog.frameworks):
        package = framework_package(catalog, framework_id, base_url=base_url)
        document = package["CFDocument"]
        link = {k: document[k] for k in ("title", "identifier", "uri")}
        key = document["identifier"].lower()
        index.packages[key] = package
        index.documents[key] = document | {
            "CFPackageURI": {**link, "uri": f"{base_url}/CFPackages/{document['identifier']}"}
        }
        for item in package["CFItems"]:
            index.items[item["identifier"].lower()] = {"CFDocumentURI": link} | item
        for association in package["CFAssociations"]:
            association_key = association["identifier"].lower()
            index.associations[association_key] = {"CFDocumentURI": link} | association
            for end in ("originNodeURI", "destinationNodeURI"):
                node = association[end]["identifier"].lower()
                index.by_node.setdefault(node, []).append(association_key)
    return index


class _Indexes:
    """The indexes of one revision by base URL, the least recently used dropped first."""

    def __init__(self, catalog: Catalog, size: int = MAX_BASE_URLS) -> None:
        self.catalog = catalog
        self.size = size
        self._built: OrderedDict[str, _Index] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, base_url: str) -> _Index:
        with self._lock:
            found = self._built.get(base_url)
            if found is not None:
                self._built.move_to_end(base_url)
                return found
        index = _build(self.catalog, base_url)
        with self._lock:
            self._built[base_url] = index
            while len(self._built) > self.size:
                self._built.popitem(last=False)
        return index

    def __len__(self) -> int:
        return len(self._built)


def base_url(request: Request) -> str:
    """Where the CASE URIs point: the configured public base URL, else this request's."""
    configured: str | None = getattr(request.app.state, "base_url", None)
    return (configured or str(request.base_url)).rstrip("/") + PREFIX


def _index(snapshot: Snapshot, request: Request) -> _Index:
    """Built once per store revision and base URL (kept on the snapshot)."""
    indexes = snapshot.memo("case-indexes", lambda: _Indexes(snapshot.catalog))
    return indexes.get(base_url(request))


def status_info(code: int, minor: str, description: str) -> JSONResponse:
    """The CASE/IMS error payload."""
    return JSONResponse(
        status_code=code,
        content={
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [
                    {"imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": minor}
                ]
            },
        },
    )


def _identifier(sourced_id: str) -> str | JSONResponse:
    """The identifier as the index keys it (lower case), or the CASE error."""
    try:
        uuid.UUID(sourced_id)
    except ValueError:
        return status_info(400, "invalid_uuid", f"{sourced_id!r} is not a UUID")
    return sourced_id.lower()


def _lookup(table: dict[str, dict[str, Any]], sourced_id: str, what: str) -> Any:
    key = _identifier(sourced_id)
    if isinstance(key, JSONResponse):
        return key
    found = table.get(key)
    if found is None:
        return status_info(404, "unknownobject", f"no {what} with identifier {sourced_id}")
    return found


def _whole(request: Request, name: str, default: int) -> int | JSONResponse:
    value = request.query_params.get(name)
    if value is None:
        return default
    if not value.isdigit():
        return status_info(
            400, "invalid_selection_field", f"{name}={value!r} is not a whole number >= 0"
        )
    return int(value)


@router.get("/CFDocuments", summary="All frameworks as CFDocuments")
def documents(request: Request, snapshot: SnapshotDep) -> Any:
    """Paged (``limit``, default 100, and ``offset``), sorted by ``sort`` and ``orderBy``."""
    limit = _whole(request, "limit", DEFAULT_LIMIT)
    offset = _whole(request, "offset", 0)
    if isinstance(limit, JSONResponse):
        return limit
    if isinstance(offset, JSONResponse):
        return offset
    sort = request.query_params.get("sort")
    order = request.query_params.get("orderBy", "asc")
    if sort is not None and sort not in SORTABLE:
        return status_info(
            400, "invalid_sort_field", f"sort={sort!r}; sortable: {', '.join(SORTABLE)}"
        )
    if order not in ("asc", "desc"):
        return status_info(400, "invalid_sort_field", f"orderBy={order!r}; use asc or desc")
    found = list(_index(snapshot, request).documents.values())
    if sort is not None:
        found.sort(key=lambda d: str(d.get(sort, "")).lower(), reverse=order == "desc")
    elif order == "desc":
        found.reverse()
    return JSONResponse(
        {"CFDocuments": found[offset : offset + limit]},
        headers={"X-Total-Count": str(len(found))},
    )


@router.get("/CFDocuments/{sourced_id}", summary="One CFDocument")
def document(sourced_id: str, request: Request, snapshot: SnapshotDep) -> Any:
    return _lookup(_index(snapshot, request).documents, sourced_id, "CFDocument")


@router.get("/CFPackages/{sourced_id}", summary="A framework as a whole CFPackage")
def package(sourced_id: str, request: Request, snapshot: SnapshotDep) -> Any:
    return _lookup(_index(snapshot, request).packages, sourced_id, "CFPackage")


@router.get("/CFItems/{sourced_id}", summary="One CFItem")
def item(sourced_id: str, request: Request, snapshot: SnapshotDep) -> Any:
    return _lookup(_index(snapshot, request).items, sourced_id, "CFItem")


@router.get("/CFAssociations/{sourced_id}", summary="One CFAssociation")
def association(sourced_id: str, request: Request, snapshot: SnapshotDep) -> Any:
    return _lookup(_index(snapshot, request).associations, sourced_id, "CFAssociation")


@router.get("/CFItemAssociations/{sourced_id}", summary="An item and all its associations")
def item_associations(sourced_id: str, request: Request, snapshot: SnapshotDep) -> Any:
    index = _index(snapshot, request)
    found = _lookup(index.items, sourced_id, "CFItem")
    if isinstance(found, JSONResponse):
        return found
    associations = index.by_node.get(sourced_id.lower(), [])
    return {"CFItem": found, "CFAssociations": [index.associations[a] for a in associations]}


@router.api_route(
    "/{unknown:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
def unknown(unknown: str) -> Response:
    """Anything else under the prefix: the CASE error shape, not the app's."""
    return status_info(404, "unknownobject", f"no CASE endpoint {PREFIX}/{unknown}")
