"""The user's files: nothing written over an existing file without --force, and nothing,
ever, over a file the command reads.

Issue 8: ``crosswalk readiness mine.csv -f json -o mine.csv`` replaced the transcript
with JSON, and ``crosswalk readiness template -o mine.csv`` silently overwrote a file.
The rule is :func:`crosswalk.cli.output.may_write`; every command that writes files asks
it first, with the paths it is about to write (a folder export: each file in it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from crosswalk.cli import app
from crosswalk.readiness import template_csv

PRECIOUS = b"precious: written by the user, not by crosswalk\n"

# (command with {out} for the file or folder, the file the command would replace)
WRITERS: dict[str, tuple[list[str], str]] = {
    "export alignments": (["export", "alignments", "iecmhc-imh", "-o", "{out}/a.csv"], "a.csv"),
    "export framework": (["export", "framework", "imh", "-o", "{out}/imh.json"], "imh.json"),
    "export framework (csv folder)": (
        ["export", "framework", "imh", "-f", "csv", "-o", "{out}"],
        "items.csv",
    ),
    "export crosswalk": (["export", "crosswalk", "iecmhc-imh", "-o", "{out}/x.tsv"], "x.tsv"),
    "export all": (["export", "all", "-o", "{out}/all.xlsx"], "all.xlsx"),
    "export all (csv folder)": (["export", "all", "-f", "csv", "-o", "{out}"], "alignments.csv"),
    "export all (case folder)": (["export", "all", "-f", "case", "-o", "{out}"], "iecmhc.json"),
    "matrix": (["matrix", "imh-wv-ckc-2015", "-o", "{out}/m.xlsx"], "m.xlsx"),
    "matrix (csv)": (["matrix", "imh-wv-ckc-2015", "-o", "{out}/m.csv"], "m.csv"),
    "readiness report": (
        ["readiness", "{transcript}", "-c", "IFS", "-o", "{out}/report.html"],
        "report.html",
    ),
    "readiness template": (["readiness", "template", "-o", "{out}/t.xlsx"], "t.xlsx"),
}


@pytest.fixture
def run(tmp_path: Path) -> object:
    database = f"sqlite:///{tmp_path / 'crosswalk.sqlite3'}"
    transcript = tmp_path / "mine.csv"
    transcript.write_text(template_csv(), encoding="utf-8")

    def invoke(*args: str) -> Result:
        filled = [a.format(out=tmp_path / "out", transcript=transcript) for a in args]
        return CliRunner().invoke(app, ["--database", database, *filled])

    return invoke


def _one_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return " ".join(result.stderr.split())


@pytest.mark.parametrize("name", list(WRITERS))
def test_an_existing_file_is_replaced_only_with_force(
    name: str, run: object, tmp_path: Path
) -> None:
    command, replaced = WRITERS[name]
    target = tmp_path / "out" / replaced
    target.parent.mkdir()
    target.write_bytes(PRECIOUS)
    refused = run(*command)  # type: ignore[operator]
    line = _one_line(refused)
    assert f"Error: {target} already exists; nothing was written" in line
    assert "--force" in line
    assert target.read_bytes() == PRECIOUS
    assert sorted(p.name for p in target.parent.iterdir()) == [replaced]  # nothing else either
    forced = run(*command, "--force")  # type: ignore[operator]
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes() != PRECIOUS


def test_a_new_file_needs_no_force(run: object, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = run("readiness", "template", "-o", "{out}/new.csv")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "new.csv").read_text(encoding="utf-8") == template_csv()


def test_the_default_output_file_is_not_replaced_either(
    run: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "imh.json").write_bytes(PRECIOUS)
    line = _one_line(run("export", "framework", "imh"))  # type: ignore[operator]
    assert "Error: imh.json already exists" in line
    assert (tmp_path / "imh.json").read_bytes() == PRECIOUS


@pytest.mark.parametrize("force", [[], ["--force"]])
@pytest.mark.parametrize("spelling", ["same", "relative", "link"])
def test_the_transcript_is_never_written_over(
    run: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: list[str], spelling: str
) -> None:
    """The issue's command, even with --force, even by another name for the file."""
    monkeypatch.chdir(tmp_path)
    transcript = tmp_path / "mine.csv"
    before = transcript.read_bytes()
    out = {"same": str(transcript), "relative": "./sub/../mine.csv", "link": "link.json"}[spelling]
    (tmp_path / "sub").mkdir()
    os.symlink(transcript, tmp_path / "link.json")
    result = run("readiness", str(transcript), "-c", "IFS", "-f", "json", "-o", out, *force)  # type: ignore[operator]
    line = _one_line(result)
    assert f"will not write over {Path(out)}: it is the transcript this command reads" in line
    assert transcript.read_bytes() == before


def test_the_requirements_file_is_never_written_over(run: object, tmp_path: Path) -> None:
    from crosswalk.readiness.requirements import bundled_requirements_text

    rules = tmp_path / "rules.toml"
    rules.write_text(bundled_requirements_text(), encoding="utf-8")
    before = rules.read_bytes()
    result = run(  # type: ignore[operator]
        "readiness", "{transcript}", "-c", "IFS", "--requirements", str(rules),
        "-f", "html", "-o", str(rules), "--force",
    )  # fmt: skip
    assert "it is the requirements file this command reads" in _one_line(result)
    assert rules.read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        ["export", "all", "-o", "{db}"],
        ["export", "framework", "imh", "-f", "xlsx", "-o", "{db}"],
        ["matrix", "imh-wv-ckc-2015", "-f", "csv", "-o", "{db}"],
        ["export", "alignments", "iecmhc-imh", "-f", "csv", "-o", "{db}"],
        ["readiness", "{transcript}", "-c", "IFS", "-f", "json", "-o", "{db}"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_the_database_file_is_never_written_over(
    command: list[str], run: object, tmp_path: Path
) -> None:
    database = tmp_path / "crosswalk.sqlite3"
    assert run("frameworks").exit_code == 0  # type: ignore[operator]
    before = database.read_bytes()
    args = [a.replace("{db}", str(database)) for a in command]
    line = _one_line(run(*args, "--force"))  # type: ignore[operator]
    assert f"will not write over {database}: it is the database this command reads" in line
    assert database.read_bytes() == before
    assert run("frameworks").exit_code == 0  # type: ignore[operator]


# The command, with every file it writes after opening the catalog limited to {limit}
# bytes (so the database itself is opened as usual); writes past it fail (EFBIG).
LIMITED_AFTER_READING = """
import resource, signal, sys
from crosswalk.cli import session

opened = session.open_catalog

def open_then_limit(*args, **kwargs):
    found = opened(*args, **kwargs)
    resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
    return found

session.open_catalog = open_then_limit
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
if sys.argv[3:5] == ["readiness", "template"]:  # reads no database
    resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
from crosswalk.cli import main
sys.argv[0] = "crosswalk"
main()
"""


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_failed_write_leaves_the_file_as_it_was(name: str, run: object, tmp_path: Path) -> None:
    """A full disk in the middle of writing (here: a file size limit of 1 KB on the
    command's process once it has read the database) ends in one line, and the file
    --force would replace is as it was, with nothing half-written beside it: every
    file is written beside its target and moved over it only when complete."""
    assert run("frameworks").exit_code == 0  # type: ignore[operator]  # the database, made
    command, replaced = WRITERS[name]
    target = tmp_path / "out" / replaced
    target.parent.mkdir()
    target.write_bytes(PRECIOUS)
    transcript = tmp_path / "mine.csv"
    args = [a.format(out=tmp_path / "out", transcript=transcript) for a in command]
    limited = LIMITED_AFTER_READING.format(limit=1024)
    database = f"sqlite:///{tmp_path / 'crosswalk.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", limited, "--database", database, *args, "--force"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot write "), done.stderr
    assert target.read_bytes() == PRECIOUS
    assert sorted(p.name for p in target.parent.iterdir()) == [replaced]  # no half file left
