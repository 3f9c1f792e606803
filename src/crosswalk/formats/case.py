"""CASE 1.1 export: frameworks and crosswalks as 1EdTech CFPackages.

Associations and state registries exchange frameworks as CASE packages, so every
framework we hold must leave as a package the official schema accepts, and come back
(see :mod:`crosswalk.formats.case_import`) as the same records.  CASE has no place for
most of what a crosswalk says about a link (strength, level tag, evidence, printed
target …); those travel in the spec's ``extensions`` objects under ``ext:`` names, so
nothing is lost and CASE consumers that ignore extensions still read a valid package.
``docs/exchange.md`` lists the mapping field by field.

Output is deterministic: identifiers are UUIDs derived from our keys (or the
identifiers an imported package brought with it), ``lastChangeDateTime`` follows
:func:`~crosswalk.formats.case_links.change_time` unless the caller gives one, and
keys keep a fixed order.  Names, identifiers and URIs live in
:mod:`crosswalk.formats.case_links`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from crosswalk.bulk import collector_paused
from crosswalk.catalog import Catalog
from crosswalk.formats.case_kept import Kept, child_key
from crosswalk.formats.case_links import (
    ASSOCIATION_TYPES,
    CASE_JUSTIFICATION,
    CASE_VERSION,
    FIXED_CHANGE_TIME,
    IDENTIFIER_ALIAS,
    RELATION_TO_TYPE,
    SCALAR_TAG_FIELDS,
    TAG_FIELDS,
    URN_PREFIX,
    Links,
    adoption_of,
    change_time,
    derived_uuid,
    framework_identifier,
    is_printed_code,
    item_identifier,
    item_types,
    normalise_time,
)
from crosswalk.formats.case_stream import Parts, dumps, write_package
from crosswalk.model import Alias, Alignment, Crosswalk, Framework, Item, Relation
from crosswalk.states import Record

__all__ = [
    "ASSOCIATION_TYPES",
    "CASE_JUSTIFICATION",
    "FIXED_CHANGE_TIME",
    "IDENTIFIER_ALIAS",
    "URN_PREFIX",
    "Links",
    "Parts",
    "association_type",
    "crosswalk_package",
    "derived_uuid",
    "dumps",
    "framework_identifier",
    "framework_package",
    "item_identifier",
    "write_package",
]
# When a framework has no publisher, CASE still requires a creator: the tool.
DEFAULT_CREATOR = "competency-crosswalk"


@collector_paused()
def framework_parts(
    catalog: Catalog,
    framework_id: str,
    *,
    with_crosswalks: bool = True,
    base_url: str | None = None,
    changed: str | None = None,
) -> Parts:
    """One framework as a CFPackage: document, items, hierarchy, definitions.

    With ``with_crosswalks`` the crosswalks *from* this framework ride along as
    associations to the other frameworks' items, as OpenSALT exports cross-framework
    ``exactMatchOf`` links; each crosswalk is one CFAssociationGrouping.
    """
    framework = catalog.framework(framework_id)
    links = Links(catalog, base_url)
    links.item_types = item_types(framework)
    changed = changed or change_time(framework)
    items = catalog.items_of(framework_id)
    crosswalks = (
        [c for c in catalog.crosswalks.values() if c.source_framework == framework_id]
        if with_crosswalks
        else []
    )
    crosswalks.sort(key=lambda c: c.id)

    def associations() -> Iterator[dict[str, Any]]:
        yield from _editions(links, framework, changed)
        for item in items:
            yield _child_of(links, framework, item, changed)
        for crosswalk in crosswalks:
            yield from _crosswalk_associations(links, crosswalk, changed)

    kept = links.kept(framework_id)
    linked = (a for c in crosswalks for a in links.catalog.by_crosswalk.get(c.id, []))
    latest = _latest(links, changed, [framework, *items, *crosswalks], linked)
    return Parts(
        document=_document(links, framework, latest),
        items=(_item(links, item, changed) for item in items),
        associations=associations(),
        definitions=_definitions(links, framework, items, crosswalks, changed),
        rubrics=kept.rubrics,
    )


def framework_package(
    catalog: Catalog,
    framework_id: str,
    *,
    with_crosswalks: bool = True,
    base_url: str | None = None,
    changed: str | None = None,
) -> dict[str, Any]:
    """:func:`framework_parts` as one dictionary (small frameworks, tests)."""
    return framework_parts(
        catalog, framework_id, with_crosswalks=with_crosswalks, base_url=base_url, changed=changed
    ).materialise()


def crosswalk_package(
    catalog: Catalog,
    crosswalk_id: str,
    *,
    base_url: str | None = None,
    changed: str | None = None,
) -> dict[str, Any]:
    """One crosswalk as a CFPackage of associations only, grouped by one grouping.

    CASE requires a CFDocument; the source framework's document is named (without its
    items), so an importer knows which framework the origins belong to.
    """
    crosswalk = catalog.crosswalk(crosswalk_id)
    links = Links(catalog, base_url)
    framework = catalog.framework(crosswalk.source_framework)
    changed = changed or change_time(framework)
    linked = catalog.by_crosswalk.get(crosswalk_id, [])
    return Parts(
        document=_document(links, framework, _latest(links, changed, [crosswalk], linked)),
        items=[],
        associations=_crosswalk_associations(links, crosswalk, changed),
        definitions=_definitions(links, framework, [], [crosswalk], changed),
    ).materialise()


# -- building blocks -------------------------------------------------------------------


def _definitions(
    links: Links,
    framework: Framework,
    items: list[Item],
    crosswalks: list[Crosswalk],
    changed: str,
) -> dict[str, Any]:
    kept = links.kept(framework.id)
    definitions: dict[str, Any] = {}
    for kind in ("CFConcepts", "CFSubjects"):
        if kept.definitions.get(kind):
            definitions[kind] = _ours(links, kind, kept.definitions[kind])
    licenses = _ours(links, "CFLicenses", kept.definitions.get("CFLicenses", [])) or (
        [_license(links, framework, changed)] if framework.notice and not kept.document else []
    )
    if licenses:
        definitions["CFLicenses"] = licenses
    kinds = sorted({item.kind for item in items})
    if kinds:
        given = {str(t.get("identifier")): t for t in kept.definitions.get("CFItemTypes", [])}
        definitions["CFItemTypes"] = [_item_type(links, kind, changed, given) for kind in kinds]
    if crosswalks:
        definitions["CFAssociationGroupings"] = [
            _grouping(links, crosswalk, changed) for crosswalk in crosswalks
        ]
    return definitions


# Kept link fields whose targets we serve from a kept definition of this kind.
SERVED_LINKS = {
    "licenseURI": "CFLicenses",
    "subjectURI": "CFSubjects",
    "conceptKeywordsURI": "CFConcepts",
}


def _ours(links: Links, kind: str, records: list[Any]) -> list[Any]:
    """Kept definition records; in the API their URIs are our endpoints (we serve them)."""
    if not links.base_url:
        return records
    return [
        r | {"uri": links.uri(kind, str(r["identifier"]))}
        if isinstance(r, dict) and r.get("identifier")
        else r
        for r in records
    ]


def _served(links: Links, kept: Kept, fields: dict[str, Any]) -> dict[str, Any]:
    """Kept links to a definition we serve point at our endpoint in the API, so every
    URI there resolves; links to anything else keep the publisher's URI."""
    if not links.base_url:
        return fields
    found = dict(fields)
    for name, kind in SERVED_LINKS.items():
        known = {str(d.get("identifier")) for d in kept.definitions.get(kind, [])}

        def ours(link: Any, kind: str = kind, known: set[str] = known) -> Any:
            if isinstance(link, dict) and str(link.get("identifier")) in known:
                return link | {"uri": links.uri(kind, str(link["identifier"]))}
            return link

        if isinstance(found.get(name), list):
            found[name] = [ours(v) for v in found[name]]
        elif name in found:
            found[name] = ours(found[name])
    return found


def _license_link(links: Links, framework: Framework) -> dict[str, str]:
    identifier = derived_uuid("license", framework.id)
    return {
        "title": f"{framework.title}: notice",
        "identifier": identifier,
        "uri": links.uri("CFLicenses", identifier),
    }


def _license(links: Links, framework: Framework, changed: str) -> dict[str, Any]:
    """Our frameworks' notice (whose rights, on what terms) as their CASE license."""
    link = _license_link(links, framework)
    return {
        "identifier": link["identifier"],
        "uri": link["uri"],
        "title": link["title"],
        "licenseText": framework.notice,
        "lastChangeDateTime": changed,
    }


def _document(links: Links, framework: Framework, changed: str) -> dict[str, Any]:
    link = links.document(framework)
    document: dict[str, Any] = {
        "identifier": link["identifier"],
        "uri": link["uri"],
        "caseVersion": CASE_VERSION,
        "creator": framework.publisher or DEFAULT_CREATOR,
        "title": framework.title,
        "lastChangeDateTime": changed,
    }
    _put(document, "publisher", framework.publisher)
    _put(document, "adoptionStatus", adoption_of(framework))
    _put(document, "description", framework.description)
    _put(document, "version", framework.version)
    _put(document, "notes", framework.notice)
    kept = links.kept(framework.id)
    document |= _served(links, kept, kept.document_fields())
    if "licenseURI" not in document and framework.notice and not kept.document:
        document["licenseURI"] = _license_link(links, framework)
    document["extensions"] = {
        "ext:framework": framework.id,
        "ext:sources": [s for s in framework.sources if not s.startswith(URN_PREFIX)],
        "ext:status": framework.status,
        "ext:updated": framework.updated,
        "ext:extensions": dict(framework.extensions),
    }
    if framework.replaces:  # a new edition: the previous one's id
        document["extensions"]["ext:replaces"] = framework.replaces
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
    for name in TAG_FIELDS:
        values = [t.split(":", 1)[1] for t in item.tags if t.startswith(f"{name}:")]
        if name in SCALAR_TAG_FIELDS and values:
            record[name] = values[0]
        elif values:
            record[name] = values
    kept = links.kept(item.framework)
    record |= _served(links, kept, kept.item_fields(link["identifier"]))
    own = kept.items.get(link["identifier"].lower(), {})
    record["lastChangeDateTime"] = _when(links, item, own, changed)
    record["extensions"] = {
        "ext:framework": item.framework,
        "ext:code": item.code,
        "ext:name": item.name,
        "ext:statement": item.statement,
        "ext:tags": list(item.tags),  # all, in order: the CASE fields above lose it
        "ext:aliases": [_alias(a) for a in item.aliases],
        "ext:provenance": str(item.provenance) if item.provenance else "",
    }
    return record


def _alias(alias: Alias) -> dict[str, str]:
    return {
        "text": alias.text,
        "kind": alias.kind,
        "provenance": str(alias.provenance) if alias.provenance else "",
        "note": alias.note,
    }


def _editions(links: Links, framework: Framework, changed: str) -> Iterator[dict[str, Any]]:
    """Document-level ``replacedBy``: the previous edition this framework replaces, and
    the edition that replaces it, each as an association between the two CFDocuments
    (origin replaced by destination), so a CASE consumer of either package learns that
    a new edition exists."""
    frameworks = links.catalog.frameworks
    pairs = (
        [(frameworks[framework.replaces], framework)] if framework.replaces in frameworks else []
    )
    pairs += [(framework, f) for f in frameworks.values() if f.replaces == framework.id]
    for old, new in sorted(pairs, key=lambda p: (p[0].id, p[1].id)):
        identifier = derived_uuid("replacedBy", f"{old.id}>{new.id}")
        yield {
            "identifier": identifier,
            "associationType": "replacedBy",
            "uri": links.uri("CFAssociations", identifier),
            "originNodeURI": links.document(old),
            "destinationNodeURI": links.document(new),
            "lastChangeDateTime": _when(links, new, {}, changed),
        }


def _child_of(links: Links, framework: Framework, item: Item, changed: str) -> dict[str, Any]:
    parent = links.catalog.items.get((item.framework, item.parent)) if item.parent else None
    kept = links.kept(item.framework)
    own = kept.associations.get(child_key(item.code), {})
    derived = derived_uuid("child", f"{item.framework}:{item.code}")
    identifier = str(own.get("identifier") or derived)
    return {
        "identifier": identifier,
        "associationType": "isChildOf",
        "sequenceNumber": item.position,
        "uri": links.uri("CFAssociations", identifier, kept.uri(identifier, own)),
        "originNodeURI": links.item(item),
        "destinationNodeURI": links.item(parent) if parent else links.document(framework),
        "lastChangeDateTime": _when(links, item, own, changed),  # its parent or position
    }


def _crosswalk_associations(
    links: Links, crosswalk: Crosswalk, changed: str
) -> Iterator[dict[str, Any]]:
    """One record at a time: a crosswalk of 30,000 links is written, never held."""
    target = links.catalog.framework(crosswalk.target_framework)
    if crosswalk.version:
        changed = change_time(links.catalog.framework(crosswalk.source_framework), crosswalk)
    for alignment in links.catalog.by_crosswalk.get(crosswalk.id, []):
        yield _association(links, crosswalk, target, alignment, changed)


def association_type(alignment: Alignment) -> str:
    if alignment.justification.startswith(CASE_JUSTIFICATION):
        return alignment.justification[len(CASE_JUSTIFICATION) :]
    return RELATION_TO_TYPE[Relation(alignment.relation)]


def _association(
    links: Links, crosswalk: Crosswalk, target: Framework, alignment: Alignment, changed: str
) -> dict[str, Any]:
    kept = links.kept(crosswalk.source_framework)
    ours = str(alignment.uuid)
    own = kept.associations.get(ours, {})
    identifier = str(own.get("identifier") or ours)
    destination = (
        links.item_key(target.id, alignment.target_code)
        if alignment.target_code is not None
        else links.document(target)
    )
    record: dict[str, Any] = {
        "identifier": identifier,
        "associationType": association_type(alignment),
        "sequenceNumber": alignment.position,
        "uri": links.uri("CFAssociations", identifier, kept.uri(identifier, own)),
        "originNodeURI": links.item_key(crosswalk.source_framework, alignment.source_code),
        "destinationNodeURI": destination,
        "CFAssociationGroupingURI": _grouping_link(links, crosswalk),
        "lastChangeDateTime": _when(links, alignment, own, changed),
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
    identifier = links.item_types.get(kind) or derived_uuid("item-type", kind)
    return {"title": kind, "identifier": identifier, "uri": links.uri("CFItemTypes", identifier)}


def _item_type(
    links: Links, kind: str, changed: str, given: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Ours, or the record an imported package gave (its empty fields filled: CASE
    requires a description and a hierarchy code)."""
    link = _item_type_link(links, kind)
    own = given.get(link["identifier"], {})
    original = str(own.get("uri") or "")
    return {
        "identifier": link["identifier"],
        "uri": links.uri("CFItemTypes", link["identifier"], original),
        "title": kind,
        "description": own.get("description") or f"Items of kind {kind!r}",
        "hierarchyCode": own.get("hierarchyCode") or kind,
        "typeCode": own.get("typeCode") or kind,
        "lastChangeDateTime": _changed(own, changed),
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
        "lastChangeDateTime": _when(links, crosswalk, {}, changed),
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


def _when(links: Links, record: Record, own: dict[str, Any], default: str) -> str:
    """A record's ``lastChangeDateTime``: when it last changed here, from the event log
    (the real time of the approved change); unchanged since the first load, the time
    its own package gave, or ``default``."""
    at = links.catalog.changed_at(record)
    return normalise_time(at) if at else _changed(own, default)


def _latest(
    links: Links, default: str, records: Iterable[Record], more: Iterable[Record] = ()
) -> str:
    """A document's ``lastChangeDateTime``: the latest change to anything it holds (a
    consumer polling the document sees an edited item), never before ``default``."""
    times = [normalise_time(default)]
    if not links.catalog.written:  # not read from a store: nothing changed here
        return times[0]
    for record in itertools.chain(records, more):
        at = links.catalog.changed_at(record)
        if at:
            times.append(normalise_time(at))
    return max(times, key=datetime.fromisoformat)


def _changed(own: dict[str, Any], default: str) -> str:
    """A kept ``lastChangeDateTime`` in CASE's form (RFC 3339), or the default."""
    given = str(own.get("lastChangeDateTime") or "")
    try:
        return normalise_time(given) if given else default
    except ValueError:
        return default


def _put(record: dict[str, Any], key: str, value: str) -> None:
    """Optional CASE fields are left out when empty rather than sent as ``""``."""
    if value:
        record[key] = value
