"""The workbook as one XLSX file: the same five tables, one sheet each.

Coordinators live in Excel, so the spreadsheet form must say exactly what the CSV
folder says.  Every column but ``position`` and ``confidence`` is written as text
*and formatted as text* (number format ``@``, on the cells and the whole column), so
``1.10`` typed again, or typed on a new row, stays ``1.10`` instead of becoming the
number 1.1.  The document properties get a fixed date, so exporting the same data
twice gives files with equal content.  Text is written through
:func:`~crosswalk.formats.cells.text_cell`, so a value starting with ``=`` stays text
and never becomes a formula.

Reading goes through the bounded reader (:mod:`crosswalk.formats.xlsx_reader`: a zip
bomb or a sheet of millions of cells is refused, not read) and the same tolerant
header matching as CSV.  A number in a code column (``code``, ``parent``,
``source_code``, ``target_code``, ``version``) is taken only when it is unambiguous (a
whole number: ``7`` is ``7``); a fraction or a date is refused with the sheet, row and
field named, because ``1.10`` and ``1.1`` differ and the number no longer says which
was meant.  A formula is refused with its cell named: the workbook holds values, and a
formula's value is whatever the spreadsheet last calculated, or nothing at all.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from crosswalk import files
from crosswalk.formats.cells import TEXT_FORMAT, text_cell
from crosswalk.formats.limits import DATASET
from crosswalk.formats.validate import Places
from crosswalk.formats.workbook import (
    SHEETS,
    Sheet,
    WorkbookError,
    canonical,
    from_tables,
    header_index,
    rows_from_records,
    tables,
)
from crosswalk.formats.xlsx_reader import XlsxFile
from crosswalk.model import Dataset

FIXED_DATE = datetime.datetime(2000, 1, 1)
# Written as numbers (a retyped number means the same); every other column is text.
NUMERIC_COLUMNS = {"position": int, "confidence": float}
# Columns where a number cannot be read back unambiguously ("1.10" vs "1.1").
CODE_COLUMNS = frozenset({"code", "parent", "source_code", "target_code", "version"})


def write_xlsx(dataset: Dataset, path: Path) -> Path:
    """Write sheets Frameworks, Items, Aliases, Crosswalks, Alignments to ``path``."""
    workbook = Workbook(write_only=True)
    workbook.properties.created = FIXED_DATE
    workbook.properties.modified = FIXED_DATE
    workbook.properties.creator = "competency-crosswalk"
    rows = tables(dataset)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.title)
        for number, column in enumerate(sheet.columns, 1):
            if column not in NUMERIC_COLUMNS:
                worksheet.column_dimensions[get_column_letter(number)].number_format = TEXT_FORMAT
        worksheet.append(list(sheet.columns))
        for row in rows[sheet.name]:
            worksheet.append([_write_cell(worksheet, c, row[c]) for c in sheet.columns])
    path.parent.mkdir(parents=True, exist_ok=True)
    files.save_workbook(workbook, path)
    return path


def _write_cell(worksheet: Any, column: str, text: str) -> Any:
    convert = NUMERIC_COLUMNS.get(column)
    if convert is not None and text:
        try:
            return convert(text)
        except ValueError:
            return text_cell(worksheet, text)
    return text_cell(worksheet, text, number_format=TEXT_FORMAT)


def read_xlsx(path: Path, places: Places | None = None) -> Dataset:
    """Read a workbook written by :func:`write_xlsx` or edited by hand."""
    return from_tables(xlsx_tables(path), str(path), places)


def xlsx_tables(path: Path) -> dict[str, list[dict[str, str]]]:
    """The rows of each of our sheets in the workbook; a sheet it lacks has no key.

    Sheets are found by name like headers are (``alignments``, ``ALIGNMENTS``); other
    sheets are ignored, and a workbook with none of ours (or only blank ones) is
    refused.  A blank sheet of ours is there with no rows.
    """
    with XlsxFile(path, str(path), DATASET) as workbook:
        by_name = {canonical(name): name for name in workbook.sheets}
        rows: dict[str, list[dict[str, str]]] = {}
        blank = 0
        for sheet in SHEETS:
            name = by_name.get(sheet.name)
            if name is None:
                continue
            values = list(workbook.rows(name))
            _refuse_formulas(workbook)
            while values and not values[-1]:
                values.pop()
            if not values:
                rows[sheet.name] = []
                blank += 1
                continue
            source = f"{path} sheet {name}"
            header = [_cell(v) for v in values[0]]
            _refuse_ambiguous_numbers(source, sheet, header, values[1:])
            records = [[_cell(v) for v in r] for r in values[1:]]
            rows[sheet.name] = rows_from_records(source, sheet, header, records)
    if len(rows) == blank:
        wanted = ", ".join(s.title for s in SHEETS)
        raise WorkbookError(f"{path}: no sheet named like {wanted}")
    return rows


def _refuse_formulas(workbook: XlsxFile) -> None:
    """A formula's value is what a spreadsheet last calculated (or nothing): not data."""
    if not workbook.formulas:
        return
    first = workbook.formulas[0]
    shown = first.text if len(first.text) <= 60 else first.text[:57] + "…"
    more = workbook.formula_count - 1
    raise WorkbookError(
        f"{workbook.name}: sheet {first.sheet} cell {first.cell} holds a formula (={shown})"
        + (f", as do {more} more cell{'s' if more > 1 else ''}" if more else "")
        + "; a workbook to import holds values — replace each formula by its value "
        "(copy, then paste values) or by the text meant"
    )


def _refuse_ambiguous_numbers(
    source: str, sheet: Sheet, header: list[str], records: list[list[Any]]
) -> None:
    """A fraction or date in a code column: the text that was typed cannot be known."""
    columns = [
        (column, position)
        for column, position in header_index(source, sheet, header).items()
        if column in CODE_COLUMNS
    ]
    for number, record in enumerate(records, 2):
        for column, position in columns:
            value = record[position] if position < len(record) else None
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, float) and not value.is_integer():
                raise WorkbookError(
                    f"{source}: {sheet.name} row {number}, field {column}: {value!r} is a "
                    "number; 1.10 and 1.1 differ — format the column as text and type the "
                    "code again"
                )
            if isinstance(value, datetime.datetime | datetime.date | datetime.time):
                raise WorkbookError(
                    f"{source}: {sheet.name} row {number}, field {column}: the spreadsheet "
                    f"turned it into a date ({value}) — format the column as text and type "
                    "the code again"
                )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)
