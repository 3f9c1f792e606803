"""CASE 1.0 / 1.1 import: CFPackages into frameworks, items and crosswalks.

Packages come from other tools (OpenSALT, state registries) and from our own export.
Our own packages carry ``ext:`` extensions and come back exactly; foreign ones are
mapped field by field (``docs/exchange.md``): the hierarchy from ``isChildOf``, every
other association into a crosswalk (:mod:`crosswalk.formats.case_associations`), with
the original identifiers kept as aliases so a re-export names the same objects.

Every field read is checked for its CASE type (text, UUID identifier, ISO 8601
date-time) and every problem is reported with the file, the object (``CFItems[3]``)
and the field.  Fields of foreign packages that have no place here are named in a
warning rather than dropped silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from crosswalk.catalog import Catalog
from crosswalk.formats import case_fields as cf
from crosswalk.formats import case_kept
from crosswalk.formats.case_associations import Package, ReaderState
from crosswalk.formats.case_links import (
    IDENTIFIER_ALIAS,
    ITEM_TYPE_EXTENSION,
    SCALAR_TAG_FIELDS,
    TAG_FIELDS,
    URN_PREFIX,
    adoption_extension,
    derived_uuid,
    status_of,
    with_legacy_sources,
)
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.validate import Places
from crosswalk.model import Alias, Dataset, Framework, Item, item_uuid, slugify

# CASE 1.0 bindings and some tools use these names for the package's parts.
PART_NAMES = {
    "CFDocument": ("CFDocument", "CFPckgDocument"),
    "CFItems": ("CFItems", "CFPckgItems"),
    "CFAssociations": ("CFAssociations", "CFPckgAssociations"),
    "CFDefinitions": ("CFDefinitions", "CFPckgDefinitions"),
}
# CASE 1.0 / OpenSALT spelling → the CASE 1.1 field (kept as a tag of that name).
TAG_SYNONYMS = {"educationalLevel": "educationLevel"}
# Fields read (or only links back to what is read); anything else is reported as not kept.
DOCUMENT_FIELDS = {
    "identifier", "uri", "creator", "title", "lastChangeDateTime", "publisher",
    "description", "version", "notes", "adoptionStatus", "extensions", "CFPackageURI",
    "caseVersion", *case_kept.DOCUMENT_FIELDS,
}  # fmt: skip
ITEM_FIELDS = {
    "identifier", "uri", "fullStatement", "humanCodingScheme", "abbreviatedStatement",
    "notes", "listEnumeration", "language", "educationLevel", "educationalLevel",
    "CFItemType", "CFItemTypeURI", "lastChangeDateTime", "extensions", "CFDocumentURI",
    "CFItemAssociationURI", *case_kept.ITEM_FIELDS,
}  # fmt: skip
DEFINITIONS_KEPT = {"CFAssociationGroupings", *case_kept.DEFINITION_KINDS}


class _Reader(ReaderState):
    """Documents and items; associations are read by :class:`ReaderState`."""

    def read_document(self, source: str, data: Any) -> Package:
        if not isinstance(data, dict):
            raise ExchangeError(f"{source}: not a CASE package (top level is not an object)")
        if isinstance(data.get("CFPackage"), dict):
            data = data["CFPackage"]
        parts = {name: cf.part(data, names) for name, names in PART_NAMES.items()}
        document = parts["CFDocument"]
        if not isinstance(document, dict):
            raise ExchangeError(f"{source}: not a CASE package (no CFDocument object)")
        where = "CFDocument"
        identifier = cf.uuid_text(source, where, document, "identifier")
        title = cf.text(source, where, document, "title", required=True)
        changed = cf.date_time(source, where, document, "lastChangeDateTime")
        adoption = cf.text(source, where, document, "adoptionStatus")
        ext = cf.extensions(source, where, document)
        ours = "ext:framework" in ext
        framework_id = (
            cf.text(source, where, ext, "ext:framework")
            or self.documents.get(identifier)
            or slugify(title)
            or f"case-{identifier[:8]}"
        )
        if framework_id in self.frameworks:
            raise ExchangeError(f"{source}: {where}: framework {framework_id!r} given twice")
        sources = ext.get("ext:sources")
        if not isinstance(sources, list):
            uri = cf.text(source, where, document, "uri")
            sources = [uri] if uri else []
        sources = [str(s) for s in sources]
        if ours:
            # Our packages: the ext: fields; those written before they existed keep the
            # document's fields as case:NAME=VALUE sources, moved as migration 0002 does.
            given = cf.date_time(source, where, ext, "ext:updated")
            kept, status, updated, extensions = with_legacy_sources(
                sources,
                cf.text(source, where, ext, "ext:status"),
                given,
                cf.text_pairs(source, where, ext, "ext:extensions"),
            )
            if updated != given:  # from case:lastChangeDateTime=…: checked like the field
                cf.date_time(source, where, {"ext:sources": updated}, "ext:sources")
            sources = list(kept)
        else:
            status, updated = status_of(adoption), changed
            extensions = (*adoption_extension(adoption), *self._item_types(source, parts))
            extensions = tuple(sorted(extensions))
        if identifier != str(Framework(framework_id, "").uuid):
            sources.append(URN_PREFIX + identifier)
        publisher = cf.text(source, where, document, "publisher")
        framework = Framework(
            id=framework_id,
            title=title,
            version=cf.text(source, where, document, "version"),
            publisher=publisher
            if ours
            else publisher or cf.text(source, where, document, "creator"),
            description=cf.text(source, where, document, "description"),
            notice=cf.text(source, where, document, "notes"),
            sources=tuple(sources),
            status=status,
            updated=updated,
            extensions=tuple(extensions),
            replaces=cf.text(source, where, ext, "ext:replaces") if ours else "",
        )
        self.documents[identifier] = framework_id
        package = Package(source, parts, framework, identifier)
        if not ours:
            package.keeper = case_kept.Keeper()
            package.keeper.document(identifier, document)
            package.keeper.definitions(parts["CFDefinitions"], data.get("CFRubrics"))
        package.items = self._items(package)
        if not ours:
            self._report_unkept(package, document)
        if package.items or framework_id not in self.store.frameworks:
            self.frameworks[framework_id] = framework
            self.items += package.items
        return package

    def _item_types(self, source: str, parts: Mapping[str, Any]) -> list[tuple[str, str]]:
        """``(case:CFItemType:<uuid>, title)`` for item types with foreign identifiers."""
        found: dict[str, str] = {}
        definitions = parts.get("CFDefinitions")
        if isinstance(definitions, dict):
            where = "CFDefinitions.CFItemTypes"
            for n, record in enumerate(cf.as_list(source, where, definitions.get("CFItemTypes"))):
                if isinstance(record, dict):
                    title = cf.text(source, f"{where}[{n}]", record, "title")
                    found.setdefault(
                        title, cf.uuid_text(source, f"{where}[{n}]", record, "identifier")
                    )
        for record in cf.as_list(source, "CFItems", parts.get("CFItems")):
            link = record.get("CFItemTypeURI") if isinstance(record, dict) else None
            if isinstance(link, dict) and isinstance(link.get("title"), str):
                found.setdefault(link["title"], str(link.get("identifier") or ""))
        return [
            (f"{ITEM_TYPE_EXTENSION}{identifier}", title)
            for title, identifier in sorted(found.items())
            if title and identifier and identifier != derived_uuid("item-type", title)
        ]

    def _report_unkept(self, package: Package, document: Mapping[str, Any]) -> None:
        """Name, once per field, what a foreign package holds that has no place here."""
        unkept: Counter[str] = Counter()
        unkept.update(f"CFDocument.{k}" for k in document if k not in DOCUMENT_FIELDS)
        for record in cf.as_list(package.source, "CFItems", package.data.get("CFItems")):
            unkept.update(f"CFItems[].{k}" for k in record if k not in ITEM_FIELDS)
        definitions = package.data.get("CFDefinitions")
        if isinstance(definitions, dict):
            unkept.update(
                f"CFDefinitions.{k}"
                for k, v in definitions.items()
                if v and k not in DEFINITIONS_KEPT
            )
        if unkept:
            shown = ", ".join(f"{k} ({n}×)" if n > 1 else k for k, n in sorted(unkept.items()))
            self.warnings.append(f"{package.source}: not kept (no place for them): {shown}")

    def _items(self, package: Package) -> list[Item]:
        source, framework = package.source, package.framework.id
        records = cf.as_list(source, "CFItems", package.data.get("CFItems"))
        codes: dict[str, int] = defaultdict(int)
        for record in records:
            if isinstance(record, dict) and isinstance(record.get("humanCodingScheme"), str):
                codes[record["humanCodingScheme"]] += 1
        items, seen = [], set()
        for index, record in enumerate(records):
            where = f"CFItems[{index}]"
            if not isinstance(record, dict):
                raise ExchangeError(f"{source}: {where}: not an object")
            identifier = cf.uuid_text(source, where, record, "identifier")
            if identifier in seen:
                raise ExchangeError(f"{source}: {where} ({identifier}): duplicate identifier")
            seen.add(identifier)
            where = f"{where} ({identifier})"
            item = self._item(source, where, framework, record, index, codes)
            if package.keeper is not None:
                package.keeper.item(identifier, record)
            self.places[("item", *item.key)] = where
            items.append(item)
        keys = [i.key for i in items]
        if len(set(keys)) != len(keys):
            twice = sorted({k[1] for k in keys if keys.count(k) > 1})
            raise ExchangeError(f"{source}: CFItems: duplicate item code(s) {twice[:5]}")
        return items

    def _item(
        self,
        source: str,
        where: str,
        framework: str,
        record: dict[str, Any],
        index: int,
        codes: Mapping[str, int],
    ) -> Item:
        identifier = record["identifier"]
        statement = cf.text(source, where, record, "fullStatement", required=True)
        cf.date_time(source, where, record, "lastChangeDateTime")
        ext = cf.extensions(source, where, record)
        printed = cf.text(source, where, record, "humanCodingScheme")
        code = cf.text(source, where, ext, "ext:code") or (
            printed if printed and codes.get(printed, 0) == 1 else ""
        )
        if not code:
            code = f"{printed} ({identifier[:8]})" if printed else identifier
        fields: dict[str, list[str]] = {name: [] for name in TAG_FIELDS}
        read = []  # a foreign package's tags: the fields in this order
        for name in (*TAG_FIELDS, *TAG_SYNONYMS):
            values = cf.text_list(source, where, record, name, split=name != "language")
            fields[TAG_SYNONYMS.get(name, name)] += values
            read += [f"{TAG_SYNONYMS.get(name, name)}:{v}" for v in values]
        given = ext.get("ext:tags")
        tags = tuple(read) if given is None else merged_tags([str(t) for t in given], fields)
        listed = cf.text(source, where, record, "listEnumeration")
        item_type = record.get("CFItemTypeURI")
        if item_type is not None and not isinstance(item_type, dict):
            raise ExchangeError(f"{source}: {where}: field CFItemTypeURI must be an object")
        kind = cf.text(source, where, record, "CFItemType") or (
            cf.text(source, where, item_type, "title") if item_type else ""
        )
        aliases = [cf.alias(source, where, a) for a in ext.get("ext:aliases") or []]
        # Our export gives the identifier alias back (with the URI the item came with);
        # one naming another identifier than the item's is stale and left out.
        aliases = [a for a in aliases if a.kind != IDENTIFIER_ALIAS or a.text == identifier]
        if identifier != str(item_uuid(framework, code)) and not any(
            a.kind == IDENTIFIER_ALIAS for a in aliases
        ):
            uri = cf.text(source, where, record, "uri")
            aliases.append(Alias(identifier, IDENTIFIER_ALIAS, note=uri))
        has_ext = "ext:code" in ext
        item = Item(
            framework=framework,
            code=code,
            name=str(ext.get("ext:name", ""))
            if has_ext
            else cf.text(source, where, record, "abbreviatedStatement") or statement,
            statement=str(ext.get("ext:statement", statement)) if has_ext else statement,
            kind=kind or "competency",
            position=int(digits) if (digits := listed.strip(" .)")).isdigit() else index,
            tags=tags,
            aliases=tuple(aliases),
            provenance=cf.provenance(source, where, str(ext.get("ext:provenance") or "")),
            errata=tuple(cf.text(source, where, record, "notes").splitlines()),
        )
        self.items_by_id[identifier] = item.key
        self.known_items.add(item.key)
        return item


def merged_tags(given: list[str], fields: Mapping[str, list[str]]) -> tuple[str, ...]:
    """An item's tags: ``ext:tags`` (all of them, in order) reconciled with the CASE fields.

    ``fields`` holds the values of the CASE fields ``educationLevel``, ``language`` and
    ``listEnumeration``.  Where ``ext:tags`` says what a field holds — the same values,
    or (for ``language`` and ``listEnumeration``, which hold one) the same first value —
    its tags stay where they are; otherwise the field wins: its tags take the place of
    the first tag of that name, or come last.  So our packages give back the order,
    a field edited in another tool is still read, and ``ext:tags`` written before it
    held the CASE fields' tags reads as those tags followed by the fields.
    """
    tags = list(given)
    for name, values in fields.items():
        prefix = f"{name}:"
        listed = [t[len(prefix) :] for t in tags if t.startswith(prefix)]
        shown = listed[:1] if name in SCALAR_TAG_FIELDS else listed
        if shown == values:
            continue
        at = next((n for n, t in enumerate(tags) if t.startswith(prefix)), len(tags))
        rest = [t for t in tags if not t.startswith(prefix)]  # the first `at` come first
        tags = [*rest[:at], *(prefix + v for v in values), *rest[at:]]
    return tuple(tags)


def read_packages(
    packages: Iterable[tuple[str, Any]], store: Catalog, places: Places | None = None
) -> tuple[Dataset, list[str]]:
    """Parsed CASE JSON documents (``(file name, data)``) → the dataset they describe.

    ``store`` is what the database already holds: association ends are looked up in
    it, so a crosswalk package can refer to frameworks imported earlier.  ``places``
    receives where each item and association was, for the shared reference checks.
    """
    reader = _Reader(store, {} if places is None else places)
    read = [reader.read_document(source, data) for source, data in packages]
    for package in read:
        reader.read_associations(package)
    return reader.dataset(), reader.warnings
