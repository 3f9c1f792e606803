"""The JSON API under ``/api``: the library's answers as documents, one call per route.

Lists are paginated the same way everywhere (``limit``/``offset`` in, ``total`` and
ready-made ``next``/``previous`` links out), and only the page asked for is turned into
documents.  The status codes follow one rule, which the OpenAPI document states: a
request the schema refuses is 422; a value the schema allows but that names nothing
here (an unknown framework, item, tag, or no crosswalk between two frameworks) is 404;
both name the parameter in ``errors[]``.  An empty optional filter is no filter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from crosswalk.web.busy import BUSY_RESPONSE
from crosswalk.web.deps import (
    CatalogDep,
    LevelQuery,
    SnapshotDep,
    invalid_parameter,
    level_scope,
    reading_parameters,
)
from crosswalk.web.errors import NotThere
from crosswalk.web.limits import (
    MAX_CHAINS,
    MAX_MAP_CODES,
    MAX_MAPPINGS,
    MAX_PAGE_SIZE,
    MAX_ROW_ID,
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
E = TypeVar("E")

router = APIRouter(
    prefix="/api",
    tags=["api"],
    dependencies=[Depends(reading_parameters)],
    responses={
        404: {
            "model": ErrorOut,
            "description": "A framework, crosswalk, item, tag, kind or release named that "
            "does not exist, a change set to preview the caller may not see (or one already "
            "approved), or no crosswalk connects the two frameworks; errors[] names the "
            "parameter",
        },
        414: {"model": ErrorOut, "description": "The address is longer than the site reads"},
        422: {
            "model": ErrorOut,
            "description": "A parameter the schema refuses (or, for a map, the same framework "
            "on both sides, or more codes than allowed; release= and preview= together); "
            "errors[] names it",
        },
    },
)

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Page size (1–{MAX_PAGE_SIZE})")]
Offset = Annotated[int, Query(ge=0, le=MAX_ROW_ID, description="How many entries to skip")]


def _blank_is_none(value: str | None) -> str | None:
    """An empty optional filter (``?target=``, as forms send it) is no filter."""
    return value if value is not None and value.strip() else None


def _link(request: Request, limit: int, at: int) -> str:
    """This list's address at ``offset=at``, every other query parameter kept."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")]
    params += [("limit", str(limit)), ("offset", str(at))]
    return f"{request.url.path}?{urlencode(params)}"


def _next(request: Request, limit: int, offset: int, total: int) -> str | None:
    return _link(request, limit, offset + limit) if offset + limit < total else None


def paginate(
    request: Request,
    entries: Sequence[E],
    limit: int,
    offset: int,
    document: Callable[[E], T],
) -> Page[T]:
    """One page of ``entries`` as documents (only that page is converted)."""
    return Page[T](
        total=len(entries),
        limit=limit,
        offset=offset,
        next=_next(request, limit, offset, len(entries)),
        previous=_link(request, limit, max(offset - limit, 0)) if offset > 0 else None,
        items=[document(e) for e in entries[offset : offset + limit]],
    )


def _listed(values: Sequence[str]) -> str:
    return ", ".join(values) if values else "(none)"


@router.get("/frameworks", summary="List frameworks")
def list_frameworks(
    request: Request, catalog: CatalogDep, limit: Limit = 50, offset: Offset = 0
) -> Page[FrameworkOut]:
    counts = framework_counts(catalog)
    entries = sorted(catalog.frameworks.values(), key=lambda f: f.id)
    return paginate(request, entries, limit, offset, lambda f: FrameworkOut.of(f, counts[f.id]))


@router.get("/frameworks/{framework_id}", summary="One framework")
def get_framework(framework_id: str, catalog: CatalogDep) -> FrameworkOut:
    framework = catalog.framework(framework_id)
    return FrameworkOut.of(framework, framework_counts(catalog)[framework.id])


@router.get("/frameworks/{framework_id}/items", summary="A framework's items, in tree order")
def list_items(
    request: Request,
    framework_id: str,
    catalog: CatalogDep,
    limit: Limit = 100,
    offset: Offset = 0,
    tag: Annotated[str | None, Query(description="Only items with this tag, e.g. IMHS")] = None,
    kind: Annotated[str | None, Query(description="Only items of this kind, e.g. area")] = None,
) -> Page[ItemOut]:
    items = catalog.items_of(catalog.framework(framework_id).id)
    tag, kind = _blank_is_none(tag), _blank_is_none(kind)
    if tag:
        tags = sorted({t for i in items for t in i.tags}, key=str.lower)
        if tag.lower() not in (t.lower() for t in tags):
            raise NotThere("tag", f"no item has the tag {tag!r}; the tags are {_listed(tags)}")
        items = [i for i in items if tag.lower() in (t.lower() for t in i.tags)]
    if kind:
        kinds = sorted({i.kind for i in items})
        if kind not in kinds:
            raise NotThere("kind", f"no item is of kind {kind!r}; the kinds are {_listed(kinds)}")
        items = [i for i in items if i.kind == kind]
    return paginate(request, items, limit, offset, ItemOut.of)


@router.get(
    "/frameworks/{framework_id}/items/{code:path}",
    summary="One item with every alignment in and out, and the chains one crosswalk further",
    response_model=ItemDetail,
)
def get_item(
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
        children=[ItemRef.of(c) for c in description.children[:MAX_PAGE_SIZE]],
        children_total=len(description.children),
        links=[LinkOut.of(link) for link in description.links[:MAX_PAGE_SIZE]],
        links_total=len(description.links),
        chains=[ChainOut.of(c) for c in chains(catalog, item, limit=MAX_CHAINS)],
    )


@router.get("/crosswalks", summary="List crosswalks with counts")
def list_crosswalks(
    request: Request, catalog: CatalogDep, limit: Limit = 50, offset: Offset = 0
) -> Page[CrosswalkOut]:
    entries = sorted(catalog.crosswalks.values(), key=lambda c: c.id)
    return paginate(request, entries, limit, offset, lambda c: CrosswalkOut.of(catalog, c))


@router.get("/crosswalks/{crosswalk_id}", summary="One crosswalk")
def get_crosswalk(crosswalk_id: str, catalog: CatalogDep) -> CrosswalkOut:
    return CrosswalkOut.of(catalog, catalog.crosswalk(crosswalk_id))


@router.get("/crosswalks/{crosswalk_id}/alignments", summary="A crosswalk's alignments")
def list_alignments(
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
    source, target = _blank_is_none(source), _blank_is_none(target)
    for name, value, framework in (
        ("source", source, crosswalk.source_framework),
        ("target", target, crosswalk.target_framework),
    ):
        if value is not None and (framework, value) not in catalog.items:
            near = [i.code for i in suggestions(catalog, framework, value)]
            hint = f"; did you mean {_listed(near)}?" if near else ""
            raise NotThere(name, f"{value!r} is not an item code of {framework!r}{hint}")
    alignments = [
        a
        for a in alignments_at(catalog, crosswalk.id, levels)
        if (source is None or a.source_code == source)
        and (target is None or a.target_code == target)
    ]
    return paginate(request, alignments, limit, offset, lambda a: AlignmentOut.of(catalog, a))


@router.get(
    "/crosswalks/{crosswalk_id}/gaps", summary="No-match rows, unlinked and unreferenced items"
)
def get_gaps(
    request: Request,
    crosswalk_id: str,
    catalog: CatalogDep,
    level: LevelQuery = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> GapsOut:
    crosswalk = catalog.crosswalk(crosswalk_id)
    keep = source_filter(catalog, crosswalk.id, scope_levels(level_scope(level)))
    found = gaps(catalog, crosswalk.id, sources=keep)
    longest = max(len(found.unlinked), len(found.no_match), len(found.unreferenced))
    return GapsOut.of(found, offset, limit, _next(request, limit, offset, longest))


@router.get("/crosswalks/{crosswalk_id}/coverage", summary="Counts per area on both sides")
def get_coverage(
    request: Request,
    crosswalk_id: str,
    catalog: CatalogDep,
    level: LevelQuery = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> CoverageOut:
    crosswalk = catalog.crosswalk(crosswalk_id)
    keep = source_filter(catalog, crosswalk.id, scope_levels(level_scope(level)))
    found = coverage(catalog, crosswalk.id, sources=keep)
    longest = max(len(found.source_areas), len(found.target_areas))
    return CoverageOut.of(found, offset, limit, _next(request, limit, offset, longest))


@router.get(
    "/map",
    summary="Map codes of one framework to another, directly or through others",
    response_model_by_alias=True,
)
def map_api(
    catalog: CatalogDep,
    source: Annotated[
        str,
        Query(
            alias="from",
            description="Framework of the codes, e.g. wv-ckc-2015",
            examples=["wv-ckc-2015"],
        ),
    ],
    target: Annotated[
        str, Query(alias="to", description="Framework to map to, e.g. imh", examples=["imh"])
    ],
    codes: Annotated[
        list[str],
        Query(
            min_length=1,
            description=f"Codes (repeat the parameter, or list them in one: 2.1, 4.1); at most "
            f"{MAX_MAP_CODES} in one question",
            examples=[["2.1", "4.1"]],
            json_schema_extra={"maxItems": MAX_MAP_CODES},
        ),
    ],
) -> MapOut:
    for name, value in (("from", source), ("to", target)):
        if value not in catalog.frameworks:
            known = ", ".join(sorted(catalog.frameworks))
            raise NotThere(name, f"unknown framework {value!r}; the frameworks are {known}")
    wanted = split_codes(codes)
    if len(wanted) > MAX_MAP_CODES:
        raise invalid_parameter(
            "codes", f"at most {MAX_MAP_CODES} codes in one question; this one has {len(wanted)}"
        )
    if source == target:
        raise invalid_parameter(
            "to", f"your codes are already in {source!r}; pick another framework"
        )
    try:
        answer = map_each(catalog, source, target, wanted, limit=MAX_MAPPINGS)
    except NoRoute:
        raise NotThere(
            "to", f"no crosswalk connects {source!r} with {target!r}, directly or through others"
        ) from None
    if answer.unknown and not answer.mappings and not answer.unmatched:
        raise NotThere("codes", "; ".join(u.reason for u in answer.unknown))
    return MapOut(
        from_=source,
        to=target,
        codes=wanted,
        results=[MappingOut.of(m) for m in answer.mappings],
        unmatched=[u.code for u in answer.unmatched],
        unknown=[UnknownCodeOut.of(u) for u in answer.unknown],
        complete=answer.complete,
    )


@router.get("/search", summary="Ranked search across frameworks")
def search_api(
    request: Request,
    catalog: CatalogDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to look for")],
    framework: Annotated[str | None, Query(description="Only this framework")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[SearchHitOut]:
    framework = _blank_is_none(framework)
    if framework is not None and framework not in catalog.frameworks:
        known = ", ".join(sorted(catalog.frameworks))
        raise NotThere("framework", f"unknown framework {framework!r}; the frameworks are {known}")
    hits = search(catalog, q, framework=framework, limit=10_000)
    return paginate(request, hits, limit, offset, SearchHitOut.of)


@router.get("/lint", summary="Data-quality findings", responses=BUSY_RESPONSE)
def lint_api(
    request: Request, snapshot: SnapshotDep, limit: Limit = 100, offset: Offset = 0
) -> Page[FindingOut]:
    findings = snapshot.memo("lint", lambda: lint(snapshot.catalog))
    return paginate(request, findings, limit, offset, FindingOut.of)
