"""The ``crosswalk`` command: a thin Typer shell over the library.

Each command is a few lines in one of the modules below that call one library
function and print its answer through :mod:`crosswalk.cli.output`; the catalog comes
from :mod:`crosswalk.cli.session`, chosen by the global ``--database`` option.
"""

from __future__ import annotations

import typer

from crosswalk.cli import analyse, browse, exchange, export, matrix, readiness, web
from crosswalk.cli.session import Session

app = typer.Typer(
    name="crosswalk",
    help="Competency frameworks and the crosswalks between them.",
    no_args_is_help=True,
    add_completion=False,
)


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
) -> None:
    ctx.obj = Session(database)


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
app.command("serve")(web.serve)
app.command("import")(exchange.import_)
app.add_typer(export.export_app, name="export")
app.add_typer(export.db_app, name="db")
app.add_typer(readiness.readiness_app, name="readiness")


def main() -> None:
    app()
