"""The workbook as one XLSX file: the same five tables, one sheet each.

Coordinators live in Excel, so the spreadsheet form must say exactly what the CSV
folder says.  Every cell is written as text (``1.10`` must not become the number
1.1) and the document properties get a fixed date, so exporting the same data twice
gives files with equal content.  Reading goes through the same tolerant header
matching as CSV; cells a spreadsheet program turned into numbers or dates are turned
back into the text a person would have typed.
"""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from crosswalk.formats.workbook import (
    SHEETS,
    WorkbookError,
    canonical,
    from_tables,
    rows_from_records,
    tables,
)
from crosswalk.model import Dataset

FIXED_DATE = datetime.datetime(2000, 1, 1)


def write_xlsx(dataset: Dataset, path: Path) -> Path:
    """Write sheets Frameworks, Items, Aliases, Crosswalks, Alignments to ``path``."""
    workbook = Workbook(write_only=True)
    workbook.properties.created = FIXED_DATE
    workbook.properties.modified = FIXED_DATE
    workbook.properties.creator = "competency-crosswalk"
    rows = tables(dataset)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.title)
        worksheet.append(list(sheet.columns))
        for row in rows[sheet.name]:
            worksheet.append([row[c] for c in sheet.columns])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def read_xlsx(path: Path) -> Dataset:
    """Read a workbook written by :func:`write_xlsx` or edited by hand.

    Sheets are found by name like headers are (``alignments``, ``ALIGNMENTS``); other
    sheets are ignored, and a workbook with none of ours is refused.
    """
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise WorkbookError(
            f"{path}: not a readable XLSX workbook ({type(error).__name__}: {error})"
        ) from None
    try:
        by_name = {canonical(name): name for name in workbook.sheetnames}
        rows: dict[str, list[dict[str, str]]] = {}
        for sheet in SHEETS:
            name = by_name.get(sheet.name)
            if name is None:
                continue
            records = [[_cell(v) for v in r] for r in workbook[name].iter_rows(values_only=True)]
            if not records:
                continue
            rows[sheet.name] = rows_from_records(
                f"{path} sheet {name}", sheet, records[0], records[1:]
            )
    finally:
        workbook.close()
    if not rows:
        wanted = ", ".join(s.title for s in SHEETS)
        raise WorkbookError(f"{path}: no sheet named like {wanted}")
    return from_tables(rows, source=str(path))


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
