"""A full disk ends a command with one line saying so, and the data as it was (issue 8).

Before: ``crosswalk serve`` on a full disk died in the server's start-up with a
traceback (exit 3), and an import that ran out of space was reported as "the database
refused the data" with the hint "fix the file".  A real, tiny filesystem (tmpfs) is
filled for these tests; they are skipped where nothing can be mounted.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_helpers import CLI, fill, free_port, tmpfs
from typer.testing import CliRunner

from crosswalk.cli import app
from crosswalk.store import open_repository


@pytest.fixture(scope="module")
def bundled_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bundled") / "crosswalk.sqlite3"
    with open_repository(f"sqlite:///{path}"):
        pass
    return path


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB filesystem: room for the bundled database (~300 KB), then filled."""
    with tmpfs(tmp_path / "disk", "2m") as mounted:
        yield mounted


def _serve(database: Path) -> subprocess.CompletedProcess[str]:
    """``crosswalk serve`` as a process: it must end by itself, quickly, not serve."""
    command = [*CLI, "--database", f"sqlite:///{database}", "serve", "--port", str(free_port())]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _one_line_about_the_disk(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert done.returncode == 1, lines
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert "Traceback" not in lines[0]
    assert "the disk is full" in lines[0]
    assert "(try: free some space on the disk that holds the database" in lines[0]
    return lines[0]


def test_serve_on_a_disk_too_small_for_a_new_database(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "tiny", "64k") as disk:
        _one_line_about_the_disk(_serve(disk / "crosswalk.sqlite3"))


def test_serve_with_a_database_on_a_full_disk(bundled_file: Path, small_disk: Path) -> None:
    database = small_disk / bundled_file.name
    shutil.copy(bundled_file, database)
    fill(small_disk)
    _one_line_about_the_disk(_serve(database))


def test_an_import_that_runs_out_of_space_changes_nothing(
    bundled_file: Path, small_disk: Path, tmp_path: Path
) -> None:
    database = small_disk / bundled_file.name
    shutil.copy(bundled_file, database)
    url = f"sqlite:///{database}"
    folder = tmp_path / "export"
    runner = CliRunner()
    result = runner.invoke(
        app, ["--database", url, "export", "all", "-f", "csv", "-o", str(folder)]
    )
    assert result.exit_code == 0, result.output
    frameworks = folder / "frameworks.csv"
    frameworks.write_text(frameworks.read_text().replace("Infant Mental Health", "IMH"))
    with open_repository(url, seed=None) as repository:
        before, revision = repository.load(), repository.revision()
    # Another reader keeps the WAL index open, so the import gets as far as writing.
    reader = sqlite3.connect(database)
    try:
        reader.execute("SELECT count(*) FROM frameworks").fetchall()
        filler = fill(small_disk)
        result = runner.invoke(app, ["--database", url, "import", str(frameworks)])
        said = " ".join(result.output.split())
        assert result.exit_code == 1, said
        assert said.startswith(f"Error: {frameworks} not imported: ") and "Traceback" not in said
        assert "nothing was changed: the disk is full" in said
        assert "(try: free some space on the disk that holds the database" in said
        assert "fix the file" not in said
        filler.unlink()
    finally:
        reader.close()
    with open_repository(url, seed=None) as repository:
        assert repository.revision() == revision
        assert repository.load() == before
    result = runner.invoke(app, ["--database", url, "import", str(frameworks)])
    assert result.exit_code == 0, result.output  # with room again, the same import works
