"""How much a file we read may hold: one set of limits, checked by every reader.

A workbook, a CSV file or a JSON package comes from someone we do not control, and a
few kilobytes can describe gigabytes (a zip bomb, one 400 MB string) or minutes of
work (millions of cells).  So every reader — the workbook reader
(:mod:`crosswalk.formats.xlsx_reader`), CSV and TSV (:func:`bounded_csv`), JSON
(:func:`load_json`) — counts what it reads *while* it reads, and stops at the first
limit passed with a :class:`LimitError` naming the file, the limit and its value.  A
hostile file is refused after a bounded amount of memory and time, not after it has
been read.

The values fit the domain.  Frameworks and crosswalks have tens of thousands of rows
at most (the bench's 20,000-item framework exports as a 24 MB sheet of 480,000
cells); a training transcript has a few hundred.  A cell holds at most 32,767
characters, Excel's own limit, so whatever is accepted can be written back to a
workbook.  :data:`DATASET` bounds imports; :data:`TRANSCRIPT` bounds transcripts,
which the web app reads from uploads and which are far smaller.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from crosswalk.formats.errors import ExchangeError

MB = 1024 * 1024
# Where in the file, for a message: text, or a function making it (only when needed).
Where = str | Callable[[], str]


@dataclass(frozen=True, slots=True)
class Limits:
    """The most one file may hold; a reader refuses the file at the first one passed."""

    rows: int = 100_000  # rows of one sheet or CSV file (row numbers, header included)
    columns: int = 256  # cells in one row (Excel 97's 256 columns, A to IV)
    cells: int = 2_000_000  # cells of a whole file; values of a JSON document
    cell_chars: int = 32_767  # characters in one cell, field or JSON string (Excel's limit)
    json_depth: int = 64  # arrays and objects inside each other (a CASE package needs 4)
    xml_depth: int = 32  # elements inside each other in a workbook part (they need 8)
    part_bytes: int = 64 * MB  # one part of a workbook (a sheet, its strings), unzipped
    workbook_bytes: int = 256 * MB  # all the parts of a workbook, unzipped
    ratio: int = 100  # unzipped / zipped size of a part over 1 MB (real sheets: 5–20)
    parts: int = 1_000  # files inside a workbook's zip archive (real ones: 10–50)
    file_bytes: int = 200 * MB  # the file itself (imports: CROSSWALK_MAX_IMPORT_BYTES)


DATASET = Limits()
# Transcripts arrive as uploads of at most a few megabytes and list a few hundred
# trainings (20,000 rows of 10 columns is far more than any person's); the tighter
# bounds keep what a hostile upload costs to a fraction of a second.
TRANSCRIPT = replace(
    DATASET, cells=200_000, part_bytes=16 * MB, workbook_bytes=64 * MB, file_bytes=5 * MB
)
# What the csv module says when a field outgrows its own (larger) field size limit.
_CSV_FIELD_LIMIT = "field larger than field limit"


class LimitError(ExchangeError):
    """A file past one of the :class:`Limits`; the message names the file and the limit."""


def show_bytes(size: int) -> str:
    """``200 MB`` for 200 × 2²⁰ bytes: sizes in the binary units the limits are set in."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            amount = size / scale
            return f"{amount:.0f} {unit}" if amount.is_integer() else f"{amount:.1f} {unit}"
    return f"{size} bytes"


def over(source: str, what: str, limit: str) -> LimitError:
    """``source: what (limit: limit)`` — the shape of every limit message."""
    return LimitError(f"{source}: {what} (limit: {limit})")


class Tally:
    """What a reader has read so far from one file, refused at the first limit passed.

    ``where`` arguments ("sheet Items row 7", or a function returning it, so a reader
    builds it only for a message) locate the offending row or cell; rows are checked by
    number, so a reader can refuse row 1,048,576 before reading what lies between.
    """

    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.cells = 0

    def row(self, number: int, where: Where) -> None:
        if number > self.limits.rows:
            raise over(self.source, f"{_at(where)}: too many rows", f"{self.limits.rows:,} rows")

    def cell(self, column: int, where: Where) -> None:
        if column > self.limits.columns:
            what = f"{_at(where)}: a cell in column {column:,}"
            raise over(self.source, what, f"{self.limits.columns} columns")
        self.count(1, where)

    def count(self, values: int, where: Where) -> None:
        """``values`` more cells (or JSON values) read."""
        self.cells += values
        if self.cells > self.limits.cells:
            what = f"{_at(where)}: too many cells"
            raise over(self.source, what, f"{self.limits.cells:,} cells in a file")

    def text(self, length: int, where: Where) -> None:
        if length > self.limits.cell_chars:
            what = f"{_at(where)}: a text too long"
            raise over(self.source, what, f"{self.limits.cell_chars:,} characters in a cell")

    def record(self, number: int, record: list[str]) -> None:
        """One CSV record (row ``number``, the header being row 1), checked field by field."""
        where = f"row {number:,}"
        self.row(number, where)
        for column, field in enumerate(record, 1):
            self.cell(column, where)
            self.text(len(field), f"{where}, field {column}")


def _at(where: Where) -> str:
    return where if isinstance(where, str) else where()


def bounded_csv(source: str, reader: Iterator[list[str]], limits: Limits) -> Iterator[list[str]]:
    """The records of a :func:`csv.reader`, refused at the first row past a limit.

    Other :class:`csv.Error`\\ s (malformed quoting) pass through for the caller to
    word; so does :class:`LimitError`.
    """
    tally = Tally(source, limits)
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if _CSV_FIELD_LIMIT in str(error):
                tally.text(limits.cell_chars + 1, f"row {number + 1}")
            raise
        number += 1
        tally.record(number, record)
        yield record


def load_json(source: str, text: str, limits: Limits = DATASET) -> Any:
    """Parse JSON ``text``, refusing a document nested, long or large past ``limits``.

    The parser recurses, so ``[`` × 100,000 is refused as too deep rather than ending
    in :class:`RecursionError`.  While it parses, the members of each object are
    counted, so a document of millions of values is refused once past the limit, not
    after all of it is in memory (a 190 MB package took 820 MB); then one iterative walk
    checks depth, text length and the number of values exactly.  Malformed JSON raises
    :class:`json.JSONDecodeError`.
    """
    too_deep = over(source, "arrays and objects nested too deeply", f"{limits.json_depth} levels")
    too_many = over(source, "too many values", f"{limits.cells:,} values in a file")
    members = 0

    def counted(members_of: dict[str, Any]) -> dict[str, Any]:
        nonlocal members
        members += len(members_of)  # never more than the walk below counts
        if members > limits.cells:
            raise too_many
        return members_of

    try:
        document = json.loads(text, object_hook=counted)
    except RecursionError:
        raise too_deep from None
    _check_parsed(document, Tally(source, limits), too_deep, too_many)
    return document


def _check_parsed(document: Any, tally: Tally, too_deep: LimitError, too_many: LimitError) -> None:
    """Depth, text lengths and the number of values of a parsed JSON ``document``.

    One level of nesting at a time, each value looked at once by its exact type (the
    parser makes no subclasses) and each object's names measured together: a 20,000
    item package has 1.4 million values, so what is done per value is the cost.
    """
    limits = tally.limits
    longest = limits.cell_chars
    level: list[Any] = [document]
    depth = 0
    while level:
        depth += 1
        below: list[Any] = []
        for value in level:
            kind = type(value)
            if kind is str:
                if len(value) > longest:
                    tally.text(len(value), "a JSON string")
                continue
            if kind is dict:
                if value and max(map(len, value)) > longest:
                    tally.text(longest + 1, "a JSON name")
                children = value.values()
            elif kind is list:
                children = value
            else:
                continue
            if depth > limits.json_depth:
                raise too_deep
            tally.cells += len(value)
            below += children
        if tally.cells > limits.cells:
            raise too_many
        level = below
