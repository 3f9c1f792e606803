"""Reading a training transcript (CSV or XLSX) the way people actually export them.

Registry exports and hand-kept spreadsheets differ in every detail: "Clock Hours" or
"Hrs", a title line above the header, "2.1; 4.1" or "CKC 2.1, 4.1", Windows-1252 text,
dates as 3/14/2023.  Reading is tolerant about all of that, because a new user should
not have to reshape a file to be told what it covers.  What cannot be read at all — no
recognisable header, not a spreadsheet, an empty file, a file past the limits
(:data:`~crosswalk.formats.limits.TRANSCRIPT`: a zip bomb, a sheet of millions of
cells) — stops with one :class:`TranscriptError` naming what to change; everything
else is kept raw enough for the engine to report per row.  Only the rows needed are
read: a header within the first rows, and at most :data:`MAX_ROWS` rows below it.

Nothing here knows the catalog: codes are split and their framework noted where the
file says it (a "CKC" prefix, a column named "IECMHC", a framework column), and the
engine resolves them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.limits import TRANSCRIPT, bounded_csv, show_bytes
from crosswalk.formats.xlsx_reader import XlsxFile
from crosswalk.readiness.cells import (
    CodeRef,
    cell_codes,
    column_framework,
    header_roles,
    normalise_header,
    one_decimal_number,
    parse_date,
    parse_hours,
)
from crosswalk.readiness.recognise import not_a_transcript

REQUIRED = ("title", "codes")
_HEADER_SEARCH_ROWS = 30
# Rows read below the header.  Far more than any real transcript (a few hundred
# trainings over a career), and a bound on what a small file can make us do: an XLSX
# is compressed, a few kilobytes can declare a million rows, and each row read is
# assessed (20,000 rows took 10 s of a core per upload; 5,000 — the size the readiness
# bench times — take about one).
MAX_ROWS = 5_000
# Codes read from one transcript: four a row at the row limit, of which at most 2,000
# different ones (a real transcript names a few dozen).  Each different code costs a
# lookup in every framework, and one cell may list thousands: 150 rows of 3,000 codes
# (a 5 MB upload) took a core for over a minute.  Rows past either limit are left out,
# with a note.
MAX_CODES = 20_000
MAX_DIFFERENT_CODES = 2_000


class TranscriptError(ValueError):
    """A file that cannot be read as a transcript at all; the message says why."""


@dataclass(frozen=True, slots=True)
class TranscriptRow:
    """One training (or reflective-supervision session) as read, row number included."""

    row: int
    title: str
    date_text: str = ""
    date: dt.date | None = None
    hours_text: str = ""
    hours: float | None = None
    provider: str = ""
    type_text: str = ""
    framework_text: str = ""
    codes: tuple[CodeRef, ...] = ()
    # One-decimal numbers in code cells, as shown ("1.1"): a spreadsheet may have
    # dropped a trailing zero (1.10); the assessment warns when that code exists.
    numbers: tuple[str, ...] = ()

    @property
    def is_reflective_supervision(self) -> bool:
        words = normalise_header(self.type_text)
        return "reflect" in words or words in {"rs", "rsc", "rs c", "supervision", "consultation"}


@dataclass(slots=True)
class Transcript:
    """The rows of a transcript and what was noticed while reading the file."""

    name: str
    rows: list[TranscriptRow]
    columns: dict[str, list[str]] = field(default_factory=dict)  # role -> headers found
    notes: list[str] = field(default_factory=list)

    @property
    def has_type_column(self) -> bool:
        return "type" in self.columns

    @property
    def has_hours_column(self) -> bool:
        return "hours" in self.columns


def load_transcript(path: Path | str) -> Transcript:
    """Read the transcript file at ``path`` (CSV or XLSX, told apart by content)."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(TRANSCRIPT.file_bytes + 1)
    except FileNotFoundError:
        raise TranscriptError(f"{path}: no such file") from None
    except OSError as error:
        raise TranscriptError(f"{path}: cannot be read ({error.strerror})") from None
    return read_transcript(data, path.name)


def read_transcript(data: bytes, name: str = "transcript") -> Transcript:
    """Read a transcript from memory: the web page never writes an upload to disk."""
    if len(data) > TRANSCRIPT.file_bytes:
        raise TranscriptError(
            f"{name}: larger than {show_bytes(TRANSCRIPT.file_bytes)}, the limit for a "
            "transcript (a few hundred trainings take a few kilobytes); check it is the "
            "transcript you meant"
        )
    if not data.strip():
        raise TranscriptError(f"{name}: the file is empty")
    looks_xlsx = name.lower().endswith((".xlsx", ".xlsm"))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, name)
    if looks_xlsx:
        raise TranscriptError(
            f"{name}: not an XLSX workbook (its content is not a workbook); "
            "save it again from your spreadsheet as .xlsx or as CSV"
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TranscriptError(f"{name}: an old .xls workbook; save it as .xlsx or as CSV")
    if data.startswith(b"%PDF"):
        raise TranscriptError(f"{name}: a PDF, not a spreadsheet; export the transcript as CSV")
    text, note = _decode(data, name)
    transcript = _read_table(_csv_records(text, name), name)
    if note:
        transcript.notes.insert(0, note)
    return transcript


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """The file's text and, if it was not UTF-8, a note saying how it was read."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), f"{name} is not UTF-8; it was read as UTF-16"
    if b"\x00" not in data:
        try:
            return data.decode("utf-8-sig"), ""
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        # UTF-16 without a byte-order mark: every other byte of plain text is zero.
        for half, encoding in ((data[1::2], "utf-16-le"), (data[0::2], "utf-16-be")):
            if half.count(0) > 0.9 * len(half) and len(data) % 2 == 0:
                note = f"{name} has no byte-order mark; it was read as {encoding.upper()}"
                return data.decode(encoding, errors="replace"), note
        raise TranscriptError(
            f"{name}: not a CSV text file (it contains binary data); "
            "export the transcript as CSV (UTF-8) or XLSX"
        )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text, f"{name} is not UTF-8; it was read as Windows-1252 (check accented letters)"


def _csv_records(text: str, name: str) -> list[list[str]]:
    """The rows of the CSV, with the delimiter that yields a recognisable header.

    Each delimiter is tried on the first rows only; then the file is read up to
    :data:`MAX_ROWS` rows below the header (and one more, to tell there were more).
    """
    if "\x00" in text:
        raise TranscriptError("not a CSV text file (it contains binary data)")
    first: list[list[str]] | None = None
    for delimiter in (",", "\t", ";", "|"):
        records = _csv_reader(text, delimiter, name)
        head = _take(records, _HEADER_SEARCH_ROWS, name)
        found = _find_header(head)
        if found is not None:
            return head + _take(records, found[0] + 2 + MAX_ROWS - len(head), name)
        first = head if first is None else first
    return first or []


def _csv_reader(text: str, delimiter: str, name: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return bounded_csv(name, reader, TRANSCRIPT)


def _take(records: Iterator[list[str]], count: int, name: str) -> list[list[str]]:
    try:
        return list(islice(records, max(count, 0)))
    except csv.Error as error:
        raise TranscriptError(f"{name}: not a readable CSV file ({error})") from None
    except ExchangeError as error:  # past a limit
        raise TranscriptError(str(error)) from None


def _read_xlsx(data: bytes, name: str) -> Transcript:
    """The first sheet with a header, up to :data:`MAX_ROWS` rows below it.

    Other sheets are read only as far as needed to look for a header.  A formula cell
    gives the value the spreadsheet last calculated (a totals row, hours worked out),
    and a note says so.
    """
    try:
        with XlsxFile(data, name, TRANSCRIPT) as workbook:
            first: list[Sequence[object]] | None = None
            for sheet in workbook.sheets:
                rows = workbook.rows(sheet)
                records: list[Sequence[object]] = [*islice(rows, _HEADER_SEARCH_ROWS)]
                found = _find_header(records)
                if found is None:
                    first = records if first is None else first
                    continue
                records += islice(rows, max(found[0] + 2 + MAX_ROWS - len(records), 0))
                transcript = _read_table(records, name)
                if workbook.formulas:
                    transcript.notes.append(_formula_note(workbook, name))
                return transcript
    except TranscriptError:
        raise
    except ExchangeError as error:  # not a workbook, or past a limit
        raise TranscriptError(str(error)) from None
    return _read_table(first or [], name)


def _formula_note(workbook: XlsxFile, name: str) -> str:
    cells = ", ".join(f.cell for f in workbook.formulas[:5])
    more = workbook.formula_count - min(len(workbook.formulas), 5)
    return (
        f"{name}: {workbook.formula_count} cell{'s' if workbook.formula_count > 1 else ''} "
        f"hold formulas ({cells}{f' and {more} more' if more > 0 else ''}); the values your "
        "spreadsheet last calculated were read (a formula never calculated reads as empty)"
    )


def _find_header(records: Sequence[Sequence[object]]) -> tuple[int, dict[str, list[int]]] | None:
    for index, record in enumerate(records[:_HEADER_SEARCH_ROWS]):
        roles = header_roles([_cell(v) for v in record])
        if all(role in roles for role in REQUIRED):
            return index, roles
    return None


def _read_table(records: Sequence[Sequence[object]], name: str) -> Transcript:
    found = _find_header(records)
    if found is None:
        first = next((r for r in records if any(_cell(v) for v in r)), [])
        refused = not_a_transcript(name, [_cell(v) for v in first])
        seen = ", ".join(repr(_cell(v)) for v in first if _cell(v)) or "nothing"
        raise TranscriptError(
            refused
            or f"{name}: no header row with a title column and a codes column "
            f"(first row holds {seen})"
        )
    header_index, roles = found
    header = [_cell(v) for v in records[header_index]]
    refused = not_a_transcript(name, header)
    if refused:
        raise TranscriptError(refused)
    transcript = Transcript(
        name, [], {role: [header[c] for c in cols] for role, cols in roles.items()}
    )
    if len(records) > header_index + 1 + MAX_ROWS:
        records = records[: header_index + 1 + MAX_ROWS]
        transcript.notes.append(
            f"{name} has more than {MAX_ROWS:,} rows below its header; only the first "
            f"{MAX_ROWS:,} (up to row {len(records)}) were read — split the file to "
            "assess the rest"
        )
    code_columns = [(c, column_framework(header[c])) for c in roles["codes"]]

    def value(record: Sequence[object], role: str) -> object:
        column = roles.get(role, [None])[0]
        return record[column] if column is not None and column < len(record) else None

    read = 0
    different: set[str] = set()
    for index in range(header_index + 1, len(records)):
        record = records[index]
        if read > MAX_CODES or len(different) > MAX_DIFFERENT_CODES:
            transcript.notes.append(
                f"{name} lists more than {MAX_CODES:,} codes or {MAX_DIFFERENT_CODES:,} "
                f"different ones; only the rows up to row {index} were read — split the "
                "file to assess the rest"
            )
            break
        if not any(_cell(v) for v in record):
            continue
        title = _cell(value(record, "title"))
        cells = [(record[c], framework) for c, framework in code_columns if c < len(record)]
        codes = tuple(ref for raw, framework in cells for ref in cell_codes(_cell(raw), framework))
        read += len(codes)
        different.update(ref.text.lower() for ref in codes)
        numbers = tuple(number for raw, _ in cells if (number := one_decimal_number(raw)))
        if not codes and normalise_header(title).startswith(("total", "grand total")):
            transcript.notes.append(f"row {index + 1} looks like a totals line; it is not counted")
            continue
        raw_date, raw_hours = value(record, "date"), value(record, "hours")
        transcript.rows.append(
            TranscriptRow(
                row=index + 1,
                title=title,
                date_text=_cell(raw_date),
                date=parse_date(raw_date),
                hours_text=_cell(raw_hours),
                hours=parse_hours(raw_hours),
                provider=_cell(value(record, "provider")),
                type_text=_cell(value(record, "type")),
                framework_text=_cell(value(record, "framework")),
                codes=codes,
                numbers=numbers,
            )
        )
    return transcript


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return " ".join(str(value).split())
