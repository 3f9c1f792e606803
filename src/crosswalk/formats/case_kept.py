"""What a foreign CASE package carries that our model has no field for, kept verbatim.

A framework imported from another CASE server must leave again as its publisher made
it: the original URIs, the license and subject links, the official source URL, the
association identifiers and every record's own ``lastChangeDateTime``.  The model
has no place for these, and need not: like the item-type identifiers before them,
they are kept in ``Framework.extensions`` under ``case:`` names, read by nothing but
the CASE export (:mod:`crosswalk.formats.case`), which gives them back.

One entry per object that has something to keep, its value a compact JSON object:

* ``case:CFDocument`` — the document's kept fields, its ``uri``, and ``uriPrefix``
  when every URI of the package is that prefix followed by the identifier (OpenSALT's
  ``…/uri/<identifier>``), so that the objects need not each keep theirs;
* ``case:CFItem:<identifier>`` — an item's kept fields, ``uri`` (when it does not
  follow the prefix) and ``lastChangeDateTime`` (when it is not the document's);
* ``case:CFAssociation:<key>`` — an association's ``identifier`` (and ``uri``,
  ``lastChangeDateTime`` as for items); the key is ``isChildOf:<item code>`` for the
  hierarchy and the alignment's UUID for every other association;
* ``case:CFDefinitions`` — the package's CFSubjects, CFLicenses, CFConcepts and
  CFItemTypes records; ``case:CFRubrics`` — its rubrics.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crosswalk.model import Framework

DOCUMENT_FIELDS = (
    "officialSourceURL",
    "licenseURI",
    "subject",
    "subjectURI",
    "language",
    "frameworkType",
    "statusStartDate",
    "statusEndDate",
)
ITEM_FIELDS = (
    "alternativeLabel",
    "conceptKeywords",
    "conceptKeywordsURI",
    "subject",
    "subjectURI",
    "licenseURI",
    "statusStartDate",
    "statusEndDate",
)
DEFINITION_KINDS = ("CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes")
DOCUMENT = "case:CFDocument"
ITEM = "case:CFItem:"
ASSOCIATION = "case:CFAssociation:"
DEFINITIONS = "case:CFDefinitions"
RUBRICS = "case:CFRubrics"


def child_key(code: str) -> str:
    """The key of an item's ``isChildOf`` association."""
    return f"isChildOf:{code}"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def dump(value: Any) -> str:
    return _ENCODER.encode(value)


@dataclass
class Keeper:
    """Collects the entries of one foreign package while it is read."""

    document_uri: str = ""
    document_changed: str = ""
    uri_prefix: str = ""
    entries: list[tuple[str, str]] = field(default_factory=list)

    def document(self, identifier: str, record: Mapping[str, Any]) -> None:
        uri = str(record.get("uri") or "")
        self.document_uri = uri
        self.document_changed = str(record.get("lastChangeDateTime") or "")
        if uri.endswith(identifier):
            self.uri_prefix = uri[: -len(identifier)]
        kept = {k: record[k] for k in DOCUMENT_FIELDS if record.get(k) not in (None, "", [])}
        if uri:
            kept["uri"] = uri
        if self.uri_prefix:
            kept["uriPrefix"] = self.uri_prefix
        if kept:
            self.entries.append((DOCUMENT, dump(kept)))

    def definitions(self, definitions: Any, rubrics: Any) -> None:
        if isinstance(definitions, dict):
            kept = {k: definitions[k] for k in DEFINITION_KINDS if definitions.get(k)}
            if kept:
                self.entries.append((DEFINITIONS, dump(kept)))
        if isinstance(rubrics, list) and rubrics:
            self.entries.append((RUBRICS, dump(rubrics)))

    def _own(self, identifier: str, record: Mapping[str, Any]) -> dict[str, Any]:
        """``uri`` and ``lastChangeDateTime`` where they are not what the document implies."""
        kept: dict[str, Any] = {}
        uri = str(record.get("uri") or "")
        if uri and uri != self.uri_prefix + identifier:
            kept["uri"] = uri
        changed = str(record.get("lastChangeDateTime") or "")
        if changed and changed != self.document_changed:
            kept["lastChangeDateTime"] = changed
        return kept

    def item(self, identifier: str, record: Mapping[str, Any]) -> None:
        kept = self._own(identifier, record)
        kept |= {k: record[k] for k in ITEM_FIELDS if record.get(k) not in (None, "", [])}
        if kept:
            self.entries.append((ITEM + identifier, dump(kept)))

    def association(self, key: str, identifier: str, record: Mapping[str, Any]) -> None:
        kept = {"identifier": identifier} | self._own(identifier, record)
        self.entries.append((ASSOCIATION + key, dump(kept)))


class Kept:
    """The kept entries of one framework, read back for export."""

    def __init__(self, framework: Framework) -> None:
        self.document: dict[str, Any] = {}
        self.definitions: dict[str, list[Any]] = {}
        self.rubrics: list[Any] = []
        self.items: dict[str, dict[str, Any]] = {}
        self.associations: dict[str, dict[str, Any]] = {}
        for name, value in framework.extensions:
            if not name.startswith("case:CF"):
                continue
            try:
                data = json.loads(value)
            except ValueError:
                continue  # not ours to judge: the exporter simply has nothing kept
            if name == DOCUMENT and isinstance(data, dict):
                self.document = data
            elif name == DEFINITIONS and isinstance(data, dict):
                self.definitions = {k: v for k, v in data.items() if isinstance(v, list)}
            elif name == RUBRICS and isinstance(data, list):
                self.rubrics = data
            elif name.startswith(ITEM) and isinstance(data, dict):
                self.items[name[len(ITEM) :].lower()] = data
            elif name.startswith(ASSOCIATION) and isinstance(data, dict):
                self.associations[name[len(ASSOCIATION) :]] = data

    @property
    def uri_prefix(self) -> str:
        return str(self.document.get("uriPrefix") or "")

    def uri(self, identifier: str, own: Mapping[str, Any]) -> str:
        """The object's original URI, or "" when none is known."""
        given = str(own.get("uri") or "")
        if given:
            return given
        return self.uri_prefix + identifier if self.uri_prefix else ""

    def document_fields(self) -> dict[str, Any]:
        return {k: self.document[k] for k in DOCUMENT_FIELDS if k in self.document}

    def item_fields(self, identifier: str) -> dict[str, Any]:
        own = self.items.get(identifier.lower(), {})
        return {k: own[k] for k in ITEM_FIELDS if k in own}


NO_KEPT = Kept(Framework("", ""))
