"""The ``crosswalk`` command: a thin Typer shell over the library."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="crosswalk",
    help="Competency frameworks and the crosswalks between them.",
    no_args_is_help=True,
    add_completion=False,
)


def main() -> None:
    app()
