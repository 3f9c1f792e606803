"""Every command, each format, each kind of bad input, through Typer's runner.

The assertions hold on the fixture and on the bundled data alike (same ids, codes and
names), so they run unchanged on the fixture and against the real store.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import Result

from crosswalk.query import ALIGNMENT_COLUMNS
from fixtures import Invoke

OBSERVATION = "direct-service-skills/observation-listening"


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def as_json(result: Result) -> object:
    return json.loads(ok(result).stdout)


def as_csv(result: Result) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(ok(result).stdout)))


def one_line_error(result: Result, *words: str) -> str:
    """Exit 1, nothing on stdout, a single 'Error: …' line on stderr naming ``words``."""
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for word in words:
        assert word in lines[0]
    return lines[0]


# -- frameworks, crosswalks, items -----------------------------------------------------


def test_frameworks_in_every_format(cli: Invoke) -> None:
    assert "imh" in ok(cli("frameworks")).stdout
    listed = as_json(cli("frameworks", "--format", "json"))
    assert isinstance(listed, list)
    assert {f["id"] for f in listed} >= {"imh", "wv-ckc-2015", "iecmhc"}
    assert set(listed[0]) == {"id", "title", "version", "publisher", "items"}
    rows = as_csv(cli("frameworks", "--format", "csv"))
    assert all(int(r["items"]) > 0 for r in rows)


def test_crosswalks_with_counts(cli: Invoke) -> None:
    assert "iecmhc-imh" in ok(cli("crosswalks")).stdout
    listed = {c["id"]: c for c in as_json(cli("crosswalks", "-f", "json"))}  # type: ignore[union-attr]
    ckc = listed["imh-wv-ckc-2015"]
    assert (ckc["source_framework"], ckc["target_framework"]) == ("imh", "wv-ckc-2015")
    assert ckc["alignments"] > 0 and ckc["no_match"] >= 2
    rows = as_csv(cli("crosswalks", "-f", "csv"))
    assert {r["id"] for r in rows} == set(listed)


def test_items_tree_and_flat_forms(cli: Invoke) -> None:
    tree = ok(cli("items", "imh")).stdout
    assert "Direct Service Skills" in tree and "Observation & listening" in tree and "└──" in tree
    items = as_json(cli("items", "wv-ckc-2015", "--format", "json"))
    codes = [i["code"] for i in items]  # type: ignore[union-attr]
    assert codes.index("1.9") < codes.index("1.10")
    rows = as_csv(cli("items", "imh", "--format", "csv"))
    assert list(rows[0]) == ["code", "name", "kind", "parent", "tags", "statement"]


# -- show ------------------------------------------------------------------------------


def test_show_by_alias_in_table(cli: Invoke) -> None:
    out = ok(cli("show", "imh", "Self Awareness")).stdout
    assert "Self" in out and "Alignments with" in out


def test_show_json_keys(cli: Invoke) -> None:
    shown = as_json(cli("show", "imh", "observation & listening", "--format", "json"))
    assert isinstance(shown, dict)
    assert set(shown) == {"item", "parent", "children", "links"}
    assert shown["item"]["code"] == OBSERVATION
    assert shown["parent"]["name"] == "Direct Service Skills"
    incoming = [link for link in shown["links"] if link["direction"] == "in"]
    assert any(
        link["framework"] == "iecmhc" and link["crosswalk"] == "iecmhc-imh" for link in incoming
    )
    assert set(shown["links"][0]) == {
        *("direction", "crosswalk", "framework", "code", "name", "relation", "strength"),
        *("level", "evidence", "note", "printed", "provenance"),
    }


def test_show_csv_is_the_links(cli: Invoke) -> None:
    rows = as_csv(cli("show", "wv-ckc-2015", "1.10", "--format", "csv"))
    assert rows and all(r["direction"] == "in" and r["framework"] == "imh" for r in rows)


def test_show_fuzzy_typo_still_finds(cli: Invoke) -> None:
    shown = as_json(cli("show", "imh", "Observaton & listenin", "-f", "json"))
    assert shown["item"]["code"] == OBSERVATION  # type: ignore[index]


# -- map -------------------------------------------------------------------------------


def test_map_chained_json(cli: Invoke) -> None:
    answer = as_json(cli("map", "--from", "iecmhc", "--to", "wv-ckc-2015", "6B.2", "-f", "json"))
    assert isinstance(answer, dict)
    assert answer["from"] == "iecmhc" and answer["to"] == "wv-ckc-2015"
    assert answer["unknown"] == [] and answer["unmatched"] == []
    mapped = answer["results"]
    assert mapped
    first = mapped[0]
    assert set(first) == {"input", "source", "target", "via", "path", "path_level"}
    assert all(m["input"] == "6B.2" and m["via"] == ["imh"] for m in mapped)
    assert [h["crosswalk"] for h in first["path"]] == ["iecmhc-imh", "imh-wv-ckc-2015"]
    assert {m["target"]["code"] for m in mapped} >= {"1.2", "2.1"}


def test_map_backwards_table_and_csv(cli: Invoke) -> None:
    out = ok(cli("map", "--from", "wv-ckc-2015", "--to", "imh", "6.6")).stdout
    assert "Advocacy" in out and "←" in out
    rows = as_csv(cli("map", "--from", "wv-ckc-2015", "--to", "imh", "6.6", "1.9", "-f", "csv"))
    assert list(rows[0]) == [
        *("input", "source_code", "target_code", "target_name", "via", "path"),
        *("strength", "level", "path_level"),
    ]
    assert {r["input"] for r in rows} == {"6.6", "1.9"}


def test_map_no_match_item_prints_nothing_found(cli: Invoke) -> None:
    out = ok(cli("map", "--from", "imh", "--to", "wv-ckc-2015", "Supportive counseling")).stdout
    assert "No wv-ckc-2015 items correspond" in out


# -- gaps, coverage, matrix ------------------------------------------------------------


def test_gaps_every_format(cli: Invoke) -> None:
    out = ok(cli("gaps", "imh-wv-ckc-2015")).stdout
    assert "explicit no-match" in out and "never referenced" in out
    found = as_json(cli("gaps", "imh-wv-ckc-2015", "-f", "json"))
    assert isinstance(found, dict)
    assert set(found) == {"crosswalk", "level", "unlinked", "no_match", "unreferenced"}
    assert any("Supportive" in r["name"] for r in found["no_match"])
    rows = as_csv(cli("gaps", "imh-wv-ckc-2015", "-f", "csv"))
    assert "no-match" in {r["gap"] for r in rows}
    assert list(rows[0]) == ["gap", "framework", "code", "name", "note", "provenance"]


def test_coverage_every_format(cli: Invoke) -> None:
    assert "Most referenced" in ok(cli("coverage", "imh-wv-ckc-2015")).stdout
    found = as_json(cli("coverage", "imh-wv-ckc-2015", "-f", "json"))
    assert isinstance(found, dict)
    assert set(found) == {
        *("crosswalk", "level", "source_areas", "target_areas"),
        *("most_referenced", "least_referenced"),
    }
    most = [u["links"] for u in found["most_referenced"]]
    assert most and most == sorted(most, reverse=True)
    rows = as_csv(cli("coverage", "iecmhc-imh", "-f", "csv"))
    assert {r["side"] for r in rows} == {"source", "target"}


def test_matrix_heat_map(cli: Invoke) -> None:
    out = ok(cli("matrix", "imh-wv-ckc-2015")).stdout
    assert "Observation & listening" in out and "·" in out and "no match" in out


def test_matrix_csv_and_json(cli: Invoke, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(ok(cli("matrix", "iecmhc-imh", "-f", "csv")).stdout)))
    assert rows[1][:3] == ["area", "code", "name"]
    assert any(r[1] == "6A.2" for r in rows[2:])
    grid = as_json(cli("matrix", "iecmhc-imh", "-f", "json"))
    assert isinstance(grid, dict)
    assert set(grid) == {"crosswalk", "rows", "columns", "cells", "elsewhere"}
    target = tmp_path / "m.csv"
    ok(cli("matrix", "iecmhc-imh", "-f", "csv", "-o", str(target)))
    assert target.read_text(encoding="utf-8").splitlines()[1].startswith("area,code,name")


def test_matrix_xlsx_with_coloured_cells(cli: Invoke, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "matrix.xlsx"
    result = ok(cli("matrix", "imh-wv-ckc-2015", "--format", "xlsx", "-o", str(target)))
    assert "Wrote" in result.stderr
    sheet = load_workbook(target).worksheets[0]
    codes = [c.value for c in sheet[2]]
    assert codes[:3] == ["area", "code", "name"] and "1.10" in codes
    filled = [
        c for row in sheet.iter_rows(min_row=3) for c in row if isinstance(c.value, int) and c.value
    ]
    assert filled and all(
        c.fill.fgColor.rgb.endswith(("DEEBF7", "9ECAE1", "4292C6", "08519C")) for c in filled
    )


# -- search, lint, export --------------------------------------------------------------


def test_search_every_format(cli: Invoke) -> None:
    assert "Safety" in ok(cli("search", "safety")).stdout
    hits = as_json(cli("search", "social emotional", "-f", "json", "--limit", "3"))
    assert isinstance(hits, list) and 0 < len(hits) <= 3
    assert set(hits[0]) == {"score", "framework", "code", "name", "field", "text", "matched"}
    rows = as_csv(cli("search", "dual language", "--framework", "wv-ckc-2015", "-f", "csv"))
    assert rows[0]["code"] == "1.9"


def test_search_nothing_found(cli: Invoke) -> None:
    assert "No item matches" in ok(cli("search", "xylophone")).stdout


def test_lint_every_format(cli: Invoke) -> None:
    out = ok(cli("lint")).stdout
    assert "statement-mismatch" in out and "findings:" in out
    report = as_json(cli("lint", "-f", "json"))
    assert isinstance(report, dict)
    for check in (
        "statement-mismatch",
        "duplicate-description",
        "variant-wording",
        "duplicate-citation",
        "undefined-reference",
    ):
        assert report["summary"][check] >= 1
    rows = as_csv(cli("lint", "--check", "duplicate-citation", "-f", "csv"))
    assert rows and {r["check"] for r in rows} == {"duplicate-citation"}


@pytest.mark.parametrize("crosswalk", ["imh-wv-ckc-2015", "iecmhc-imh"])
def test_export_alignments_csv(cli: Invoke, crosswalk: str) -> None:
    result = ok(cli("export", "alignments", crosswalk))
    header = result.stdout.splitlines()[0]
    assert header == ",".join(ALIGNMENT_COLUMNS)
    rows = as_csv(result)
    assert all(r["crosswalk"] == crosswalk for r in rows)
    no_match = [r for r in rows if r["relation"] == "noMatch"]
    assert all(r["target_code"] == "" and r["target_name"] == "" for r in no_match)


def test_export_alignments_json_to_file(cli: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    result = ok(cli("export", "alignments", "iecmhc-imh", "--format", "json", "-o", str(target)))
    assert "Wrote" in result.stderr and result.stdout == ""
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert rows and list(rows[0]) == list(ALIGNMENT_COLUMNS)


# -- the database option ---------------------------------------------------------------


def test_database_option_reaches_the_store(
    cli: Invoke, opened: list[str | None], request: pytest.FixtureRequest
) -> None:
    if "bundled" in request.node.callspec.id:
        pytest.skip("the seam is not replaced on real data")
    ok(cli("--database", "sqlite:///elsewhere.db", "frameworks"))
    assert opened == ["sqlite:///elsewhere.db"]


def test_database_from_environment(
    cli: Invoke,
    opened: list[str | None],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    if "bundled" in request.node.callspec.id:
        pytest.skip("the seam is not replaced on real data")
    monkeypatch.setenv("CROSSWALK_DATABASE_URL", "sqlite:///from-env.db")
    ok(cli("frameworks"))
    assert opened == ["sqlite:///from-env.db"]


def test_db_upgrade_creates_the_schema(cli: Invoke, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    result = ok(cli("--database", url, "db", "upgrade"))
    assert "Created the database schema" in result.stderr
    assert (tmp_path / "new.db").exists()


# -- bad input: one red line, exit 1 ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("items", "ckc"), ("unknown framework 'ckc'", "crosswalk frameworks")),
        (("show", "nope", "1.1"), ("unknown framework 'nope'",)),
        (("show", "imh", "observashun lisning"), ("did you mean", OBSERVATION)),
        (("show", "imh", "Advocacy"), ("names 2 items",)),
        (
            ("map", "--from", "wv-ckc-2015", "--to", "imh", "1.11"),
            ("no item '1.11'", "crosswalk items"),
        ),
        (("map", "--from", "imh", "--to", "ckc", "1.1"), ("unknown framework 'ckc'",)),
        (("map", "--from", "imh", "--to", "imh", "Reflection"), ("both source and target",)),
        (("gaps", "imh-ckc"), ("unknown crosswalk 'imh-ckc'", "crosswalk crosswalks")),
        (("coverage", "x"), ("unknown crosswalk",)),
        (("matrix", "x"), ("unknown crosswalk",)),
        (("export", "alignments", "x"), ("unknown crosswalk",)),
        (("search", "safety", "--framework", "x"), ("unknown framework",)),
        (("frameworks", "--format", "yaml"), ("unknown format 'yaml'", "table|csv|json")),
        (("items", "imh", "-f", "xlsx"), ("unknown format 'xlsx'",)),
        (("matrix", "iecmhc-imh", "-f", "pdf"), ("unknown format", "xlsx")),
        (("matrix", "iecmhc-imh", "-f", "xlsx"), ("needs a file", "-o")),
        (("export", "alignments", "iecmhc-imh", "-f", "table"), ("unknown format", "csv|json")),
        (("lint", "--check", "spelling"), ("unknown check 'spelling'",)),
    ],
)
def test_bad_input_one_line_exit_1(
    cli: Invoke, args: tuple[str, ...], words: tuple[str, ...]
) -> None:
    one_line_error(cli(*args), *words)


def test_a_huge_argument_is_not_echoed_whole(cli: Invoke) -> None:
    result = cli("show", "imh", "x" * 100_000)
    one_line_error(result, "more characters")
    assert len(result.output) < 2_000


def test_unopenable_database_is_one_line(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    from crosswalk.cli import session

    def broken(url: str | None) -> object:
        raise RuntimeError("could not connect to server\nsecond line")

    monkeypatch.setattr(session, "open_catalog", broken)
    one_line_error(
        cli("--database", "postgresql://nowhere/db", "frameworks"), "cannot open", "--database"
    )


def test_usage_errors_stay_typer_s_exit_2(cli: Invoke) -> None:
    assert cli("map", "1.1").exit_code == 2  # --from/--to missing
    assert cli("no-such-command").exit_code == 2


def test_show_says_when_it_shows_the_closest_match(cli: Invoke) -> None:
    result = ok(cli("show", "imh", "obsrvation lisening"))
    assert "closest match to 'obsrvation lisening'" in result.stderr
    assert "Observation & listening" in result.stdout
    assert "closest match" not in ok(cli("show", "imh", "Observation & listening")).stderr
