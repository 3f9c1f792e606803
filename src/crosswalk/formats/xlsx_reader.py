"""Reading any XLSX workbook within bounds: the one reader for imports and transcripts.

openpyxl reads whatever it is given: a 390 KB file holding one 400 MB string took a
server to 24 GB, a 2 MB one of 2,000 × 16,000 cells kept a CPU busy for ten minutes,
and a cell at XFD1048576 makes it fill in seventeen billion empty ones.  This reader
unzips and parses through :class:`~crosswalk.formats.xlsx_archive.XmlArchive` (the
zip checked before reading, the bytes counted while unzipping, no XML DTD), and counts
rows, columns, cells and characters as it goes, refusing at the first limit passed
(:mod:`crosswalk.formats.limits`).  A row or a cell reference past a limit is refused
when it is met, before anything between is made up; rows come as each chunk (64 KB of
XML) is parsed, so a caller that needs the first thirty rows reads little more.

Values are what openpyxl gives with ``data_only=True``: text, ``int`` or ``float``,
``bool``, a ``datetime`` (or ``time``/``timedelta``) for a number formatted as a date,
``None`` for an empty cell.  A formula cell gives the value last calculated (empty if
none) and is listed in :attr:`XlsxFile.formulas`, for the caller to refuse or note.
"""

from __future__ import annotations

import posixpath
from collections.abc import Generator, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import TracebackType

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from crosswalk.formats.limits import DATASET, Limits, Tally
from crosswalk.formats.xlsx_archive import Handler, XlsxError, XmlArchive, part_path

Value = str | int | float | bool | datetime | date | time | timedelta | None
MAX_FORMULAS_KEPT = 20

__all__ = ["Formula", "Value", "XlsxError", "XlsxFile"]


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell: where it is, and its formula as written (without the ``=``)."""

    sheet: str
    cell: str
    text: str


class XlsxFile:
    """An open workbook: its sheet names, and each sheet's rows read on demand.

    Use it as a context manager (or call :meth:`close`).  Every limit applies to the
    whole file, so reading two sheets counts the cells of both.
    """

    def __init__(self, source: bytes | Path, name: str, limits: Limits = DATASET) -> None:
        self.name = name
        self.limits = limits
        self.tally = Tally(name, limits)
        self.formulas: list[Formula] = []
        self.formula_count = 0
        self._readers: list[Generator[list[Value], None, None]] = []
        self._strings: list[str] | None = None
        self._strings_part: str | None = None
        self._styles_part: str | None = None
        self._epoch = CALENDAR_WINDOWS_1900
        self._dates: list[str] = []
        self.sheets: dict[str, str] = {}  # sheet name → its part, in the workbook's order
        self._archive = XmlArchive(source, name, limits, self.tally)
        try:
            self._find_parts()
        except BaseException:
            self._archive.close()
            raise

    # -- the workbook's structure ---------------------------------------------------

    def _find_parts(self) -> None:
        names = self._archive.names
        book = "xl/workbook.xml"
        if "_rels/.rels" in names:
            for _, rel in self._archive.elements("_rels/.rels", {"Relationships/Relationship"}):
                if rel.get("Type", "").endswith("/officeDocument"):
                    book = part_path("", rel.get("Target", ""))
        if book not in names:
            raise XlsxError(
                f"{self.name}: not an XLSX workbook (a zip archive without a workbook in it); "
                "save it again from your spreadsheet as .xlsx"
            )
        rels = part_path(posixpath.dirname(book), f"_rels/{posixpath.basename(book)}.rels")
        targets: dict[str, str] = {}
        if rels in names:
            for _, rel in self._archive.elements(rels, {"Relationships/Relationship"}):
                target = part_path(posixpath.dirname(book), rel.get("Target", ""))
                kind = rel.get("Type", "").rsplit("/", 1)[-1]
                targets[rel.get("Id", "")] = target if kind == "worksheet" else ""
                if kind == "sharedStrings":
                    self._strings_part = target
                elif kind == "styles":
                    self._styles_part = target
        wanted = {"workbook/workbookPr", "sheets/sheet"}
        for key, attributes in self._archive.elements(book, wanted):
            if key == "workbook/workbookPr":
                if attributes.get("date1904", "").lower() in ("1", "true"):
                    self._epoch = CALENDAR_MAC_1904
            elif targets.get(attributes.get("id", ""), "") in names:
                self.sheets[attributes.get("name", "")] = targets[attributes["id"]]
        self._dates = self._date_styles()

    def _date_styles(self) -> list[str]:
        """Per cell style (``s``): ``"date"``, ``"timedelta"`` or ``""``, as openpyxl decides."""
        if self._styles_part is None or self._styles_part not in self._archive.names:
            return []
        custom: dict[int, str] = {}
        styles: list[str] = []
        for key, attributes in self._archive.elements(
            self._styles_part, {"numFmts/numFmt", "cellXfs/xf"}
        ):
            with suppress(ValueError):
                number = int(attributes.get("numFmtId", "0"))
                if key == "numFmts/numFmt":
                    custom[number] = attributes.get("formatCode", "")
                    continue
                code = custom.get(number, BUILTIN_FORMATS.get(number, ""))
                kind = "date" if is_date_format(code) else ""
                styles.append("timedelta" if kind and is_timedelta_format(code) else kind)
        return styles

    def _shared_strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            if self._strings_part is not None and self._strings_part in self._archive.names:
                self._archive.parse(
                    self._strings_part, _Strings(self, self._strings_part, self._strings)
                )
        return self._strings

    # -- rows -----------------------------------------------------------------------

    def rows(self, sheet: str) -> Iterator[list[Value]]:
        """The rows of ``sheet`` from row 1 (a row left out is ``[]``), each to its last cell."""
        reader = self._rows(_Sheet(self, sheet, self.sheets[sheet]))
        self._readers.append(reader)
        return reader

    def _rows(self, sheet: _Sheet) -> Generator[list[Value], None, None]:
        expected = 1
        for _ in self._archive.steps(sheet.part, sheet):
            batch, sheet.done = sheet.done, []
            for number, cells in batch:
                while expected < number:  # rows a spreadsheet left out are empty rows
                    yield []
                    expected += 1
                yield cells
                expected += 1
            if sheet.finished:  # what follows <sheetData> holds no values
                return

    def noted(self, formula: Formula) -> None:
        self.formula_count += 1
        if len(self.formulas) < MAX_FORMULAS_KEPT:
            self.formulas.append(formula)

    def close(self) -> None:
        for reader in self._readers:  # each holds an unzipping stream open
            reader.close()
        self._archive.close()

    def __enter__(self) -> XlsxFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


# The elements the handlers act on, by the name expat gives them (namespace}local), in
# transitional and strict OOXML and without a namespace; any other element is None.
_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main}",
    "http://purl.oclc.org/ooxml/spreadsheetml/main}",
    "",
)
_KIND = {
    namespace + name: name
    for namespace in _NAMESPACES
    for name in ("si", "t", "rPh", "row", "c", "v", "f", "is", "sheetData")
}


class _Texts(Handler):
    """A handler collecting the text of the elements it turns :attr:`on` (not inside an
    ``<rPh>``, a reading aid), counted against the cell limit as it comes: one 400 MB
    string is refused at 32,767 characters, not read."""

    def __init__(self, book: XlsxFile, part: str) -> None:
        super().__init__(book._archive, part)
        self.tally = book.tally
        self.chars = book.limits.cell_chars
        self.parts: list[str] = []
        self.length = 0
        self.on = False
        self.phonetic = 0

    def where_text(self) -> str:
        raise NotImplementedError

    def text(self, data: str) -> None:
        if self.on:
            self.length += len(data)
            if self.length > self.chars:
                self.tally.text(self.length, self.where_text)
            self.parts.append(data)


class _Strings(_Texts):
    """The workbook's table of strings: ``<si>`` elements, plain or in rich-text runs."""

    def __init__(self, book: XlsxFile, part: str, into: list[str]) -> None:
        super().__init__(book, part)
        self.into = into

    def where_text(self) -> str:
        return f"{self.part} string {len(self.into) + 1:,}"

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            self.too_deep()
        kind = _KIND.get(name)
        if kind == "t":
            self.on = not self.phonetic
        elif kind == "si":
            self.tally.count(1, self.where_text)
            self.parts, self.length = [], 0
        elif kind == "rPh":
            self.phonetic += 1

    def end(self, name: str) -> None:
        self.depth -= 1
        kind = _KIND.get(name)
        if kind == "t":
            self.on = False
        elif kind == "si":
            self.into.append("".join(self.parts))
        elif kind == "rPh":
            self.phonetic -= 1


class _Sheet(_Texts):
    """One worksheet's ``<sheetData>``, parsed into rows of values as the XML comes.

    A row number or a cell reference past a limit is refused when it is met; the rows
    finished by each chunk wait in :attr:`done` for :meth:`XlsxFile.rows` to hand over.
    """

    def __init__(self, book: XlsxFile, sheet: str, part: str) -> None:
        super().__init__(book, part)
        self.book, self.sheet = book, sheet
        self.columns = book.limits.columns
        self.cells_limit = book.limits.cells
        self.strings = book._shared_strings()
        self.done: list[tuple[int, list[Value]]] = []
        self.finished = False
        self.number = 0  # the row being read
        self.row: list[Value] = []
        self.column = 0
        self.cell: dict[str, str] = {}
        self.values: dict[str, str] = {}  # the text of the cell's <v>, <f> or <is>
        self.field = ""  # which of them is open

    def where(self) -> str:
        return f"sheet {self.sheet} row {self.number:,}"

    def where_text(self) -> str:
        return f"sheet {self.sheet} cell {self.reference()}"

    def reference(self) -> str:
        return self.cell.get("r") or f"{_letters(self.column)}{self.number}"

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            self.too_deep()
        kind = _KIND.get(name)
        if kind == "c":
            reference = attributes.get("r")
            column = _column(reference, self) if reference else self.column + 1
            if column > self.columns or self.tally.cells >= self.cells_limit:
                self.tally.cell(column, self.where)
            self.tally.cells += 1
            self.column, self.cell, self.values = column, attributes, {}
        elif kind == "v" or kind == "f" or kind == "is":
            self.field, self.parts, self.length = kind, [], 0
            self.on = kind != "is"  # inline text is in the <t> elements inside
        elif kind == "t":
            self.on = self.field == "is" and not self.phonetic
        elif kind == "row":
            number = _number(attributes.get("r"), self.number + 1)
            if number <= self.number:
                where = f"{self.archive.name}: sheet {self.sheet}"
                raise XlsxError(
                    f"{where}: rows out of order (row {number} after row {self.number})"
                )
            self.number = number
            self.tally.row(number, self.where)
            self.row, self.column = [], 0
        elif kind == "rPh":
            self.phonetic += 1

    def end(self, name: str) -> None:
        self.depth -= 1
        kind = _KIND.get(name)
        if kind == "c":
            self._place(self._value())
        elif kind == "v" or kind == "f" or kind == "is":
            self.values[kind] = "".join(self.parts)
            self.field, self.on = "", False
        elif kind == "t":
            self.on = False
        elif kind == "row":
            self.done.append((self.number, self.row))
        elif kind == "rPh":
            self.phonetic -= 1
        elif kind == "sheetData":
            self.finished = True

    def _place(self, value: Value) -> None:
        if "f" in self.values:
            self.book.noted(Formula(self.sheet, self.reference(), self.values["f"]))
        if value is None:
            return
        if len(self.row) < self.column:
            self.row.extend([None] * (self.column - len(self.row)))
        self.row[self.column - 1] = value

    def _value(self) -> Value:
        kind = self.cell.get("t", "n")
        if kind == "inlineStr":
            return self.values.get("is")
        text = self.values.get("v")
        if text is None or (text == "" and kind != "str"):
            return None
        if kind == "s":
            index = _number(text, -1)
            if not 0 <= index < len(self.strings):
                raise XlsxError(
                    f"{self.archive.name}: {self.where_text()} refers to shared string "
                    f"{text[:20]!r}, which the workbook does not have"
                )
            return self.strings[index]
        if kind == "str" or kind == "e":
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            with suppress(ValueError):
                return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
            return text
        return self._number(text)

    def _number(self, text: str) -> Value:
        try:
            number: int | float = (
                float(text) if "." in text or "e" in text or "E" in text else int(text)
            )
        except ValueError:
            raise XlsxError(
                f"{self.archive.name}: {self.where_text()}: {text[:40]!r} is marked as a "
                "number but is not one"
            ) from None
        dates = self.book._dates
        style = _number(self.cell.get("s"), 0) if dates else 0
        kind = dates[style] if style < len(dates) else ""
        if kind:
            with suppress(OverflowError, ValueError):
                converted: datetime | time | timedelta = from_excel(
                    number, self.book._epoch, timedelta=kind == "timedelta"
                )
                return converted
        return number


def _number(text: str | None, default: int) -> int:
    """A whole number ≥ 0 from an attribute, or ``default`` when there is none."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else default


def _column(reference: str, sheet: _Sheet) -> int:
    """The column of a cell reference: ``B7`` → 2, ``XFD1`` → 16384."""
    letters = reference.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    if column is not None:
        return column
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        where = f"{sheet.archive.name}: sheet {sheet.sheet}"
        raise XlsxError(f"{where}: {reference[:20]!r} is not a cell reference")
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    if len(_COLUMNS) < 20_000:  # at most 18,278 references of 1 to 3 letters
        _COLUMNS[letters] = column
    return column


_COLUMNS: dict[str, int] = {}


def _letters(column: int) -> str:
    """2 → ``B``, 16384 → ``XFD``: a column as a spreadsheet names it."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
