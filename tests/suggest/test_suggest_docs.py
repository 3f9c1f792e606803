"""docs/suggest.md starts with an example that runs and shows what it prints."""

from __future__ import annotations

import csv
import io
import shlex
from pathlib import Path

from typer.testing import CliRunner

from crosswalk.cli import app

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "suggest.md"


def example() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    block = text.split("```console\n", 1)[1].split("```", 1)[0]
    return block.splitlines()


def test_the_opening_example_prints_what_the_guide_shows() -> None:
    lines = example()
    command = shlex.split(lines[0].removeprefix("$ ").split("#")[0])
    assert command[:2] == ["crosswalk", "suggest"]
    result = CliRunner().invoke(app, command[1:], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    shown = list(csv.DictReader(io.StringIO("\n".join(lines[1:5]))))
    printed = list(csv.DictReader(io.StringIO(result.stdout)))
    key = ("target_code", "rank", "justification", "reason")
    assert [[r[k] for k in key] for r in printed] == [[r[k] for k in key] for r in shown]


def test_every_other_example_command_runs(tmp_path: Path) -> None:
    for line in example():
        if not line.startswith("$ crosswalk suggest") or line == example()[0]:
            continue
        words = shlex.split(line.removeprefix("$ ").split("  #")[0])
        words = [str(tmp_path / w) if w.endswith(".tsv") else w for w in words]
        result = CliRunner().invoke(app, words[1:], catch_exceptions=False)
        assert result.exit_code == 0, (line, result.stderr)
