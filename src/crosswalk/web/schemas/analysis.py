"""Gaps, coverage and data-quality findings of a crosswalk."""

from __future__ import annotations

from pydantic import BaseModel, Field

from crosswalk.lint import Finding
from crosswalk.query import Coverage, Gaps
from crosswalk.web.schemas.common import ItemRef, _ref


class NoMatchOut(BaseModel):
    item: ItemRef
    note: str
    provenance: str


class GapTotals(BaseModel):
    unlinked: int
    no_match: int
    unreferenced: int


class GapsOut(BaseModel):
    """The gaps of a crosswalk, a page of each list (entries ``offset`` … ``offset + limit``
    of its own); ``totals`` says how long each list is, ``next`` pages on while one has more."""

    crosswalk: str
    limit: int
    offset: int
    totals: GapTotals
    next: str | None
    unlinked: list[ItemRef] = Field(description="Source items with no alignment at all")
    no_match: list[NoMatchOut] = Field(description="Source items stated to have no counterpart")
    unreferenced: list[ItemRef] = Field(description="Target items no alignment points at")

    @classmethod
    def of(cls, gaps: Gaps, offset: int, limit: int, next_page: str | None) -> GapsOut:
        page = slice(offset, offset + limit)
        return cls(
            crosswalk=gaps.crosswalk.id,
            limit=limit,
            offset=offset,
            totals=GapTotals(
                unlinked=len(gaps.unlinked),
                no_match=len(gaps.no_match),
                unreferenced=len(gaps.unreferenced),
            ),
            next=next_page,
            unlinked=[ItemRef.of(i) for i in gaps.unlinked[page]],
            no_match=[
                NoMatchOut(
                    item=ItemRef.of(n.item),
                    note=n.note,
                    provenance=str(n.alignment.provenance or ""),
                )
                for n in gaps.no_match[page]
            ],
            unreferenced=[ItemRef.of(i) for i in gaps.unreferenced[page]],
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


class CoverageTotals(BaseModel):
    source_areas: int
    target_areas: int


class CoverageOut(BaseModel):
    """Coverage of a crosswalk, a page of each list of areas (entries ``offset`` …
    ``offset + limit`` of its own); ``totals`` says how many areas each side has."""

    crosswalk: str
    limit: int
    offset: int
    totals: CoverageTotals
    next: str | None
    source_areas: list[SourceAreaOut]
    target_areas: list[TargetAreaOut]
    most_referenced: list[TargetUseOut]
    least_referenced: list[TargetUseOut]

    @classmethod
    def of(cls, value: Coverage, offset: int, limit: int, next_page: str | None) -> CoverageOut:
        page = slice(offset, offset + limit)
        return cls(
            crosswalk=value.crosswalk.id,
            limit=limit,
            offset=offset,
            totals=CoverageTotals(
                source_areas=len(value.source_areas), target_areas=len(value.target_areas)
            ),
            next=next_page,
            source_areas=[
                SourceAreaOut(
                    area=_ref(s.area),
                    items=s.items,
                    linked=s.linked,
                    no_match=s.no_match,
                    links=s.links,
                )
                for s in value.source_areas[page]
            ],
            target_areas=[
                TargetAreaOut(
                    area=_ref(t.area), items=t.items, referenced=t.referenced, links=t.links
                )
                for t in value.target_areas[page]
            ],
            most_referenced=[
                TargetUseOut(item=ItemRef.of(u.item), links=u.links) for u in value.most_referenced
            ],
            least_referenced=[
                TargetUseOut(item=ItemRef.of(u.item), links=u.links) for u in value.least_referenced
            ],
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
