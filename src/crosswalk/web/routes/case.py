"""The CASE 1.1 REST read endpoints, so CASE consumers can read our frameworks.

Paths, payloads and errors follow the 1EdTech CASE 1.1 REST binding: success returns
the object, failure returns an ``imsx_StatusInfo`` with ``imsx_codeMajor`` "failure"
(404 ``unknownobject``, 400 ``invalid_uuid``).  Records are the ones the CASE export
writes (:mod:`crosswalk.formats.case`), with URIs pointing back at these endpoints.
Packages are built once per store revision and base URL, not on every request.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from crosswalk.catalog import Catalog
from crosswalk.formats.case import framework_package
from crosswalk.web.deps import Snapshot, SnapshotDep

PREFIX = "/ims/case/v1p1"
router = APIRouter(prefix=PREFIX, tags=["CASE 1.1"])


@dataclass
class _Index:
    """Every CASE object of every framework, by identifier."""

    packages: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    associations: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_node: dict[str, list[str]] = field(default_factory=dict)


def _build(catalog: Catalog, base_url: str) -> _Index:
    index = _Index()
    for framework_id in sorted(catalog.frameworks):
        package = framework_package(catalog, framework_id, base_url=base_url)
        document = package["CFDocument"]
        link = {k: document[k] for k in ("title", "identifier", "uri")}
        index.packages[document["identifier"]] = package
        index.documents[document["identifier"]] = document | {
            "CFPackageURI": {**link, "uri": f"{base_url}/CFPackages/{document['identifier']}"}
        }
        for item in package["CFItems"]:
            index.items[item["identifier"]] = {"CFDocumentURI": link} | item
        for association in package["CFAssociations"]:
            index.associations[association["identifier"]] = {"CFDocumentURI": link} | association
            for end in ("originNodeURI", "destinationNodeURI"):
                node = association[end]["identifier"]
                index.by_node.setdefault(node, []).append(association["identifier"])
    return index


def _index(snapshot: Snapshot, request: Request) -> _Index:
    """Built once per store revision and base URL (memoised on the snapshot)."""
    base_url = str(request.base_url).rstrip("/") + PREFIX
    return snapshot.memo(("case-index", base_url), lambda: _build(snapshot.catalog, base_url))


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


def _lookup(table: dict[str, dict[str, Any]], sourced_id: str, what: str) -> Any:
    try:
        uuid.UUID(sourced_id)
    except ValueError:
        return status_info(400, "invalid_uuid", f"{sourced_id!r} is not a UUID")
    found = table.get(sourced_id) or table.get(sourced_id.lower())
    if found is None:
        return status_info(404, "unknownobject", f"no {what} with identifier {sourced_id}")
    return found


@router.get("/CFDocuments", summary="All frameworks as CFDocuments")
def documents(request: Request, snapshot: SnapshotDep) -> Any:
    return {"CFDocuments": list(_index(snapshot, request).documents.values())}


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
    return {
        "CFItem": found,
        "CFAssociations": [index.associations[a] for a in index.by_node.get(sourced_id, [])],
    }
