"""A crosswalk as a grid — source items × target items — in views of bounded size.

The grid between two 20,000-item frameworks has 400 million cells: no page can draw
it and no reader can take it in.  So :func:`matrix` keeps the grid sparse (the cells
that hold links, nothing else: time and memory linear in the crosswalk's alignments),
and :func:`matrix_view` cuts out what one page shows, never more than
:data:`MAX_CELLS` cells:

* the whole item grid when it fits (the bundled crosswalks: 64 × 45 and 12 × 13);
* else an overview, the links counted per source area × target area, from which a
  reader drills down into one area or one pair of areas (:func:`restrict`);
* and any of these that is still larger, in windows of rows and columns, each view
  saying where its window sits, so that a page can offer the next one.

The source never lists a pair twice, so a count per cell says nothing: a cell says what
its links state instead (:func:`cell_meaning`: strength, the link's own level tag, a
relation other than "related"), and :func:`matrix_key` says which of those vary in a grid, so
a page's legend explains only marks it draws.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from crosswalk.catalog import Catalog, NotFound
from crosswalk.levels import ORDER, alignment_applies, link_level
from crosswalk.model import Alignment, Crosswalk, Item, Relation
from crosswalk.query.report import SourceFilter, considered, grouped_leaves

# The most cells one view holds (rows × columns shown).
MAX_CELLS = 5_000
# The most columns of one window, once a view is too large to show whole.
MAX_COLUMNS = 50


def area_key(area: Item | None) -> str:
    """How an address names an area: its code; "" for the items under no area."""
    return area.code if area is not None else ""


@dataclass(frozen=True, slots=True)
class AxisGroup:
    """A run of rows or columns under one area (``area`` None: no parent)."""

    area: Item | None
    items: tuple[Item, ...]

    @property
    def key(self) -> str:
        return area_key(self.area)


@dataclass(frozen=True, slots=True)
class Matrix:
    """Source leaves × target leaves; each cell the alignments between the two.

    Rows and columns come grouped by area so that a heat-map can draw group headers
    and an export can write them as a header row; ``elsewhere`` holds the alignments
    that name no target item (no-match, references outside the target framework).
    """

    crosswalk: Crosswalk
    rows: tuple[AxisGroup, ...]
    columns: tuple[AxisGroup, ...]
    cells: dict[tuple[str, str], tuple[Alignment, ...]]
    elsewhere: dict[str, tuple[Alignment, ...]]

    @property
    def row_items(self) -> list[Item]:
        return [item for group in self.rows for item in group.items]

    @property
    def column_items(self) -> list[Item]:
        return [item for group in self.columns for item in group.items]

    def count(self, row_code: str, column_code: str) -> int:
        return len(self.cells.get((row_code, column_code), ()))

    @property
    def max_count(self) -> int:
        return max((len(cell) for cell in self.cells.values()), default=0)


def matrix(
    catalog: Catalog,
    crosswalk_id: str,
    *,
    sources: SourceFilter | None = None,
    levels: Collection[str] | None = None,
) -> Matrix:
    """The grid of a crosswalk.

    ``sources`` (a predicate on source items, as for :func:`~crosswalk.query.gaps`)
    keeps only those rows; every target column stays.  ``levels`` (endorsement levels,
    :mod:`crosswalk.levels`) keeps only the links at those levels, judged link by link,
    and the rows that still have one.
    """
    crosswalk = catalog.crosswalk(crosswalk_id)
    leaves, alignments = considered(catalog, crosswalk, sources)
    targets = {i.code for i in catalog.items_of(crosswalk.target_framework) if catalog.is_leaf(i)}
    by_code = {i.code: i for i in leaves}
    cells: dict[tuple[str, str], list[Alignment]] = {}
    elsewhere: dict[str, list[Alignment]] = {}
    for a in alignments:
        if a.source_code not in by_code:
            continue
        if levels is not None and not alignment_applies(a, by_code[a.source_code], levels):
            continue
        if a.target_code is None:
            elsewhere.setdefault(a.source_code, []).append(a)
        elif a.target_code in targets:
            cells.setdefault((a.source_code, a.target_code), []).append(a)
    kept = None if levels is None else {r for r, _ in cells} | set(elsewhere)
    rows = tuple(
        AxisGroup(area, shown)
        for area, items in grouped_leaves(catalog, crosswalk.source_framework, sources)
        if (shown := tuple(i for i in items if kept is None or i.code in kept))
    )
    columns = tuple(
        AxisGroup(a, tuple(i)) for a, i in grouped_leaves(catalog, crosswalk.target_framework)
    )
    return Matrix(
        crosswalk,
        rows,
        columns,
        {key: tuple(value) for key, value in cells.items()},
        {key: tuple(value) for key, value in elsewhere.items()},
    )


# -- what a cell says -----------------------------------------------------------------

# Strengths the bundled sources state, strongest first (seed 002: Essential, Important);
# any other strength a crosswalk states ranks after these, alphabetically.
STRENGTHS = ("Essential", "Important")
# A mark for each relation that says more than "related" (SKOS: =, ≈, broader, narrower).
RELATION_MARKS = {
    Relation.EXACT: "=",
    Relation.CLOSE: "≈",
    Relation.BROAD: "⊃",
    Relation.NARROW: "⊂",
}


@dataclass(frozen=True, slots=True)
class CellMeaning:
    """What the links of one cell state, reduced to what a mark can show."""

    links: int
    strength: str  # the strongest strength stated ("" none)
    levels: tuple[str, ...]  # the links' own level tags, canonical, lowest first
    relations: tuple[Relation, ...]  # relations other than "related", in enum order


def _strength_rank(strength: str) -> tuple[int, str]:
    return (STRENGTHS.index(strength), "") if strength in STRENGTHS else (len(STRENGTHS), strength)


def cell_meaning(alignments: Collection[Alignment]) -> CellMeaning:
    """The strongest strength, own level tags and telling relations of a cell's links."""
    strengths = [a.strength for a in alignments if a.strength]
    levels = {level for a in alignments if (level := link_level(a)) is not None}
    relations = {a.relation for a in alignments if a.relation in RELATION_MARKS}
    return CellMeaning(
        len(alignments),
        min(strengths, key=_strength_rank) if strengths else "",
        tuple(level for level in ORDER if level in levels),
        tuple(r for r in Relation if r in relations),
    )


@dataclass(frozen=True, slots=True)
class Key:
    """Which marks the cells of a grid use: what varies, for the page's legend."""

    strengths: tuple[str, ...]  # strongest first
    unstated: bool  # some filled cell states no strength
    levels: tuple[str, ...]  # own level tags on links, lowest first
    untagged: bool  # some filled cell has a link with no level tag of its own
    relations: tuple[Relation, ...]
    most_links: int  # the most links one cell holds


def matrix_key(grid: Matrix) -> Key:
    """The marks ``grid``'s cells use (time linear in its alignments)."""
    meanings = [cell_meaning(cell) for cell in grid.cells.values()]
    strengths = {m.strength for m in meanings if m.strength}
    levels = {level for m in meanings for level in m.levels}
    relations = {r for m in meanings for r in m.relations}
    untagged = any(link_level(a) is None for cell in grid.cells.values() for a in cell)
    return Key(
        tuple(sorted(strengths, key=_strength_rank)),
        any(not m.strength for m in meanings),
        tuple(level for level in ORDER if level in levels),
        untagged and bool(levels),
        tuple(r for r in Relation if r in relations),
        max((m.links for m in meanings), default=0),
    )


# -- drill-down ------------------------------------------------------------------------


def restrict(
    catalog: Catalog,
    grid: Matrix,
    *,
    source_area: str | None = None,
    target_area: str | None = None,
) -> Matrix:
    """The part of ``grid`` under one source area and/or one target area.

    Areas are named by code ("" for the items under no area); None keeps that side
    whole.  A name that is no area of the framework raises :class:`NotFound`.
    """
    crosswalk = grid.crosswalk
    rows, columns = grid.rows, grid.columns
    if source_area is not None:
        _check_area(catalog, crosswalk.source_framework, source_area)
        rows = tuple(g for g in rows if g.key == source_area)
    if target_area is not None:
        _check_area(catalog, crosswalk.target_framework, target_area)
        columns = tuple(g for g in columns if g.key == target_area)
    row_codes = {i.code for g in rows for i in g.items}
    column_codes = {i.code for g in columns for i in g.items}
    return Matrix(
        crosswalk,
        rows,
        columns,
        {k: v for k, v in grid.cells.items() if k[0] in row_codes and k[1] in column_codes},
        {k: v for k, v in grid.elsewhere.items() if k in row_codes},
    )


def _check_area(catalog: Catalog, framework: str, code: str) -> None:
    if code == "" or catalog.children.get((framework, code)):
        return
    areas = [area_key(a) for a, _ in grouped_leaves(catalog, framework)]
    listed = ", ".join(repr(a) for a in areas[:10]) + (" …" if len(areas) > 10 else "")
    raise NotFound(f"no area {code!r} in framework {framework!r}; its areas: {listed}")


# -- the overview ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Overview:
    """A grid summed per source area × target area: the crosswalk at a glance."""

    crosswalk: Crosswalk
    rows: tuple[AxisGroup, ...]  # source areas, each with its leaves
    columns: tuple[AxisGroup, ...]  # target areas
    links: dict[tuple[str, str], int]  # (source area key, target area key) → links
    no_match: dict[str, int]  # source area key → no-match rows
    outside: dict[str, int]  # source area key → references outside the target

    def count(self, row: AxisGroup, column: AxisGroup) -> int:
        return self.links.get((row.key, column.key), 0)

    @property
    def max_count(self) -> int:
        return max(self.links.values(), default=0)


def overview(grid: Matrix) -> Overview:
    """``grid``'s links counted per pair of areas (time linear in its cells)."""
    row_area = {i.code: g.key for g in grid.rows for i in g.items}
    column_area = {i.code: g.key for g in grid.columns for i in g.items}
    links: Counter[tuple[str, str]] = Counter()
    for (row, column), alignments in grid.cells.items():
        links[(row_area[row], column_area[column])] += len(alignments)
    no_match: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    for row, alignments in grid.elsewhere.items():
        for a in alignments:
            (no_match if a.is_no_match else outside)[row_area[row]] += 1
    return Overview(grid.crosswalk, grid.rows, grid.columns, dict(links), no_match, outside)


# -- windows ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """The part of an axis one view shows: entries ``start`` … ``stop`` of ``total``,
    in windows of ``size``."""

    start: int
    stop: int
    total: int
    size: int

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.stop >= self.total

    @property
    def previous(self) -> int | None:
        return max(0, self.start - self.size) if self.start > 0 else None

    @property
    def next(self) -> int | None:
        return self.stop if self.stop < self.total else None


def window(total: int, start: int, size: int) -> Window:
    """Entries from ``start`` (moved back onto the last window when past the end)."""
    size = max(1, size)
    start = max(0, start)
    if start >= total:
        start = max(0, total - 1) // size * size
    return Window(start, min(total, start + size), total, size)


def _cut(groups: tuple[AxisGroup, ...], span: Window) -> tuple[AxisGroup, ...]:
    """The items ``span`` covers, still grouped by area."""
    out: list[AxisGroup] = []
    position = 0
    for group in groups:
        low, high = max(span.start - position, 0), min(span.stop - position, len(group.items))
        if low < high:
            out.append(AxisGroup(group.area, group.items[low:high]))
        position += len(group.items)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ItemView:
    """What a page shows of an item grid: some of its rows and columns."""

    matrix: Matrix  # the grid the window is cut from (one area or pair when drilled into)
    rows: tuple[AxisGroup, ...]
    columns: tuple[AxisGroup, ...]
    row_window: Window
    column_window: Window
    all_columns: int  # target items in the grid, cited or not

    @property
    def hidden_columns(self) -> int:
        """Columns left out because no link cites them."""
        return self.all_columns - self.column_window.total


@dataclass(frozen=True, slots=True)
class AreaView:
    """What a page shows of an overview: some of its source and target areas."""

    overview: Overview
    rows: tuple[AxisGroup, ...]
    columns: tuple[AxisGroup, ...]
    row_window: Window
    column_window: Window
    all_columns: int  # target areas, cited or not

    @property
    def hidden_columns(self) -> int:
        return self.all_columns - self.column_window.total


def _spans(
    rows: int, columns: int, max_cells: int, row_start: int, column_start: int
) -> tuple[Window, Window]:
    """Windows of at most ``max_cells`` cells: everything when it fits."""
    if rows * columns <= max_cells:
        return window(rows, 0, max(rows, 1)), window(columns, 0, max(columns, 1))
    width = min(columns, MAX_COLUMNS)
    height = max(1, max_cells // max(width, 1))
    return window(rows, row_start, height), window(columns, column_start, width)


def matrix_view(
    catalog: Catalog,
    grid: Matrix,
    *,
    all_columns: bool = False,
    source_area: str | None = None,
    target_area: str | None = None,
    row_start: int = 0,
    column_start: int = 0,
    max_cells: int = MAX_CELLS,
) -> ItemView | AreaView:
    """What one page shows of ``grid`` (from :func:`matrix`), at most ``max_cells`` cells.

    With an area named (``source_area``, ``target_area``: see :func:`restrict`) the
    items of that part; else the whole item grid when it fits, and the overview per
    pair of areas when it does not (unless each side is a single area).  Columns that
    no link cites are left out unless ``all_columns``.  A view larger than the bound
    is a window from ``row_start``/``column_start``.
    """
    drilled = source_area is not None or target_area is not None
    if drilled:
        grid = restrict(catalog, grid, source_area=source_area, target_area=target_area)
    rows = sum(len(g.items) for g in grid.rows)
    cited = {column for _, column in grid.cells}
    columns = tuple(
        AxisGroup(g.area, shown)
        for g in grid.columns
        if (shown := tuple(i for i in g.items if all_columns or i.code in cited))
    )
    width = sum(len(g.items) for g in columns)
    single_areas = len(grid.rows) <= 1 and len(grid.columns) <= 1
    if drilled or rows * width <= max_cells or single_areas:
        row_span, column_span = _spans(rows, width, max_cells, row_start, column_start)
        return ItemView(
            grid,
            _cut(grid.rows, row_span),
            _cut(columns, column_span),
            row_span,
            column_span,
            len(grid.column_items),
        )
    summed = overview(grid)
    cited_areas = {column for _, column in summed.links}
    areas = tuple(g for g in grid.columns if all_columns or g.key in cited_areas)
    row_span, column_span = _spans(len(grid.rows), len(areas), max_cells, row_start, column_start)
    return AreaView(
        summed,
        grid.rows[row_span.start : row_span.stop],
        areas[column_span.start : column_span.stop],
        row_span,
        column_span,
        len(grid.columns),
    )
