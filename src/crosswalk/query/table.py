"""A crosswalk's links as a table to sort, filter and facet, in the manner of Datasette.

A reviewer works through a crosswalk link by link: "the Essential links at MHM level",
"every link to 6.6", "what cites nothing in the target".  :func:`link_table` answers
one such question: the links that pass every chosen filter, sorted, one page of them,
and for each facet (area, level, target, strength, relation) how many links each value
would give, counted under the *other* facets' filters, so that choosing a second value
of the same facet widens the answer (values of one facet are alternatives; facets
combine).

Time is linear in the crosswalk's links per question and memory is bounded by the page
(:data:`MAX_PAGE_SIZE` rows) and by :data:`MAX_FACET_VALUES` values a facet lists; the
rows of the whole filtered view (:attr:`LinkTable.matching`) go to a download, which
streams.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from crosswalk.catalog import Catalog
from crosswalk.levels import LEVELS, ORDER, alignment_level, canonical
from crosswalk.model import Alignment, Item
from crosswalk.query.report import alignment_rows
from crosswalk.query.text import tokens

# The facets, in the order a page lists them.
FACETS = ("area", "level", "target", "strength", "relation")
# What a column can be sorted by: the facets and the source item.
SORTS = ("source", *FACETS)
# The value a facet gives a link that has none (no strength, no target, no area).
NONE = "none"
# Rows on one page at most, and by default.
MAX_PAGE_SIZE = 200
PAGE_SIZE = 50
# Values one facet lists at most (the most frequent; chosen ones always).
MAX_FACET_VALUES = 30


class BadTableQuery(ValueError):
    """A filter or sort the table does not know; the message names the parameter."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True, slots=True)
class LinkRow:
    """One alignment with what the table shows and facets on."""

    position: int  # in the crosswalk (its order in the source document)
    alignment: Alignment
    source: Item | None
    area: Item | None  # the source item's parent
    target: Item | None
    target_area: Item | None  # the target item's parent (tells two "Advocacy" apart)
    level: str  # FS, IMHS or IMHM: the link's own tag, else its source item's level
    values: Mapping[str, str]  # facet → this link's value
    ranks: Mapping[str, int]  # "area", "target" → place in its framework's tree order
    text: str  # lower-cased words a search looks in


def link_rows(catalog: Catalog, crosswalk_id: str) -> list[LinkRow]:
    """Every alignment of the crosswalk as a :class:`LinkRow`, in the crosswalk's order
    (worth keeping per revision: every question filters these)."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    source_order = _tree_order(catalog, crosswalk.source_framework)
    target_order = _tree_order(catalog, crosswalk.target_framework)
    last = len(catalog.items)  # "none" sorts after every item
    rows: list[LinkRow] = []
    for position, a in enumerate(catalog.by_crosswalk.get(crosswalk.id, [])):
        source = catalog.items.get((crosswalk.source_framework, a.source_code))
        area = catalog.parent_of(source) if source else None
        target = (
            catalog.items.get((crosswalk.target_framework, a.target_code))
            if a.target_code is not None
            else None
        )
        level = alignment_level(a, source)
        values = {
            "area": area.code if area else NONE,
            "level": level,
            "target": a.target_code or NONE,
            "strength": a.strength or NONE,
            "relation": str(a.relation),
        }
        text = " ".join(
            part
            for part in (
                a.source_code,
                source.name if source else "",
                a.target_code or "",
                target.name if target else "",
                a.printed_target,
                a.evidence,
                a.note,
            )
            if part
        ).lower()
        ranks = {
            "area": source_order.get(area.code, last) if area else last,
            "target": target_order.get(a.target_code, last) if a.target_code else last,
        }
        target_area = catalog.parent_of(target) if target else None
        rows.append(
            LinkRow(position, a, source, area, target, target_area, level, values, ranks, text)
        )
    return rows


def _tree_order(catalog: Catalog, framework: str) -> dict[str, int]:
    """Each item's place in its framework's tree order (1.10 after 1.9)."""
    return {item.code: n for n, item in enumerate(catalog.items_of(framework))}


@dataclass(frozen=True, slots=True)
class TableQuery:
    """One question to the table: chosen values per facet, words, sort and page."""

    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    search: str = ""
    sort: str = "source"
    descending: bool = False
    page: int = 1
    size: int = PAGE_SIZE


def parse_filters(pairs: Sequence[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """The facet filters among query parameters (``level=MHS&level=FS``): levels read
    as :mod:`crosswalk.levels` spells them; a level no one knows raises
    :class:`BadTableQuery`.  Other parameters are left alone."""
    chosen: dict[str, list[str]] = {}
    for name, value in pairs:
        if name not in FACETS or not value.strip():
            continue
        value = value.strip()
        if name == "level":
            level = canonical(value)
            if level is None:
                raise BadTableQuery(
                    "level", f"unknown level {value!r}; choose one of {', '.join(LEVELS)}"
                )
            value = level
        if value not in chosen.setdefault(name, []):
            chosen[name].append(value)
    return {name: tuple(values) for name, values in chosen.items()}


def parse_sort(value: str | None) -> tuple[str, bool]:
    """``"target"`` or ``"-target"`` (descending) as (column, descending)."""
    text = (value or "source").strip()
    descending = text.startswith("-")
    column = text.lstrip("-")
    if column not in SORTS:
        raise BadTableQuery(
            "sort",
            f"cannot sort by {column!r}; choose one of {', '.join(SORTS)} (- for descending)",
        )
    return column, descending


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    count: int  # links with this value under the other facets' filters
    chosen: bool
    item: Item | None  # the area or target item the value names, if any
    area: Item | None  # that target item's area


@dataclass(frozen=True, slots=True)
class Facet:
    name: str
    values: tuple[FacetValue, ...]  # most frequent first (chosen ones always listed)
    left_out: int  # values not listed (beyond MAX_FACET_VALUES)


@dataclass(frozen=True, slots=True)
class LinkTable:
    """The answer: the page of rows, how many match, the facets."""

    query: TableQuery
    rows: tuple[LinkRow, ...]  # the page
    matching: tuple[LinkRow, ...]  # every row that passes the filters, sorted
    total: int  # links in the crosswalk
    facets: tuple[Facet, ...]
    page: int  # the page shown (moved back onto the last one when past the end)
    pages: int


def _sort_key(column: str) -> Callable[[LinkRow], tuple[object, ...]]:
    if column == "source":
        return lambda r: (r.position,)
    if column == "level":
        return lambda r: (ORDER.index(r.level), r.position)
    if column in ("area", "target"):
        return lambda r: (r.ranks[column], r.position)
    return lambda r: (r.values[column] == NONE, r.values[column].lower(), r.position)


def link_table(rows: Sequence[LinkRow], query: TableQuery) -> LinkTable:
    """The links of ``rows`` (from :func:`link_rows`) that answer ``query``."""
    if query.sort not in SORTS:
        raise BadTableQuery("sort", f"cannot sort by {query.sort!r}")
    size = max(1, min(query.size, MAX_PAGE_SIZE))
    needles = tokens(query.search)
    found = [r for r in rows if all(n in r.text for n in needles)]

    def passes(row: LinkRow, skip: str | None = None) -> bool:
        return all(
            row.values[name] in chosen
            for name, chosen in query.filters.items()
            if name != skip and chosen
        )

    # The items facet values name: (item, its area) for targets, (area, None) for areas.
    named: dict[tuple[str, str], tuple[Item, Item | None]] = {}
    for r in rows:
        if r.area is not None:
            named[("area", r.area.code)] = (r.area, None)
        if r.target is not None:
            named[("target", r.target.code)] = (r.target, r.target_area)
    facets = []
    for name in FACETS:
        counts = Counter(r.values[name] for r in found if passes(r, skip=name))
        chosen = query.filters.get(name, ())
        ranked = sorted(counts, key=lambda v: (-counts[v], v))
        listed = ranked[:MAX_FACET_VALUES] + [
            v for v in chosen if v not in ranked[:MAX_FACET_VALUES]
        ]
        facets.append(
            Facet(
                name,
                tuple(
                    FacetValue(
                        v, counts.get(v, 0), v in chosen, *named.get((name, v), (None, None))
                    )
                    for v in listed
                ),
                max(0, len(ranked) - MAX_FACET_VALUES),
            )
        )
    matching = sorted(
        (r for r in found if passes(r)),
        key=_sort_key(query.sort),
        reverse=query.descending,
    )
    pages = max(1, -(-len(matching) // size))
    page = min(max(query.page, 1), pages)
    shown = matching[(page - 1) * size : page * size]
    return LinkTable(query, tuple(shown), tuple(matching), len(rows), tuple(facets), page, pages)


def table_download_rows(
    catalog: Catalog, crosswalk_id: str, table: LinkTable
) -> list[dict[str, str]]:
    """The filtered, sorted view as the crosswalk's download rows
    (:data:`~crosswalk.query.ALIGNMENT_COLUMNS`), one per link."""
    every = alignment_rows(catalog, crosswalk_id)
    return [every[r.position] for r in table.matching]
