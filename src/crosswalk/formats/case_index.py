"""Every CASE object we serve, built once per store revision, in bounded memory.

The REST binding hands out whole packages (a 20,000-item framework is a 70 MB
CFPackage) and single records of them.  Building them per request, or per ``Host``
header, costs seconds of CPU each time; keeping them as Python objects costs
gigabytes.  So each framework's package is written once, as the file export writes it
(:func:`~crosswalk.formats.case.write_package`), to an anonymous temporary file, and
only where each item and association landed is kept in memory: a package is streamed
from its file, a single record is read from its byte range.  Documents and
definitions (item types, groupings, licenses, subjects, concepts, rubrics) are few and
small, and stay as objects.

The URIs in every record point at one base URL, fixed for the process (the public
address the deployment configures), never at whatever ``Host`` a client sends.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from crosswalk.catalog import Catalog
from crosswalk.formats.case import framework_parts, write_package
from crosswalk.formats.case_kept import ASSOCIATION, ITEM

PER_OBJECT = (ITEM, ASSOCIATION)

CHUNK = 256 * 1024
# Definitions served by their own endpoint: (package key, endpoint name).
DEFINITION_KINDS = (
    ("CFItemTypes", "CFItemTypes"),
    ("CFAssociationGroupings", "CFAssociationGroupings"),
    ("CFLicenses", "CFLicenses"),
    ("CFSubjects", "CFSubjects"),
    ("CFConcepts", "CFConcepts"),
)


@dataclass(frozen=True, slots=True)
class Span:
    """Where a record lies in a package file."""

    package: int  # index into CaseIndex.files
    offset: int
    length: int


@dataclass
class CaseIndex:
    """The packages of one revision under one base URL (see the module docstring)."""

    base_url: str
    files: list[IO[bytes]] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    packages: dict[str, int] = field(default_factory=dict)  # document id → file
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: dict[str, Span] = field(default_factory=dict)
    associations: dict[str, Span] = field(default_factory=dict)
    by_node: dict[str, list[str]] = field(default_factory=dict)
    definitions: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    rubrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    document_of: dict[int, dict[str, str]] = field(default_factory=dict)  # file → link

    # -- reading ---------------------------------------------------------------------

    def read(self, span: Span) -> bytes:
        """One record's JSON text (``pread``: safe from many threads at once)."""
        return os.pread(self.files[span.package].fileno(), span.length, span.offset)

    def stream(self, document_id: str) -> Iterator[bytes]:
        """A package's JSON text in chunks; memory stays one chunk whatever its size."""
        number = self.packages[document_id]
        handle, size = self.files[number], self.sizes[number]
        offset = 0
        while offset < size:
            chunk = os.pread(handle.fileno(), min(CHUNK, size - offset), offset)
            if not chunk:
                return
            offset += len(chunk)
            yield chunk

    def package_size(self, document_id: str) -> int:
        return self.sizes[self.packages[document_id]]

    def item(self, identifier: str) -> bytes | None:
        """A CFItem as served on its own: with the CFDocumentURI the binding requires."""
        span = self.items.get(identifier.lower())
        return None if span is None else self._with_document(span)

    def association(self, identifier: str) -> bytes | None:
        span = self.associations.get(identifier.lower())
        return None if span is None else self._with_document(span)

    def item_associations(self, identifier: str) -> bytes | None:
        """The item and every association it is an end of (package records, as the
        binding's CFAssociationSet has them: without CFDocumentURI)."""
        item = self.item(identifier)
        if item is None:
            return None
        parts = [self.read(self.associations[a]) for a in self.by_node.get(identifier.lower(), [])]
        return b'{"CFItem": ' + item + b', "CFAssociations": [' + b", ".join(parts) + b"]}"

    def _with_document(self, span: Span) -> bytes:
        record = self.read(span)
        link = json.dumps(self.document_of[span.package], ensure_ascii=False).encode()
        return b'{"CFDocumentURI": ' + link + b", " + record[1:]


def build_index(catalog: Catalog, base_url: str) -> CaseIndex:
    """Write every framework's package once and index its records.

    Identifiers are keyed in lower case: UUIDs compare case-blind, and an imported
    package may have brought upper-case ones.
    """
    index = CaseIndex(base_url)
    for framework_id in sorted(catalog.frameworks):
        _add(index, catalog, framework_id)
    return index


def _add(index: CaseIndex, catalog: Catalog, framework_id: str) -> None:
    parts = framework_parts(catalog, framework_id, base_url=index.base_url)
    document = parts.document
    key = document["identifier"].lower()
    number = len(index.files)
    index.documents[key] = _listed(document, index.base_url)
    index.document_of[number] = _link(document)
    index.packages[key] = number
    for kind, _ in DEFINITION_KINDS:
        table = index.definitions.setdefault(kind, {})
        for record in parts.definitions.get(kind, []):
            table.setdefault(str(record.get("identifier", "")).lower(), record)
    for rubric in parts.rubrics:
        index.rubrics.setdefault(str(rubric.get("identifier", "")).lower(), rubric)

    def written(section: str, record: dict[str, Any], offset: int, length: int) -> None:
        span = Span(number, offset, length)
        identifier = record["identifier"].lower()
        if section == "CFItems":
            index.items.setdefault(identifier, span)
        else:
            index.associations.setdefault(identifier, span)
            for end in ("originNodeURI", "destinationNodeURI"):
                node = record[end]["identifier"].lower()
                index.by_node.setdefault(node, []).append(identifier)

    # Anonymous: gone when the index is (a response still streaming from it keeps it).
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    write_package(parts, handle, written)
    handle.flush()
    index.files.append(handle)
    index.sizes.append(handle.tell())


def build_documents(catalog: Catalog, base_url: str) -> dict[str, dict[str, Any]]:
    """The CFDocuments alone, as the index lists them, without writing any package:
    what a reader asks first, in a tenth of a second where the whole index of a
    20,000-item store takes seconds."""
    documents = {}
    for framework_id in sorted(catalog.frameworks):
        document = framework_parts(catalog, framework_id, base_url=base_url).document
        documents[document["identifier"].lower()] = _listed(document, base_url)
    return documents


def _link(document: dict[str, Any]) -> dict[str, str]:
    return {k: document[k] for k in ("title", "identifier", "uri")}


def _listed(document: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The document as listed: slim, with the link to its package."""
    package = _link(document) | {"uri": f"{base_url}/CFPackages/{document['identifier']}"}
    return _slim(document) | {"CFPackageURI": package}


def _slim(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the CFDocuments list sends it: without the per-item and
    per-association entries kept from an imported package (tens of thousands for a
    large one; the package's records carry them), so a list stays small."""
    extensions = document.get("extensions")
    if not isinstance(extensions, dict) or not isinstance(extensions.get("ext:extensions"), dict):
        return document
    kept: dict[str, Any] = extensions["ext:extensions"]
    small = {k: v for k, v in kept.items() if not k.startswith(PER_OBJECT)}
    return document | {"extensions": extensions | {"ext:extensions": small}}


class LazyIndex:
    """The index of one revision, built by the first request that needs it.

    Concurrent requests wait for that one build instead of each starting their own.
    The documents alone are built apart (:meth:`documents`), so listing them never
    waits for every package to be written.
    """

    def __init__(self, catalog: Catalog, base_url: str) -> None:
        self._catalog = catalog
        self._base_url = base_url
        self._index: CaseIndex | None = None
        self._documents: dict[str, dict[str, Any]] | None = None
        self._lock = threading.Lock()
        self._documents_lock = threading.Lock()

    def documents(self) -> dict[str, dict[str, Any]]:
        """The CFDocuments by lower-case identifier (from the index once it is built)."""
        if self._index is not None:
            return self._index.documents
        with self._documents_lock:
            if self._documents is None:
                self._documents = build_documents(self._catalog, self._base_url)
            return self._documents

    def get(self) -> CaseIndex:
        index = self._index
        if index is not None:
            return index
        with self._lock:
            if self._index is None:
                self._index = build_index(self._catalog, self._base_url)
            return self._index
