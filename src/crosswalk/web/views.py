"""What the pages show, computed from library answers but free of HTTP and HTML.

Kept apart from the routes so the pages, the downloads and the JSON API compute the
same things once: the chains one crosswalk further than an item's own links, the
endorsement-level filter of a crosswalk, the matrix laid out as rows of cells, and the
highlighting of search hits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from crosswalk.catalog import Catalog
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


def parse_level(value: str | None) -> str | None:
    """The canonical level for a query value; ``ValueError`` names the choices."""
    if value is None or not value.strip():
        return None
    try:
        return _LEVEL_SPELLINGS[value.strip().upper()]
    except KeyError:
        raise ValueError(f"unknown level {value!r}; choose one of {', '.join(LEVELS)}") from None


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


# -- the matrix ------------------------------------------------------------------------

HEAT_STEPS = 4


@dataclass(frozen=True, slots=True)
class Cell:
    column: Item
    alignments: tuple[Alignment, ...]
    heat: int  # 1 … HEAT_STEPS

    @property
    def count(self) -> int:
        return len(self.alignments)

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


def matrix_rows(catalog: Catalog, grid: Matrix, level: str | None) -> list[RowGroup]:
    """The matrix as rows of cells, keeping only links at ``level`` (all if None)."""
    columns = grid.column_items
    top = max(grid.max_count, 1)

    def keep(alignments: tuple[Alignment, ...], source: Item) -> tuple[Alignment, ...]:
        if level is None:
            return alignments
        return tuple(a for a in alignments if alignment_level(a, source) == level)

    groups: list[RowGroup] = []
    for group in grid.rows:
        rows: list[MatrixRow] = []
        for item in group.items:
            cells: list[Cell | None] = []
            for column in columns:
                kept = keep(grid.cells.get((item.code, column.code), ()), item)
                heat = -(-len(kept) * HEAT_STEPS // top)  # ceiling: the busiest cell is darkest
                cells.append(Cell(column, kept, heat) if kept else None)
            elsewhere = keep(grid.elsewhere.get(item.code, ()), item)
            if level is None or elsewhere or any(cells):
                rows.append(MatrixRow(item, tuple(cells), elsewhere))
        if rows:
            groups.append(RowGroup(group.area, tuple(rows)))
    return groups


def level_choices(catalog: Catalog, crosswalk_id: str) -> list[tuple[str, str]]:
    """The levels that occur in a crosswalk, as (value, label) in ladder order."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    present = {
        alignment_level(a, catalog.items.get((crosswalk.source_framework, a.source_code)))
        for a in catalog.by_crosswalk.get(crosswalk.id, [])
    }
    return [(value, label) for value, label in LEVELS.items() if value in present]


# -- input and highlighting ------------------------------------------------------------

_SEPARATORS = re.compile(r"[,;\n]+")
_PRINTED_CODES = re.compile(r"[0-9][\w.]*(?:\s+[0-9][\w.]*)+")


def split_codes(values: list[str]) -> list[str]:
    """Codes from repeated parameters or one typed list ("2.1, 4.1" or "2.1 4.1").

    Names contain spaces, so a piece is split on spaces only when every part of it
    looks like a printed code.
    """
    codes: list[str] = []
    for value in values:
        for piece in _SEPARATORS.split(value):
            piece = piece.strip()
            if _PRINTED_CODES.fullmatch(piece):
                codes += piece.split()
            elif piece:
                codes.append(piece)
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
