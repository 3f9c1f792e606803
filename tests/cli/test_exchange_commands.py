"""``crosswalk import``, ``export framework|crosswalk``, ``db upgrade`` and the matrix XLSX.

Each test failed before its fix (code review of the exchange path).
"""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_commands import ok, one_line_error
from typer.testing import CliRunner

from crosswalk.catalog import Catalog
from crosswalk.cli import app, session
from crosswalk.model import Dataset
from fixtures import Invoke, sample_dataset


def test_export_framework_and_crosswalk_take_ids_in_any_case(cli: Invoke, tmp_path: Path) -> None:
    framework = tmp_path / "imh.json"
    ok(cli("export", "framework", "IMH", "-o", str(framework)))
    package = json.loads(framework.read_text(encoding="utf-8"))
    assert package["CFDocument"]["extensions"]["ext:framework"] == "imh"
    crosswalk = tmp_path / "cw.tsv"
    ok(cli("export", "crosswalk", "IECMHC-IMH", "-o", str(crosswalk)))
    assert "iecmhc-imh" in crosswalk.read_text(encoding="utf-8")


def test_export_framework_names_the_default_file_by_the_stored_id(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ok(cli("export", "framework", "Imh", "-f", "xlsx"))
    assert (tmp_path / "imh.xlsx").is_file()


@pytest.mark.parametrize("database", ["nonsense", "sqlite:////nonexistent/folder/x.db"])
def test_import_with_a_bad_database_is_one_line(tmp_path: Path, database: str) -> None:
    path = tmp_path / "frameworks.csv"
    path.write_text("id,title\nimh,IMH\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--database", database, "import", str(path)])
    one_line_error(result, "cannot open")


def test_import_check_of_a_lone_frameworks_csv_says_the_items_are_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    runner = CliRunner()
    folder = tmp_path / "all"
    ok(runner.invoke(app, ["--database", url, "export", "all", "-f", "csv", "-o", str(folder)]))
    path = folder / "frameworks.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        if row["id"] == "imh":
            row["title"] = "IMH, renamed"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = ok(runner.invoke(app, ["--database", url, "import", str(path), "--check"]))
    assert "1 framework changed" in result.stdout
    assert "removed" not in result.stdout
    assert "framework imh: items kept: not in the file" in result.stdout
    result = ok(runner.invoke(app, ["--database", url, "import", str(path)]))
    assert "1 framework changed" in result.stdout and "Changes" not in result.stdout


def test_db_upgrade_goes_through_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import crosswalk.store

    calls: list[str] = []

    def upgrade_database(url: str) -> tuple[str | None, str | None]:
        calls.append(url)
        return "0001", "0002"

    monkeypatch.setattr(crosswalk.store, "upgrade_database", upgrade_database)
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = ok(CliRunner().invoke(app, ["--database", url, "db", "upgrade"]))
    assert calls == [url]
    assert "from 0001 to 0002" in result.stderr


def test_matrix_xlsx_writes_text_not_formulas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    formula = '=HYPERLINK("http://example.invalid/","click")'
    data = sample_dataset()
    source = next(a.source_code for a in data.alignments if a.crosswalk == "iecmhc-imh")
    items = [
        dataclasses.replace(i, name=formula) if i.key == ("iecmhc", source) else i
        for i in data.items
    ]
    catalog = Catalog(Dataset(data.frameworks, items, data.crosswalks, data.alignments))
    monkeypatch.setattr(session, "open_catalog", lambda _url: catalog)
    out = tmp_path / "matrix.xlsx"
    ok(CliRunner().invoke(app, ["matrix", "iecmhc-imh", "-o", str(out)]))
    sheet = load_workbook(out)["Matrix"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.data_type for c in cells if c.value == formula] == ["s"]
    assert not any(c.data_type == "f" for c in cells)
