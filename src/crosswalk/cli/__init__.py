"""The ``crosswalk`` command: a thin Typer shell over the library.

Each command is a few lines in one of the modules below that call one library
function and print its answer through :mod:`crosswalk.cli.output`; the catalog comes
from :mod:`crosswalk.cli.session`, chosen by the global ``--database`` option.
"""

from __future__ import annotations

import sys

import typer

from crosswalk import __version__
from crosswalk.cli import (
    analyse,
    browse,
    changes,
    exchange,
    export,
    matrix,
    output,
    people,
    readiness,
    releases,
    suggest,
    web,
)
from crosswalk.cli.helptext import plain_help
from crosswalk.cli.session import Session

app = typer.Typer(
    name="crosswalk",
    help="Competency frameworks and the crosswalks between them.",
    no_args_is_help=True,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"crosswalk {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    database: str | None = typer.Option(
        None,
        "--database",
        envvar="CROSSWALK_DATABASE_URL",
        metavar="URL",
        help="Database URL (SQLite or PostgreSQL); default: a file in your user data directory.",
    ),
    release: str | None = typer.Option(
        None,
        "--release",
        metavar="NAME",
        help="Read a named release instead of the published data (crosswalk release list).",
    ),
    version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        callback=_print_version,
        help="Print the version and exit.",
    ),
) -> None:
    ctx.obj = Session(database, release)


app.command("frameworks")(browse.frameworks)
app.command("crosswalks")(browse.crosswalks)
app.command("items")(browse.items)
app.command("show")(browse.show)
app.command("search")(browse.find)
app.command("map")(analyse.map_)
app.command("gaps")(analyse.gaps_)
app.command("coverage")(analyse.coverage_)
app.command("matrix")(matrix.matrix_)
app.command("lint")(analyse.lint_)
app.command("suggest")(suggest.suggest_)
app.command("serve")(web.serve)
app.command("import")(exchange.import_)
app.add_typer(export.export_app, name="export")
app.add_typer(export.db_app, name="db")
app.add_typer(readiness.readiness_app, name="readiness")
app.add_typer(people.user_app, name="user")
app.command("grant")(people.grant)
app.command("revoke")(people.revoke)
app.add_typer(people.token_app, name="token")
app.add_typer(changes.changes_app, name="changes")
app.command("history")(changes.history_)
app.add_typer(releases.release_app, name="release")
app.command("edition")(releases.edition)
plain_help(app)


def main() -> None:
    try:
        app()
    finally:
        # Output still buffered when the reader closed the pipe (``| head``) must not
        # end in a traceback at exit.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            output.silence_stdout()
