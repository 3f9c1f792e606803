"""The ``matrix`` command: a crosswalk as a grid, in the terminal or as a spreadsheet.

The terminal heat-map prints one row per source item and one narrow column per target
item (codes written top to bottom), each cell shaded by how many alignments join the
two; the CSV and XLSX exports carry the same counts with the area groups as headers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

import typer
from rich.console import Console
from rich.text import Text

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
            with out.open("w", newline="", encoding="utf-8") as stream:
                write_csv(grid, stream)
    elif fmt == "json":
        text = _json(grid)
        if out is None:
            output.emit_json(text)
        else:
            out.write_text(json.dumps(text, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        console = output.stdout()
        console.print(heat_map(grid, console.width), soft_wrap=True)
        if _grid_width(grid, _MIN_LABEL, compact=True) > console.width:
            output.note(
                f"The matrix is wider than the terminal ({console.width} columns); "
                f"use --format xlsx -o {grid.crosswalk.id}.xlsx for the full matrix."
            )
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
    book.save(path)


def _grid_width(grid: Matrix, label_width: int, *, compact: bool) -> int:
    """Characters a heat-map line takes (without the trailing no-match remark)."""
    columns = len(grid.column_items)
    edges = max(0, len(grid.columns) - 1)
    return label_width + (columns + edges if compact else 2 * columns)


def _row_label(item: Item) -> str:
    """How a row is named: the printed code first ("6A.1 Helps families…"), else the name."""
    if item.name == item.code:
        return f"{item.code} {item.statement}".strip()
    return item.label


def heat_map(grid: Matrix, width: int = 200) -> Text:
    """Column headers written top to bottom over one-character cells; areas split by a bar.

    Short printed codes (``1.10``) head their own columns; long slug codes would not
    fit, so their columns are numbered and a legend follows the grid.  To fit ``width``
    the cells close up (a bar only between areas) and row labels shorten, down to a
    floor below which the grid is left to overflow: a matrix with illegible labels is
    worth less than one that needs scrolling.
    """
    columns = grid.column_items
    numbered = any(len(c.code) > _MAX_VERTICAL for c in columns)
    heads = [str(n) if numbered else c.code for n, c in enumerate(columns, start=1)]
    edges = {g.items[0].code for g in grid.columns[1:] if g.items}
    compact = _grid_width(grid, _LABEL_WIDTH, compact=False) > width
    label_width = _LABEL_WIDTH
    if compact:
        spare = width - _grid_width(grid, 0, compact=True)
        label_width = max(_MIN_LABEL, min(_LABEL_WIDTH, spare))

    def gap(column: Item) -> tuple[str, str]:
        if column.code in edges:
            return "│", "dim"
        return ("", "") if compact else (" ", "")

    text = Text(f"{grid.crosswalk.title} ({grid.crosswalk.id})\n", style="bold")
    for line in range(max((len(h) for h in heads), default=0)):
        text.append(" " * label_width)
        for column, head in zip(columns, heads, strict=True):
            text.append(*gap(column))
            text.append(head[line] if line < len(head) else " ")
        text.append("\n")
    for group in grid.rows:
        text.append((group.area.name if group.area else "—") + "\n", style="bold")
        for item in group.items:
            label = f" {_row_label(item)}"
            if len(label) >= label_width:
                label = label[: label_width - 2] + "…"
            text.append(label.ljust(label_width))
            for column in columns:
                text.append(*gap(column))
                count = grid.count(item.code, column.code)
                if count:
                    shade = _SHADES[min(count, len(_SHADES)) - 1]
                    text.append(str(count) if count < 10 else "+", style=f"bold white on {shade}")
                else:
                    text.append("·", style="dim")
            if item.code in grid.elsewhere:
                remark = "  " + _elsewhere_label(grid, item.code)
                room = max(10, width - _grid_width(grid, label_width, compact=compact))
                if len(remark) > room:
                    remark = remark[: room - 1] + "…"
                text.append(remark, style="italic magenta")
            text.append("\n")
    if numbered:
        for head, column in zip(heads, columns, strict=True):
            text.append(f"{head:>3} {column.label}\n", style="dim")
    text.append("cells: number of alignments (shaded); · none", style="dim")
    return text


def _elsewhere_label(grid: Matrix, code: str) -> str:
    return "; ".join(
        "no match" if a.is_no_match else (a.printed_target or a.note) for a in grid.elsewhere[code]
    )
