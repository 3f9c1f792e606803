"""CASE 1.1 export: frameworks and crosswalks as 1EdTech CFPackages.

Associations and state registries exchange frameworks as CASE packages, so every
framework we hold must leave as a package the official schema accepts, and come back
(see :mod:`crosswalk.formats.case_import`) as the same records.  CASE has no place for
most of what a crosswalk says about a link (strength, level tag, evidence, printed
target …); those travel in the spec's ``extensions`` objects under ``ext:`` names, so
nothing is lost and CASE consumers that ignore extensions still read a valid package.
``docs/exchange.md`` lists the mapping field by field.

Output is deterministic: identifiers are UUIDs derived from our keys (or the
identifiers an imported package brought with it), ``lastChangeDateTime`` is a fixed
value unless the caller gives one, and keys keep a fixed order.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any

from crosswalk.catalog import Catalog
from crosswalk.model import (
    CROSSWALK_NAMESPACE,
    Alias,
    Alignment,
    Crosswalk,
    Framework,
    Item,
    Relation,
    item_uuid,
    slugify,
)

CASE_VERSION = "1.1"
# A constant rather than "now": export → import → export must give identical files.
FIXED_CHANGE_TIME = "2000-01-01T00:00:00+00:00"
# Aliases of this kind hold the identifier (text) and URI (note) a CASE package gave
# an item, so that re-exporting a foreign package keeps its identifiers.
IDENTIFIER_ALIAS = "case-identifier"
# Sources of this form hold the identifier a CASE package gave a framework.
URN_PREFIX = "urn:uuid:"
# Tags with these prefixes are CASE item fields, not our levels/tracks.
TAG_FIELDS = ("educationLevel", "language", "listEnumeration")
SCALAR_TAG_FIELDS = ("language", "listEnumeration")
# Justifications of this form keep a CASE association type that is not a SKOS mapping.
CASE_JUSTIFICATION = "case:"

RELATION_TO_TYPE: dict[Relation, str] = {
    Relation.EXACT: "exactMatchOf",
    Relation.RELATED: "isRelatedTo",
    Relation.BROAD: "isPartOf",
    Relation.CLOSE: "isRelatedTo",
    Relation.NARROW: "isRelatedTo",
    Relation.NO_MATCH: "isRelatedTo",
}
ASSOCIATION_TYPES = (
    "isChildOf",
    "isPeerOf",
    "isPartOf",
    "exactMatchOf",
    "precedes",
    "isRelatedTo",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
    "isTranslationOf",
)


def derived_uuid(kind: str, key: str) -> str:
    """A stable identifier for a CASE object that has no model counterpart."""
    return str(uuid.uuid5(CROSSWALK_NAMESPACE, f"case-{kind}:{key}"))


def framework_identifier(framework: Framework) -> str:
    for source in framework.sources:
        if source.startswith(URN_PREFIX):
            return source[len(URN_PREFIX) :]
    return str(framework.uuid)


def item_identifier(item: Item) -> str:
    for alias in item.aliases:
        if alias.kind == IDENTIFIER_ALIAS:
            return alias.text
    return str(item.uuid)


def is_printed_code(code: str) -> bool:
    """Printed codes (``1.10``, ``6A.1``) become humanCodingScheme; our slugs do not."""
    return not (code == slugify(code) and any(c.isalpha() for c in code))


class Links:
    """Identifiers and URIs of everything a package mentions.

    ``base_url`` (the REST API's root) gives network-resolvable URIs; without it URIs
    are ``urn:uuid:`` names, which keeps files independent of where they were made.
    """

    def __init__(self, catalog: Catalog, base_url: str | None = None) -> None:
        self.catalog = catalog
        self.base_url = base_url.rstrip("/") if base_url else None
        self._items: dict[tuple[str, str], dict[str, str]] = {}

    def uri(self, collection: str, identifier: str) -> str:
        if self.base_url:
            return f"{self.base_url}/{collection}/{identifier}"
        return f"{URN_PREFIX}{identifier}"

    def item_uri(self, item: Item) -> str:
        for alias in item.aliases:
            if alias.kind == IDENTIFIER_ALIAS and alias.note:
                return alias.note
        return self.uri("CFItems", item_identifier(item))

    def document(self, framework: Framework) -> dict[str, str]:
        identifier = framework_identifier(framework)
        return {
            "title": framework.title,
            "identifier": identifier,
            "uri": self.uri("CFDocuments", identifier),
        }

    def item(self, item: Item) -> dict[str, str]:
        """Memoised: a large crosswalk names the same items thousands of times."""
        link = self._items.get(item.key)
        if link is None:
            link = {
                "title": item.code if is_printed_code(item.code) else item.name,
                "identifier": item_identifier(item),
                "uri": self.item_uri(item),
            }
            self._items[item.key] = link
        return dict(link)

    def item_key(self, framework: str, code: str) -> dict[str, str]:
        """Link to an item that may not be stored (a dangling citation)."""
        known = self.catalog.items.get((framework, code))
        if known is not None:
            return self.item(known)
        identifier = str(item_uuid(framework, code))
        return {"title": code, "identifier": identifier, "uri": self.uri("CFItems", identifier)}


def framework_package(
    catalog: Catalog,
    framework_id: str,
    *,
    with_crosswalks: bool = True,
    base_url: str | None = None,
    changed: str = FIXED_CHANGE_TIME,
) -> dict[str, Any]:
    """One framework as a CFPackage: document, items, hierarchy, definitions.

    With ``with_crosswalks`` the crosswalks *from* this framework ride along as
    associations to the other frameworks' items, as OpenSALT exports cross-framework
    ``exactMatchOf`` links; each crosswalk is one CFAssociationGrouping.
    """
    framework = catalog.framework(framework_id)
    links = Links(catalog, base_url)
    items = catalog.items_of(framework_id)
    crosswalks = (
        [c for c in catalog.crosswalks.values() if c.source_framework == framework_id]
        if with_crosswalks
        else []
    )
    crosswalks.sort(key=lambda c: c.id)
    associations = [_child_of(links, framework, item, changed) for item in items]
    for crosswalk in crosswalks:
        associations += _crosswalk_associations(links, crosswalk, changed)
    return _package(links, framework, items, associations, crosswalks, changed)


def crosswalk_package(
    catalog: Catalog,
    crosswalk_id: str,
    *,
    base_url: str | None = None,
    changed: str = FIXED_CHANGE_TIME,
) -> dict[str, Any]:
    """One crosswalk as a CFPackage of associations only, grouped by one grouping.

    CASE requires a CFDocument; the source framework's document is named (without its
    items), so an importer knows which framework the origins belong to.
    """
    crosswalk = catalog.crosswalk(crosswalk_id)
    links = Links(catalog, base_url)
    framework = catalog.framework(crosswalk.source_framework)
    associations = _crosswalk_associations(links, crosswalk, changed)
    return _package(links, framework, [], associations, [crosswalk], changed)


def dumps(package: dict[str, Any]) -> str:
    """The file text: one object per line, stable key order, UTF-8 kept readable.

    One compact object per line diffs well and lets ``json`` use its C encoder
    (``indent`` falls back to pure Python, four times slower on a large package).
    """
    parts = []
    for key, value in package.items():
        if isinstance(value, list):
            lines = ",\n    ".join(json.dumps(v, ensure_ascii=False) for v in value)
            text = f"[\n    {lines}\n  ]" if value else "[]"
        else:
            text = json.dumps(value, ensure_ascii=False)
        parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


# -- building blocks -------------------------------------------------------------------


def _package(
    links: Links,
    framework: Framework,
    items: list[Item],
    associations: list[dict[str, Any]],
    crosswalks: list[Crosswalk],
    changed: str,
) -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    kinds = sorted({item.kind for item in items})
    if kinds:
        definitions["CFItemTypes"] = [_item_type(links, kind, changed) for kind in kinds]
    if crosswalks:
        definitions["CFAssociationGroupings"] = [
            _grouping(links, crosswalk, changed) for crosswalk in crosswalks
        ]
    return {
        "CFDocument": _document(links, framework, changed),
        "CFItems": [_item(links, item, changed) for item in items],
        "CFAssociations": associations,
        "CFDefinitions": definitions,
    }


def _document(links: Links, framework: Framework, changed: str) -> dict[str, Any]:
    link = links.document(framework)
    document: dict[str, Any] = {
        "identifier": link["identifier"],
        "uri": link["uri"],
        "caseVersion": CASE_VERSION,
        "creator": framework.publisher,
        "title": framework.title,
        "lastChangeDateTime": changed,
    }
    _put(document, "publisher", framework.publisher)
    _put(document, "description", framework.description)
    _put(document, "version", framework.version)
    _put(document, "notes", framework.notice)
    document["extensions"] = {
        "ext:framework": framework.id,
        "ext:sources": [s for s in framework.sources if not s.startswith(URN_PREFIX)],
    }
    return document


def _item(links: Links, item: Item, changed: str) -> dict[str, Any]:
    link = links.item(item)
    record: dict[str, Any] = {
        "identifier": link["identifier"],
        "uri": link["uri"],
        "fullStatement": item.statement or item.name,
    }
    if is_printed_code(item.code):
        record["humanCodingScheme"] = item.code
    if item.name != item.statement:
        _put(record, "abbreviatedStatement", item.name)
    record["CFItemType"] = item.kind
    record["CFItemTypeURI"] = _item_type_link(links, item.kind)
    _put(record, "notes", "\n".join(item.errata))
    for field in TAG_FIELDS:
        values = [t.split(":", 1)[1] for t in item.tags if t.startswith(f"{field}:")]
        if field in SCALAR_TAG_FIELDS and values:
            record[field] = values[0]
        elif values:
            record[field] = values
    record["lastChangeDateTime"] = changed
    record["extensions"] = {
        "ext:framework": item.framework,
        "ext:code": item.code,
        "ext:name": item.name,
        "ext:statement": item.statement,
        "ext:tags": [t for t in item.tags if not t.startswith(_tag_prefixes())],
        "ext:aliases": [_alias(a) for a in item.aliases if a.kind != IDENTIFIER_ALIAS],
        "ext:provenance": str(item.provenance) if item.provenance else "",
    }
    return record


def _tag_prefixes() -> tuple[str, ...]:
    return tuple(f"{field}:" for field in TAG_FIELDS)


def _alias(alias: Alias) -> dict[str, str]:
    return {
        "text": alias.text,
        "kind": alias.kind,
        "provenance": str(alias.provenance) if alias.provenance else "",
        "note": alias.note,
    }


def _child_of(links: Links, framework: Framework, item: Item, changed: str) -> dict[str, Any]:
    parent = links.catalog.items.get((item.framework, item.parent)) if item.parent else None
    identifier = derived_uuid("child", f"{item.framework}:{item.code}")
    return {
        "identifier": identifier,
        "associationType": "isChildOf",
        "sequenceNumber": item.position,
        "uri": links.uri("CFAssociations", identifier),
        "originNodeURI": links.item(item),
        "destinationNodeURI": links.item(parent) if parent else links.document(framework),
        "lastChangeDateTime": changed,
    }


def _crosswalk_associations(
    links: Links, crosswalk: Crosswalk, changed: str
) -> list[dict[str, Any]]:
    target = links.catalog.framework(crosswalk.target_framework)
    return [
        _association(links, crosswalk, target, alignment, changed)
        for alignment in links.catalog.by_crosswalk.get(crosswalk.id, [])
    ]


def association_type(alignment: Alignment) -> str:
    if alignment.justification.startswith(CASE_JUSTIFICATION):
        return alignment.justification[len(CASE_JUSTIFICATION) :]
    return RELATION_TO_TYPE[Relation(alignment.relation)]


def _association(
    links: Links, crosswalk: Crosswalk, target: Framework, alignment: Alignment, changed: str
) -> dict[str, Any]:
    identifier = str(alignment.uuid)
    destination = (
        links.item_key(target.id, alignment.target_code)
        if alignment.target_code is not None
        else links.document(target)
    )
    record: dict[str, Any] = {
        "identifier": identifier,
        "associationType": association_type(alignment),
        "sequenceNumber": alignment.position,
        "uri": links.uri("CFAssociations", identifier),
        "originNodeURI": links.item_key(crosswalk.source_framework, alignment.source_code),
        "destinationNodeURI": destination,
        "CFAssociationGroupingURI": _grouping_link(links, crosswalk),
        "lastChangeDateTime": changed,
    }
    _put(record, "notes", alignment.note)
    record["extensions"] = {
        "ext:crosswalk": crosswalk.id,
        "ext:sourceCode": alignment.source_code,
        "ext:targetFramework": target.id,
        "ext:targetCode": alignment.target_code,
        "ext:relation": Relation(alignment.relation).value,
        "ext:strength": alignment.strength,
        "ext:level": alignment.level,
        "ext:evidence": alignment.evidence,
        "ext:printedTarget": alignment.printed_target,
        "ext:provenance": str(alignment.provenance) if alignment.provenance else "",
        "ext:confidence": alignment.confidence,
        "ext:justification": alignment.justification,
        "ext:status": alignment.status.value,
        "ext:author": alignment.author,
        "ext:created": alignment.created,
    }
    return record


def _item_type_link(links: Links, kind: str) -> dict[str, str]:
    identifier = derived_uuid("item-type", kind)
    return {"title": kind, "identifier": identifier, "uri": links.uri("CFItemTypes", identifier)}


def _item_type(links: Links, kind: str, changed: str) -> dict[str, Any]:
    link = _item_type_link(links, kind)
    return {
        "identifier": link["identifier"],
        "uri": link["uri"],
        "title": kind,
        "description": f"Items of kind {kind!r}",
        "hierarchyCode": kind,
        "typeCode": kind,
        "lastChangeDateTime": changed,
    }


def _grouping_link(links: Links, crosswalk: Crosswalk) -> dict[str, str]:
    identifier = str(crosswalk.uuid)
    return {
        "title": crosswalk.title,
        "identifier": identifier,
        "uri": links.uri("CFAssociationGroupings", identifier),
    }


def _grouping(links: Links, crosswalk: Crosswalk, changed: str) -> dict[str, Any]:
    link = _grouping_link(links, crosswalk)
    record: dict[str, Any] = {
        "identifier": link["identifier"],
        "uri": link["uri"],
        "title": crosswalk.title,
        "lastChangeDateTime": changed,
    }
    _put(record, "description", crosswalk.description)
    record["extensions"] = {
        "ext:crosswalk": crosswalk.id,
        "ext:sourceFramework": crosswalk.source_framework,
        "ext:targetFramework": crosswalk.target_framework,
        "ext:version": crosswalk.version,
        "ext:publisher": crosswalk.publisher,
        "ext:sourceDocument": crosswalk.source_document,
        "ext:status": crosswalk.status,
    }
    return record


def _put(record: dict[str, Any], key: str, value: str) -> None:
    """Optional CASE fields are left out when empty rather than sent as ``""``."""
    if value:
        record[key] = value


def packages_for(catalog: Catalog, framework_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """One package per framework (``crosswalk export all --format case``)."""
    return {fid: framework_package(catalog, fid) for fid in framework_ids}
