"""How every command prints: formats, tables, CSV, JSON, and one-line errors.

Commands build plain rows (dicts with stable keys) and hand them here, so that
``--format table|csv|json`` behaves the same everywhere: JSON is the rows as given,
CSV is a header row then the rows, a table is the rows drawn by Rich; the CSV writer
and the cell-text rule are :mod:`crosswalk.formats.tabular`'s, shared with the web
downloads (``write_csv`` and ``cell_text`` stay importable from here).  Bad input ends
in a single red line on stderr naming what to try next, and exit status 1.  Every
command that writes files asks :func:`may_write` first: nothing is written over an
existing file without ``--force``, and nothing ever over a file the command reads.
"""

from __future__ import annotations

import difflib
import functools
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from crosswalk.catalog import Catalog, NotFound
from crosswalk.formats.tabular import cell_text as cell_text
from crosswalk.formats.tabular import write_csv as write_csv
from crosswalk.model import Crosswalk, Framework
from crosswalk.query import NoRoute

DATA_FORMATS = ("table", "csv", "json")
FORMAT_HELP = "Output format: table, csv or json."
FORCE_HELP = "Write over an output file that exists (never over a file the command reads)."

P = ParamSpec("P")
R = TypeVar("R")
Row = dict[str, Any]


class CommandError(Exception):
    """Bad input a person can fix: the reason, and what to try next."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


class _Stdout(Console):
    """Rich's console, but a reader closing the pipe (``| head``) is success, not 1."""

    def on_broken_pipe(self) -> None:
        silence_stdout()
        raise typer.Exit(0)


def stdout() -> Console:
    """A console on the current stdout (looked up per call, so test runners capture it)."""
    return _Stdout(highlight=False)


def note(message: str, style: str = "yellow") -> None:
    """A remark beside the answer (stderr, so piped output stays clean).

    One line when stderr is a file or a pipe, so a log or ``grep`` keeps it whole;
    wrapped between words in a terminal, so it fits the window.
    """
    console = Console(stderr=True, highlight=False)
    console.print(Text(message, style=style), soft_wrap=not console.is_terminal)


# An error's reason may quote what was typed; a 100 KB argument is not echoed whole.
MAX_REASON = 1_000


def fail(reason: str, hint: str = "") -> typer.Exit:
    """Print the one-line reason in red on stderr; return the exit to raise."""
    line = " ".join(f"Error: {reason}".split())
    if len(line) > MAX_REASON:
        line = f"{line[:MAX_REASON]}… ({len(line) - MAX_REASON:,} more characters)"
    if hint:
        line += f" (try: {hint})"
    note(line, style="bold red")
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
        except BrokenPipeError:
            # The reader (``| head``) has all it wants: stop quietly, successfully.
            silence_stdout()
            raise typer.Exit(0) from None
        except OSError as error:  # an output file that cannot be written
            where = error.filename if error.filename is not None else "output"
            # A writer stopped half-way (openpyxl's sheets, on a full disk) fails again
            # as it is collected; the one line below has said all there is to say.
            sys.unraisablehook = _ignore_unraisable
            raise fail(f"cannot write {where}: {error.strerror or error}") from None

    return run


def _ignore_unraisable(_: Any) -> None:
    pass


def silence_stdout() -> None:
    """Point stdout at /dev/null so the final flush after a closed pipe raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test runner's buffer): nothing will fail at exit


def may_write(
    paths: Iterable[Path], *, force: bool, reads: Mapping[str, Path | None] | None = None
) -> None:
    """Refuse, before anything is written, to write any of ``paths`` where it must not.

    A file that exists is replaced only with ``force``; a file the command reads —
    ``reads`` maps what it is ("transcript", "database") to its path — never, not even
    with ``force``: the same file under another name (a link, ``./``, another case on
    a case-insensitive disk) is caught too.
    """
    for path in paths:
        for role, source in (reads or {}).items():
            if source is not None and _same_file(path, source):
                raise CommandError(
                    f"will not write over {path}: it is the {role} this command reads",
                    "-o another file",
                )
        if path.is_dir():
            raise CommandError(f"{path} is a folder, not a file", "-o a file name")
        if path.exists() and not force:
            raise CommandError(
                f"{path} already exists; nothing was written",
                "--force to replace it, or -o another file",
            )


def _same_file(path: Path, source: Path) -> bool:
    try:
        return os.path.samefile(path, source)
    except OSError:  # one of them does not exist (yet)
        return path.resolve() == source.resolve()


# Extensions that name a file format: a --format contradicting one of them is an error.
_FILE_FORMATS = frozenset({"csv", "tsv", "json", "xlsx", "html"})


def output_format(value: str | None, out: Path | None, allowed: Sequence[str]) -> str:
    """The format asked for, else the one ``out``'s extension names (``.csv``, ``.xlsx``…).

    A file written in the terminal's table format, or in a format guessed wrong, would
    be silently useless, so an unknown extension is an error, not a default; so is a
    ``--format`` that another format's extension contradicts (CSV into ``m.xlsx``).
    """
    if value is not None:
        chosen = choose_format(value, allowed)
        named = out.suffix.lower().lstrip(".") if out is not None else ""
        if named in _FILE_FORMATS and named != chosen:
            # "--format csv -o m.xlsx" would write CSV into a file Excel then refuses.
            raise CommandError(
                f"--format {chosen} contradicts the extension of {str(out)!r}",
                f"--format {named}, or a file ending .{chosen}"
                if chosen != "table"
                else "leave out --format",
            )
    elif out is None:
        return allowed[0]
    else:
        chosen = out.suffix.lower().lstrip(".")
        if chosen not in allowed or chosen == "table":
            files = "|".join(f for f in allowed if f != "table")
            raise CommandError(
                f"cannot tell the format of {str(out)!r} from its extension",
                f"--format {files}, or a file ending .{' / .'.join(files.split('|'))}",
            )
    if out is not None and chosen == "table":
        raise CommandError("--format table prints to the terminal only", "--format csv -o FILE")
    return chosen


def choose_format(value: str, allowed: Sequence[str] = DATA_FORMATS) -> str:
    chosen = value.strip().lower()
    if chosen not in allowed:
        raise CommandError(f"unknown format {value!r}", f"--format {'|'.join(allowed)}")
    return chosen


def framework(catalog: Catalog, framework_id: str) -> Framework:
    """The framework named ``framework_id``, in any case ("IMH"); else near ids offered."""
    chosen = _known_id(framework_id, catalog.frameworks, "framework", "crosswalk frameworks")
    return catalog.frameworks[chosen]


def crosswalk(catalog: Catalog, crosswalk_id: str) -> Crosswalk:
    """The crosswalk named ``crosswalk_id``, in any case; else near ids offered."""
    chosen = _known_id(crosswalk_id, catalog.crosswalks, "crosswalk", "crosswalk crosswalks")
    return catalog.crosswalks[chosen]


def _known_id(given: str, known: Iterable[str], kind: str, hint: str) -> str:
    ids = sorted(known)
    wanted = given.strip().lower()
    for candidate in ids:
        if candidate.lower() == wanted:
            return candidate
    # "imh-wv-ckc" is a prefix of the id meant; difflib catches the typos.
    near = [i for i in ids if i.lower().startswith(wanted) or wanted.startswith(i.lower())]
    near += difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
    close = list(dict.fromkeys(near))[:3] if wanted else []
    reason = f"unknown {kind} {given!r}; " + (
        f"did you mean {' or '.join(close)}?" if close else f"known: {', '.join(ids)}"
    )
    raise CommandError(reason, hint)


def mask_url(url: str) -> str:
    """A database URL fit to print: its password, if any, replaced by ``***``."""
    return _PASSWORD.sub(r"\1***@", url)


def mask_password(text: str, url: str | None) -> str:
    """``text`` (an error message) with the password of ``url`` and URLs in it masked."""
    password = _PASSWORD.search(url or "")
    secret = password and password[0].rsplit(":", 1)[-1].rstrip("@")
    if secret:
        text = text.replace(secret, "***")
    return _PASSWORD.sub(r"\1***@", text)


# "scheme://user:password@" — the password is everything up to the last "@".
_PASSWORD = re.compile(r"(\w[\w+.-]*://[^:/@\s]*:)[^\s]*@")


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


def table(rows: list[Row], keys: Sequence[str], *, title: str = "") -> FittedTable:
    """``rows`` under the headings ``keys``, fitted to the terminal (see :class:`FittedTable`);
    more rows can be added with styled cells (``add_row``)."""
    grid = FittedTable([key.replace("_", " ") for key in keys], title)
    for row in rows:
        grid.add_row(*(cell_text(row.get(key)) for key in keys))
    return grid


class FittedTable:
    """A table that fits the width it is printed in without breaking a word or an id.

    Every column is at least as wide as its longest word (codes such as
    ``wv-ckc-2015`` and ``1.10`` are words), and the room left is shared out by how
    much each column's text wants; a column no row fills is left out.  When even the
    narrowest such table is wider than the terminal, each row is printed as a card
    instead: one "heading  value" line per non-empty cell, the values wrapped at spaces.
    Rich's own tables shrink columns below their longest word, which splits
    "alignments" into "alignment" and "s".
    """

    def __init__(self, headings: Sequence[str], title: str = "") -> None:
        self.headings = list(headings)
        self.title = title
        self.rows: list[list[Text]] = []
        self.section_ends: set[int] = set()  # rows after which a rule is drawn

    def add_row(self, *cells: str | Text, end_section: bool = False) -> None:
        self.rows.append([cell if isinstance(cell, Text) else Text(cell) for cell in cells])
        if end_section:
            self.section_ends.add(len(self.rows) - 1)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.rows:  # a column no row fills only costs width
            kept = [n for n in range(len(self.headings)) if any(r[n].plain for r in self.rows)]
            if len(kept) < len(self.headings):
                narrower = FittedTable([self.headings[n] for n in kept], self.title)
                for at, row in enumerate(self.rows):
                    narrower.add_row(*(row[n] for n in kept), end_section=at in self.section_ends)
                yield from narrower.__rich_console__(console, options)
                return
        width = options.max_width
        headings = [Text(h, style="bold") for h in self.headings]
        columns = list(zip(headings, *self.rows, strict=True))
        least = [max(_longest_word(cell) for cell in column) for column in columns]
        most = [max(_longest_line(cell) for cell in column) for column in columns]
        frame = 3 * len(columns) + 1  # a border and two spaces of padding per column
        if sum(least) + frame > width:
            yield from self._cards(width)
            return
        widths = _share_out(least, most, width - frame)
        grid = Table(title=self.title or None, title_justify="left", show_lines=False)
        for heading, column_width in zip(self.headings, widths, strict=True):
            grid.add_column(heading, width=column_width, overflow="fold")
        for n, row in enumerate(self.rows):
            grid.add_row(*row, end_section=n in self.section_ends)
        yield grid

    def _cards(self, width: int) -> RenderResult:
        if self.title:
            yield Text(self.title, style="italic")
        label_width = max((len(h) for h in self.headings), default=0)
        for n, row in enumerate(self.rows):
            card = Table.grid(padding=(0, 2))
            card.add_column(width=label_width, style="bold", no_wrap=True)
            card.add_column(width=max(1, width - label_width - 2), overflow="fold")
            for heading, cell in zip(self.headings, row, strict=True):
                if cell.plain.strip():
                    card.add_row(heading, cell)
            if n:
                yield Text("")
            yield card


def _longest_word(text: Text) -> int:
    return max((cell_len(word) for word in text.plain.split()), default=0)


def _longest_line(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.splitlines()), default=0)


def _share_out(least: list[int], most: list[int], room: int) -> list[int]:
    """Column widths from their least (longest word) up toward their most (longest
    line), the room beyond the least shared in proportion to what each still wants."""
    widths = list(least)
    spare = room - sum(widths)
    while spare > 0:
        wanting = [n for n, w in enumerate(widths) if w < most[n]]
        if not wanting:
            break
        total = sum(most[n] - widths[n] for n in wanting)
        given = 0
        for n in wanting:
            share = max(1, (spare * (most[n] - widths[n])) // total)
            share = min(share, most[n] - widths[n], spare - given)
            widths[n] += share
            given += share
            if given >= spare:
                break
        spare -= given
    return widths
