"""Hostile and garbage files are refused with one line naming the file and the limit.

Issue 8: a 390 KB workbook holding one 400 MB string took the server to 24 GB, a 2 MB
one of 2,000 × 16,000 cells kept a CPU busy for ten minutes, a workbook with a DTD
gave a 500, ``[`` × 100,000 a RecursionError traceback, ``crosswalk import x.txt`` a
``KeyError``.  The files come from ``bench/hostile_files.py`` (the benches send the
same ones, at full size; here they are smaller but still past every limit).  Each is
refused by the one bounded reader (:mod:`crosswalk.formats.xlsx_reader`,
:mod:`crosswalk.formats.limits`), through the import, before the database is opened.
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosswalk.catalog import Catalog
from crosswalk.cli import app
from crosswalk.formats import case
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.exchange import import_file
from crosswalk.formats.limits import LimitError, Limits, load_json
from crosswalk.formats.xlsx_archive import XlsxError
from crosswalk.formats.xlsx_reader import XlsxFile
from crosswalk.sources.bundled import load_bundled
from hostile import files

MB = 1024 * 1024
Maker = Callable[[Path], Path]

# (maker, words the message must hold): each past a limit of the import (DATASET).
WORKBOOKS: dict[str, tuple[Maker, tuple[str, ...]]] = {
    "one 80 MB shared string": (
        lambda f: files.shared_string_bomb(f, megabytes=80),
        ("xl/sharedStrings.xml unzips to 80.0 MB", "limit: 64 MB for one part"),
    ),
    "a million tiny shared strings": (
        lambda f: files.many_strings_bomb(f, count=100_000),
        ("xl/sharedStrings.xml is compressed", "zip bomb", "limit: 100 to 1"),
    ),
    "300 columns": (
        lambda f: files.wide_sheet(f, rows=3, columns=300),
        ("sheet Items row 2: a cell in column 257", "limit: 256 columns"),
    ),
    "a cell at XFD1048576": (
        files.sparse_sheet,
        ("sheet Items row 1,048,576: too many rows", "limit: 100,000 rows"),
    ),
    "billion laughs": (files.billion_laughs, ("xl/sharedStrings.xml", "<!DOCTYPE")),
    "external entity": (files.external_entity, ("xl/sharedStrings.xml", "<!DOCTYPE")),
    "a directory that lies": (
        lambda f: files.lying_sizes(f, megabytes=8),
        ("not a readable XLSX workbook", "sharedStrings.xml"),
    ),
}


@pytest.mark.parametrize("case_name", list(WORKBOOKS))
def test_hostile_workbooks_are_refused_by_the_import(
    case_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make, words = WORKBOOKS[case_name]
    path = make(tmp_path)
    opened: list[str] = []
    monkeypatch.setattr("crosswalk.store.open_repository", lambda *a, **k: opened.append("db"))
    tracemalloc.start()
    try:
        with pytest.raises(ExchangeError) as raised:
            import_file(path, check=True, url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(raised.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message
    for word in words:
        assert word in message, message
    assert opened == []  # refused before the database was opened
    assert peak < 20 * MB, f"{peak / MB:.0f} MB held while refusing {case_name}"


def test_a_formula_in_an_imported_workbook_is_refused_with_its_cell(tmp_path: Path) -> None:
    """Before: the statement of X2 was imported as "" (no value had been calculated)."""
    path = files.formula_workbook(tmp_path)
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with pytest.raises(ExchangeError) as raised:
        import_file(path, url=url, seed=False)
    message = str(raised.value)
    assert "sheet Items cell D3 holds a formula" in message
    assert '=HYPERLINK("https://example.org","x")' in message
    assert "paste values" in message


def test_the_same_workbook_without_its_formula_imports(tmp_path: Path) -> None:
    """The formula is what is refused: the file is otherwise a good import."""
    path = files.formula_workbook(tmp_path, formula="A second statement")
    report = import_file(path, url=f"sqlite:///{tmp_path / 'db.sqlite3'}", seed=False)
    assert report.written and report.summary() == "1 framework added, 2 items added"


# -- each limit of the reader, at its edge ------------------------------------------------


def _sheet(tmp_path: Path, rows: list[list[str]], shared: bool = False) -> Path:
    """A raw one-sheet workbook; text cells inline, or through the shared strings."""
    strings: list[str] = []

    def cell(text: str) -> str:
        if not shared:
            return f'<c t="inlineStr"><is><t>{text}</t></is></c>'
        strings.append(text)
        return f'<c t="s"><v>{len(strings) - 1}</v></c>'

    body = [f'<row r="{n}">{"".join(cell(t) for t in row)}</row>' for n, row in enumerate(rows, 1)]
    table = (
        [f"<si><t>{t}</t></si>".encode() for t in strings] if shared else None
    )  # built after the rows, so every string is there
    return files.raw_workbook(
        tmp_path / "sheet.xlsx",
        files._sheet(b.encode() for b in body),
        files._strings(table, len(strings)) if table is not None else None,
    )


def _rows(path: Path, limits: Limits) -> list[list[object]]:
    with XlsxFile(path, path.name, limits) as book:
        return [row for sheet in book.sheets for row in book.rows(sheet)]


@pytest.mark.parametrize(
    ("limits", "words"),
    [
        (Limits(rows=3), "sheet Items row 4: too many rows (limit: 3 rows)"),
        (Limits(columns=2), "sheet Items row 1: a cell in column 3 (limit: 2 columns)"),
        (Limits(cells=10), "too many cells (limit: 10 cells in a file)"),
        (Limits(cell_chars=5), "sheet Items cell C1: a text too long (limit: 5 characters"),
    ],
)
@pytest.mark.parametrize("shared", [False, True])
def test_every_limit_is_checked_while_reading(
    tmp_path: Path, limits: Limits, words: str, shared: bool
) -> None:
    rows = [["a", "b", "long text"], ["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]]
    path = _sheet(tmp_path, rows, shared)
    assert len(_rows(path, Limits())) == 4
    with pytest.raises(LimitError) as raised:
        _rows(path, limits)
    if shared and limits.cell_chars == 5:  # the strings table is read first
        words = "xl/sharedStrings.xml string 3: a text too long (limit: 5 characters"
    message = str(raised.value)
    assert message.startswith("sheet.xlsx: ") and words in message, message


def test_limits_on_the_archive_are_checked_before_unzipping(tmp_path: Path) -> None:
    path = _sheet(tmp_path, [["a", "b"]])
    with pytest.raises(LimitError, match=r"files in the archive \(limit: 3 files\)"):
        _rows(path, Limits(parts=3))
    with pytest.raises(LimitError, match=r"unzips to .* \(limit: 100 bytes for one part"):
        _rows(path, Limits(part_bytes=100))
    with pytest.raises(LimitError, match=r"the workbook unzips to .* \(limit: 1000 bytes"):
        _rows(path, Limits(workbook_bytes=1000))


def test_deeply_nested_xml_is_refused(tmp_path: Path) -> None:
    nested = b"<x>" * 1000 + b"</x>" * 1000
    path = files.raw_workbook(tmp_path / "nested.xlsx", files._sheet([nested]))
    with pytest.raises(LimitError, match=r"elements nested too deeply \(limit: 32 levels\)"):
        _rows(path, Limits())


def test_a_caller_reading_the_first_rows_reads_no_further(tmp_path: Path) -> None:
    """Row 1,048,576 is past the limit, but the caller stops after 30 rows: the reader
    unzips and parses a chunk (64 KB) at a time, and never gets that far."""
    rows = [files._header_row()]
    rows += [f'<row r="{n}"><c><v>{n}</v></c></row>'.encode() for n in range(2, 10_000)]
    rows.append(b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')
    path = files.raw_workbook(tmp_path / "far.xlsx", files._sheet(rows))
    with XlsxFile(path, "far.xlsx") as book:
        first = list(islice(book.rows("Items"), 30))
    assert first[0] == list(files.HEADER) and first[29] == [30]
    with (
        pytest.raises(LimitError, match="row 1,048,576: too many rows"),
        XlsxFile(path, "far.xlsx") as book,
    ):
        list(book.rows("Items"))


def test_workbook_values_are_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    """Dates (by their style), numbers, booleans, rich text, gaps: as openpyxl gives them."""
    import datetime as dt

    from openpyxl import Workbook, load_workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Title", "Date", "Hours", "Codes", "When"])
    sheet.append(["A", dt.date(2023, 3, 14), 1.5, 1.1, dt.datetime(2023, 1, 2, 3, 4, 5)])
    sheet.append(["B", dt.datetime(2023, 3, 14), 2, "1.10", dt.time(1, 30)])
    sheet.append([None, None, None])
    sheet.append(["C", True, False, -3, 1e20])
    sheet["G8"] = "far"
    sheet["B9"] = dt.timedelta(hours=30)
    sheet["A10"] = CellRichText("plain ", TextBlock(InlineFont(b=True), "bold"))
    book.create_sheet("Second")["C3"] = "x"
    path = tmp_path / "values.xlsx"
    book.save(path)
    expected = {
        name: [list(row) for row in load_workbook(path, read_only=True)[name].values]
        for name in ("Sheet", "Second")
    }
    with XlsxFile(path, "values.xlsx") as read:
        assert list(read.sheets) == ["Sheet", "Second"]
        for name, rows in expected.items():
            mine = list(read.rows(name))
            assert len(mine) == len(rows)
            for ours, theirs in zip(mine, rows, strict=True):
                while theirs and theirs[-1] is None:
                    theirs.pop()
                assert ours == theirs


# -- JSON and CSV: the same limits -------------------------------------------------------


def test_deeply_nested_json_is_a_one_line_error_not_a_recursion_error(tmp_path: Path) -> None:
    path = files.deep_json(tmp_path)
    with pytest.raises(LimitError) as raised:
        import_file(path, check=True, url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert str(raised.value) == (f"{path}: arrays and objects nested too deeply (limit: 64 levels)")


def test_json_values_are_counted() -> None:
    with pytest.raises(
        LimitError, match=r"^x.json: too many values \(limit: 10 values in a file\)"
    ):
        load_json("x.json", json.dumps([list(range(5)), list(range(5))]), Limits(cells=10))


def test_a_json_text_longer_than_a_cell_is_refused(tmp_path: Path) -> None:
    """Whatever is imported can be exported to XLSX, whose cells hold 32,767 characters."""
    package = case.framework_package(Catalog(load_bundled()), "iecmhc")
    package["CFItems"][1]["fullStatement"] = "x" * 40_000
    path = tmp_path / "long.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(LimitError, match=r"a text too long \(limit: 32,767 characters in a cell\)"):
        import_file(path, check=True, url=f"sqlite:///{tmp_path / 'db.sqlite3'}")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda f: files.huge_csv_field(f, megabytes=1), "row 2: a text too long"),
        (lambda f: files.wide_csv(f, columns=300), "row 1: a cell in column 257"),
        (lambda f: files.long_csv(f, rows=110_000), "row 100,001: too many rows"),
    ],
)
def test_hostile_csv_files_are_refused(make: Maker, words: str, tmp_path: Path) -> None:
    path = make(tmp_path)
    with pytest.raises(LimitError) as raised:
        import_file(path, check=True, url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert str(raised.value).startswith(f"{path}: {words}"), str(raised.value)


def test_a_field_just_past_the_cell_limit_is_refused_too(tmp_path: Path) -> None:
    """Below the csv module's own field limit (131,072), the reader's counts it."""
    path = tmp_path / "items.csv"
    path.write_text("framework,code,statement\nimh,X," + "a" * 40_000 + "\n", encoding="utf-8")
    with pytest.raises(LimitError, match=r"row 2, field 3: a text too long"):
        import_file(path, check=True, url=f"sqlite:///{tmp_path / 'db.sqlite3'}")


# -- garbage: what it looks like, what is accepted, what to do ---------------------------


GARBAGE: dict[str, tuple[Maker, tuple[str, ...]]] = {
    "x.txt": (files.plain_text, ("a text file named 'x.txt'", "--format csv|sssom")),
    "garbage.bin": (
        files.garbage,
        ("not a file to import: it is binary data", "CASE packages (.json)", ".xlsx"),
    ),
    "random.xlsx": (
        lambda f: files.garbage(f, "random.xlsx"),
        ("not an XLSX workbook: it is binary data", "crosswalk import reads"),
    ),
    "random.json": (
        lambda f: files.garbage(f, "random.json"),
        ("not a CASE JSON file: it is binary data", "crosswalk import reads"),
    ),
    "text.xlsx": (
        lambda f: files.plain_text(f, "text.xlsx"),
        ("not an XLSX workbook: it is text",),
    ),
}


@pytest.mark.parametrize("name", list(GARBAGE))
def test_garbage_gets_one_true_line_and_exit_1(name: str, tmp_path: Path) -> None:
    make, words = GARBAGE[name]
    path = make(tmp_path)
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = CliRunner().invoke(app, ["--database", database, "import", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    line = " ".join(result.stderr.split())
    assert line.startswith(f"Error: {path}:"), line
    assert len(result.stderr.strip().splitlines()) <= 2  # one line, wrapped at most once
    for word in words:
        assert word in line, line
    assert "looks like text" not in line
    assert not (tmp_path / "db.sqlite3").exists()  # nothing opened, nothing created


def test_a_workbook_limit_is_one_red_line_from_the_cli(tmp_path: Path) -> None:
    path = files.billion_laughs(tmp_path)
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = CliRunner().invoke(app, ["--database", database, "import", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert " ".join(result.stderr.split()).startswith(
        f"Error: {path}: xl/sharedStrings.xml declares an XML document type"
    )


def test_xlsx_errors_are_exchange_errors() -> None:
    """The interfaces catch one type: a workbook the reader refuses is an ExchangeError."""
    assert issubclass(XlsxError, ExchangeError) and issubclass(LimitError, ExchangeError)


def test_a_json_document_of_too_many_values_is_refused_while_it_is_parsed() -> None:
    """A package of millions of associations (190 MB: 820 MB of memory when parsed
    whole) is refused once the objects parsed pass the limit: here before the parser
    reaches the broken end of the document, which it would report otherwise."""
    text = "[" + '{"a": 1, "b": 2},' * 10_000 + "broken"
    with pytest.raises(LimitError, match=r"too many values \(limit: 100 values in a file\)"):
        load_json("many.json", text, Limits(cells=100))
