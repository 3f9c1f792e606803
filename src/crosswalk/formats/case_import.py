"""CASE 1.0 / 1.1 import: CFPackages into frameworks, items and crosswalks.

Packages come from other tools (OpenSALT, state registries) and from our own export.
Our own packages carry ``ext:`` extensions and come back exactly; foreign ones are
mapped field by field (``docs/exchange.md``): the hierarchy from ``isChildOf``, every
other association into a crosswalk, with the original identifiers kept as aliases so
a re-export names the same objects.  Association ends outside the package that the
database does not know either (OpenSALT's cross-framework ``exactMatchOf``) become
items of a stub framework, ``<framework>-external``, so no association is dropped.

Every problem is reported with the file, the object (``CFItems[3]``) and the field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from crosswalk.catalog import Catalog
from crosswalk.formats import case_fields as cf
from crosswalk.formats.case import (
    ASSOCIATION_TYPES,
    CASE_JUSTIFICATION,
    IDENTIFIER_ALIAS,
    RELATION_TO_TYPE,
    TAG_FIELDS,
    URN_PREFIX,
    framework_identifier,
    item_identifier,
)
from crosswalk.formats.errors import ExchangeError
from crosswalk.model import (
    Alias,
    Alignment,
    Crosswalk,
    Dataset,
    Framework,
    Item,
    Relation,
    Status,
    item_uuid,
    slugify,
)

TYPE_TO_RELATION = {
    "exactMatchOf": Relation.EXACT,
    "isRelatedTo": Relation.RELATED,
    "isPartOf": Relation.BROAD,
}
# CASE 1.0 bindings and some tools use these names for the package's parts.
PART_NAMES = {
    "CFDocument": ("CFDocument", "CFPckgDocument"),
    "CFItems": ("CFItems", "CFPckgItems"),
    "CFAssociations": ("CFAssociations", "CFPckgAssociations"),
    "CFDefinitions": ("CFDefinitions", "CFPckgDefinitions"),
}
GENERIC_TITLES = {"", "destination", "origin"}

Key = tuple[str, str]  # (framework, code)


@dataclass
class _Package:
    source: str
    data: Mapping[str, Any]
    framework: Framework
    identifier: str
    items: list[Item] = field(default_factory=list)


class _Reader:
    """Turns several packages into one dataset, resolving ends across all of them."""

    def __init__(self, store: Catalog) -> None:
        self.store = store
        self.items_by_id: dict[str, Key] = {}
        self.documents: dict[str, str] = {}  # identifier → framework id
        for framework in store.frameworks.values():
            self.documents[framework_identifier(framework)] = framework.id
        for item in store.items.values():
            self.items_by_id[item_identifier(item)] = item.key
            self.items_by_id[str(item.uuid)] = item.key
        self.known_items: set[Key] = set(store.items)
        self.frameworks: dict[str, Framework] = {}
        self.items: list[Item] = []
        self.stubs: dict[str, dict[str, Item]] = defaultdict(dict)
        self.stub_titles: dict[str, str] = {}
        self.crosswalks: dict[str, Crosswalk] = {}
        self.alignments: list[Alignment] = []
        self.warnings: list[str] = []

    # -- documents and items ---------------------------------------------------------

    def read_document(self, source: str, data: Any) -> _Package:
        if not isinstance(data, dict):
            raise ExchangeError(f"{source}: not a CASE package (top level is not an object)")
        if isinstance(data.get("CFPackage"), dict):
            data = data["CFPackage"]
        parts = {name: cf.part(data, names) for name, names in PART_NAMES.items()}
        document = parts["CFDocument"]
        if not isinstance(document, dict):
            raise ExchangeError(f"{source}: not a CASE package (no CFDocument object)")
        where = "CFDocument"
        identifier = cf.text(source, where, document, "identifier", required=True)
        title = cf.text(source, where, document, "title", required=True)
        ext = cf.extensions(source, where, document)
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
        framework = Framework(
            id=framework_id,
            title=title,
            version=cf.text(source, where, document, "version"),
            publisher=cf.text(source, where, document, "publisher")
            or cf.text(source, where, document, "creator"),
            description=cf.text(source, where, document, "description"),
            notice=cf.text(source, where, document, "notes"),
            sources=tuple(
                sources
                + (
                    [URN_PREFIX + identifier]
                    if identifier != str(Framework(framework_id, "").uuid)
                    else []
                )
            ),
        )
        self.documents[identifier] = framework_id
        package = _Package(source, parts, framework, identifier)
        package.items = self._items(package)
        if package.items or framework_id not in self.store.frameworks:
            self.frameworks[framework_id] = framework
            self.items += package.items
        return package

    def _items(self, package: _Package) -> list[Item]:
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
            identifier = cf.text(source, where, record, "identifier", required=True)
            where = f"CFItems[{index}] ({identifier})"
            if identifier in seen:
                raise ExchangeError(f"{source}: {where}: duplicate identifier")
            seen.add(identifier)
            items.append(self._item(source, where, framework, record, index, codes))
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
        ext = cf.extensions(source, where, record)
        printed = cf.text(source, where, record, "humanCodingScheme")
        code = cf.text(source, where, ext, "ext:code") or (
            printed if printed and codes.get(printed, 0) == 1 else ""
        )
        if not code:
            code = f"{printed} ({identifier[:8]})" if printed else identifier
        tags = [str(t) for t in ext.get("ext:tags") or []]
        for name in TAG_FIELDS:
            value = record.get(name, [])
            tags += [f"{name}:{v}" for v in (value if isinstance(value, list) else [value])]
        listed = cf.text(source, where, record, "listEnumeration")
        item_type = record.get("CFItemTypeURI")
        kind = cf.text(source, where, record, "CFItemType") or (
            str(item_type.get("title", "")) if isinstance(item_type, dict) else ""
        )
        aliases = [cf.alias(source, where, a) for a in ext.get("ext:aliases") or []]
        if identifier != str(item_uuid(framework, code)):
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
            tags=tuple(tags),
            aliases=tuple(aliases),
            provenance=cf.provenance(source, where, str(ext.get("ext:provenance") or "")),
            errata=tuple(cf.text(source, where, record, "notes").splitlines()),
        )
        self.items_by_id[identifier] = item.key
        self.known_items.add(item.key)
        return item

    # -- associations ----------------------------------------------------------------

    def read_associations(self, package: _Package) -> None:
        source = package.source
        records = cf.as_list(source, "CFAssociations", package.data.get("CFAssociations"))
        groupings = cf.groupings(source, package.data.get("CFDefinitions"))
        parents: dict[str, tuple[str | None, int | None]] = {}
        seen: set[str] = set()
        positions: dict[str, int] = defaultdict(int)
        for index, record in enumerate(records):
            where = f"CFAssociations[{index}]"
            if not isinstance(record, dict):
                raise ExchangeError(f"{source}: {where}: not an object")
            identifier = cf.text(source, where, record, "identifier", required=True)
            where = f"CFAssociations[{index}] ({identifier})"
            if identifier in seen:
                raise ExchangeError(f"{source}: {where}: duplicate identifier")
            seen.add(identifier)
            kind = cf.text(source, where, record, "associationType", required=True)
            if kind not in ASSOCIATION_TYPES and not kind.startswith("ext:"):
                raise ExchangeError(
                    f"{source}: {where}: unknown associationType {kind!r} "
                    f"(CASE defines {', '.join(ASSOCIATION_TYPES)})"
                )
            origin = cf.end(source, where, record, "originNodeURI")
            destination = cf.end(source, where, record, "destinationNodeURI")
            sequence = cf.sequence(source, where, record.get("sequenceNumber"))
            if kind == "isChildOf":
                parents[origin["identifier"]] = self._parent(package, where, destination, sequence)
                continue
            self._alignment(package, where, record, kind, origin, destination, groupings, positions)
        self._apply_parents(package, parents)

    def _parent(
        self, package: _Package, where: str, destination: dict[str, str], sequence: int | None
    ) -> tuple[str | None, int | None]:
        target = destination["identifier"]
        if target == package.identifier:
            return (None, sequence)
        key = self.items_by_id.get(target)
        if key is None or key[0] != package.framework.id:
            raise ExchangeError(
                f"{package.source}: {where}: destinationNodeURI: parent {target!r} "
                "is not an item of this package"
            )
        return (key[1], sequence)

    def _apply_parents(
        self, package: _Package, parents: Mapping[str, tuple[str | None, int | None]]
    ) -> None:
        by_identifier = {item_identifier(item): n for n, item in enumerate(self.items)}
        for identifier, (parent, sequence) in parents.items():
            number = by_identifier.get(identifier)
            if number is None or self.items[number].framework != package.framework.id:
                raise ExchangeError(
                    f"{package.source}: isChildOf: originNodeURI {identifier!r} "
                    "is not an item of this package"
                )
            item = self.items[number]
            position = item.position if sequence is None else sequence
            self.items[number] = replace(item, parent=parent, position=position)

    def _alignment(
        self,
        package: _Package,
        where: str,
        record: dict[str, Any],
        kind: str,
        origin: dict[str, str],
        destination: dict[str, str],
        groupings: Mapping[str, dict[str, Any]],
        positions: dict[str, int],
    ) -> None:
        source = package.source
        ext = cf.extensions(source, where, record)
        start = self.items_by_id.get(origin["identifier"])
        if start is None:
            raise ExchangeError(
                f"{source}: {where}: originNodeURI {origin['identifier']!r} is neither "
                "in this package nor in the database (association with a missing end)"
            )
        target_framework, target_code = self._destination(package, ext, destination)
        grouping = groupings.get(cf.link_identifier(record.get("CFAssociationGroupingURI")), {})
        crosswalk = self._crosswalk(package, ext, grouping, start[0], target_framework)
        if "ext:relation" in ext:
            relation = cf.choice(source, where, "ext:relation", ext["ext:relation"], Relation)
            justification = str(ext.get("ext:justification") or "manual")
            position = cf.sequence(source, where, record.get("sequenceNumber"))
        else:
            relation = TYPE_TO_RELATION.get(kind, Relation.RELATED)
            natural = RELATION_TO_TYPE[relation] == kind
            justification = "manual" if natural else f"{CASE_JUSTIFICATION}{kind}"
            position = None
        if position is None:
            position = positions[crosswalk.id]
        positions[crosswalk.id] = max(positions[crosswalk.id], position + 1)
        try:
            confidence = float(ext.get("ext:confidence", 1.0))
        except (TypeError, ValueError):
            raise ExchangeError(f"{source}: {where}: ext:confidence is not a number") from None
        self.alignments.append(
            Alignment(
                crosswalk=crosswalk.id,
                source_code=start[1],
                target_code=target_code,
                relation=relation,
                strength=str(ext.get("ext:strength") or ""),
                level=str(ext.get("ext:level") or ""),
                evidence=str(ext.get("ext:evidence") or ""),
                note=cf.text(source, where, record, "notes"),
                printed_target=str(ext.get("ext:printedTarget") or ""),
                provenance=cf.provenance(source, where, str(ext.get("ext:provenance") or "")),
                position=position,
                confidence=confidence,
                justification=justification,
                status=cf.choice(source, where, "ext:status", ext.get("ext:status"), Status),
                author=str(ext.get("ext:author") or ""),
                created=str(
                    ext["ext:created"] if "ext:created" in ext else record["lastChangeDateTime"]
                )
                if ("ext:created" in ext or "lastChangeDateTime" in record)
                else "",
            )
        )

    def _destination(
        self, package: _Package, ext: Mapping[str, Any], destination: dict[str, str]
    ) -> tuple[str, str | None]:
        identifier = destination["identifier"]
        if identifier in self.documents:
            return (self.documents[identifier], None)
        key = self.items_by_id.get(identifier)
        if key is not None:
            return key
        framework = str(ext.get("ext:targetFramework") or "")
        code = str(ext.get("ext:targetCode") or "")
        if framework and "ext:targetCode" in ext and ext["ext:targetCode"] is None:
            # Our no-match / outside-reference rows point at the target framework itself.
            if framework not in self.store.frameworks and framework not in self.frameworks:
                self.stubs.setdefault(framework, {})
                self.stub_titles[framework] = destination.get("title", "")
            return (framework, None)
        if framework and code and (framework, code) in self.known_items:
            return (framework, code)
        if framework and code and framework in self.store.frameworks:
            return (framework, code)  # a citation the stored framework does not define
        stub_framework = framework or f"{package.framework.id}-external"
        title = destination.get("title", "")
        code = code or (title if title.lower() not in GENERIC_TITLES else identifier)
        stubs = self.stubs[stub_framework]
        if code in stubs and item_identifier(stubs[code]) != identifier:
            code = identifier
        stubs[code] = Item(
            stub_framework,
            code,
            title if title.lower() not in GENERIC_TITLES else destination.get("uri", ""),
            kind="external",
            position=len(stubs),
            aliases=(
                (Alias(identifier, IDENTIFIER_ALIAS, note=destination.get("uri", "")),)
                if identifier != str(item_uuid(stub_framework, code))
                else ()
            ),
        )
        self.items_by_id[identifier] = (stub_framework, code)
        return (stub_framework, code)

    def _crosswalk(
        self,
        package: _Package,
        ext: Mapping[str, Any],
        grouping: Mapping[str, Any],
        source_framework: str,
        target_framework: str,
    ) -> Crosswalk:
        gext = grouping.get("extensions") if isinstance(grouping.get("extensions"), dict) else {}
        assert isinstance(gext, dict)
        identifier = str(ext.get("ext:crosswalk") or gext.get("ext:crosswalk") or "")
        if not identifier:
            base = slugify(str(grouping.get("title") or ""))
            identifier = base or (
                f"{source_framework}-internal"
                if source_framework == target_framework
                else f"{source_framework}-external"
                if target_framework == f"{source_framework}-external"
                else f"{source_framework}-{target_framework}"
            )
            existing = self.crosswalks.get(identifier)
            if existing and existing.target_framework != target_framework:
                identifier = f"{identifier}-{target_framework}"
        if identifier in self.crosswalks:
            return self.crosswalks[identifier]
        titles = {f.id: f.title for f in self.store.frameworks.values()} | {
            f.id: f.title for f in self.frameworks.values()
        }
        crosswalk = Crosswalk(
            id=identifier,
            title=str(grouping.get("title") or "")
            or f"{titles.get(source_framework, source_framework)} → "
            f"{titles.get(target_framework, target_framework)}",
            source_framework=source_framework,
            target_framework=target_framework,
            version=str(gext.get("ext:version") or ""),
            publisher=str(gext.get("ext:publisher") or package.framework.publisher),
            description=str(grouping.get("description") or ""),
            source_document=str(gext.get("ext:sourceDocument") or "")
            if gext
            else f"CASE package {package.identifier}",
            status=str(gext.get("ext:status") or "published"),
        )
        self.crosswalks[identifier] = crosswalk
        return crosswalk

    def dataset(self) -> Dataset:
        dataset = Dataset(
            frameworks=list(self.frameworks.values()),
            items=list(self.items),
            crosswalks=list(self.crosswalks.values()),
            alignments=self.alignments,
        )
        for framework_id, stubs in self.stubs.items():
            if framework_id not in self.frameworks:
                dataset.frameworks.append(
                    Framework(
                        framework_id,
                        self.stub_titles.get(framework_id)
                        or f"{framework_id} (items referenced from a CASE package)",
                        description="Created by a CASE import for association ends that "
                        "were outside the package; importing the real framework replaces it.",
                    )
                )
            dataset.items += stubs.values()
            self.warnings.append(
                f"{len(stubs)} association cf.end(s) outside the package kept as items of "
                f"stub framework {framework_id!r}"
            )
        return dataset


def read_packages(packages: Iterable[tuple[str, Any]], store: Catalog) -> tuple[Dataset, list[str]]:
    """Parsed CASE JSON documents (``(file name, data)``) → the dataset they describe.

    ``store`` is what the database already holds: association ends are looked up in
    it, so a crosswalk package can refer to frameworks imported earlier.
    """
    reader = _Reader(store)
    read = [reader.read_document(source, data) for source, data in packages]
    for package in read:
        reader.read_associations(package)
    return reader.dataset(), reader.warnings
