"""A crosswalk's links as a table to sort, filter and facet (``/crosswalks/{id}/links``).

The answer is the library's (:func:`crosswalk.query.table.link_table`); this route
reads the address, which holds the whole question (each filter, the sort, the page),
and draws it or hands the filtered view out as a file.  Everything works without
JavaScript: every facet value, column heading and page is a link.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from crosswalk.query import ALIGNMENT_COLUMNS
from crosswalk.query.table import (
    FACETS,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    BadTableQuery,
    TableQuery,
    link_rows,
    link_table,
    parse_filters,
    parse_sort,
    table_download_rows,
)
from crosswalk.web import downloads
from crosswalk.web.deps import SnapshotDep, invalid_parameter
from crosswalk.web.rendering import render
from crosswalk.web.routes.pages import Format

router = APIRouter(include_in_schema=False)

# Values one question may choose across all facets (the address stays short).
MAX_FILTER_VALUES = 50
Values = Annotated[list[str] | None, Query(max_length=200)]


@dataclass(frozen=True, slots=True)
class TableAddress:
    """The address of a view of the table, built from the known parameters only."""

    crosswalk: str
    filters: tuple[tuple[str, tuple[str, ...]], ...]
    search: str
    sort: str  # "target" or "-target"
    size: int
    page: int = 1

    def url(self, **changes: object) -> str:
        """This view's address with ``changes`` (back to page 1 unless one is given)."""
        changes.setdefault("page", 1)
        chosen = replace(self, **changes)  # type: ignore[arg-type]
        params = [(name, v) for name, values in chosen.filters for v in values]
        params += [
            (name, value)
            for name, value in (
                ("q", chosen.search),
                ("sort", "" if chosen.sort == "source" else chosen.sort),
                ("size", "" if chosen.size == PAGE_SIZE else str(chosen.size)),
                ("page", "" if chosen.page == 1 else str(chosen.page)),
            )
            if value
        ]
        query = f"?{urlencode(params)}" if params else ""
        return f"/crosswalks/{quote(chosen.crosswalk)}/links{query}"

    def toggled(self, facet: str, value: str) -> str:
        """The address with ``value`` of ``facet`` chosen, or let go if it was."""
        filters = dict(self.filters)
        values = filters.get(facet, ())
        filters[facet] = (
            tuple(v for v in values if v != value) if value in values else (*values, value)
        )
        return self.url(filters=tuple((f, filters[f]) for f in FACETS if filters.get(f)))

    def sorted_by(self, column: str) -> str:
        """Sorted by ``column``; again on the same column turns the order round."""
        return self.url(sort=f"-{column}" if self.sort == column else column)


@router.get("/crosswalks/{crosswalk_id}/links")
def links_page(
    request: Request,
    crosswalk_id: str,
    snapshot: SnapshotDep,
    area: Values = None,
    level: Values = None,
    target: Values = None,
    strength: Values = None,
    relation: Values = None,
    q: Annotated[str, Query(max_length=200, description="Words to look for")] = "",
    sort: Annotated[str, Query(max_length=20, description="Column, - for descending")] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    format: Format = None,
) -> Response:
    catalog = snapshot.catalog
    crosswalk = catalog.crosswalk(crosswalk_id)
    given = {"area": area, "level": level, "target": target}
    given |= {"strength": strength, "relation": relation}
    pairs = [(name, v) for name in FACETS for v in given[name] or []]
    if len(pairs) > MAX_FILTER_VALUES:
        raise invalid_parameter(
            pairs[-1][0], f"at most {MAX_FILTER_VALUES} filter values; this asks {len(pairs)}"
        )
    try:
        filters = parse_filters(pairs)
        column, descending = parse_sort(sort)
    except BadTableQuery as bad:
        raise invalid_parameter(bad.parameter, str(bad)) from None
    query = TableQuery(filters, q.strip(), column, descending, page, size)
    rows = snapshot.memo(("link rows", crosswalk.id), lambda: link_rows(catalog, crosswalk.id))
    table = link_table(rows, query)
    if format:
        found = table_download_rows(catalog, crosswalk.id, table)
        return downloads.download(found, ALIGNMENT_COLUMNS, format, f"{crosswalk.id}-links")
    address = TableAddress(
        crosswalk.id,
        tuple((f, filters[f]) for f in FACETS if f in filters),
        query.search,
        ("-" if descending else "") + column,
        size,
        table.page,
    )
    return render(
        request,
        "links.html",
        {
            "title": f"Links of {crosswalk.title}",
            "crosswalk": crosswalk,
            "source": catalog.frameworks[crosswalk.source_framework],
            "target": catalog.frameworks[crosswalk.target_framework],
            "table": table,
            "address": address,
            "sort_column": column,
            "descending": descending,
            "filtered": bool(filters or query.search),
        },
    )
