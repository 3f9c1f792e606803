"""Flat rows (dicts with stable keys) as CSV, and the one rule for a value in a cell.

The CLI's ``--format csv`` and the web pages' ``?format=csv`` downloads both write
through :func:`write_csv`; terminal tables and XLSX sheets use :func:`cell_text` too,
so a list or a missing value reads the same wherever a row is shown.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def cell_text(value: object) -> str:
    """Lists become ``"; "``-joined, None becomes empty, anything else its ``str``."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v) for v in value)
    return str(value)


def write_csv(
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    stream: Any,  # anything with ``write(str)``: a text file, sys.stdout, a StringIO
    *,
    line_end: str = "\n",
) -> None:
    """A header row of ``columns``, then each row's values in that order (missing: empty).

    ``line_end`` is ``"\\n"`` for a terminal or a pipe; downloads meant for a
    spreadsheet pass ``"\\r\\n"`` as RFC 4180 has it.
    """
    writer = csv.writer(stream, lineterminator=line_end)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell_text(row.get(column)) for column in columns])
