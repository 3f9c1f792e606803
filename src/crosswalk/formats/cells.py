"""Spreadsheet cells that hold text as text: the one guard against formula injection.

openpyxl stores any string beginning with ``=`` as a formula, so a statement or note
such as ``=HYPERLINK("http://…","click")`` exported as-is would run in the reader's
spreadsheet.  Every XLSX writer (the workbook export, ``crosswalk matrix``, the web
app's downloads) passes its text through :func:`text_cell`, which keeps the value as
an ordinary string whatever it starts with.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell

TEXT_FORMAT = "@"


def text_cell(worksheet: Any, value: object, *, number_format: str | None = None) -> Cell:
    """A cell of ``worksheet`` (normal or write-only) holding ``value`` as plain text.

    ``None`` becomes an empty cell.  Hand the cell to ``worksheet.append`` in place of
    the value; ``number_format`` (e.g. :data:`TEXT_FORMAT`) is set when given.
    """
    # Placed at A1 until ``append`` moves it (openpyxl's own WriteOnlyCell does so too).
    cell = Cell(worksheet, row=1, column=1, value=None if value is None else str(value))
    if cell.value is not None:
        cell.data_type = "s"  # never "f" (formula), whatever the text starts with
    if number_format is not None:
        cell.number_format = number_format
    return cell
