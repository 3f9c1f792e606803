"""Flat rows as CSV, and the one rule for a value in a cell.

Every CSV the CLI and the web app write goes through :func:`write_records` (or
:func:`write_csv`, for rows with stable keys): the CLI's ``--format csv``, the web
pages' ``?format=csv`` downloads, the workbook's CSV tables, the matrix and the
transcript example.  Each cell is :func:`cell_text` (terminal tables and XLSX sheets
use it too, so a list or a missing value reads the same wherever a row is shown), and
text a spreadsheet would run as a formula is neutralised
(:func:`crosswalk.formats.cells.csv_cell`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from typing import Any

from crosswalk.formats.cells import csv_cell


def cell_text(value: object) -> str:
    """Lists become ``"; "``-joined, None becomes empty, anything else its ``str``."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v) for v in value)
    return str(value)


def write_records(
    records: Iterable[Sequence[object]],
    stream: Any,  # anything with ``write(str)``: a text file, sys.stdout, a StringIO
    *,
    line_end: str = "\n",
) -> None:
    """Each record as a CSV line, each value as :func:`cell_text`, never as a formula.

    ``line_end`` is ``"\\n"`` for a terminal or a pipe; downloads meant for a
    spreadsheet pass ``"\\r\\n"`` as RFC 4180 has it.
    """
    writer = csv.writer(stream, lineterminator=line_end)
    for record in records:
        writer.writerow([csv_cell(cell_text(value)) for value in record])


def write_csv(
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    stream: Any,
    *,
    line_end: str = "\n",
) -> None:
    """A header row of ``columns``, then each row's values in that order (missing: empty)."""
    records = ([row.get(column) for column in columns] for row in rows)
    write_records(chain([columns], records), stream, line_end=line_end)
