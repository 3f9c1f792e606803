"""Pages that answer a coordinator's questions: a crosswalk at a glance, and mapping codes.

The matrix is the heaviest page, so the library hands it out in views of bounded size
(:func:`crosswalk.query.matrix_view`: the whole grid when it fits, else counts per pair
of areas with a drill-down, in windows), and each rendered view is kept per revision;
gaps and coverage are computed on each request, their lists cut at ``LIST_LIMIT``.
Mapping answers what it can: unknown codes are flagged with suggestions while the known
ones are mapped, for at most ``MAX_MAP_CODES`` codes a question.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from crosswalk.catalog import Catalog
from crosswalk.levels import LEVELS, scope_levels
from crosswalk.model import Item
from crosswalk.query import (
    ALIGNMENT_COLUMNS,
    MAP_COLUMNS,
    AreaView,
    MapAnswer,
    Mapping,
    NoRoute,
    alignment_rows_at,
    coverage,
    crosswalk_counts,
    gaps,
    map_each,
    map_rows,
    matrix,
    matrix_view,
    source_filter,
)
from crosswalk.web import downloads
from crosswalk.web.deps import CatalogDep, LevelQuery, SnapshotDep, invalid_parameter, level_scope
from crosswalk.web.limits import (
    LIST_LIMIT,
    MAX_CHOICES,
    MAX_MAP_CODES,
    MAX_MAPPINGS,
    MAX_ROW_ID,
)
from crosswalk.web.rendering import label, render, render_text
from crosswalk.web.routes.pages import Format
from crosswalk.web.views import (
    MatrixQuery,
    MatrixTable,
    OverviewTable,
    level_choices,
    levels_on_links,
    matrix_table,
    overview_table,
    scope_text,
    split_codes,
)

router = APIRouter(include_in_schema=False)


@router.get("/crosswalks")
def crosswalks() -> Response:
    return RedirectResponse("/#crosswalks", status_code=307)


@router.get("/crosswalks/{crosswalk_id}")
def crosswalk_page(
    request: Request,
    crosswalk_id: str,
    snapshot: SnapshotDep,
    level: LevelQuery = None,
    columns: Annotated[
        Literal["cited", "all"], Query(description="Matrix columns: only those cited, or all")
    ] = "cited",
    source_area: Annotated[
        str | None, Query(description="Only the source items under this area (code)")
    ] = None,
    target_area: Annotated[
        str | None, Query(description="Only the target items under this area (code)")
    ] = None,
    row_start: Annotated[
        int, Query(ge=0, le=MAX_ROW_ID, description="First row of the matrix shown")
    ] = 0,
    column_start: Annotated[int, Query(ge=0, le=MAX_ROW_ID, description="First column shown")] = 0,
    format: Format = None,
) -> Response:
    catalog = snapshot.catalog
    crosswalk = catalog.crosswalk(crosswalk_id)
    chosen = level_scope(level)
    levels = scope_levels(chosen)
    if format:
        rows = alignment_rows_at(catalog, crosswalk.id, levels)
        name = crosswalk.id + (f"-{chosen}" if chosen else "")
        return downloads.download(rows, ALIGNMENT_COLUMNS, format, name)
    source = catalog.frameworks[crosswalk.source_framework]
    target = catalog.frameworks[crosswalk.target_framework]
    level_text = scope_text(catalog, crosswalk.id, chosen)
    query = MatrixQuery(
        crosswalk.id, chosen, columns, source_area, target_area, row_start, column_start
    )

    def table() -> tuple[Markup, MatrixTable | OverviewTable]:
        # The sparse grid is kept per level; each view of it is bounded (MAX_CELLS).
        grid = snapshot.memo(
            ("grid", crosswalk.id, chosen), lambda: matrix(catalog, crosswalk.id, levels=levels)
        )
        view = matrix_view(
            catalog,
            grid,
            all_columns=columns == "all",
            source_area=source_area,
            target_area=target_area,
            row_start=row_start,
            column_start=column_start,
        )
        shown = overview_table(view) if isinstance(view, AreaView) else matrix_table(view)
        context = {
            "crosswalk": crosswalk,
            "view": shown,
            "q": query,
            "part": {
                "source": _area_title(catalog, source.id, source_area),
                "target": _area_title(catalog, target.id, target_area),
            },
            "level": chosen,
            "level_text": level_text,
            "source": source,
            "target": target,
        }
        template = "_overview.html" if isinstance(view, AreaView) else "_matrix.html"
        return Markup(render_text(request, template, context)), shown

    matrix_html, view = snapshot.memo(("matrix", query), table)
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
            "overview": isinstance(view, OverviewTable),
            "q": query,
            "columns": columns,
            "level": chosen,
            "level_text": level_text,
            **snapshot.memo(
                ("crosswalk", crosswalk.id, chosen),
                lambda: _crosswalk_facts(catalog, crosswalk.id, levels),
            ),
            "list_limit": LIST_LIMIT,
        },
    )


def _crosswalk_facts(
    catalog: Catalog, crosswalk_id: str, levels: frozenset[str] | None
) -> dict[str, Any]:
    """What the page says about the crosswalk besides its matrix (kept per level)."""
    keep = source_filter(catalog, crosswalk_id, levels)
    return {
        "levels": level_choices(catalog, crosswalk_id),
        "levels_on_links": levels_on_links(catalog, crosswalk_id),
        "gaps": gaps(catalog, crosswalk_id, sources=keep),
        "coverage": coverage(catalog, crosswalk_id, sources=keep),
        "counts": crosswalk_counts(catalog, crosswalk_id),
    }


def _area_title(catalog: Catalog, framework: str, key: str | None) -> str:
    """How the page names the area ``key`` of a drill-down ("" for none)."""
    if key is None:
        return ""
    area = catalog.items.get((framework, key))
    return label(area) if area is not None else "no area"


@router.get("/map")
def map_page(
    request: Request,
    catalog: CatalogDep,
    source: Annotated[
        str | None, Query(alias="from", description="Framework of your codes")
    ] = None,
    target: Annotated[str | None, Query(alias="to", description="Framework to map to")] = None,
    codes: Annotated[list[str] | None, Query(description="Codes, names or a typed list")] = None,
    choose: Annotated[
        Literal["source"] | None,
        Query(description="Only list the codes of the framework chosen under 'from'"),
    ] = None,
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
    # "List its codes" (the form without JavaScript): a new source framework's tick
    # boxes, no question asked yet; the codes of the old framework are let go.
    wanted = [] if choose else split_codes(codes or [])
    if len(wanted) > MAX_MAP_CODES:
        raise invalid_parameter(
            "codes",
            f"at most {MAX_MAP_CODES} codes in one question; this one has {len(wanted)}. "
            "Split them into several questions.",
        )
    answer = MapAnswer(())
    error = ""  # why nothing could be mapped; the "to" parameter is at fault
    if source and target and wanted:
        if source == target:
            error = (
                "Your codes are already in "
                f"{catalog.frameworks[source].title}. Pick a different framework under "
                "“Show them in”."
            )
        else:
            try:
                answer = map_each(catalog, source, target, wanted, limit=MAX_MAPPINGS)
            except NoRoute:
                error = (
                    f"No crosswalk connects {catalog.frameworks[source].title} with "
                    f"{catalog.frameworks[target].title}, directly or through another "
                    "framework."
                )
    known_codes = {m.code for m in answer.mappings} | {u.code for u in answer.unmatched}
    only_unknown = bool(answer.unknown) and not known_codes
    if format:
        # The page's status rules: nothing to map is a 422, not an empty file.
        if error:
            raise invalid_parameter("to", error)
        if only_unknown:
            raise invalid_parameter("codes", "; ".join(u.reason for u in answer.unknown))
        name = f"map-{source or 'none'}-to-{target or 'none'}"
        rows = _map_download_rows(catalog, answer, wanted, target or "")
        return downloads.download(rows, MAP_COLUMNS_WITH_NOTE, format, name)
    default = "wv-ckc-2015" if "wv-ckc-2015" in catalog.frameworks else frameworks[0].id
    picked = source or default
    # The target list never offers the source framework itself.
    targets = [f for f in frameworks if f.id != picked]
    suggested = target if target != picked else None
    suggested = suggested or next(
        (f.id for f in targets if f.id == "imh"), targets[0].id if targets else None
    )
    choices, left_out = _choices(catalog, picked)
    return render(
        request,
        "map.html",
        {
            "title": "Map codes" + (f": {', '.join(wanted)}" if wanted else ""),
            "frameworks": frameworks,
            "frameworks_by_id": catalog.frameworks,
            "targets": targets,
            "source": source,
            "target": suggested,
            "target_framework": catalog.frameworks.get(suggested or ""),
            "picked": picked,
            "choices": choices,
            "choices_left_out": left_out,
            "area_of": catalog.parent_of,
            "codes": wanted,
            "typed": ", ".join(c for c in wanted if (picked, c) not in catalog.items),
            "by_code": _by_code(answer.mappings),
            # Each unknown code's suggestions, offered in one form that asks again
            # (its size grows with the codes given, never with their square).
            "did_you_mean": {u.code: u.suggestions for u in answer.unknown},
            "targets_found": len({m.target.key for m in answer.mappings}),
            "answer": answer,
            "asked": bool(source and target and wanted),
            "error": error,
            "levels": LEVELS,
        },
        status_code=422 if error or only_unknown else 200,
    )


# The map download: the library's map rows, then a ``note`` that says, for an input
# the page flags, why it has no row of its own (unknown code, or nothing corresponds).
MAP_COLUMNS_WITH_NOTE = (*MAP_COLUMNS, "note")


def _map_download_rows(
    catalog: Catalog, answer: MapAnswer, wanted: list[str], target: str
) -> list[dict[str, Any]]:
    """The page's answer as rows, per input code in the order given: its mappings, or
    one row with a ``note`` when the code is unknown or corresponds to nothing."""
    title = catalog.frameworks[target].title if target in catalog.frameworks else target
    rows: list[tuple[str, dict[str, Any]]] = [
        (row["input"], {**row, "note": ""}) for row in map_rows(list(answer.mappings))
    ]
    for u in answer.unmatched:
        note = f"no corresponding item in {title}"
        rows.append((u.code, _note_row(u.code, note, u.item.code, u.item.name)))
    for unknown in answer.unknown:
        rows.append((unknown.code, _note_row(unknown.code, f"unknown code: {unknown.reason}")))
    order = {code: n for n, code in enumerate(wanted)}
    rows.sort(key=lambda pair: order.get(pair[0], len(order)))  # stable: mappings keep order
    return [row for _, row in rows]


def _note_row(code: str, note: str, source_code: str = "", source_name: str = "") -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(MAP_COLUMNS, "")
    row.update(input=code, source_code=source_code, source_name=source_name, via=[], note=note)
    return row


def _by_code(mappings: tuple[Mapping, ...]) -> list[tuple[str, Item, list[list[Mapping]]]]:
    """Results per input code (in the order given), then per target item (in the
    target framework's order, as the library returns them): one row per target."""
    grouped: dict[str, tuple[Item, dict[tuple[str, str], list[Mapping]]]] = {}
    for m in mappings:
        entry = grouped.setdefault(m.code, (m.source, {}))
        entry[1].setdefault(m.target.key, []).append(m)
    return [(code, item, list(targets.values())) for code, (item, targets) in grouped.items()]


def _choices(catalog: Catalog, framework: str) -> tuple[list[tuple[Item | None, list[Item]]], int]:
    """The items a person can tick, under their area headings: at most
    :data:`MAX_CHOICES` of them (a large framework's others are typed), and how many
    were left out."""
    groups: dict[str | None, list[Item]] = {}
    listed = left_out = 0
    for item in catalog.items_of(framework):
        if not catalog.is_leaf(item):
            continue
        if listed >= MAX_CHOICES:
            left_out += 1
            continue
        groups.setdefault(item.parent, []).append(item)
        listed += 1
    return [
        (catalog.items.get((framework, parent)) if parent else None, items)
        for parent, items in groups.items()
    ], left_out
