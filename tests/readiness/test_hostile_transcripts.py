"""Transcripts past the limits, or with formulas: one line, never a traceback or a hang.

The transcript reader is the one the web app's upload uses, so its limits
(:data:`crosswalk.formats.limits.TRANSCRIPT`) are the tight ones: a few megabytes of
upload, a few hundred trainings.  The hostile files are ``bench/hostile_files.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosswalk.cli import app
from crosswalk.formats.limits import TRANSCRIPT
from crosswalk.readiness import TranscriptError, read_transcript
from hostile import files

Maker = Callable[[Path], Path]

HOSTILE: dict[str, tuple[Maker, str]] = {
    "one 20 MB shared string": (
        lambda f: files.shared_string_bomb(f, megabytes=20),
        "xl/sharedStrings.xml unzips to 20.0 MB (limit: 16 MB for one part of a workbook)",
    ),
    "20 × 300 cells": (
        lambda f: files.wide_sheet(f, rows=20, columns=300, references=True),
        "sheet Items row 2: a cell in column 257 (limit: 256 columns)",
    ),
    "1,100 × 200 cells": (
        lambda f: files.wide_sheet(f, rows=1_100, columns=200, references=True),
        "too many cells (limit: 200,000 cells in a file)",
    ),
    "a cell at XFD1048576": (
        files.sparse_sheet,
        "sheet Items row 1,048,576: too many rows (limit: 100,000 rows)",
    ),
    "billion laughs": (files.billion_laughs, "declares an XML document type (<!DOCTYPE …>)"),
    "external entity": (files.external_entity, "declares an XML document type (<!DOCTYPE …>)"),
    "300 CSV columns": (
        lambda f: files.wide_csv(f, columns=300),
        "row 1: a cell in column 257 (limit: 256 columns)",
    ),
    "a 1 MB CSV field": (
        lambda f: files.huge_csv_field(f, megabytes=1),
        "row 2: a text too long (limit: 32,767 characters in a cell)",
    ),
    "a 6 MB file": (
        lambda f: files.long_csv(f, rows=1_600_000),
        "larger than 5 MB, the limit for a transcript",
    ),
}


@pytest.mark.parametrize("case_name", list(HOSTILE))
def test_hostile_transcripts_are_refused_with_the_limit_named(
    case_name: str, tmp_path: Path
) -> None:
    make, words = HOSTILE[case_name]
    path = make(tmp_path)
    with pytest.raises(TranscriptError) as raised:
        read_transcript(path.read_bytes(), path.name)
    message = str(raised.value)
    assert message.startswith(f"{path.name}: ") and words in message, message
    assert "\n" not in message


def test_the_cli_says_it_in_one_red_line(tmp_path: Path) -> None:
    path = files.billion_laughs(tmp_path)
    result = CliRunner().invoke(app, ["readiness", str(path), "--category", "IFS"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    line = " ".join(result.stderr.split())
    assert line.startswith(f"Error: {path.name}: xl/sharedStrings.xml declares an XML document")


def test_a_big_file_is_not_read_past_the_limit(tmp_path: Path) -> None:
    """``crosswalk readiness`` reads at most the limit (and a byte) of a file, then stops."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as stream:
        stream.truncate(TRANSCRIPT.file_bytes * 200)  # a 1 GB sparse file: no disk used
    result = CliRunner().invoke(app, ["readiness", str(path), "--category", "IFS"])
    assert result.exit_code == 1
    assert "larger than 5 MB, the limit for a transcript" in " ".join(result.stderr.split())


def _formula_transcript(folder: Path) -> Path:
    """Hours worked out by a formula, and a totals row summing them, as Excel saves them."""

    def row(number: int, *cells: str) -> bytes:
        return f'<row r="{number}">{"".join(cells)}</row>'.encode()

    def text(reference: str, value: str) -> str:
        return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'

    rows = [
        row(1, text("A1", "Title"), text("B1", "Hours"), text("C1", "Codes")),
        row(2, text("A2", "Play"), '<c r="B2"><v>2</v></c>', text("C2", "1.1")),
        row(3, text("A3", "Families"), '<c r="B3"><f>B2*1.5</f><v>3</v></c>', text("C3", "2.1")),
        row(4, text("A4", "Total"), '<c r="B4"><f>SUM(B2:B3)</f><v>5</v></c>'),
        row(5, text("A5", "Safety"), '<c r="B5"><f>B2/2</f></c>', text("C5", "5.2")),
    ]
    return files.raw_workbook(folder / "formulas.xlsx", files._sheet(rows), sheet_name="Sheet1")


def test_formula_cells_give_their_last_value_and_a_note(tmp_path: Path) -> None:
    """A transcript is read as the spreadsheet shows it; the note says formulas were there
    (B5 was never calculated, so it reads as empty).  Before, nothing was said."""
    path = _formula_transcript(tmp_path)
    transcript = read_transcript(path.read_bytes(), path.name)
    assert [(r.title, r.hours) for r in transcript.rows] == [
        ("Play", 2.0),
        ("Families", 3.0),
        ("Safety", None),
    ]
    assert (
        "formulas.xlsx: 3 cells hold formulas (B3, B4, B5); the values your spreadsheet last "
        "calculated were read (a formula never calculated reads as empty)"
    ) in transcript.notes


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_transcript_is_read_up_to_2000_rows_and_the_report_says_so(
    tmp_path: Path, kind: str
) -> None:
    """Each row read is assessed: 20,000 rows cost 10 s of a core per upload.  The
    report of a longer file names the limit (the page shows the same notes)."""
    header = ["Title", "Date", "Hours", "CKC Codes"]
    rows = [[f"Training {n}", "2023-03-14", "2", "2.1; 4.1"] for n in range(5_500)]
    path = tmp_path / f"long.{kind}"
    if kind == "csv":
        path.write_text("\n".join(",".join(r) for r in [header, *rows]), encoding="utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in [header, *rows]:
            sheet.append(row)
        book.save(path)
    read = read_transcript(path.read_bytes(), path.name)
    assert len(read.rows) == 5_000
    assert f"{path.name} has more than 5,000 rows below its header" in read.notes[-1]
    result = CliRunner().invoke(
        app, ["readiness", str(path), "--category", "IFS", "-f", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "more than 5,000 rows below its header" in result.stdout


def _codes_transcript(rows: int, per_row: int) -> bytes:
    """``rows`` trainings, each listing ``per_row`` codes no framework has."""
    lines = ["Title,Date,Hours,CKC Codes"]
    for n in range(rows):
        codes = "; ".join(f"Z{n}.{i}" for i in range(per_row))
        lines.append(f'Training {n},2023-03-14,2,"{codes}"')
    return "\n".join(lines).encode("utf-8")


def test_a_transcript_of_thousands_of_codes_is_read_up_to_the_code_limit() -> None:
    """150 rows of 3,000 unknown codes (a 5 MB upload) took a core for over a minute:
    rows are read until the codes pass MAX_CODES, and the report says so."""
    from crosswalk.readiness.transcript import MAX_CODES, MAX_DIFFERENT_CODES

    read = read_transcript(_codes_transcript(40, 1_000), "codes.csv")
    assert len(read.rows) == MAX_DIFFERENT_CODES // 1_000 + 1
    assert f"codes.csv lists more than {MAX_CODES:,} codes" in read.notes[-1]
    # The same few codes again and again are read up to MAX_CODES.
    lines = ["Title,Date,Hours,CKC Codes"]
    lines += [f'Training {n},2023-03-14,2,"{"; ".join(["2.1"] * 1_000)}"' for n in range(40)]
    read = read_transcript("\n".join(lines).encode(), "same.csv")
    assert len(read.rows) == MAX_CODES // 1_000 + 1


def test_did_you_mean_is_offered_for_the_first_unknown_codes_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each "did you mean" compares a code with every spelling of the frameworks; a
    transcript of 3,000 distinct unknown codes spent 14 s on them."""
    from crosswalk.catalog import Catalog
    from crosswalk.readiness import resolve
    from crosswalk.sources.bundled import load_bundled

    compared: list[str] = []
    for name in ("find_item", "suggestions"):
        original = getattr(resolve, name)

        def counted(*args: object, _original: Callable[..., object] = original, **kw: object):  # type: ignore[no-untyped-def]
            compared.append(str(args[2]))
            return _original(*args, **kw)

        monkeypatch.setattr(resolve, name, counted)
    transcript = read_transcript(_codes_transcript(5, 100), "codes.csv")
    resolver = resolve.CodeResolver(Catalog(load_bundled()), None)
    answers = [resolver.resolve(ref, row) for row in transcript.rows for ref in row.codes]
    assert all(a.kind == "unknown-code" for a in answers)
    # The first codes are compared (each in its column's framework, then in all), the
    # other 400 are not.
    assert "Z0.0" in compared and 0 < len(set(compared)) <= resolve.MAX_HINTS < 500
