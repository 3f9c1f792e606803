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
                    item=ItemRef.of(n.item),
                    note=n.note,
                    provenance=str(n.alignment.provenance or ""),
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
