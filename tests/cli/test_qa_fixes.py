"""The QA pass's defects, each through the real command, on the fixture and bundled data.

Both datasets share the codes and names used here (6.6 cited by two "Advocacy" items,
Supportive counseling with no match, 1.1 / 1.10 next to the typo 1.11).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from test_commands import as_csv, as_json, ok, one_line_error

from crosswalk.cli import output
from crosswalk.model import code_sort_key
from fixtures import Invoke

# -- map: partial answers, order, transcript spellings ------------------------------------


def test_map_prints_what_maps_then_one_line_per_unknown_code(cli: Invoke) -> None:
    result = cli("map", "--from", "wv-ckc-2015", "--to", "imh", "CKC 6.6; 1.11", "-f", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["input"] for r in rows} == {"CKC 6.6"}
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: no item '1.11'") and "did you mean 1.1" in line


def test_map_notes_codes_with_no_correspondence(cli: Invoke) -> None:
    result = ok(
        cli(
            "map",
            *("--from", "imh", "--to", "wv-ckc-2015"),
            *("Supportive counseling", "Developmental guidance", "-f", "csv"),
        )
    )
    assert "Developmental guidance" in result.stdout
    assert "No wv-ckc-2015 items correspond to Supportive counseling" in result.stderr


def test_map_orders_targets_by_the_target_tree(cli: Invoke) -> None:
    rows = as_csv(cli("map", "--from", "iecmhc", "--to", "wv-ckc-2015", "6B.2,6A.1", "-f", "csv"))
    assert [r["input"] for r in rows] == sorted((r["input"] for r in rows), reverse=True)
    for code in ("6B.2", "6A.1"):
        targets = [r["target_code"] for r in rows if r["input"] == code]
        assert targets == sorted(targets, key=code_sort_key)


def test_map_path_names_a_repeated_name_with_its_code(cli: Invoke) -> None:
    rows = as_csv(cli("map", "--from", "wv-ckc-2015", "--to", "imh", "6.6", "-f", "csv"))
    paths = {r["target_code"]: r["path"] for r in rows}
    assert paths["leading-people/advocacy"] == "6.6 ← Advocacy (leading-people/advocacy)"


# -- show: no code swapped, relation in words, misprints visible ------------------------


def test_show_never_swaps_a_code(cli: Invoke) -> None:
    one_line_error(cli("show", "wv-ckc-2015", "1.11"), "no item '1.11'", "did you mean 1.1")


def test_show_table_words_and_printed_text(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    out = ok(cli("show", "imh", "Supportive counseling")).stdout
    assert "no match" in out and "noMatch" not in out
    misprinted = (
        "thinking/planning-organizing"
        if "bundled" in request.node.callspec.id
        else ("direct-service-skills/observation-listening")
    )
    out = ok(cli("show", "imh", misprinted)).stdout
    header = next(line for line in out.splitlines() if "direction" in line)
    assert "printed" in header
    row = next(line for line in out.splitlines() if "│ 1.2 " in line)
    assert "Understands typical and atypical development" in row


# -- files: format from the extension, bad paths, broken pipes --------------------------


def test_output_format_from_the_extension(cli: Invoke, tmp_path: Path) -> None:
    ok(cli("matrix", "iecmhc-imh", "-o", str(tmp_path / "m.csv")))
    assert (tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()[1].startswith("area")
    ok(cli("matrix", "iecmhc-imh", "-o", str(tmp_path / "m.json")))
    assert "cells" in json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    ok(cli("export", "alignments", "iecmhc-imh", "-o", str(tmp_path / "a.json")))
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))[0]["crosswalk"]
    one_line_error(cli("matrix", "iecmhc-imh", "-o", str(tmp_path / "m.txt")), "m.txt", "xlsx")
    one_line_error(cli("export", "alignments", "iecmhc-imh", "-o", "a.xlsx"), "a.xlsx")
    assert not (tmp_path / "m.txt").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("matrix", "iecmhc-imh", "-f", "csv", "-o", "/nonexistent/x.csv"),
        ("matrix", "iecmhc-imh", "-f", "xlsx", "-o", "/nonexistent/x.xlsx"),
        ("export", "alignments", "iecmhc-imh", "-o", "/nonexistent/x.csv"),
    ],
)
def test_unwritable_output_is_one_line(cli: Invoke, args: tuple[str, ...]) -> None:
    one_line_error(cli(*args), "cannot write /nonexistent/x.", "No such file or directory")


def test_a_directory_as_output_is_one_line(cli: Invoke, tmp_path: Path) -> None:
    one_line_error(cli("matrix", "iecmhc-imh", "-f", "csv", "-o", str(tmp_path)), str(tmp_path))


def test_a_closed_pipe_is_success_without_a_traceback(tmp_path: Path) -> None:
    """``crosswalk … | head -1``: a real process and pipe (the runner has neither)."""
    env = {**os.environ, "CROSSWALK_DATABASE_URL": f"sqlite:///{tmp_path / 'pipe.db'}"}
    for args in (["export", "alignments", "imh-wv-ckc-2015", "-f", "json"], ["lint"]):
        reader = subprocess.Popen(
            [sys.executable, "-c", "from crosswalk.cli import main; main()", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert reader.stdout is not None and reader.stderr is not None
        reader.stdout.readline()
        reader.stdout.close()
        errors = reader.stderr.read().decode()
        assert reader.wait(timeout=120) == 0, errors
        assert "Traceback" not in errors and "Exception ignored" not in errors


def test_broken_pipe_inside_a_command_exits_0() -> None:
    @output.reports_errors
    def command() -> None:
        raise BrokenPipeError

    with pytest.raises(typer.Exit) as raised:
        command()
    assert raised.value.exit_code == 0


# -- export, coverage, search, ids, database, version, matrix ---------------------------


def test_export_alignments_has_the_level_after_issue_2_columns(cli: Invoke) -> None:
    result = cli("export", "alignments", "iecmhc-imh")
    issue_2 = (
        "crosswalk,source_framework,source_code,source_name,source_parent,source_tags,"
        "target_framework,target_code,target_name,relation,strength,evidence,note,provenance"
    )
    assert result.stdout.splitlines()[0] == issue_2 + ",level"
    rows = as_csv(result)
    assert {"MHS", "MHM"} <= {r["level"] for r in rows}


def test_coverage_csv_lists_most_and_least_referenced(cli: Invoke) -> None:
    rows = as_csv(cli("coverage", "imh-wv-ckc-2015", "-f", "csv"))
    kinds = {r["kind"] for r in rows}
    assert kinds == {"area", "most-referenced", "least-referenced"}
    assert all(r["no_match"] == "" for r in rows if r["side"] == "target")
    most = [r for r in rows if r["kind"] == "most-referenced"]
    assert most[0]["code"] and int(most[0]["links"]) >= int(most[-1]["links"])
    found = as_json(cli("coverage", "imh-wv-ckc-2015", "-f", "json"))
    assert "no_match" not in found["target_areas"][0]  # type: ignore[index]


def test_search_needs_words(cli: Invoke) -> None:
    one_line_error(cli("search", ""), "give some words")
    one_line_error(cli("search", " & "), "give some words")


def test_search_finds_items_citing_t_and_ta(cli: Invoke) -> None:
    rows = as_csv(cli("search", "T&TA", "-f", "csv"))
    assert "theoretical-foundations/adult-theory-practice" in {r["code"] for r in rows}
    assert {r["field"] for r in rows} == {"cites"}


def test_ids_in_any_case_and_near_ids_suggested(cli: Invoke) -> None:
    assert ok(cli("gaps", "IMH-WV-CKC-2015")).stdout
    assert ok(cli("show", "IMH", "Self Awareness")).stdout
    assert ok(cli("map", "--from", "WV-CKC-2015", "--to", "IMH", "6.6")).stdout
    one_line_error(cli("gaps", "imh-wv-ckc"), "did you mean imh-wv-ckc-2015?")
    one_line_error(cli("items", "iecmch"), "did you mean iecmhc")


def test_a_database_password_is_never_printed(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    from crosswalk.cli import session

    def broken(url: str | None) -> object:
        raise RuntimeError(f"cannot reach {url} with password hunter2")

    monkeypatch.setattr(session, "open_catalog", broken)
    line = one_line_error(cli("--database", "postgresql://bob:hunter2@db/x", "frameworks"))
    assert "hunter2" not in line and "bob:***@db" in line


def test_db_upgrade_says_it_created_the_schema(cli: Invoke, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert "Created the database schema" in ok(cli("--database", url, "db", "upgrade")).stderr
    assert "up to date" in ok(cli("--database", url, "db", "upgrade")).stderr


def test_version(cli: Invoke) -> None:
    assert ok(cli("--version")).stdout.startswith("crosswalk ")


def test_matrix_fits_an_80_column_terminal(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = ok(cli("matrix", "imh-wv-ckc-2015"))
    # The cells fit; a no-match remark after them is cut to about ten characters.
    grid = [line.rsplit("·", 1)[0] for line in result.stdout.splitlines() if "·" in line]
    assert grid and max(len(line) for line in grid) <= 80
    assert "no match" in result.stdout
    result = ok(cli("matrix", "iecmhc-imh"))
    assert " 6A.1 Helps f" in result.stdout  # the printed code first
    if max(len(line) for line in result.stdout.splitlines()) > 80:
        assert "--format xlsx" in result.stderr
