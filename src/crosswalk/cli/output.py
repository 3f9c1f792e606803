"""How every command prints: formats, tables, CSV, JSON, and one-line errors.

Commands build plain rows (dicts with stable keys) and hand them here, so that
``--format table|csv|json`` behaves the same everywhere: JSON is the rows as given,
CSV is a header row then the rows, a table is the rows drawn by Rich.  Bad input ends
in a single red line on stderr naming what to try next, and exit status 1.
"""

from __future__ import annotations

import csv
import functools
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from crosswalk.catalog import Catalog, NotFound
from crosswalk.model import Crosswalk, Framework
from crosswalk.query import NoRoute

DATA_FORMATS = ("table", "csv", "json")
FORMAT_HELP = "Output format: table, csv or json."

P = ParamSpec("P")
R = TypeVar("R")
Row = dict[str, Any]


class CommandError(Exception):
    """Bad input a person can fix: the reason, and what to try next."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


def stdout() -> Console:
    """A console on the current stdout (looked up per call, so test runners capture it)."""
    return Console(highlight=False)


def note(message: str) -> None:
    """A remark beside the answer (stderr, so piped output stays clean)."""
    Console(stderr=True, highlight=False).print(Text(message, style="yellow"), soft_wrap=True)


def fail(reason: str, hint: str = "") -> typer.Exit:
    """Print the one-line reason in red on stderr; return the exit to raise."""
    line = " ".join(f"Error: {reason}".split())
    if hint:
        line += f" (try: {hint})"
    Console(stderr=True, highlight=False).print(Text(line, style="bold red"), soft_wrap=True)
    return typer.Exit(1)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the library's lookup errors into the CLI's one-line failure."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except CommandError as error:
            raise fail(error.reason, error.hint) from None
        except NoRoute as error:
            raise fail(str(error), "crosswalk crosswalks") from None
        except NotFound as error:
            raise fail(str(error), "crosswalk search TEXT") from None

    return run


def choose_format(value: str, allowed: Sequence[str] = DATA_FORMATS) -> str:
    chosen = value.strip().lower()
    if chosen not in allowed:
        raise CommandError(f"unknown format {value!r}", f"--format {'|'.join(allowed)}")
    return chosen


def framework(catalog: Catalog, framework_id: str) -> Framework:
    try:
        return catalog.framework(framework_id)
    except NotFound as error:
        raise CommandError(str(error), "crosswalk frameworks") from None


def crosswalk(catalog: Catalog, crosswalk_id: str) -> Crosswalk:
    try:
        return catalog.crosswalk(crosswalk_id)
    except NotFound as error:
        raise CommandError(str(error), "crosswalk crosswalks") from None


def emit(
    rows: list[Row],
    fmt: str,
    *,
    title: str = "",
    columns: Sequence[str] = (),
    table_columns: Sequence[str] = (),
) -> None:
    """Print ``rows`` in ``fmt``.

    ``columns`` fixes the CSV header (even with no rows); ``table_columns`` picks the
    ones worth the width of a terminal when that is fewer.
    """
    keys = list(columns) or (list(rows[0]) if rows else [])
    if fmt == "json":
        emit_json(rows)
    elif fmt == "csv":
        write_csv(rows, keys, sys.stdout)
    else:
        stdout().print(table(rows, table_columns or keys, title=title))


def emit_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def write_csv(rows: Iterable[Row], keys: Sequence[str], stream: Any) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([cell_text(row.get(key)) for key in keys])


def cell_text(value: object) -> str:
    """Lists become ";"-joined, None becomes empty: CSV cells and table cells alike."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v) for v in value)
    return str(value)


def table(rows: list[Row], keys: Sequence[str], *, title: str = "") -> Table:
    grid = Table(title=title or None, title_justify="left", show_lines=False)
    for key in keys:
        grid.add_column(key.replace("_", " "), overflow="fold", no_wrap=key == "id")
    for row in rows:
        grid.add_row(*(Text(cell_text(row.get(key))) for key in keys))
    return grid
