"""Crosswalks, their alignments, an item's links and chains, and map answers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from crosswalk.catalog import Catalog
from crosswalk.model import Alignment, Crosswalk
from crosswalk.query import (
    Chain,
    Hop,
    Link,
    Mapping,
    UnknownCode,
    alignment_fields,
    crosswalk_counts,
)
from crosswalk.web.schemas.common import ItemRef, _ref
from crosswalk.web.schemas.items import ItemOut


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
        counts = crosswalk_counts(catalog, crosswalk.id)
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
            alignments=counts.alignments,
            no_match=counts.no_match,
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
    return {**alignment_fields(a), "provenance": str(a.provenance or "")}


class AlignmentOut(AlignmentFields):
    id: str = Field(description="The alignment's stable id (edits and history name it)")
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
            id=a.id,
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
    id: str = Field(description="The alignment's stable id")
    direction: str = Field(description="out: this item is the source; in: it is the target")
    crosswalk: str
    other: ItemRef | None
    printed_target: str

    @classmethod
    def of(cls, link: Link) -> LinkOut:
        return cls(
            id=link.alignment.id,
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
    children: list[ItemRef] = Field(description="The first 500 items under it")
    children_total: int
    links: list[LinkOut] = Field(description="The first 500 alignments in and out")
    links_total: int
    chains: list[ChainOut] = Field(
        description="Items one crosswalk further, with the path (the first 500 paths)"
    )


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
    complete: bool = Field(
        default=True,
        description="False when the answer stopped at its first 2,000 mappings (later "
        "codes left out): ask for fewer codes at a time",
    )
