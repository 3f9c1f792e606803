"""What the pages show, computed from library answers but free of HTTP and HTML.

Kept apart from the routes so the pages, the downloads and the JSON API lay out the
same things once: the matrix as rows of cells, the level scopes worth offering, and
the highlighting of search hits.  What the answers are (chains, levels, level
filters) is the library's: :mod:`crosswalk.query` and :mod:`crosswalk.levels`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from crosswalk.catalog import Catalog
from crosswalk.codes import split_codes as split_text
from crosswalk.levels import SCOPES, alignment_applies
from crosswalk.model import Alignment, Item, Provenance
from crosswalk.query import Link, Matrix, levels_present
from crosswalk.query import levels_on_links as levels_on_links  # the pages import both here
from crosswalk.query import scope_text as scope_text
from crosswalk.query.text import normalise, strip_tag
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


# -- items named ambiguously -----------------------------------------------------------


def named_items(catalog: Catalog, framework: str, text: str) -> list[Item]:
    """The items of ``framework`` that ``text`` may mean when the library's lookup calls
    it ambiguous (``/frameworks/imh/items/Advocacy``): read in the lookup's order — code
    ignoring case, then name, then alias (case, spacing, punctuation and a trailing
    level tag ignored) — the first reading that fits several items gives them."""
    wanted = {normalise(text), normalise(strip_tag(text))} - {""}

    def reads_as(spellings: list[str]) -> bool:
        return any(normalise(s) in wanted or normalise(strip_tag(s)) in wanted for s in spellings)

    items = catalog.items_of(framework)
    for fits in (
        lambda i: i.code.lower() == text.strip().lower(),
        lambda i: reads_as([i.name]),
        lambda i: reads_as([a.text for a in i.aliases if a.kind != "statement"]),
    ):
        found = [i for i in items if fits(i)]
        if len(found) > 1:
            return found
    return []


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
        return tuple(a for a in alignments if alignment_applies(a, source, levels))

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
