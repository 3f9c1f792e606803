"""No CSV we write hands a spreadsheet a formula; numbers stay numbers; round trips hold.

Issue 8: CSV downloads and files echoed a leading ``=``, ``+``, ``-``, ``@`` unescaped
(``/map?…&codes==HYPERLINK(…)&format=csv``).  Every CSV the CLI and the web app write
goes through one writer (:func:`crosswalk.formats.tabular.write_records`), which puts
an apostrophe before text a spreadsheet would run (:func:`~crosswalk.formats.cells.csv_cell`);
importing a workbook's CSV tables takes it off again.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from crosswalk.cli import app
from crosswalk.formats.cells import FORMULA_STARTS, csv_cell, from_csv_cell, looks_like_formula
from crosswalk.formats.exchange import export_all, import_file
from crosswalk.model import Dataset
from crosswalk.readiness import template_csv
from crosswalk.sources.bundled import load_bundled
from crosswalk.store import open_catalog, open_repository
from crosswalk.web.app import create_app

HYPERLINK = '=HYPERLINK("http://evil.example","click")'
ITEM = "direct-service-skills/observation-listening"


@given(st.text())
def test_a_neutralised_cell_is_never_a_formula_and_reads_back_the_same(text: str) -> None:
    cell = csv_cell(text)
    assert not looks_like_formula(cell)
    assert from_csv_cell(cell) == text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1+cmd", "'+1+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("'=already quoted", "''=already quoted"),
        ("'apostrophe", "'apostrophe"),
        ("-3", "-3"),  # a number where a number is meant
        ("+1.5", "+1.5"),
        ("-2e-3", "-2e-3"),
        ("1.10", "1.10"),
        ("plain - text", "plain - text"),
        ("", ""),
    ],
)
def test_the_rule(text: str, written: str) -> None:
    assert csv_cell(text) == written
    assert from_csv_cell(written) == text


def _cells(text: str) -> Iterator[str]:
    for record in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        yield from record


def _no_formulas(text: str) -> list[str]:
    """Every cell of a CSV text that a spreadsheet would run (none, we hope)."""
    return [cell for cell in _cells(text) if looks_like_formula(cell)]


def test_the_map_download_from_the_issue(tmp_path: Path) -> None:
    """The unknown code is echoed in its row: as text, not as a formula."""
    params = [("from", "wv-ckc-2015"), ("to", "imh"), ("codes", "2.1"), ("codes", HYPERLINK)]
    with TestClient(create_app(f"sqlite:///{tmp_path / 'web.sqlite3'}")) as client:
        response = client.get("/map", params=[*params, ("format", "csv")])
    assert response.status_code == 200
    assert _no_formulas(response.text) == []
    assert "'" + HYPERLINK.replace(",", ", ") in list(_cells(response.text))


# -- every CSV the CLI writes, on data full of formulas --------------------------------


def _hostile() -> Dataset:
    """The bundled data with formulas in a title, IMH's names and statements, evidence, notes."""
    data = load_bundled()
    return Dataset(
        [
            dataclasses.replace(f, title=f"={f.title}") if f.id == "imh" else f
            for f in data.frameworks
        ],
        [
            dataclasses.replace(i, name=f"+{i.name}", statement=HYPERLINK)
            if i.framework == "imh"
            else i
            for i in data.items
        ],
        data.crosswalks,
        [
            dataclasses.replace(a, evidence="@SUM(1+1)", note="-1+cmd")
            if a.target_code == ITEM
            else a
            for a in data.alignments
        ],
    )


@pytest.fixture
def hostile_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'hostile.sqlite3'}"
    open_repository(url, seed=_hostile).close()
    return url


COMMANDS = [
    ["frameworks", "-f", "csv"],
    ["items", "imh", "-f", "csv"],
    ["show", "imh", ITEM, "-f", "csv"],
    ["search", "observation", "-f", "csv"],
    ["map", "--from", "iecmhc", "--to", "imh", "6C.2", "6A.1", "-f", "csv"],
    ["gaps", "iecmhc-imh", "-f", "csv"],
    ["coverage", "iecmhc-imh", "-f", "csv"],
    ["matrix", "imh-wv-ckc-2015", "-f", "csv"],
    ["export", "alignments", "iecmhc-imh", "-f", "csv"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_cli_csv_keeps_formulas_as_text(command: list[str], hostile_url: str) -> None:
    result = CliRunner().invoke(app, ["--database", hostile_url, *command])
    assert result.exit_code in (0, 1), result.output  # lint exits 1 when it finds problems
    cells = list(_cells(result.stdout))
    assert _no_formulas(result.stdout) == []
    # Not vacuous: the hostile text is there, behind its apostrophe.
    assert any(cell.startswith(("'=", "'+", "'-", "'@")) for cell in cells), cells[:40]


def test_lint_csv_keeps_formulas_as_text(hostile_url: str) -> None:
    """Lint quotes names inside its messages, where a formula cannot start a cell."""
    result = CliRunner().invoke(app, ["--database", hostile_url, "lint", "-f", "csv"])
    assert "+Observation" in result.stdout
    assert _no_formulas(result.stdout) == []


def test_workbook_csv_tables_neutralise_and_round_trip(hostile_url: str, tmp_path: Path) -> None:
    catalog = open_catalog(hostile_url)
    export_all(catalog, "csv", tmp_path / "first")
    for table in (tmp_path / "first").glob("*.csv"):
        assert _no_formulas(table.read_text(encoding="utf-8")) == [], table
    items = (tmp_path / "first" / "items.csv").read_text(encoding="utf-8")
    assert "'" + HYPERLINK.replace('"', '""') in items
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    import_file(tmp_path / "first", url=empty, seed=False)
    again = open_catalog(empty)
    assert again.item("imh", ITEM).statement == HYPERLINK
    export_all(again, "csv", tmp_path / "second")
    for table in (tmp_path / "first").glob("*.csv"):
        assert (tmp_path / "second" / table.name).read_bytes() == table.read_bytes()


def test_the_example_transcript_is_written_by_the_same_writer() -> None:
    assert template_csv().startswith("Title,Date,Clock Hours,Provider,Codes,Framework,Type\n")
    assert _no_formulas(template_csv()) == []


def test_the_rule_covers_what_owasp_lists() -> None:
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}
