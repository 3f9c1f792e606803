"""Every command's output fits an 80-column terminal without breaking a word or an id.

Each command runs twice on the bundled data, as in a terminal (``TTY_COMPATIBLE=1``,
colours off) 80 columns wide and 1000 wide.  Every line of the narrow run must fit, and
every word it prints must be a word of the wide run: a word cut in two ("alignment" +
"s", "wv-ckc-20" + "15") would show up as a fragment the wide run never prints.  Words
ending in "…" are deliberate shortenings (matrix labels); the matrix's column heads
are written vertically and are checked for width only.  ``--help`` must show no raw
markup (literal double backticks) and no Python types as metavars (``<bool>``).
"""

from __future__ import annotations

import re

import pytest
from click.testing import Result
from typer.testing import CliRunner

from crosswalk.cli import app

COMMANDS = [
    "frameworks",
    "crosswalks",
    "items imh",
    "items wv-ckc-2015",
    "items iecmhc",
    "show imh|Observation & listening",
    "show iecmhc 6A.2",
    "show wv-ckc-2015 2.1",
    "show imh|Parent-infant/very young child relationship-based therapies and practice",
    "search|reflective supervision",
    "search 2.1",
    "map --from iecmhc --to wv-ckc-2015 6B.2",
    "map --from wv-ckc-2015 --to imh 2.1 4.1",
    "map --from imh --to wv-ckc-2015|Observation & listening, Self Awareness",
    "gaps imh-wv-ckc-2015",
    "gaps iecmhc-imh --level FS",
    "coverage imh-wv-ckc-2015",
    "coverage iecmhc-imh --level IMHM",
    "lint",
    "readiness categories",  # the readiness report's own view is the readiness work's
    # Errors and notes wrap between words in a terminal too.
    "show imh Advocacy",
    "map --from wv-ckc-2015 --to imh 9.9",
]
NARROW_ONLY = ["matrix imh-wv-ckc-2015", "matrix iecmhc-imh"]
HELP = [
    "",
    *("frameworks", "crosswalks", "items", "show", "search", "map", "gaps", "coverage"),
    *("matrix", "lint", "serve", "import", "export", "export alignments", "export framework"),
    *("export crosswalk", "export all", "db", "db upgrade", "readiness", "readiness report"),
    *("readiness template", "readiness categories"),
]
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_NOT_WORD = re.compile(r"[\s│┃┏┓┗┛┡┩┠┨━─┬┴┼╭╮╯╰┳┻╇╈╋═╞╡┣┫┯┷┿├┤└┘┌┐╿╽]+")


def _argv(command: str) -> list[str]:
    words, _, last = command.partition("|")  # after "|": one argument with spaces
    return words.split() + ([last] if last else [])


def _run(argv: list[str], columns: int) -> Result:
    runner = CliRunner()
    env = {"COLUMNS": str(columns), "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    return runner.invoke(app, argv, env=env, catch_exceptions=False)


def _text(result: Result) -> str:
    return _ANSI.sub("", result.stdout + result.stderr)


def _words(text: str) -> set[str]:
    return {w for w in _NOT_WORD.split(text) if w and not w.endswith("…")}


def _fits(text: str, width: int = 80) -> None:
    wide = [line for line in text.splitlines() if len(line) > width]
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("command", COMMANDS)
def test_output_fits_80_columns_without_breaking_words(command: str) -> None:
    argv = _argv(command)
    narrow, wide = _text(_run(argv, 80)), _text(_run(argv, 1000))
    _fits(narrow)
    assert _words(narrow) <= _words(wide), sorted(_words(narrow) - _words(wide))


@pytest.mark.parametrize("command", NARROW_ONLY)
def test_the_matrix_fits_80_columns(command: str) -> None:
    narrow = _text(_run(_argv(command), 80))
    _fits(narrow)
    assert "Observation & listening" in narrow or "6A.1" in narrow


@pytest.mark.parametrize("command", HELP)
def test_help_shows_no_markup_and_no_python_types(command: str) -> None:
    text = _text(_run([*command.split(), "--help"], 80))
    _fits(text)
    assert "``" not in text
    assert not re.search(r"<(bool|str|int|list\[str\]|Path|float)>", text), text
