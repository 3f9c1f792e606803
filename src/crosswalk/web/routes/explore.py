"""Pages that answer a coordinator's questions: a crosswalk at a glance, and mapping codes.

The matrix is the heaviest page (every source item × every target item), so its
rendered table is kept per revision and level; gaps and coverage are cheap and are
computed on each request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from crosswalk.catalog import Catalog, NotFound
from crosswalk.model import Item
from crosswalk.query import (
    ALIGNMENT_COLUMNS,
    Mapping,
    NoRoute,
    alignment_rows,
    coverage,
    gaps,
    map_codes,
    matrix,
)
from crosswalk.web import downloads
from crosswalk.web.deps import CatalogDep, SnapshotDep, invalid_parameter
from crosswalk.web.rendering import render, render_text
from crosswalk.web.routes.pages import Format
from crosswalk.web.views import (
    LEVELS,
    alignment_level,
    level_choices,
    matrix_rows,
    parse_level,
    split_codes,
)

router = APIRouter(include_in_schema=False)


@router.get("/crosswalks")
async def crosswalks() -> Response:
    return RedirectResponse("/#crosswalks", status_code=307)


def _level(value: str | None) -> str | None:
    try:
        return parse_level(value)
    except ValueError as error:
        raise invalid_parameter("level", str(error)) from None


@router.get("/crosswalks/{crosswalk_id}")
async def crosswalk_page(
    request: Request,
    crosswalk_id: str,
    snapshot: SnapshotDep,
    level: Annotated[
        str | None, Query(description="Only links at this endorsement level: FS, IMHS or IMHM")
    ] = None,
    format: Format = None,
) -> Response:
    catalog = snapshot.catalog
    crosswalk = catalog.crosswalk(crosswalk_id)
    chosen = _level(level)
    if format:
        rows = alignment_rows(catalog, crosswalk.id)
        if chosen:
            rows = [r for r in rows if _row_level(catalog, crosswalk.source_framework, r) == chosen]
        name = crosswalk.id + (f"-{chosen}" if chosen else "")
        return downloads.download(rows, ALIGNMENT_COLUMNS, format, name)

    def table() -> Markup:
        grid = matrix(catalog, crosswalk.id)
        context = {
            "crosswalk": crosswalk,
            "grid": grid,
            "groups": matrix_rows(catalog, grid, chosen),
            "level": chosen,
            "source": catalog.frameworks[crosswalk.source_framework],
            "target": catalog.frameworks[crosswalk.target_framework],
        }
        return Markup(render_text(request, "_matrix.html", context))

    return render(
        request,
        "crosswalk.html",
        {
            "title": crosswalk.title,
            "crosswalk": crosswalk,
            "source": catalog.frameworks[crosswalk.source_framework],
            "target": catalog.frameworks[crosswalk.target_framework],
            "matrix_html": snapshot.memo(("matrix", crosswalk.id, chosen), table),
            "level": chosen,
            "levels": level_choices(catalog, crosswalk.id),
            "gaps": gaps(catalog, crosswalk.id),
            "coverage": coverage(catalog, crosswalk.id),
            "alignments": len(catalog.by_crosswalk.get(crosswalk.id, [])),
        },
    )


def _row_level(catalog: Catalog, framework: str, row: dict[str, str]) -> str:
    source = catalog.items.get((framework, row["source_code"]))
    for a in catalog.outgoing.get((framework, row["source_code"]), []):
        if a.crosswalk == row["crosswalk"] and (a.target_code or "") == row["target_code"]:
            return alignment_level(a, source)
    return ""


@router.get("/map")
async def map_page(
    request: Request,
    catalog: CatalogDep,
    source: Annotated[
        str | None, Query(alias="from", description="Framework of your codes")
    ] = None,
    target: Annotated[str | None, Query(alias="to", description="Framework to map to")] = None,
    codes: Annotated[list[str] | None, Query(description="Codes, names or a typed list")] = None,
    format: Format = None,
) -> Response:
    frameworks = sorted(catalog.frameworks.values(), key=lambda f: f.id)
    source = source or None
    target = target or None
    for name, value in (("from", source), ("to", target)):
        if value is not None and value not in catalog.frameworks:
            known = ", ".join(f.id for f in frameworks)
            raise invalid_parameter(name, f"unknown framework {value!r}; choose one of {known}")
    wanted = split_codes(codes or [])
    results: list[Mapping] = []
    error = ""
    if source and target and wanted:
        try:
            results = map_codes(catalog, source, target, wanted)
        except (NotFound, NoRoute) as problem:
            error = str(problem)
    if format:
        name = f"map-{source or 'none'}-to-{target or 'none'}"
        return downloads.download(downloads.map_rows(results), downloads.MAP_COLUMNS, format, name)
    default = "wv-ckc-2015" if "wv-ckc-2015" in catalog.frameworks else frameworks[0].id
    picked = source or default
    suggested = target or next((f.id for f in frameworks if f.id == "imh" and f.id != picked), None)
    by_target: dict[tuple[str, str], list[Mapping]] = {}
    for mapping in results:
        by_target.setdefault(mapping.target.key, []).append(mapping)
    reached = {m.code for m in results}
    order = {i.key: n for n, i in enumerate(catalog.items_of(target))} if target else {}
    groups = sorted(by_target.values(), key=lambda g: order.get(g[0].target.key, 0))
    return render(
        request,
        "map.html",
        {
            "title": "Map codes" + (f": {', '.join(wanted)}" if wanted else ""),
            "frameworks": frameworks,
            "source": source,
            "target": suggested,
            "picked": picked,
            "choices": _choices(catalog, picked),
            "codes": wanted,
            "typed": ", ".join(c for c in wanted if (picked, c) not in catalog.items),
            "by_target": groups,
            "unmatched": [c for c in wanted if c not in reached] if results or not error else [],
            "asked": bool(source and target and wanted),
            "error": error,
            "levels": LEVELS,
        },
        status_code=422 if error else 200,
    )


def _choices(catalog: Catalog, framework: str) -> list[tuple[Item | None, list[Item]]]:
    """The items a person can tick, under their area headings."""
    groups: dict[str | None, list[Item]] = {}
    for item in catalog.items_of(framework):
        if catalog.is_leaf(item):
            groups.setdefault(item.parent, []).append(item)
    return [
        (catalog.items.get((framework, parent)) if parent else None, items)
        for parent, items in groups.items()
    ]
