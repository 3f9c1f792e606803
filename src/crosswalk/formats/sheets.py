"""The five tables of the workbook: their columns, required fields and header synonyms.

One definition serves the CSV folder, the XLSX file and the tolerant reader, so the
three cannot disagree about what a column is called.  The reading helpers shared by
CSV, XLSX and SSSOM (strict CSV records, tolerant header matching) live here too.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.limits import DATASET, bounded_csv

LIST_SEPARATOR = ";"


class WorkbookError(ExchangeError):
    """Bad input; the message names the file, the row and the field."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """One table: its file/sheet name, its columns in order, and what must be filled."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        """The XLSX sheet name (``Frameworks``); CSV files use :attr:`name`."""
        return self.name.capitalize()


FRAMEWORKS = Sheet(
    "frameworks",
    (
        "id",
        "title",
        "version",
        "publisher",
        "description",
        "notice",
        "sources",
        "status",
        "updated",
        "extensions",
        "replaces",
    ),
    required=("id",),
    synonyms=(
        ("framework", "id"),
        ("framework_id", "id"),
        ("name", "title"),
        ("source", "sources"),
        ("adoption_status", "status"),
        ("last_change_date_time", "updated"),
        ("last_changed", "updated"),
    ),
)
ITEMS = Sheet(
    "items",
    (
        "framework",
        "code",
        "name",
        "statement",
        "kind",
        "parent",
        "position",
        "tags",
        "provenance",
        "errata",
    ),
    required=("framework", "code"),
    synonyms=(
        ("framework_id", "framework"),
        ("item_code", "code"),
        ("human_coding_scheme", "code"),
        ("full_statement", "statement"),
        ("description", "statement"),
        ("abbreviated_statement", "name"),
        ("title", "name"),
        ("type", "kind"),
        ("item_type", "kind"),
        ("parent_code", "parent"),
        ("order", "position"),
        ("tag", "tags"),
        ("notes", "errata"),
    ),
)
ALIASES = Sheet(
    "aliases",
    ("framework", "code", "kind", "text", "provenance", "note"),
    required=("framework", "code", "text"),
    synonyms=(("framework_id", "framework"), ("item_code", "code"), ("alias", "text")),
)
CROSSWALKS = Sheet(
    "crosswalks",
    (
        "id",
        "title",
        "source_framework",
        "target_framework",
        "version",
        "publisher",
        "description",
        "source_document",
        "status",
    ),
    required=("id", "source_framework", "target_framework"),
    synonyms=(
        ("crosswalk", "id"),
        ("crosswalk_id", "id"),
        ("source", "source_framework"),
        ("from_framework", "source_framework"),
        ("target", "target_framework"),
        ("to_framework", "target_framework"),
        ("name", "title"),
    ),
)
ALIGNMENTS = Sheet(
    "alignments",
    (
        "crosswalk",
        "position",
        "source_code",
        "target_code",
        "relation",
        "strength",
        "level",
        "evidence",
        "note",
        "printed_target",
        "provenance",
        "confidence",
        "justification",
        "status",
        "author",
        "created",
    ),
    required=("crosswalk", "source_code"),
    synonyms=(
        ("crosswalk_id", "crosswalk"),
        ("source", "source_code"),
        ("from", "source_code"),
        ("source_item", "source_code"),
        ("target", "target_code"),
        ("to", "target_code"),
        ("target_item", "target_code"),
        ("predicate", "relation"),
        ("type", "relation"),
        ("tag", "level"),
        ("comment", "note"),
        ("notes", "note"),
        ("order", "position"),
    ),
)
SHEETS = (FRAMEWORKS, ITEMS, ALIASES, CROSSWALKS, ALIGNMENTS)


def strict_records(
    source: str, text: str | TextIO, delimiter: str = ",", first_line: int = 1
) -> list[list[str]]:
    """Every record of ``text``, refusing what a lenient reader would silently mend."""
    return [record for _, record in strict_reader(source, text, delimiter, first_line)]


def strict_reader(
    source: str, text: str | TextIO, delimiter: str = ",", first_line: int = 1
) -> Iterator[tuple[int, list[str]]]:
    """``(line the record starts on, record)`` for each record of ``text``.

    ``csv`` on its own reads an unterminated quote as a cell running to the end of the
    file; read strictly, that is "malformed CSV at row N", N being the row (the header
    is row 1) where the broken record starts, with the line of the file it starts on.
    ``text`` may be a file opened with ``newline=""``, read as the records are asked
    for; rows, fields and field lengths are bounded
    (:data:`~crosswalk.formats.limits.DATASET`), so a hostile file is refused early.
    """
    stream = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    records = bounded_csv(source, reader, DATASET)
    row, line = 0, 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except UnicodeDecodeError as error:
            raise WorkbookError(
                f"{source}: not UTF-8 text ({error.reason} near line {first_line + line}); "
                "save it as CSV UTF-8"
            ) from None
        except csv.Error as error:
            hint = " (an unterminated quote?)" if "end of data" in str(error) else ""
            raise WorkbookError(
                f"{source}: malformed CSV at row {row + 1} (line {first_line + line}): "
                f"{error}{hint}"
            ) from None
        yield first_line + line, record
        row, line = row + 1, reader.line_num


def canonical(header: str) -> str:
    """``"Source Code"``, ``"source-code"`` and ``" SOURCE_CODE "`` all become ``source_code``."""
    return re.sub(r"[\s\-./]+", "_", header.strip().lower()).strip("_")


def rows_from_records(
    source: str, sheet: Sheet, header: Sequence[str], records: Iterable[Sequence[str]]
) -> list[dict[str, str]]:
    """Map a header row and its records onto ``sheet``'s columns, tolerantly.

    Headers are matched after :func:`canonical` and through the sheet's synonyms;
    unknown columns are ignored, missing optional ones read as empty, blank rows are
    skipped, and a missing required column or a row longer than its header is an error.
    """
    index = header_index(source, sheet, header)
    rows = []
    for number, record in enumerate(records, 2):
        cells = list(record)
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise WorkbookError(
                f"{source}: row {number}: {len(cells)} cells but only {len(header)} headers "
                "(an unquoted comma?)"
            )
        row = {c: (cells[i] if i < len(cells) else "") for c, i in index.items()}
        row = {c: row.get(c, "") for c in sheet.columns}
        row[ROW_NUMBER] = str(number)
        rows.append(row)
    return rows


def header_index(source: str, sheet: Sheet, header: Sequence[str]) -> dict[str, int]:
    """Our column name → its position in ``header`` (tolerant; required ones must be there)."""
    synonyms = dict(sheet.synonyms)
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        key = canonical(name)
        key = key if key in sheet.columns else synonyms.get(key, key)
        if key in sheet.columns:
            if key in index:
                raise WorkbookError(f"{source}: column {name!r} given twice (as {key})")
            index[key] = position
    missing = [c for c in sheet.required if c not in index]
    if missing:
        raise WorkbookError(
            f"{source}: missing column(s) {', '.join(missing)} in the {sheet.name} header"
        )
    return index


# Carried through the rows so messages can name the line a person sees in the file.
ROW_NUMBER = "__row__"
