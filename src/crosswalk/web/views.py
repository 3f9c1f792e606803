"""What the pages show, computed from library answers but free of HTTP and HTML.

Kept apart from the routes so the pages, the downloads and the JSON API lay out the
same things once: the matrix as rows of cells, the level scopes worth offering, and
the highlighting of search hits.  What the answers are (chains, levels, level
filters) is the library's: :mod:`crosswalk.query` and :mod:`crosswalk.levels`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from crosswalk.catalog import Catalog
from crosswalk.codes import split_codes as split_text
from crosswalk.levels import IMHM, IMHS, SCOPES, link_level
from crosswalk.model import Alignment, Item, Provenance
from crosswalk.query import (
    RELATION_MARKS,
    AreaView,
    AxisGroup,
    CellMeaning,
    ItemView,
    Key,
    Link,
    Window,
    cell_meaning,
    levels_present,
    matrix_key,
)
from crosswalk.query import levels_on_links as levels_on_links  # the pages import both here
from crosswalk.query import scope_text as scope_text
from crosswalk.query.grid import STRENGTHS
from crosswalk.query.spellings import spellings
from crosswalk.query.tree import TreeLevel
from crosswalk.sources.documents import document_of

# -- URLs ------------------------------------------------------------------------------


def item_url(item: Item) -> str:
    """The item page; codes may hold "/" (``direct-service-skills/observation-listening``)."""
    return f"/frameworks/{quote(item.framework)}/items/{quote(item.code, safe='/')}"


@dataclass(frozen=True, slots=True)
class SourceLink:
    """A provenance as a page shows it: a link to the lines in the document as printed,
    named by the document's short title ("IECMHC → IMH Endorsement® crosswalk, lines
    9–13"), its full title for a tooltip."""

    url: str
    text: str
    title: str
    lines: str  # "line 29", "lines 9–13"


def source_link(value: Provenance | str | None) -> SourceLink | None:
    """The link for a provenance of a bundled document; None for any other (imported
    data names documents we do not have)."""
    try:
        provenance = Provenance.parse(value) if isinstance(value, str) else value
    except ValueError:  # free text, not "DOCUMENT, lines A–B"
        return None
    document = document_of(provenance)
    if provenance is None or document is None:
        return None
    first, last = provenance.first_line, provenance.last_line
    lines = f"line {first}" if first == last else f"lines {first}–{last}"
    span = str(first) if first == last else f"{first}-{last}"
    url = f"/sources/{quote(document.key)}?lines={span}#L{first}"
    return SourceLink(url, f"{document.short_title}, {lines}", document.title, lines)


def link_anchor(framework: str, code: str) -> str:
    """The id of an item page's row for the link to ``framework``/``code``."""
    return "link-" + re.sub(r"[^A-Za-z0-9_-]+", "-", f"{framework}-{code}").strip("-")


def link_anchors(links: Iterable[Link]) -> dict[Link, str]:
    """An id for each row of an item page's links: :func:`link_anchor` for the first link
    to an item (where the matrix's cells point), ``…-2``, ``…-3`` for a pair the source
    lists again, so no two rows share an id."""
    anchors: dict[Link, str] = {}
    seen: dict[str, int] = {}
    for link in links:
        if link.other is None:
            continue
        anchor = link_anchor(link.other.framework, link.other.code)
        seen[anchor] = seen.get(anchor, 0) + 1
        anchors[link] = anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}"
    return anchors


def selected_children(tree: TreeLevel) -> TreeLevel | None:
    """The open page of the selected item's children in ``tree``, if it has any."""
    level: TreeLevel | None = tree
    while level is not None:
        node = next((n for n in level.nodes if n.open is not None or n.selected), None)
        if node is None:
            return None
        if node.selected:
            return node.open
        level = node.open
    return None


# -- endorsement levels ----------------------------------------------------------------
# The levels and scopes are the library's (crosswalk.levels); the page only offers them.


def level_choices(catalog: Catalog, crosswalk_id: str) -> list[tuple[str, str]]:
    """The scopes worth offering for a crosswalk, as (value, label)."""
    present = levels_present(catalog, crosswalk_id)
    if len(present) < 2:
        return []
    return [
        (value, scope_text(catalog, crosswalk_id, value))
        for value, (levels, _) in SCOPES.items()
        if levels & present
    ]


# -- a framework's tree, a part at a time ----------------------------------------------


@dataclass(frozen=True, slots=True)
class TreePart:
    """The areas a framework page shows (``start`` … ``stop`` of ``total``) and the
    items under each (at most the page's share; ``more`` counts those left out)."""

    roots: tuple[Item, ...]
    items: dict[str, tuple[Item, ...]]
    more: dict[str, int]
    start: int
    stop: int
    total: int
    previous: int | None
    next: int | None


def tree_part(catalog: Catalog, framework: str, start: int, limit: int) -> TreePart:
    """The areas from ``start`` whose items fit in ``limit`` (one area at least)."""
    roots = catalog.children.get((framework, None), [])
    start = min(max(start, 0), max(len(roots) - 1, 0))

    def size(area: Item) -> int:
        return 1 + len(catalog.children.get((framework, area.code), []))

    stop, used = start, 0
    while stop < len(roots) and (stop == start or used + size(roots[stop]) <= limit):
        used += size(roots[stop])
        stop += 1
    back, used = start, 0
    while back > 0 and used + size(roots[back - 1]) <= limit:
        back -= 1
        used += size(roots[back])
    shown = tuple(roots[start:stop])
    kids = {a.code: catalog.children.get((framework, a.code), []) for a in shown}
    return TreePart(
        shown,
        {code: tuple(items[:limit]) for code, items in kids.items()},
        {code: len(items) - limit for code, items in kids.items() if len(items) > limit},
        start,
        stop,
        len(roots),
        min(back, start - 1) if start > 0 else None,
        stop if stop < len(roots) else None,
    )


# -- items named ambiguously -----------------------------------------------------------


def named_items(catalog: Catalog, framework: str, text: str) -> list[Item]:
    """The items of ``framework`` that ``text`` may mean when the library's lookup calls
    it ambiguous (``/frameworks/imh/items/Advocacy``): read in the lookup's order — code
    ignoring case, then name, then alias (case, spacing, punctuation and a trailing
    level tag ignored) — the first reading that fits several items gives them."""
    index = spellings(catalog, framework)
    for found in (index.by_code(text.strip()), index.by_name(text), index.by_alias(text)):
        if len(found) > 1:
            return found
    return []


# -- the matrix ------------------------------------------------------------------------
# The library cuts out what one page shows (crosswalk.query.grid: at most MAX_CELLS
# cells); here that view becomes the rows of cells a template draws, and each address a
# page links to (another window, one pair of areas) is built from the known parameters
# only, so a fragment cached for one request never carries another's stray ones.

HEAT_STEPS = 4


@dataclass(frozen=True, slots=True)
class MatrixQuery:
    """The parameters of a crosswalk page that choose its matrix view."""

    crosswalk: str
    level: str | None = None
    columns: str = "cited"
    source_area: str | None = None
    target_area: str | None = None
    row_start: int = 0
    column_start: int = 0

    def url(self, **changes: object) -> str:
        """This page's address with ``changes`` (a window resets unless given)."""
        changes.setdefault("row_start", 0)
        changes.setdefault("column_start", 0)
        chosen = replace(self, **changes)  # type: ignore[arg-type]
        params = [
            (name, value)
            for name, value in (
                ("level", chosen.level),
                ("columns", None if chosen.columns == "cited" else chosen.columns),
                ("source_area", chosen.source_area),
                ("target_area", chosen.target_area),
                ("row_start", chosen.row_start or None),
                ("column_start", chosen.column_start or None),
            )
            if value is not None
        ]
        query = f"?{urlencode(params)}" if params else ""
        return f"/crosswalks/{quote(chosen.crosswalk)}{query}#matrix"

    def windows(self, rows: Window, columns: Window) -> list[tuple[str, str]]:
        """(address, label) of the windows next to this one: rows above and below,
        columns to the left and right."""
        found: list[tuple[str, str]] = []
        for axis, span in (("Rows", rows), ("Columns", columns)):
            for start in (span.previous, span.next):
                if start is None:
                    continue
                at = {"row_start": rows.start, "column_start": columns.start}
                at["row_start" if axis == "Rows" else "column_start"] = start
                stop = min(start + span.size, span.total)
                found.append((self.url(**at), f"{axis} {start + 1}–{stop}"))
        return found


# How a cell writes a link's own level tag (the source's spelling, seed 002: MHS, MHM).
LEVEL_MARKS = {IMHS: "MHS", IMHM: "MHM"}
# The mark of a cell whose links state no strength.
LINK_MARK = "●"


def strength_mark(strength: str) -> str:
    """A strength as a cell writes it: its initial ("E", "I")."""
    return strength[:1].upper()


def strength_tone(strength: str) -> int:
    """The fill of a cell: 1 for the strongest strength, 2 the next, 3 any other, 0 none."""
    if not strength:
        return 0
    return STRENGTHS.index(strength) + 1 if strength in STRENGTHS else len(STRENGTHS) + 1


@dataclass(frozen=True, slots=True)
class Cell:
    column: Item
    alignments: tuple[Alignment, ...]
    meaning: CellMeaning

    @property
    def count(self) -> int:
        return len(self.alignments)

    @property
    def tone(self) -> int:
        return strength_tone(self.meaning.strength)

    @property
    def mark(self) -> str:
        """What the cell prints: strength initial (or ●), level tags, relation marks,
        and ×N when the source lists the pair more than once."""
        m = self.meaning
        parts = [strength_mark(m.strength) if m.strength else LINK_MARK]
        parts += [LEVEL_MARKS.get(level, level) for level in m.levels]
        parts += [RELATION_MARKS[r] for r in m.relations]
        if m.links > 1:
            parts.append(f"×{m.links}")
        return " ".join(parts)

    @property
    def says(self) -> str:
        """The cell's meaning in words, for its accessible name and tooltip."""
        if len(self.alignments) == 1:
            said = link_words(self.alignments[0])
            return "1 link" + (f", {said}" if said else "")
        each = "; ".join(link_words(a) or "no strength or level stated" for a in self.alignments)
        return f"{len(self.alignments)} links: {each}"


def link_words(alignment: Alignment) -> str:
    """What one link states, in words ("Important, MHM level"; "" when nothing)."""
    level = link_level(alignment)
    words = [alignment.strength] if alignment.strength else []
    if level:
        words.append(f"{LEVEL_MARKS.get(level, level)} level")
    if alignment.relation in RELATION_MARKS:
        words.append(f"{alignment.relation} match")
    return ", ".join(words)


@dataclass(frozen=True, slots=True)
class MatrixRow:
    item: Item
    cells: tuple[Cell | None, ...]
    elsewhere: tuple[Alignment, ...]  # no-match and outside references


@dataclass(frozen=True, slots=True)
class RowGroup:
    area: Item | None
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True, slots=True)
class MatrixTable:
    """An item view as the page draws it: the rows and columns of its window."""

    view: ItemView
    groups: tuple[RowGroup, ...]
    has_outside: bool  # some row cites something outside the target framework
    key: Key  # the marks the cells use, for the legend

    @property
    def columns(self) -> tuple[AxisGroup, ...]:
        return self.view.columns

    @property
    def column_items(self) -> list[Item]:
        return [item for group in self.view.columns for item in group.items]

    @property
    def row_count(self) -> int:
        return self.view.row_window.total

    @property
    def hidden_columns(self) -> int:
        return self.view.hidden_columns

    @property
    def all_columns(self) -> int:
        return self.view.all_columns


def matrix_table(view: ItemView) -> MatrixTable:
    """The cells of ``view``'s window (never more than its rows × columns)."""
    grid = view.matrix
    order = [i for g in view.columns for i in g.items]
    groups = tuple(
        RowGroup(
            group.area,
            tuple(
                MatrixRow(
                    item,
                    tuple(
                        Cell(column, cell, cell_meaning(cell))
                        if (cell := grid.cells.get((item.code, column.code)))
                        else None
                        for column in order
                    ),
                    grid.elsewhere.get(item.code, ()),
                )
                for item in group.items
            ),
        )
        for group in view.rows
    )
    has_outside = any(not a.is_no_match for g in groups for r in g.rows for a in r.elsewhere)
    return MatrixTable(view, groups, has_outside, matrix_key(grid))


@dataclass(frozen=True, slots=True)
class AreaCell:
    column: AxisGroup
    count: int
    heat: int


@dataclass(frozen=True, slots=True)
class AreaRow:
    group: AxisGroup
    cells: tuple[AreaCell | None, ...]
    no_match: int
    outside: int


@dataclass(frozen=True, slots=True)
class OverviewTable:
    """An area view as the page draws it: links counted per pair of areas."""

    view: AreaView
    rows: tuple[AreaRow, ...]

    @property
    def has_outside(self) -> bool:
        return any(r.outside for r in self.rows)

    @property
    def row_items(self) -> int:
        return sum(len(g.items) for g in self.view.overview.rows)

    @property
    def column_items(self) -> int:
        return sum(len(g.items) for g in self.view.overview.columns)


def overview_table(view: AreaView) -> OverviewTable:
    """The counts of ``view``'s window, each shaded relative to the largest count."""
    summed = view.overview
    top = max(summed.max_count, 1)

    def cell(row: AxisGroup, column: AxisGroup) -> AreaCell | None:
        count = summed.count(row, column)
        if not count:
            return None
        return AreaCell(column, count, max(1, -(-count * HEAT_STEPS // top)))

    rows = tuple(
        AreaRow(
            row,
            tuple(cell(row, column) for column in view.columns),
            summed.no_match.get(row.key, 0),
            summed.outside.get(row.key, 0),
        )
        for row in view.rows
    )
    return OverviewTable(view, rows)


# -- input and highlighting ------------------------------------------------------------


def split_codes(values: list[str]) -> list[str]:
    """Codes from repeated parameters or typed lists ("2.1, 4.1", "CKC 2.1; 4.1").

    Each value is split by :func:`crosswalk.codes.split_codes` (prefixes such as "CKC"
    dropped, names with commas kept whole); repeats are dropped, first one kept.
    """
    codes: list[str] = []
    for value in values:
        codes += split_text(value)
    return list(dict.fromkeys(codes))


def highlight(text: str, words: tuple[str, ...] | list[str]) -> Markup:
    """``text`` escaped, with each whole occurrence of ``words`` wrapped in <mark>."""
    if not words:
        return escape(text)
    pattern = re.compile(
        r"(?<![A-Za-z0-9])("
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?![A-Za-z0-9])",
        re.IGNORECASE,
    )
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(str(escape(text[last : match.start()])))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
