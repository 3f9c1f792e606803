"""Re-importing what the database holds writes nothing and disturbs nobody (issue 8).

Before: a "no changes" import still bumped the store revision, so every process
reloaded and a real import running at the same time was refused ("the database changed
while importing").  On SQLite and PostgreSQL, through the same ``import_file`` the CLI
calls.
"""

from __future__ import annotations

import csv
from pathlib import Path

from exchange_helpers import stored
from typer.testing import CliRunner

from crosswalk.catalog import Catalog
from crosswalk.cli import app
from crosswalk.formats.exchange import export_all, import_file


def _retitle(frameworks_csv: Path, framework_id: str, title: str) -> None:
    with frameworks_csv.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        columns, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        if row["id"] == framework_id:
            row["title"] = title
    with frameworks_csv.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_reimporting_the_stored_data_moves_no_revision(
    bundled: Catalog, seeded_url: str, tmp_path: Path
) -> None:
    before, revision = stored(seeded_url)
    for fmt, out in (("csv", tmp_path / "all"), ("xlsx", tmp_path / "all.xlsx")):
        export_all(bundled, fmt, out)
        report = import_file(out, url=seeded_url)
        assert report.summary() == "no changes"
        assert report.written is False
    assert stored(seeded_url) == (before, revision)


def test_a_no_op_import_during_a_real_one_does_not_make_it_stale(
    bundled: Catalog, seeded_url: str, tmp_path: Path
) -> None:
    """The real import checks its file, then — before it writes — someone re-imports
    what is stored; the real import must still be written."""
    unchanged = tmp_path / "unchanged"
    export_all(bundled, "csv", unchanged)
    mine = tmp_path / "mine"
    export_all(bundled, "csv", mine)
    _retitle(mine / "frameworks.csv", "imh", "IMH, retitled")
    _, revision = stored(seeded_url)
    meanwhile: list[bool] = []

    def someone_else(stage: str) -> None:
        if stage == "writing":
            meanwhile.append(import_file(unchanged, url=seeded_url).written)

    report = import_file(mine / "frameworks.csv", url=seeded_url, progress=someone_else)
    assert meanwhile == [False]
    assert report.written
    after, new_revision = stored(seeded_url)
    assert new_revision == revision + 1
    assert next(f for f in after.frameworks if f.id == "imh").title == "IMH, retitled"


def test_the_cli_says_nothing_was_written(
    bundled: Catalog, seeded_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "all"
    export_all(bundled, "csv", folder)
    result = CliRunner().invoke(app, ["--database", seeded_url, "import", str(folder)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert said == f"Nothing to write: the database already holds {folder} as csv: no changes"
