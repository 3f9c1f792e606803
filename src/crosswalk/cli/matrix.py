"""The ``matrix`` command: a crosswalk as a grid, in the terminal or as a spreadsheet.

The terminal heat-map prints one row per source item and one narrow column per target
item (codes written top to bottom), each cell shaded by how many alignments join the
two; the CSV and XLSX exports carry the same counts with the area groups as headers.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import typer
from rich.console import Console
from rich.text import Text

from crosswalk import files
from crosswalk.cli import output
from crosswalk.cli.session import catalog, database_file
from crosswalk.formats.tabular import write_records
from crosswalk.model import Item
from crosswalk.query import AxisGroup, Matrix, matrix

MATRIX_FORMATS = ("table", "csv", "xlsx", "json")
# Background shades for 1, 2, 3+ alignments in a cell (colour-blind-safe blues).
_SHADES = ("#9ecae1", "#4292c6", "#08519c")
_XLSX_FILLS = ("DEEBF7", "9ECAE1", "4292C6", "08519C")
_LABEL_WIDTH = 34
_MIN_LABEL = 16  # row labels are not shortened below this to fit the terminal
_MAX_VERTICAL = 6  # longest code written as a column head


@output.reports_errors
def matrix_(
    ctx: typer.Context,
    crosswalk: str = typer.Argument(..., help="Crosswalk id, e.g. imh-wv-ckc-2015."),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="table, csv, xlsx or json (default: table, or -o's extension)."
    ),
    out: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    force: bool = typer.Option(False, "--force", help=output.FORCE_HELP),
) -> None:
    """Source items × target items, each cell the number of alignments between them."""
    fmt = output.output_format(fmt, out, MATRIX_FORMATS)
    if fmt == "xlsx" and out is None:
        raise output.CommandError("--format xlsx needs a file", "-o matrix.xlsx")
    if out is not None:
        output.may_write([out], force=force, reads={"database": database_file(ctx)})
    data = catalog(ctx)
    grid = matrix(data, output.crosswalk(data, crosswalk).id)
    if fmt == "xlsx":
        assert out is not None
        write_xlsx(grid, out)
    elif fmt == "csv":
        if out is None:
            write_csv(grid, sys.stdout)
        else:
            with files.replacing(out) as stream:
                write_csv(grid, stream)
    elif fmt == "json":
        text = _json(grid)
        if out is None:
            output.emit_json(text)
        else:
            files.write_text(out, json.dumps(text, indent=2, ensure_ascii=False) + "\n")
    else:
        console = output.stdout()
        console.print(heat_map(grid, console.width), soft_wrap=True)
    if out is not None:
        Console(stderr=True).print(f"Wrote {out}")


def _json(grid: Matrix) -> dict[str, object]:
    """Keys: crosswalk; rows, columns (framework, code, name, area); cells (row, column,
    count); elsewhere (row, relation, note) for alignments that name no target item."""

    def axis(groups: tuple[AxisGroup, ...]) -> list[dict[str, str]]:
        return [
            {
                "framework": i.framework,
                "code": i.code,
                "name": i.name,
                "area": g.area.code if g.area else "",
            }
            for g in groups
            for i in g.items
        ]

    return {
        "crosswalk": grid.crosswalk.id,
        "rows": axis(grid.rows),
        "columns": axis(grid.columns),
        "cells": [
            {"row": row, "column": column, "count": len(cell)}
            for (row, column), cell in sorted(grid.cells.items())
        ],
        "elsewhere": [
            {"row": row, "relation": str(a.relation), "note": a.note or a.printed_target}
            for row, cell in grid.elsewhere.items()
            for a in cell
        ],
    }


def header_rows(grid: Matrix) -> tuple[list[str], list[str]]:
    """The two header rows of the spreadsheet forms: column areas, then column codes."""
    areas = ["", "", ""]
    codes = ["area", "code", "name"]
    for group in grid.columns:
        for n, item in enumerate(group.items):
            areas.append((group.area.name if group.area else "") if n == 0 else "")
            codes.append(item.code)
    return [*areas, ""], [*codes, "no target"]


def body_rows(grid: Matrix) -> list[list[str | int]]:
    rows: list[list[str | int]] = []
    for group in grid.rows:
        for item in group.items:
            counts: list[str | int] = [grid.count(item.code, c.code) for c in grid.column_items]
            elsewhere = grid.elsewhere.get(item.code, ())
            label = "; ".join(a.note or a.printed_target or str(a.relation) for a in elsewhere)
            rows.append(
                [group.area.name if group.area else "", item.code, item.name, *counts, label]
            )
    return rows


def write_csv(grid: Matrix, stream: TextIO) -> None:
    write_records([*header_rows(grid), *body_rows(grid)], stream)


def write_xlsx(grid: Matrix, path: Path) -> None:
    """One sheet, frozen headers, each non-empty cell filled by its count.

    Names, codes and notes are written as text (never as formulas), counts as numbers.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from crosswalk.formats.cells import text_cell

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Matrix"
    for header in header_rows(grid):
        sheet.append([text_cell(sheet, value) for value in header])
    for head in sheet[2]:
        head.font = Font(bold=True)
        head.alignment = Alignment(text_rotation=90)
    for row in body_rows(grid):
        sheet.append([v if isinstance(v, int) else text_cell(sheet, v) for v in row])
    first_data_column = 4
    for line in sheet.iter_rows(
        min_row=3, min_col=first_data_column, max_col=3 + len(grid.column_items)
    ):
        for cell in line:
            if isinstance(cell.value, int) and cell.value:
                shade = _XLSX_FILLS[min(cell.value, len(_XLSX_FILLS)) - 1]
                cell.fill = PatternFill("solid", start_color=shade, end_color=shade)
                if cell.value >= 3:
                    cell.font = Font(color="FFFFFF")
    sheet.freeze_panes = f"{get_column_letter(first_data_column)}3"
    sheet.column_dimensions["C"].width = 40
    files.save_workbook(book, path)


def _row_label(item: Item) -> str:
    """How a row is named: the printed code first ("6A.1 Helps families…"), else the name."""
    if item.name == item.code:
        return f"{item.code} {item.statement}".strip()
    return item.label


# Marks for a row's alignments that name no target item, in a column of their own.
_NO_MATCH, _OUTSIDE = "×", "†"


def heat_map(grid: Matrix, width: int = 200) -> Text:
    """Column headers written top to bottom over one-character cells; areas split by a bar.

    Short printed codes (``1.10``) head their own columns; long slug codes would not
    fit, so their columns are numbered and a legend follows the grid.  Every line fits
    ``width``: the cells close up (a bar only between areas), row labels shorten down to
    a floor, and a grid still too wide is printed in parts, each a run of whole areas
    where it can be.  A row's no-match (×) or outside reference (†) is marked in a
    column beside its label and spelled out under the grid.
    """
    columns = grid.column_items
    numbered = any(len(c.code) > _MAX_VERTICAL for c in columns)
    heads = {c.code: str(n) if numbered else c.code for n, c in enumerate(columns, start=1)}
    marks = 2 if grid.elsewhere else 0  # the mark column and a space
    spaced = _cells_width(grid.columns, spaced=True)
    label_width = max(_MIN_LABEL, min(_LABEL_WIDTH, width - marks - _cells_width(grid.columns)))
    room = width - label_width - marks
    spaced_fits = spaced <= room and label_width == _LABEL_WIDTH
    parts = _parts(grid.columns, room, spaced=spaced_fits)
    text = Text(f"{grid.crosswalk.title} ({grid.crosswalk.id})\n", style="bold")
    for n, part in enumerate(parts):
        if len(parts) > 1:
            first, last = heads[part[0].items[0].code], heads[part[-1].items[-1].code]
            gap = "\n" if n else ""
            text.append(f"{gap}Columns {first}–{last} of {len(columns)}\n", style="italic")
        _draw_part(text, grid, part, heads, label_width, marks, spaced_fits)
    _legend(text, grid, columns, heads, numbered, width)
    return text


def _cells_width(groups: Sequence[AxisGroup], *, spaced: bool = False) -> int:
    """Characters the cells of ``groups`` take: one per column (two when spaced apart),
    and a bar between areas."""
    columns = sum(len(g.items) for g in groups)
    return columns * (2 if spaced else 1) + max(0, len(groups) - 1)


def _parts(groups: tuple[AxisGroup, ...], room: int, *, spaced: bool) -> list[list[AxisGroup]]:
    """The column groups cut into runs whose cells fit ``room``; an area wider than the
    room on its own is cut into pieces of it."""
    per_column = 2 if spaced else 1
    pieces: list[AxisGroup] = []
    for group in groups:
        step = max(1, room // per_column)
        pieces += [
            AxisGroup(group.area, group.items[at : at + step])
            for at in range(0, len(group.items), step)
        ]
    parts: list[list[AxisGroup]] = [[]]
    for piece in pieces:
        if parts[-1] and _cells_width([*parts[-1], piece], spaced=spaced) > room:
            parts.append([])
        parts[-1].append(piece)
    return [part for part in parts if part]


def _draw_part(
    text: Text,
    grid: Matrix,
    part: list[AxisGroup],
    heads: dict[str, str],
    label_width: int,
    marks: int,
    spaced: bool,
) -> None:
    """The header lines and the rows of one run of column groups; a label keeps a space
    before the cells."""
    indent = label_width + marks
    cells = [(n > 0 and i == 0, item) for n, g in enumerate(part) for i, item in enumerate(g.items)]

    def gap(edge: bool) -> tuple[str, str]:
        if edge:
            return "│", "dim"
        return (" ", "") if spaced else ("", "")

    for line in range(max(len(heads[item.code]) for _, item in cells)):
        text.append(" " * indent)
        for edge, item in cells:
            head = heads[item.code]
            text.append(*gap(edge))
            text.append(head[line] if line < len(head) else " ")
        text.append("\n")
    for group in grid.rows:
        text.append((group.area.name if group.area else "—") + "\n", style="bold")
        for item in group.items:
            label = f" {_row_label(item)}"
            if len(label) > label_width - 1:
                label = label[: label_width - 2] + "…"
            text.append(label.ljust(label_width))
            if marks:
                text.append(_mark(grid, item.code).ljust(marks), style="bold magenta")
            for edge, column in cells:
                text.append(*gap(edge))
                count = grid.count(item.code, column.code)
                if count:
                    shade = _SHADES[min(count, len(_SHADES)) - 1]
                    text.append(str(count) if count < 10 else "+", style=f"bold white on {shade}")
                else:
                    text.append("·", style="dim")
            text.append("\n")


def _mark(grid: Matrix, code: str) -> str:
    found = grid.elsewhere.get(code, ())
    if any(a.is_no_match for a in found):
        return _NO_MATCH
    return _OUTSIDE if found else ""


def _legend(
    text: Text, grid: Matrix, columns: list[Item], heads: dict[str, str], numbered: bool, width: int
) -> None:
    """What the cells and marks mean, the outside references in full, and the numbered
    columns' items; long lines are cut at ``width`` (the terminal wraps nothing)."""

    def line(value: str) -> None:
        text.append((value if len(value) <= width else value[: width - 1] + "…") + "\n", "dim")

    if numbered:
        for column in columns:
            line(f"{heads[column.code]:>3} {column.label}")
    for group in grid.rows:
        for item in group.items:
            outside = [a for a in grid.elsewhere.get(item.code, ()) if not a.is_no_match]
            if outside:
                cited = "; ".join(a.printed_target or a.note for a in outside)
                line(f"{_OUTSIDE} {_row_label(item)} cites {cited}")
    text.append("cells: number of alignments (shaded); · none", style="dim")
    if grid.elsewhere:
        text.append(f"; {_NO_MATCH} stated as having no match", style="dim")
