"""Cells a spreadsheet will never run: the one guard against formula injection.

A spreadsheet runs a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (some
also a tab or a carriage return) as a formula, so a statement, a note or a code typed
into ``/map?codes=…`` such as ``=HYPERLINK("http://…","click")`` would run in the
reader's spreadsheet.  Following OWASP's guidance on CSV injection, everything we
write follows one rule — text is never a formula, a number stays a number:

* XLSX has cell types: every text goes through :func:`text_cell`, a string cell whose
  characters are unchanged (the workbook export, ``crosswalk matrix``, the web
  downloads).
* CSV has none: every cell goes through :func:`csv_cell` (the CLI's ``--format csv``,
  the web's ``?format=csv``, the workbook's CSV tables, the matrix, the transcript
  example), which puts an apostrophe before text that :func:`looks_like_formula` — the
  mark spreadsheets take for "this is text" and do not show.  A number where a number
  is meant (``-3``, ``+1.5``, ``2e-3``) is not a formula and is written as it is.
  Importing a workbook's CSV tables takes the apostrophe off again
  (:func:`from_csv_cell`), so export → import gives back the same text; text that
  itself starts with apostrophes before ``=`` gets one more, so that holds for it too.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import Cell

TEXT_FORMAT = "@"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


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


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet run ``text``?  It starts like a formula and is not a number."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def csv_cell(text: str) -> str:
    """``text`` for a CSV cell: behind an apostrophe when a spreadsheet would run it."""
    return "'" + text if looks_like_formula(text.lstrip("'")) else text


def from_csv_cell(text: str) -> str:
    """The text :func:`csv_cell` was given: its apostrophe taken off again."""
    return text[1:] if text.startswith("'") and looks_like_formula(text.lstrip("'")) else text
