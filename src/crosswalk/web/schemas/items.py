"""Frameworks, items and search hits."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from crosswalk.catalog import Catalog
from crosswalk.model import Framework, Item
from crosswalk.query import SearchHit
from crosswalk.web.schemas.common import ItemRef


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
                AliasOut(text=a.text, kind=a.kind, provenance=str(a.provenance or ""))
                for a in item.aliases
            ],
            provenance=str(item.provenance or ""),
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


class SearchHitOut(BaseModel):
    item: ItemRef
    score: float
    field: str = Field(description="Where the best match was: code, name, alias or statement")
    text: str
    matched: list[str] = Field(description="Words of text that matched, as spelled there")
    corrected: str = Field(
        "",
        description="The spelling correction this hit answers when q as typed found nothing "
        "(e.g. 'reflective supervision' for 'reflectve supervison'); empty otherwise",
    )

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitOut:
        return cls(
            item=ItemRef.of(hit.item),
            score=hit.score,
            field=hit.field,
            text=hit.text,
            matched=list(hit.matched),
            corrected=hit.corrected,
        )
