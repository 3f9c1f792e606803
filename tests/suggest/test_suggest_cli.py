"""``crosswalk suggest`` on the real store seeded with the bundled data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from crosswalk.cli import app


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_csv_has_the_documented_columns() -> None:
    result = run("suggest", "--from", "imh", "--to", "wv-ckc-2015",
                 "--item", "Observation & listening", "--top", "3", "-f", "csv")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["rank"] for r in rows] == ["1", "2", "3"]
    assert {"source_code", "target_code", "rank", "score", "reason"} <= set(rows[0])
    assert rows[0]["source_code"] == "direct-service-skills/observation-listening"
    assert rows[0]["justification"].startswith("semapv:")
    assert "Suggestions, for review (complete mode)" in result.stderr


def test_blind_json_for_the_whole_pair() -> None:
    result = run(
        "suggest", "--from", "iecmhc", "--to", "imh", "--blind", "--top", "2", "-f", "json"
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data) == 24  # 12 IECMHC competencies × 2
    assert set(data[0]) == {
        "source",
        "target",
        "rank",
        "score",
        "justification",
        "reason",
        "signals",
    }
    assert data[0]["signals"]["popularity"] == 0.0  # blind: no links between them to use
    assert "fixed weights" in result.stderr


def test_leave_one_out_table_for_one_item() -> None:
    result = run("suggest", "--from", "wv-ckc-2015", "--to", "imh", "--item", "3.1",
                 "--leave-one-out", "--top", "3")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "leave-one-out" in result.stdout
    assert "3.1" in result.stdout


def test_free_text() -> None:
    result = run("suggest", "--to", "wv-ckc-2015", "--text",
                 "Food safety and nutrition for infants", "-f", "csv", "--top", "2")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["target_code"] == "5.5" and rows[0]["source_code"] == ""


def test_sssom_file_and_no_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "suggested.sssom.tsv"
    args = ("suggest", "--from", "iecmhc", "--to", "imh", "--top", "1", "-o", str(out))
    assert run(*args).exit_code == 0
    text = out.read_text()
    assert "semapv:" in text and "proposed" in text
    again = run(*args)
    assert again.exit_code == 1 and "exists" in again.stderr and "--force" in again.stderr
    assert out.read_text() == text
    assert run(*args, "--force").exit_code == 0


def test_bad_input_gets_one_line_and_exit_1() -> None:
    cases = [
        (("--from", "imh", "--to", "wv-ckc-2015", "--blind", "--leave-one-out"), "choose one"),
        (("--from", "imh", "--to", "nope"), "unknown framework"),
        (("--to", "imh"), "--from FRAMEWORK or --text"),
        (("--to", "imh", "--text", "play", "--from", "iecmhc"), "from text alone"),
        (("--to", "imh", "--text", "play", "-f", "sssom"), "no subject"),
        (("--from", "imh", "--to", "iecmhc", "--top", "0"), "top must be between"),
        (("--from", "imh", "--to", "iecmhc", "--item", "Reflection"), "group of items"),
    ]
    for args, message in cases:
        result = run("suggest", *args)
        assert result.exit_code == 1, args
        assert message in result.stderr, (args, result.stderr)
