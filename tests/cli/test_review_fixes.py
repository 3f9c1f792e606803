"""The review's CLI defects, each through the real command, on the fixture and bundled data.

Both datasets share what is used here: imh-wv-ckc-2015's no-match rows (Supportive
counseling …) sit at IMHS, its unlinked Adult theory & practice at IMHM; CKC 1.1, 1.10
and the typo 1.11; the long CKC statements.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_commands import as_csv, as_json, ok, one_line_error

from fixtures import Invoke

ADULT_THEORY = "theoretical-foundations/adult-theory-practice"
SUPPORTIVE = "direct-service-skills/supportive-counseling"

# -- gaps and coverage --level -----------------------------------------------------------


def test_gaps_level_keeps_the_source_items_at_that_level(cli: Invoke) -> None:
    every = as_json(cli("gaps", "imh-wv-ckc-2015", "-f", "json"))
    assert every["level"] is None  # type: ignore[index]
    mentor = as_json(cli("gaps", "imh-wv-ckc-2015", "--level", "IMHM", "-f", "json"))
    assert isinstance(mentor, dict) and mentor["level"] == "IMHM"
    assert ADULT_THEORY in [i["code"] for i in mentor["unlinked"]]
    assert mentor["no_match"] == []
    specialist = as_json(cli("gaps", "imh-wv-ckc-2015", "--level", "imhs", "-f", "json"))
    assert isinstance(specialist, dict) and specialist["unlinked"] == []
    assert SUPPORTIVE in [i["code"] for i in specialist["no_match"]]


@pytest.mark.parametrize("spelling", ["up-to-IMHS", "upto-imhs", "FS+IMHS"])
def test_gaps_level_reads_the_up_to_scope(cli: Invoke, spelling: str) -> None:
    found = as_json(cli("gaps", "imh-wv-ckc-2015", "--level", spelling, "-f", "json"))
    assert found["level"] == "upto-IMHS"  # type: ignore[index]


def test_gaps_and_coverage_say_which_level_is_shown(cli: Invoke) -> None:
    table = ok(cli("gaps", "imh-wv-ckc-2015", "--level", "IMHM")).stdout
    assert table.splitlines()[0] == "Level IMHM: IMHM areas only"
    assert "Level" not in ok(cli("gaps", "imh-wv-ckc-2015")).stdout.splitlines()[0]
    result = ok(cli("coverage", "imh-wv-ckc-2015", "--level", "FS", "-f", "csv"))
    assert "Level FS: Family Specialist areas only" in result.stderr
    assert result.stdout.startswith("kind,side,")  # the CSV stays one table
    table = ok(cli("coverage", "imh-wv-ckc-2015", "--level", "upto-IMHS")).stdout
    assert table.splitlines()[0].startswith("Level upto-IMHS: Up to IMHS")


def test_coverage_level_counts_only_those_source_items(cli: Invoke) -> None:
    def source_items(*level: str) -> int:
        found = as_json(cli("coverage", "imh-wv-ckc-2015", *level, "-f", "json"))
        assert isinstance(found, dict)
        return sum(a["items"] for a in found["source_areas"])

    every, fs, imhs, upto = (
        source_items(),
        source_items("--level", "FS"),
        source_items("--level", "IMHS"),
        source_items("--level", "upto-IMHS"),
    )
    assert 0 < fs < upto < every and 0 < imhs < upto and fs + imhs == upto
    assert (
        as_json(cli("coverage", "imh-wv-ckc-2015", "--level", "IMHM", "-f", "json"))[
            "level"  # type: ignore[index]
        ]
        == "IMHM"
    )


def test_a_bad_level_is_a_one_line_error(cli: Invoke) -> None:
    for command in ("gaps", "coverage"):
        one_line_error(
            cli(command, "imh-wv-ckc-2015", "--level", "boss"), "unknown level 'boss'", "IMHS"
        )


# -- map -f json ---------------------------------------------------------------------------


def test_map_json_is_valid_when_nothing_maps(cli: Invoke) -> None:
    result = cli("map", "--from", "wv-ckc-2015", "--to", "imh", "1.11", "-f", "json")
    assert result.exit_code == 1  # an unknown code still fails
    answer = json.loads(result.stdout)
    assert answer["results"] == [] and answer["unmatched"] == []
    (unknown,) = answer["unknown"]
    assert unknown["input"] == "1.11" and "did you mean" in unknown["reason"]
    assert "1.10" in [s["code"] for s in unknown["suggestions"]]
    assert result.stderr.startswith("Error: no item '1.11'")


def test_map_json_lists_codes_with_no_correspondence(cli: Invoke) -> None:
    args = ("map", "--from", "imh", "--to", "wv-ckc-2015", "Supportive counseling")
    answer = as_json(cli(*args, "-f", "json"))
    assert isinstance(answer, dict) and answer["results"] == []
    assert answer["unmatched"] == [
        {
            "input": "Supportive counseling",
            "source": {"framework": "imh", "code": SUPPORTIVE, "name": "Supportive counseling"},
        }
    ]


def test_map_json_keeps_results_beside_misses(cli: Invoke) -> None:
    result = cli("map", "--from", "wv-ckc-2015", "--to", "imh", "6.6; 1.11", "-f", "json")
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert {r["input"] for r in answer["results"]} == {"6.6"}
    assert [u["input"] for u in answer["unknown"]] == ["1.11"]


# -- polish: readable errors, contradicting formats -----------------------------------------


def test_did_you_mean_shortens_long_statements(cli: Invoke) -> None:
    line = one_line_error(cli("show", "wv-ckc-2015", "1.11"), "did you mean 1.1 (")
    suggested = line.split("did you mean ", 1)[1].split("?")[0]
    names = [part.split(" (", 1)[1].rstrip(")") for part in suggested.split("), ")]
    assert names and all(len(name) <= 60 for name in names)
    assert any(name.endswith("…") for name in names)  # CKC 1.1's statement is longer


def test_wrong_framework_prefix_reads_as_english(cli: Invoke) -> None:
    result = cli("map", "--from", "wv-ckc-2015", "--to", "imh", "IECMHC 6B.2")
    assert result.exit_code == 1
    assert "'IECMHC 6B.2' is a code of iecmhc, not of wv-ckc-2015" in result.stderr


@pytest.mark.parametrize(
    ("args", "name", "hint"),
    [
        (("matrix", "iecmhc-imh", "--format", "csv"), "m.xlsx", "--format xlsx"),
        (("matrix", "iecmhc-imh", "-f", "json"), "m.csv", "--format csv"),
        (("export", "alignments", "iecmhc-imh", "-f", "csv"), "a.json", "--format json"),
    ],
)
def test_a_format_contradicting_the_extension_is_refused(
    cli: Invoke, tmp_path: Path, args: tuple[str, ...], name: str, hint: str
) -> None:
    target = tmp_path / name
    one_line_error(cli(*args, "-o", str(target)), "contradicts", name, hint)
    assert not target.exists()


def test_an_explicit_format_still_writes_a_file_of_another_extension(
    cli: Invoke, tmp_path: Path
) -> None:
    ok(cli("matrix", "iecmhc-imh", "-f", "csv", "-o", str(tmp_path / "m.txt")))
    assert (tmp_path / "m.txt").read_text(encoding="utf-8").startswith(",,,")
    assert as_csv(cli("export", "alignments", "iecmhc-imh", "-f", "csv"))
