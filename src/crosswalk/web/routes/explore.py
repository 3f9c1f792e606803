"""Pages that answer a coordinator's questions: a crosswalk at a glance, and mapping codes.

The matrix is the heaviest page (every source item × every target item), so its
rendered table is kept per revision, level and column choice; gaps and coverage are
cheap and are computed on each request.  Mapping answers what it can: unknown codes
are flagged with suggestions while the known ones are mapped.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from crosswalk.catalog import Catalog
from crosswalk.levels import LEVELS, SCOPES, parse_scope, scope_levels
from crosswalk.model import Item
from crosswalk.query import (
    ALIGNMENT_COLUMNS,
    MapAnswer,
    Mapping,
    NoRoute,
    alignment_rows_at,
    coverage,
    gaps,
    map_each,
    matrix,
    source_filter,
)
from crosswalk.web import downloads
from crosswalk.web.deps import CatalogDep, SnapshotDep, invalid_parameter
from crosswalk.web.rendering import render, render_text
from crosswalk.web.routes.pages import Format
from crosswalk.web.views import MatrixView, level_choices, matrix_view, split_codes

router = APIRouter(include_in_schema=False)


@router.get("/crosswalks")
async def crosswalks() -> Response:
    return RedirectResponse("/#crosswalks", status_code=307)


def _scope(value: str | None) -> str | None:
    try:
        return parse_scope(value)
    except ValueError as error:
        raise invalid_parameter("level", str(error)) from None


@router.get("/crosswalks/{crosswalk_id}")
async def crosswalk_page(
    request: Request,
    crosswalk_id: str,
    snapshot: SnapshotDep,
    level: Annotated[
        str | None,
        Query(
            description="Only links at this endorsement level: FS, IMHS, IMHM, "
            "or upto-IMHS (Family Specialist + IMHS)"
        ),
    ] = None,
    columns: Annotated[
        Literal["cited", "all"], Query(description="Matrix columns: only those cited, or all")
    ] = "cited",
    format: Format = None,
) -> Response:
    catalog = snapshot.catalog
    crosswalk = catalog.crosswalk(crosswalk_id)
    chosen = _scope(level)
    levels = scope_levels(chosen)
    if format:
        rows = alignment_rows_at(catalog, crosswalk.id, levels)
        name = crosswalk.id + (f"-{chosen}" if chosen else "")
        return downloads.download(rows, ALIGNMENT_COLUMNS, format, name)
    source = catalog.frameworks[crosswalk.source_framework]
    target = catalog.frameworks[crosswalk.target_framework]
    keep = source_filter(catalog, crosswalk.id, levels)

    def table() -> tuple[Markup, MatrixView]:
        view = matrix_view(matrix(catalog, crosswalk.id), levels, all_columns=columns == "all")
        context = {
            "crosswalk": crosswalk,
            "view": view,
            "level": chosen,
            "level_text": SCOPES[chosen][1] if chosen else "",
            "columns_choice": columns,
            "source": source,
            "target": target,
        }
        return Markup(render_text(request, "_matrix.html", context)), view

    matrix_html, view = snapshot.memo(("matrix", crosswalk.id, chosen, columns), table)
    return render(
        request,
        "crosswalk.html",
        {
            "title": crosswalk.title,
            "crosswalk": crosswalk,
            "source": source,
            "target": target,
            "matrix_html": matrix_html,
            "view": view,
            "columns": columns,
            "level": chosen,
            "level_text": SCOPES[chosen][1] if chosen else "",
            "levels": level_choices(catalog, crosswalk.id),
            "gaps": gaps(catalog, crosswalk.id, sources=keep),
            "coverage": coverage(catalog, crosswalk.id, sources=keep),
            "alignments": sum(
                1 for a in catalog.by_crosswalk.get(crosswalk.id, []) if not a.is_no_match
            ),
            "no_match": sum(1 for a in catalog.by_crosswalk.get(crosswalk.id, []) if a.is_no_match),
        },
    )


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
    params = request.query_params.multi_items()
    if any(not value.strip() for key, value in params if key == "codes"):
        # The form sends an empty text box as "codes="; keep shareable URLs clean.
        kept = [(k, v) for k, v in params if k != "codes" or v.strip()]
        return RedirectResponse(f"/map?{urlencode(kept)}" if kept else "/map", status_code=303)
    frameworks = sorted(catalog.frameworks.values(), key=lambda f: f.id)
    source = source or None
    target = target or None
    for name, value in (("from", source), ("to", target)):
        if value is not None and value not in catalog.frameworks:
            known = ", ".join(f"{f.id} ({f.title})" for f in frameworks)
            raise invalid_parameter(
                name, f"we have no framework called {value!r}; the frameworks are {known}"
            )
    wanted = split_codes(codes or [])
    answer = MapAnswer(())
    error = ""
    if source and target and wanted:
        if source == target:
            error = (
                "Your codes are already in "
                f"{catalog.frameworks[source].title}. Pick a different framework under "
                "“Show them in”."
            )
        else:
            try:
                answer = map_each(catalog, source, target, wanted)
            except NoRoute:
                error = (
                    f"No crosswalk connects {catalog.frameworks[source].title} with "
                    f"{catalog.frameworks[target].title}, directly or through another "
                    "framework."
                )
    if format:
        name = f"map-{source or 'none'}-to-{target or 'none'}"
        return downloads.download(
            downloads.map_rows(list(answer.mappings)), downloads.MAP_COLUMNS, format, name
        )
    default = "wv-ckc-2015" if "wv-ckc-2015" in catalog.frameworks else frameworks[0].id
    picked = source or default
    suggested = target or next((f.id for f in frameworks if f.id == "imh" and f.id != picked), None)
    known_codes = {m.code for m in answer.mappings} | {u.code for u in answer.unmatched}
    only_unknown = bool(answer.unknown) and not known_codes
    return render(
        request,
        "map.html",
        {
            "title": "Map codes" + (f": {', '.join(wanted)}" if wanted else ""),
            "frameworks": frameworks,
            "source": source,
            "target": suggested,
            "target_framework": catalog.frameworks.get(suggested or ""),
            "picked": picked,
            "choices": _choices(catalog, picked),
            "codes": wanted,
            "typed": ", ".join(c for c in wanted if (picked, c) not in catalog.items),
            "by_code": _by_code(answer.mappings),
            "did_you_mean": {
                u.code: [
                    (i, _map_url(source or "", suggested or "", wanted, u.code, i.code))
                    for i in u.suggestions
                ]
                for u in answer.unknown
            },
            "targets_found": len({m.target.key for m in answer.mappings}),
            "answer": answer,
            "asked": bool(source and target and wanted),
            "error": error,
            "levels": LEVELS,
        },
        status_code=422 if error or only_unknown else 200,
    )


def _map_url(source: str, target: str, codes: list[str], wrong: str, right: str) -> str:
    """This map question with ``wrong`` replaced by ``right``."""
    fixed = [right if c == wrong else c for c in codes]
    params = [("from", source), ("to", target), *(("codes", c) for c in dict.fromkeys(fixed))]
    return f"/map?{urlencode(params)}"


def _by_code(mappings: tuple[Mapping, ...]) -> list[tuple[str, Item, list[list[Mapping]]]]:
    """Results per input code (in the order given), then per target item (in the
    target framework's order, as the library returns them): one row per target."""
    grouped: dict[str, tuple[Item, dict[tuple[str, str], list[Mapping]]]] = {}
    for m in mappings:
        entry = grouped.setdefault(m.code, (m.source, {}))
        entry[1].setdefault(m.target.key, []).append(m)
    return [(code, item, list(targets.values())) for code, (item, targets) in grouped.items()]


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
