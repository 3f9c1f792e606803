"""What the pages show, computed from library answers but free of HTTP and HTML.

Kept apart from the routes so the pages, the downloads and the JSON API compute the
same things once: the chains one crosswalk further than an item's own links, the
endorsement-level filter of a crosswalk, the matrix laid out as rows of cells, and the
highlighting of search hits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from crosswalk.catalog import Catalog
from crosswalk.codes import split_codes as split_text
from crosswalk.model import Alignment, Item, code_sort_key
from crosswalk.query import Hop, Link, Matrix, describe

# -- URLs ------------------------------------------------------------------------------


def item_url(item: Item) -> str:
    """The item page; codes may hold "/" (``direct-service-skills/observation-listening``)."""
    return f"/frameworks/{quote(item.framework)}/items/{quote(item.code, safe='/')}"


def link_anchor(framework: str, code: str) -> str:
    """The id of an item page's row for the link to ``framework``/``code``."""
    return "link-" + re.sub(r"[^A-Za-z0-9_-]+", "-", f"{framework}-{code}").strip("-")


# -- chains ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chain:
    """An item two crosswalks away, and the two hops that reach it."""

    target: Item
    hops: tuple[Hop, ...]

    @property
    def via(self) -> Item:
        return self.hops[0].target


def chains_by_target(found: list[Chain]) -> dict[str, list[list[Chain]]]:
    """Chains grouped per framework, then per target item (one row, several paths)."""
    grouped: dict[str, dict[tuple[str, str], list[Chain]]] = {}
    for chain in found:
        grouped.setdefault(chain.target.framework, {}).setdefault(chain.target.key, []).append(
            chain
        )
    return {
        framework: sorted(targets.values(), key=lambda c: code_sort_key(c[0].target.code))
        for framework, targets in grouped.items()
    }


def _hop(item: Item, link: Link) -> Hop | None:
    if link.other is None:
        return None
    if link.direction == "out":
        return Hop(item, link.other, link.crosswalk, "forward", link.alignment)
    return Hop(item, link.other, link.crosswalk, "backward", link.alignment)


def chains(catalog: Catalog, item: Item) -> list[Chain]:
    """Items of third frameworks reached through one of ``item``'s linked items.

    This is how an IECMHC consultation competency reaches CKC codes (through IMH),
    and how a CKC code learns which consultation competencies lean on it.
    """
    found: dict[tuple[object, ...], Chain] = {}
    for link in describe(catalog, item).links:
        first = _hop(item, link)
        if first is None:
            continue
        middle = first.target
        for further in describe(catalog, middle).links:
            second = _hop(middle, further)
            if second is None or second.target.framework in (item.framework, middle.framework):
                continue
            key = (second.target.key, middle.key, first.crosswalk.id, second.crosswalk.id)
            found.setdefault(key, Chain(second.target, (first, second)))
    return list(found.values())


# -- endorsement levels ----------------------------------------------------------------

LEVELS = {
    "FS": "Family Specialist (no tag)",
    "IMHS": "Mental Health Specialist (IMHS / MHS)",
    "IMHM": "Mental Health Mentor (IMHM / MHM)",
}
_LEVEL_SPELLINGS = {"FS": "FS", "IMHS": "IMHS", "MHS": "IMHS", "IMHM": "IMHM", "MHM": "IMHM"}

# What the crosswalk page can show: one level, or a level with those below it (an
# IMHS applicant needs the Family Specialist areas as well as the IMHS ones).
SCOPES: dict[str, tuple[frozenset[str], str]] = {
    "FS": (frozenset({"FS"}), "Family Specialist areas only"),
    "upto-IMHS": (frozenset({"FS", "IMHS"}), "Up to IMHS: Family Specialist + IMHS areas"),
    "IMHS": (frozenset({"IMHS"}), "IMHS areas only"),
    "IMHM": (frozenset({"IMHM"}), "IMHM areas only"),
}
_SCOPE_SPELLINGS = {
    **{k.upper(): v for k, v in _LEVEL_SPELLINGS.items()},
    "UPTO-IMHS": "upto-IMHS",
    "UP-TO-IMHS": "upto-IMHS",
    "FS+IMHS": "upto-IMHS",
    "UPTO-MHS": "upto-IMHS",
}


def parse_level(value: str | None) -> str | None:
    """The canonical level for a query value; ``ValueError`` names the choices."""
    if value is None or not value.strip():
        return None
    try:
        return _LEVEL_SPELLINGS[value.strip().upper()]
    except KeyError:
        raise ValueError(f"unknown level {value!r}; choose one of {', '.join(LEVELS)}") from None


def parse_scope(value: str | None) -> str | None:
    """The canonical scope (a key of :data:`SCOPES`) for ``?level=``; None = all levels."""
    if value is None or not value.strip():
        return None
    try:
        return _SCOPE_SPELLINGS[value.strip().upper()]
    except KeyError:
        choices = ", ".join(SCOPES)
        raise ValueError(f"unknown level {value!r}; choose one of {choices}") from None


def scope_levels(scope: str | None) -> frozenset[str] | None:
    return SCOPES[scope][0] if scope else None


def item_level(item: Item | None) -> str:
    for tag in item.tags if item else ():
        if tag.upper() in _LEVEL_SPELLINGS:
            return _LEVEL_SPELLINGS[tag.upper()]
    return "FS"


def alignment_level(alignment: Alignment, source: Item | None) -> str:
    """The link's own tag (seed 002) or else its source item's (seed 000); none = FS."""
    if alignment.level.upper() in _LEVEL_SPELLINGS:
        return _LEVEL_SPELLINGS[alignment.level.upper()]
    return item_level(source)


def source_filter(
    catalog: Catalog, crosswalk_id: str, levels: frozenset[str] | None
) -> Callable[[Item], bool] | None:
    """The source items at ``levels``: their own tag, or a link of theirs tagged so."""
    if levels is None:
        return None
    crosswalk = catalog.crosswalk(crosswalk_id)

    def keep(item: Item) -> bool:
        links = [a for a in catalog.outgoing.get(item.key, []) if a.crosswalk == crosswalk.id]
        if not links:
            return item_level(item) in levels
        return any(alignment_level(a, item) in levels for a in links)

    return keep


# -- the matrix ------------------------------------------------------------------------

HEAT_STEPS = 4


@dataclass(frozen=True, slots=True)
class Cell:
    column: Item
    alignments: tuple[Alignment, ...]

    @property
    def count(self) -> int:
        return len(self.alignments)

    @property
    def heat(self) -> int:
        """1 … HEAT_STEPS by the count itself, so a grid of single links stays light."""
        return min(self.count, HEAT_STEPS)

    @property
    def strengths(self) -> str:
        return ", ".join(dict.fromkeys(a.strength for a in self.alignments if a.strength))


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
class ColumnGroup:
    area: Item | None
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class MatrixView:
    """The matrix as the page draws it: kept rows, shown columns, and what was left out."""

    groups: tuple[RowGroup, ...]
    columns: tuple[ColumnGroup, ...]
    all_columns: int  # target items in the framework
    has_outside: bool  # some row cites something outside the target framework

    @property
    def column_items(self) -> list[Item]:
        return [item for group in self.columns for item in group.items]

    @property
    def row_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    @property
    def hidden_columns(self) -> int:
        return self.all_columns - len(self.column_items)


def matrix_view(
    grid: Matrix, levels: frozenset[str] | None, *, all_columns: bool = False
) -> MatrixView:
    """Rows of cells keeping only links at ``levels`` (all if None); columns that no
    kept link cites are left out unless ``all_columns``."""

    def keep(alignments: tuple[Alignment, ...], source: Item) -> tuple[Alignment, ...]:
        if levels is None:
            return alignments
        return tuple(a for a in alignments if alignment_level(a, source) in levels)

    column_of = {i.code: i for i in grid.column_items}
    by_row: dict[str, list[tuple[str, tuple[Alignment, ...]]]] = {}
    for (row_code, column_code), alignments in grid.cells.items():
        by_row.setdefault(row_code, []).append((column_code, alignments))
    Row = tuple[Item, dict[str, Cell], tuple[Alignment, ...]]
    kept_rows: list[tuple[Item | None, list[Row]]] = []
    cited: set[str] = set()
    for group in grid.rows:
        rows: list[Row] = []
        for item in group.items:
            cells: dict[str, Cell] = {}
            for column_code, alignments in by_row.get(item.code, []):
                kept = keep(alignments, item)
                if kept and column_code in column_of:
                    cells[column_code] = Cell(column_of[column_code], kept)
            elsewhere = keep(grid.elsewhere.get(item.code, ()), item)
            if levels is None or elsewhere or cells:
                rows.append((item, cells, elsewhere))
                cited.update(cells)
        if rows:
            kept_rows.append((group.area, rows))
    columns = tuple(
        ColumnGroup(g.area, shown)
        for g in grid.columns
        if (shown := tuple(i for i in g.items if all_columns or i.code in cited))
    )
    order = [i.code for g in columns for i in g.items]
    groups = tuple(
        RowGroup(
            area,
            tuple(
                MatrixRow(item, tuple(cells.get(code) for code in order), elsewhere)
                for item, cells, elsewhere in rows
            ),
        )
        for area, rows in kept_rows
    )
    has_outside = any(not a.is_no_match for g in groups for r in g.rows for a in r.elsewhere)
    return MatrixView(groups, columns, len(grid.column_items), has_outside)


def level_choices(catalog: Catalog, crosswalk_id: str) -> list[tuple[str, str]]:
    """The scopes worth offering for a crosswalk, as (value, label)."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    present = {
        alignment_level(a, catalog.items.get((crosswalk.source_framework, a.source_code)))
        for a in catalog.by_crosswalk.get(crosswalk.id, [])
    }
    if len(present) < 2:
        return []
    return [(value, label) for value, (levels, label) in SCOPES.items() if levels & present]


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
