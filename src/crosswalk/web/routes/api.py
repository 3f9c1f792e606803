"""The JSON API under ``/api``: the library's answers as documents, one call per route.

Lists are paginated the same way everywhere (``limit``/``offset`` in, ``total`` and
ready-made ``next``/``previous`` links out).  Unknown ids give 404 with the library's
message, which lists what exists; wrong parameters give 422 naming the parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from crosswalk.levels import scope_levels
from crosswalk.lint import lint
from crosswalk.query import (
    NoRoute,
    alignments_at,
    chains,
    coverage,
    describe,
    find_item,
    gaps,
    map_each,
    search,
    source_filter,
    suggestions,
)
from crosswalk.web.deps import (
    CatalogDep,
    LevelQuery,
    SnapshotDep,
    invalid_parameter,
    level_scope,
    reading_parameters,
)
from crosswalk.web.routes.pages import without_trailing_slash
from crosswalk.web.schemas import (
    AlignmentOut,
    ChainOut,
    CoverageOut,
    CrosswalkOut,
    ErrorOut,
    FindingOut,
    FrameworkOut,
    GapsOut,
    ItemDetail,
    ItemOut,
    ItemRef,
    LinkOut,
    MapOut,
    MappingOut,
    Page,
    SearchHitOut,
    UnknownCodeOut,
    framework_counts,
)
from crosswalk.web.views import split_codes

T = TypeVar("T")

router = APIRouter(
    prefix="/api",
    tags=["api"],
    dependencies=[Depends(reading_parameters)],
    responses={
        404: {"model": ErrorOut, "description": "Unknown framework, crosswalk or item"},
        422: {"model": ErrorOut, "description": "A parameter is wrong; errors[] names it"},
    },
)

Limit = Annotated[int, Query(ge=1, le=500, description="Page size (1–500)")]
Offset = Annotated[int, Query(ge=0, description="How many entries to skip")]


def paginate(request: Request, entries: Sequence[T], limit: int, offset: int) -> Page[T]:
    """One page of ``entries``; the links keep every other query parameter."""

    def link(at: int) -> str:
        params = [
            (k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")
        ]
        params += [("limit", str(limit)), ("offset", str(at))]
        return f"{request.url.path}?{urlencode(params)}"

    total = len(entries)
    return Page[T](
        total=total,
        limit=limit,
        offset=offset,
        next=link(offset + limit) if offset + limit < total else None,
        previous=link(max(offset - limit, 0)) if offset > 0 else None,
        items=list(entries[offset : offset + limit]),
    )


def _listed(values: Sequence[str]) -> str:
    return ", ".join(values) if values else "(none)"


@router.get("/frameworks", summary="List frameworks")
async def list_frameworks(
    request: Request, catalog: CatalogDep, limit: Limit = 50, offset: Offset = 0
) -> Page[FrameworkOut]:
    counts = framework_counts(catalog)
    entries = [
        FrameworkOut.of(f, counts[f.id])
        for f in sorted(catalog.frameworks.values(), key=lambda f: f.id)
    ]
    return paginate(request, entries, limit, offset)


@router.get("/frameworks/{framework_id}", summary="One framework")
async def get_framework(framework_id: str, catalog: CatalogDep) -> FrameworkOut:
    framework = catalog.framework(framework_id)
    return FrameworkOut.of(framework, framework_counts(catalog)[framework.id])


@router.get("/frameworks/{framework_id}/items", summary="A framework's items, in tree order")
async def list_items(
    request: Request,
    framework_id: str,
    catalog: CatalogDep,
    limit: Limit = 100,
    offset: Offset = 0,
    tag: Annotated[str | None, Query(description="Only items with this tag, e.g. IMHS")] = None,
    kind: Annotated[str | None, Query(description="Only items of this kind, e.g. area")] = None,
) -> Page[ItemOut]:
    items = catalog.items_of(catalog.framework(framework_id).id)
    kinds = sorted({i.kind for i in items})
    if tag:
        tags = sorted({t for i in items for t in i.tags}, key=str.lower)
        if tag.lower() not in (t.lower() for t in tags):
            raise invalid_parameter("tag", f"unknown tag {tag!r}; choose one of {_listed(tags)}")
        items = [i for i in items if tag.lower() in (t.lower() for t in i.tags)]
    if kind:
        if kind not in kinds:
            raise invalid_parameter(
                "kind", f"unknown kind {kind!r}; choose one of {_listed(kinds)}"
            )
        items = [i for i in items if i.kind == kind]
    return paginate(request, [ItemOut.of(i) for i in items], limit, offset)


@router.get(
    "/frameworks/{framework_id}/items/{code:path}",
    summary="One item with every alignment in and out, and the chains one crosswalk further",
    response_model=ItemDetail,
)
async def get_item(
    request: Request, framework_id: str, code: str, catalog: CatalogDep
) -> ItemDetail | Response:
    if code.endswith("/") and code.strip("/"):
        return without_trailing_slash(request)
    item = catalog.items.get((framework_id, code)) or find_item(
        catalog, framework_id, code, fuzzy=False
    )
    description = describe(catalog, item)
    return ItemDetail(
        item=ItemOut.of(item),
        parent=ItemRef.of(description.parent) if description.parent else None,
        children=[ItemRef.of(c) for c in description.children],
        links=[LinkOut.of(link) for link in description.links],
        chains=[ChainOut.of(c) for c in chains(catalog, item)],
    )


@router.get("/crosswalks", summary="List crosswalks with counts")
async def list_crosswalks(
    request: Request, catalog: CatalogDep, limit: Limit = 50, offset: Offset = 0
) -> Page[CrosswalkOut]:
    entries = [
        CrosswalkOut.of(catalog, c) for c in sorted(catalog.crosswalks.values(), key=lambda c: c.id)
    ]
    return paginate(request, entries, limit, offset)


@router.get("/crosswalks/{crosswalk_id}", summary="One crosswalk")
async def get_crosswalk(crosswalk_id: str, catalog: CatalogDep) -> CrosswalkOut:
    return CrosswalkOut.of(catalog, catalog.crosswalk(crosswalk_id))


@router.get("/crosswalks/{crosswalk_id}/alignments", summary="A crosswalk's alignments")
async def list_alignments(
    request: Request,
    crosswalk_id: str,
    catalog: CatalogDep,
    limit: Limit = 100,
    offset: Offset = 0,
    source: Annotated[str | None, Query(description="Only from this source item code")] = None,
    target: Annotated[str | None, Query(description="Only to this target item code")] = None,
    level: LevelQuery = None,
) -> Page[AlignmentOut]:
    crosswalk = catalog.crosswalk(crosswalk_id)
    levels = scope_levels(level_scope(level))
    for name, value, framework in (
        ("source", source, crosswalk.source_framework),
        ("target", target, crosswalk.target_framework),
    ):
        if value is not None and (framework, value) not in catalog.items:
            near = [i.code for i in suggestions(catalog, framework, value)]
            hint = f"; did you mean {_listed(near)}?" if near else ""
            raise invalid_parameter(name, f"{value!r} is not an item code of {framework!r}{hint}")
    alignments = [
        a
        for a in alignments_at(catalog, crosswalk.id, levels)
        if (source is None or a.source_code == source)
        and (target is None or a.target_code == target)
    ]
    return paginate(request, [AlignmentOut.of(catalog, a) for a in alignments], limit, offset)


@router.get(
    "/crosswalks/{crosswalk_id}/gaps", summary="No-match rows, unlinked and unreferenced items"
)
async def get_gaps(crosswalk_id: str, catalog: CatalogDep, level: LevelQuery = None) -> GapsOut:
    crosswalk = catalog.crosswalk(crosswalk_id)
    keep = source_filter(catalog, crosswalk.id, scope_levels(level_scope(level)))
    return GapsOut.of(gaps(catalog, crosswalk.id, sources=keep))


@router.get("/crosswalks/{crosswalk_id}/coverage", summary="Counts per area on both sides")
async def get_coverage(
    crosswalk_id: str, catalog: CatalogDep, level: LevelQuery = None
) -> CoverageOut:
    crosswalk = catalog.crosswalk(crosswalk_id)
    keep = source_filter(catalog, crosswalk.id, scope_levels(level_scope(level)))
    return CoverageOut.of(coverage(catalog, crosswalk.id, sources=keep))


@router.get(
    "/map",
    summary="Map codes of one framework to another, directly or through others",
    response_model_by_alias=True,
)
async def map_api(
    catalog: CatalogDep,
    source: Annotated[
        str, Query(alias="from", description="Framework of the codes, e.g. wv-ckc-2015")
    ],
    target: Annotated[str, Query(alias="to", description="Framework to map to, e.g. imh")],
    codes: Annotated[list[str], Query(min_length=1, description="Codes (repeat the parameter)")],
) -> MapOut:
    for name, value in (("from", source), ("to", target)):
        if value not in catalog.frameworks:
            known = ", ".join(sorted(catalog.frameworks))
            raise invalid_parameter(name, f"unknown framework {value!r}; choose one of {known}")
    wanted = split_codes(codes)
    if source == target:
        raise invalid_parameter(
            "to", f"your codes are already in {source!r}; pick another framework"
        )
    try:
        answer = map_each(catalog, source, target, wanted)
    except NoRoute:
        raise invalid_parameter(
            "to", f"no crosswalk connects {source!r} with {target!r}, directly or through others"
        ) from None
    if answer.unknown and not answer.mappings and not answer.unmatched:
        raise invalid_parameter("codes", "; ".join(u.reason for u in answer.unknown))
    return MapOut(
        from_=source,
        to=target,
        codes=wanted,
        results=[MappingOut.of(m) for m in answer.mappings],
        unmatched=[u.code for u in answer.unmatched],
        unknown=[UnknownCodeOut.of(u) for u in answer.unknown],
    )


@router.get("/search", summary="Ranked search across frameworks")
async def search_api(
    request: Request,
    catalog: CatalogDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to look for")],
    framework: Annotated[str | None, Query(description="Only this framework")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[SearchHitOut]:
    if framework is not None and framework not in catalog.frameworks:
        raise invalid_parameter("framework", f"unknown framework {framework!r}")
    hits = search(catalog, q, framework=framework, limit=10_000)
    return paginate(request, [SearchHitOut.of(h) for h in hits], limit, offset)


@router.get("/lint", summary="Data-quality findings")
def lint_api(
    request: Request, snapshot: SnapshotDep, limit: Limit = 100, offset: Offset = 0
) -> Page[FindingOut]:
    findings = snapshot.memo("lint", lambda: lint(snapshot.catalog))
    return paginate(request, [FindingOut.of(f) for f in findings], limit, offset)
