"""The JSON API's documents: pydantic models, so /openapi.json describes them exactly.

Keys follow the CLI's ``--format json`` (``framework, code, name`` for an item,
``relation, strength, level, evidence, note, provenance`` for a link), so a consumer
sees the same words whichever interface it reads.  Each ``of_*`` function turns a
library answer into its document; routes do nothing else.
"""

from __future__ import annotations

from collections import Counter
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from crosswalk.catalog import Catalog
from crosswalk.lint import Finding
from crosswalk.model import Alignment, Crosswalk, Framework, Item, Provenance
from crosswalk.query import Coverage, Gaps, Hop, Link, Mapping, SearchHit, UnknownCode
from crosswalk.web.views import Chain

T = TypeVar("T")


def _prov(value: Provenance | None) -> str:
    return str(value) if value else ""


class ItemRef(BaseModel):
    framework: str
    code: str
    name: str

    @classmethod
    def of(cls, item: Item) -> ItemRef:
        return cls(framework=item.framework, code=item.code, name=item.name)


def _ref(item: Item | None) -> ItemRef | None:
    return ItemRef.of(item) if item is not None else None


class AliasOut(BaseModel):
    text: str
    kind: str
    provenance: str


class ItemOut(ItemRef):
    statement: str
    kind: str
    parent: str | None
    tags: list[str]
    aliases: list[AliasOut]
    provenance: str = Field(description="Source document and lines, e.g. 'seed 000, lines 29–30'")
    uuid: str

    @classmethod
    def of(cls, item: Item) -> ItemOut:
        return cls(
            framework=item.framework,
            code=item.code,
            name=item.name,
            statement=item.statement,
            kind=item.kind,
            parent=item.parent,
            tags=list(item.tags),
            aliases=[
                AliasOut(text=a.text, kind=a.kind, provenance=_prov(a.provenance))
                for a in item.aliases
            ],
            provenance=_prov(item.provenance),
            uuid=str(item.uuid),
        )


class FrameworkOut(BaseModel):
    id: str
    title: str
    version: str
    publisher: str
    description: str
    notice: str
    sources: list[str]
    status: str = Field(description="Publication status: draft, published or deprecated")
    updated: str = Field(
        description="When the publisher last changed it (ISO 8601); empty when unknown"
    )
    items: int = Field(description="Number of items (areas included)")

    @classmethod
    def of(cls, framework: Framework, items: int) -> FrameworkOut:
        return cls(
            id=framework.id,
            title=framework.title,
            version=framework.version,
            publisher=framework.publisher,
            description=framework.description,
            notice=framework.notice,
            sources=list(framework.sources),
            status=framework.status,
            updated=framework.updated,
            items=items,
        )


def framework_counts(catalog: Catalog) -> Counter[str]:
    return Counter(i.framework for i in catalog.dataset.items)


class CrosswalkOut(BaseModel):
    id: str
    title: str
    source_framework: str
    target_framework: str
    version: str
    publisher: str
    description: str
    source_document: str
    status: str
    alignments: int
    no_match: int = Field(description="Alignments stating that no target item corresponds")

    @classmethod
    def of(cls, catalog: Catalog, crosswalk: Crosswalk) -> CrosswalkOut:
        alignments = catalog.by_crosswalk.get(crosswalk.id, [])
        return cls(
            id=crosswalk.id,
            title=crosswalk.title,
            source_framework=crosswalk.source_framework,
            target_framework=crosswalk.target_framework,
            version=crosswalk.version,
            publisher=crosswalk.publisher,
            description=crosswalk.description,
            source_document=crosswalk.source_document,
            status=crosswalk.status,
            alignments=len(alignments),
            no_match=sum(1 for a in alignments if a.is_no_match),
        )


class AlignmentFields(BaseModel):
    relation: str = Field(
        description="SKOS relation: exact, close, broad, narrow, related, noMatch"
    )
    strength: str
    level: str
    evidence: str
    note: str
    provenance: str


def _fields(a: Alignment) -> dict[str, str]:
    return {
        "relation": str(a.relation),
        "strength": a.strength,
        "level": a.level,
        "evidence": a.evidence,
        "note": a.note,
        "provenance": _prov(a.provenance),
    }


class AlignmentOut(AlignmentFields):
    crosswalk: str
    position: int
    source: ItemRef | None
    target: ItemRef | None = Field(description="null for a no-match or an outside reference")
    printed_target: str
    confidence: float
    justification: str
    status: str

    @classmethod
    def of(cls, catalog: Catalog, a: Alignment) -> AlignmentOut:
        crosswalk = catalog.crosswalks[a.crosswalk]
        source = catalog.items.get((crosswalk.source_framework, a.source_code))
        target = (
            catalog.items.get((crosswalk.target_framework, a.target_code))
            if a.target_code is not None
            else None
        )
        return cls(
            crosswalk=a.crosswalk,
            position=a.position,
            source=_ref(source),
            target=_ref(target),
            printed_target=a.printed_target,
            confidence=a.confidence,
            justification=a.justification,
            status=str(a.status),
            **_fields(a),
        )


class LinkOut(AlignmentFields):
    direction: str = Field(description="out: this item is the source; in: it is the target")
    crosswalk: str
    other: ItemRef | None
    printed_target: str

    @classmethod
    def of(cls, link: Link) -> LinkOut:
        return cls(
            direction=link.direction,
            crosswalk=link.crosswalk.id,
            other=_ref(link.other),
            printed_target=link.alignment.printed_target,
            **_fields(link.alignment),
        )


class HopOut(AlignmentFields):
    crosswalk: str
    direction: str = Field(description="forward: read as printed; backward: read in reverse")
    source: ItemRef
    target: ItemRef

    @classmethod
    def of(cls, hop: Hop) -> HopOut:
        return cls(
            crosswalk=hop.crosswalk.id,
            direction=hop.direction,
            source=ItemRef.of(hop.source),
            target=ItemRef.of(hop.target),
            **_fields(hop.alignment),
        )


class ChainOut(BaseModel):
    target: ItemRef
    path: list[HopOut]

    @classmethod
    def of(cls, chain: Chain) -> ChainOut:
        return cls(target=ItemRef.of(chain.target), path=[HopOut.of(h) for h in chain.hops])


class ItemDetail(BaseModel):
    item: ItemOut
    parent: ItemRef | None
    children: list[ItemRef]
    links: list[LinkOut]
    chains: list[ChainOut] = Field(description="Items one crosswalk further, with the path")


class MappingOut(BaseModel):
    code: str = Field(description="The input code as given")
    source: ItemRef
    target: ItemRef
    via: list[str] = Field(description="Frameworks passed through")
    path: list[HopOut]

    @classmethod
    def of(cls, mapping: Mapping) -> MappingOut:
        return cls(
            code=mapping.code,
            source=ItemRef.of(mapping.source),
            target=ItemRef.of(mapping.target),
            via=list(mapping.via),
            path=[HopOut.of(h) for h in mapping.path],
        )


class UnknownCodeOut(BaseModel):
    code: str = Field(description="The input as given")
    reason: str
    suggestions: list[ItemRef] = Field(description="Items whose code or name reads closest")

    @classmethod
    def of(cls, unknown: UnknownCode) -> UnknownCodeOut:
        return cls(
            code=unknown.code,
            reason=unknown.reason,
            suggestions=[ItemRef.of(i) for i in unknown.suggestions],
        )


class MapOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    codes: list[str]
    results: list[MappingOut] = Field(
        description="Per input code in the order given, targets in the target's order"
    )
    unmatched: list[str] = Field(description="Input codes that lead to no item of the target")
    unknown: list[UnknownCodeOut] = Field(
        default_factory=list, description="Inputs that name no item of the source framework"
    )


class NoMatchOut(BaseModel):
    item: ItemRef
    note: str
    provenance: str


class GapsOut(BaseModel):
    crosswalk: str
    unlinked: list[ItemRef] = Field(description="Source items with no alignment at all")
    no_match: list[NoMatchOut] = Field(description="Source items stated to have no counterpart")
    unreferenced: list[ItemRef] = Field(description="Target items no alignment points at")

    @classmethod
    def of(cls, gaps: Gaps) -> GapsOut:
        return cls(
            crosswalk=gaps.crosswalk.id,
            unlinked=[ItemRef.of(i) for i in gaps.unlinked],
            no_match=[
                NoMatchOut(
                    item=ItemRef.of(n.item), note=n.note, provenance=_prov(n.alignment.provenance)
                )
                for n in gaps.no_match
            ],
            unreferenced=[ItemRef.of(i) for i in gaps.unreferenced],
        )


class SourceAreaOut(BaseModel):
    area: ItemRef | None
    items: int
    linked: int
    no_match: int
    links: int


class TargetAreaOut(BaseModel):
    area: ItemRef | None
    items: int
    referenced: int
    links: int


class TargetUseOut(BaseModel):
    item: ItemRef
    links: int


class CoverageOut(BaseModel):
    crosswalk: str
    source_areas: list[SourceAreaOut]
    target_areas: list[TargetAreaOut]
    most_referenced: list[TargetUseOut]
    least_referenced: list[TargetUseOut]

    @classmethod
    def of(cls, value: Coverage) -> CoverageOut:
        return cls(
            crosswalk=value.crosswalk.id,
            source_areas=[
                SourceAreaOut(
                    area=_ref(s.area),
                    items=s.items,
                    linked=s.linked,
                    no_match=s.no_match,
                    links=s.links,
                )
                for s in value.source_areas
            ],
            target_areas=[
                TargetAreaOut(
                    area=_ref(t.area), items=t.items, referenced=t.referenced, links=t.links
                )
                for t in value.target_areas
            ],
            most_referenced=[
                TargetUseOut(item=ItemRef.of(u.item), links=u.links) for u in value.most_referenced
            ],
            least_referenced=[
                TargetUseOut(item=ItemRef.of(u.item), links=u.links) for u in value.least_referenced
            ],
        )


class SearchHitOut(BaseModel):
    item: ItemRef
    score: float
    field: str = Field(description="Where the best match was: code, name, alias or statement")
    text: str
    matched: list[str] = Field(description="Words of text that matched, as spelled there")

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitOut:
        return cls(
            item=ItemRef.of(hit.item),
            score=hit.score,
            field=hit.field,
            text=hit.text,
            matched=list(hit.matched),
        )


class FindingOut(BaseModel):
    check: str
    severity: str
    scope: str
    codes: list[str]
    message: str
    provenance: list[str]

    @classmethod
    def of(cls, finding: Finding) -> FindingOut:
        return cls(
            check=finding.check,
            severity=finding.severity,
            scope=finding.scope,
            codes=list(finding.codes),
            message=finding.message,
            provenance=[str(p) for p in finding.provenance],
        )


class Page(BaseModel, Generic[T]):
    """One page of a list: ``next``/``previous`` are ready-made relative URLs."""

    total: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[T]


class ErrorOut(BaseModel):
    detail: str
    errors: list[dict[str, str]] = Field(
        default_factory=list, description="One entry per wrong parameter: parameter, in, message"
    )
