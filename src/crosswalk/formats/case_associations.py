"""CASE import, second half: associations into the hierarchy, crosswalks and stubs.

:mod:`crosswalk.formats.case_import` reads documents and items into a
:class:`ReaderState`; this module resolves every association against all packages
and the database.  ``isChildOf`` gives parents; every other association becomes an
alignment of a crosswalk.  Ends found nowhere become items of a stub framework,
``<framework>-external``, so no association is dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote, urlsplit

from crosswalk.catalog import Catalog
from crosswalk.formats import case_fields as cf
from crosswalk.formats.case_kept import Keeper, child_key
from crosswalk.formats.case_links import (
    ASSOCIATION_TYPES,
    CASE_JUSTIFICATION,
    EXTERNAL_KIND,
    IDENTIFIER_ALIAS,
    NO_MATCH_TYPE,
    framework_identifier,
    item_identifier,
)
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.validate import Places, alignment_key
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
    NO_MATCH_TYPE: Relation.NO_MATCH,
}
GENERIC_TITLES = {"", "destination", "origin"}

Key = tuple[str, str]  # (framework, code)


@dataclass
class Package:
    source: str
    data: Mapping[str, Any]
    framework: Framework
    identifier: str
    items: list[Item] = field(default_factory=list)
    # A foreign package's fields that the model has no place for (None: ours).
    keeper: Keeper | None = None


def stub_title(framework_id: str, given: str = "") -> str:
    """The same title on every import, so importing twice changes nothing."""
    return given or f"{framework_id} (items referenced from a CASE package)"


class ReaderState:
    """What several packages describe, resolved across all of them and the database."""

    def __init__(self, store: Catalog, places: Places) -> None:
        self.store = store
        self.places = places
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

    def read_associations(self, package: Package) -> None:
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
            identifier = cf.uuid_text(source, where, record, "identifier")
            where = f"CFAssociations[{index}] ({identifier})"
            if identifier in seen:
                raise ExchangeError(f"{source}: {where}: duplicate identifier")
            seen.add(identifier)
            cf.date_time(source, where, record, "lastChangeDateTime")
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
                child = self.items_by_id.get(origin["identifier"])
                if package.keeper is not None and child is not None:
                    package.keeper.association(child_key(child[1]), identifier, record)
                continue
            if kind == "replacedBy" and self._edition(where, origin, destination):
                continue
            self.places[alignment_key(len(self.alignments))] = where
            self._alignment(package, where, record, kind, origin, destination, groupings, positions)
            alignment = self.alignments[-1]
            source_framework = self.crosswalks[alignment.crosswalk].source_framework
            if package.keeper is not None and source_framework == package.framework.id:
                package.keeper.association(str(alignment.uuid), identifier, record)
        self._apply_parents(package, parents)
        self._keep(package)

    def _edition(self, where: str, origin: dict[str, str], destination: dict[str, str]) -> bool:
        """A ``replacedBy`` between two CFDocuments — a framework replaced by its new
        edition — gives the new edition its ``replaces`` (our packages say so in
        ``ext:replaces`` as well); True when it was one, not a link between items."""
        ends = (origin["identifier"], destination["identifier"])
        if any(e in self.items_by_id for e in ends) or not any(e in self.documents for e in ends):
            return False
        old, new = (self.documents.get(end) for end in ends)
        framework = self.frameworks.get(new or "")
        if framework is not None and old is not None:
            self.frameworks[framework.id] = replace(framework, replaces=old)
        elif framework is None or not framework.replaces:
            self.warnings.append(
                f"{where}: replacedBy between frameworks {old or ends[0]!r} and "
                f"{new or ends[1]!r}: not recorded (import both editions to record it)"
            )
        return True

    def _keep(self, package: Package) -> None:
        """Add what the keeper collected to the framework's extensions."""
        framework = self.frameworks.get(package.framework.id)
        if package.keeper is None or framework is None or not package.keeper.entries:
            return
        entries = dict(framework.extensions) | dict(package.keeper.entries)
        self.frameworks[framework.id] = replace(
            framework, extensions=tuple(sorted(entries.items()))
        )

    def _parent(
        self, package: Package, where: str, destination: dict[str, str], sequence: int | None
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
        self, package: Package, parents: Mapping[str, tuple[str | None, int | None]]
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
        package: Package,
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
            # A foreign association says which link, not how it was made: the type is
            # kept ("case:isRelatedTo"), never claimed as our manual curation.
            relation = TYPE_TO_RELATION.get(kind, Relation.RELATED)
            justification = f"{CASE_JUSTIFICATION}{kind}"
            position = None
        if position is None:
            position = positions[crosswalk.id]
        positions[crosswalk.id] = max(positions[crosswalk.id], position + 1)
        try:
            confidence = float(ext.get("ext:confidence", 1.0))
        except (TypeError, ValueError):
            raise ExchangeError(f"{source}: {where}: ext:confidence is not a number") from None
        created = ext.get("ext:created", record.get("lastChangeDateTime", ""))
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
                created=str(created or ""),
            )
        )

    def _destination(
        self, package: Package, ext: Mapping[str, Any], destination: dict[str, str]
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
        generic = title.lower() in GENERIC_TITLES
        code = code or (identifier if generic else title)
        stubs = self.stubs[stub_framework]
        if code in stubs and item_identifier(stubs[code]) != identifier:
            code = identifier
        uri = destination.get("uri", "")
        stubs[code] = Item(
            stub_framework,
            code,
            (_last_segment(uri) or identifier) if generic else title,
            kind=EXTERNAL_KIND,
            position=len(stubs),
            aliases=(
                (Alias(identifier, IDENTIFIER_ALIAS, note=uri),)
                if identifier != str(item_uuid(stub_framework, code))
                else ()
            ),
        )
        self.items_by_id[identifier] = (stub_framework, code)
        return (stub_framework, code)

    def _crosswalk(
        self,
        package: Package,
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
        crosswalk = Crosswalk(
            id=identifier,
            title=str(grouping.get("title") or "")
            or f"{self._title(source_framework)} → {self._title(target_framework)}",
            source_framework=source_framework,
            target_framework=target_framework,
            version=str(gext.get("ext:version") or ""),
            publisher=str(gext.get("ext:publisher") or package.framework.publisher),
            description=str(grouping.get("description") or ""),
            source_document=str(gext.get("ext:sourceDocument") or "")
            if gext
            else f"CASE package {package.identifier}",
            status=str(
                gext.get("ext:status")
                or ("draft" if package.framework.status == "draft" else "published")
            ),
        )
        self.crosswalks[identifier] = crosswalk
        return crosswalk

    def _title(self, framework_id: str) -> str:
        """A framework's title as the dataset will hold it (stubs included)."""
        if framework_id in self.frameworks:
            return self.frameworks[framework_id].title
        if framework_id in self.stubs and framework_id not in self.store.frameworks:
            return stub_title(framework_id, self.stub_titles.get(framework_id, ""))
        if framework_id in self.store.frameworks:
            return self.store.frameworks[framework_id].title
        return framework_id

    def dataset(self) -> Dataset:
        dataset = Dataset(
            frameworks=list(self.frameworks.values()),
            items=list(self.items),
            crosswalks=list(self.crosswalks.values()),
            alignments=self.alignments,
        )
        for framework_id, stubs in self.stubs.items():
            if framework_id not in self.frameworks:
                stored = self.store.frameworks.get(framework_id)
                dataset.frameworks.append(
                    stored
                    or Framework(
                        framework_id,
                        stub_title(framework_id, self.stub_titles.get(framework_id, "")),
                        description="Created by a CASE import for association ends that "
                        "were outside the package; importing the real framework replaces it.",
                    )
                )
            dataset.items += stubs.values()
            if framework_id not in self.frameworks:  # keep the stubs of earlier imports
                dataset.items += [
                    i
                    for i in self.store.items.values()
                    if i.framework == framework_id and i.code not in stubs
                ]
            n = len(stubs)
            if n:
                self.warnings.append(
                    f"{n} association end{'' if n == 1 else 's'} outside the package kept "
                    f"as items of stub framework {framework_id!r}"
                )
        return dataset


def _last_segment(uri: str) -> str:
    """``…/tasks/1181`` → ``1181``: a readable name for an end known only by its URI."""
    path = urlsplit(uri).path.rstrip("/")
    return unquote(path.rsplit("/", 1)[-1]) if path else uri
