"""Map answers: a list of knowledge-area names is split as transcripts are, and a chained
answer keeps each hop's strength and level in every format.

Expectations are read off the source documents (``src/crosswalk/data/sources``):

* seed 000 line 29 prints Observation & listening with CKC 1.2, 1.3, 2.1, 2.2, 3.3,
  4.6; line 112 prints Self-awareness with 4.1, 6.1, 6.2, 6.3, 6.4, 6.5, 7.3, 7.5.
  Seed 002 spells the second "Self Awareness" (line 74), kept as its alias.
* seed 002 lines 50–54: 6B.2 → Developmental Guidance, "Essential", tagged (MHS);
  seed 000 line 70: Developmental guidance (IMHS) lists 19 CKC codes, untagged links
  that take the knowledge area's IMHS level.  So every 6B.2 → CKC path has the hops
  (Essential, MHS) then (no strength, no tag) and holds at IMHS.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from crosswalk.catalog import Catalog
from crosswalk.cli import app
from crosswalk.codes import split_code_refs
from crosswalk.query import map_each, map_rows
from crosswalk.sources.bundled import load_bundled

OBSERVATION = ["1.2", "1.3", "2.1", "2.2", "3.3", "4.6"]
SELF_AWARENESS = ["4.1", "6.1", "6.2", "6.3", "6.4", "6.5", "7.3", "7.5"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(load_bundled())


def test_a_list_of_names_is_split_where_the_whole_names_nothing(catalog: Catalog) -> None:
    answer = map_each(catalog, "imh", "wv-ckc-2015", ["Observation & listening, Self Awareness"])
    assert answer.unknown == ()
    by_input: dict[str, list[str]] = {}
    for m in answer.mappings:
        by_input.setdefault(m.code, []).append(m.target.code)
    assert by_input == {
        "Observation & listening": OBSERVATION,
        "Self Awareness": SELF_AWARENESS,
    }


def test_a_name_with_commas_stays_whole_and_may_start_a_list(catalog: Catalog) -> None:
    text = "Attachment, separation, trauma & loss, Self Awareness"
    answer = map_each(catalog, "imh", "wv-ckc-2015", [text])
    assert answer.unknown == ()
    assert list(dict.fromkeys(m.code for m in answer.mappings)) == [
        "Attachment, separation, trauma & loss",
        "Self Awareness",
    ]
    # Without a catalog to ask, the comma-joined text stays one name.
    assert [r.code for r in split_code_refs(text)] == [text]


def test_a_list_with_an_unknown_part_is_reported_whole(catalog: Catalog) -> None:
    answer = map_each(catalog, "imh", "wv-ckc-2015", ["Observation & listening, Gardening"])
    assert [u.code for u in answer.unknown] == ["Observation & listening, Gardening"]


def test_chained_rows_keep_each_hops_strength_and_level(catalog: Catalog) -> None:
    rows = map_rows(map_each(catalog, "iecmhc", "wv-ckc-2015", ["6B.2"]).mappings)
    assert len(rows) == 19
    for row in rows:
        assert row["strength"] == ["Essential", "–"]
        assert row["level"] == ["MHS", "–"]
        assert row["path_level"] == "IMHS"


def test_the_cli_prints_each_hops_strength_and_level_in_csv_and_json() -> None:
    runner = CliRunner()
    shown = runner.invoke(
        app, ["map", "--from", "iecmhc", "--to", "wv-ckc-2015", "6B.2", "-f", "csv"]
    )
    rows = list(csv.DictReader(io.StringIO(shown.stdout)))
    assert len(rows) == 19
    assert {(r["strength"], r["level"], r["path_level"]) for r in rows} == {
        ("Essential; –", "MHS; –", "IMHS")
    }
    shown = runner.invoke(
        app, ["map", "--from", "iecmhc", "--to", "wv-ckc-2015", "6B.2", "-f", "json"]
    )
    hops = json.loads(shown.stdout)["results"][0]["path"]
    assert [(h["strength"], h["level"]) for h in hops] == [("Essential", "MHS"), ("", "")]
    assert json.loads(shown.stdout)["results"][0]["path_level"] == "IMHS"
    table = runner.invoke(app, ["map", "--from", "iecmhc", "--to", "wv-ckc-2015", "6B.2"])
    assert "Essential" in table.stdout and "MHS" in table.stdout


def test_the_cli_maps_a_list_of_names() -> None:
    shown = CliRunner().invoke(
        app,
        ["map", "--from", "imh", "--to", "wv-ckc-2015", "Observation & listening, Self Awareness"],
    )
    assert shown.exit_code == 0, shown.output
    assert "unknown" not in shown.output and "no item" not in shown.output
