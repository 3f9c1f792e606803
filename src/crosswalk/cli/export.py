"""``crosswalk export …`` and ``crosswalk db …``: data out of and schema into the store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from crosswalk import files
from crosswalk.cli import output
from crosswalk.cli.session import Session, catalog, database_file, database_problem
from crosswalk.query import ALIGNMENT_COLUMNS, alignment_rows

export_app = typer.Typer(help="Write data out in exchange formats.", no_args_is_help=True)
db_app = typer.Typer(help="Manage the database.", no_args_is_help=True)

EXPORT_FORMATS = ("csv", "json")


@export_app.command("alignments")
@output.reports_errors
def alignments(
    ctx: typer.Context,
    crosswalk: str = typer.Argument(..., help="Crosswalk id, e.g. imh-wv-ckc-2015."),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="csv or json (default: csv, or -o's extension)."
    ),
    out: Path | None = typer.Option(None, "--output", "-o", help="Write to this file, not stdout."),
    force: bool = typer.Option(False, "--force", help=output.FORCE_HELP),
) -> None:
    """One row per alignment; no-match rows have an empty target.

    Columns (CSV header and JSON keys, in this order): crosswalk, source_framework,
    source_code, source_name, source_parent, source_tags, target_framework,
    target_code, target_name, relation, strength, evidence, note, provenance, level.
    """
    fmt = output.output_format(fmt, out, EXPORT_FORMATS)
    if out is not None:
        output.may_write([out], force=force, reads={"database": database_file(ctx)})
    data = catalog(ctx)
    rows = alignment_rows(data, output.crosswalk(data, crosswalk).id)
    if out is None:
        _write(rows, fmt, sys.stdout)
        return
    with files.replacing(out) as stream:
        _write(rows, fmt, stream)
    Console(stderr=True).print(f"Wrote {len(rows)} alignments to {out}")


def _write(rows: list[dict[str, str]], fmt: str, stream: typer.FileTextWrite | object) -> None:
    if fmt == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False), file=stream)  # type: ignore[arg-type]
    else:
        output.write_csv(rows, ALIGNMENT_COLUMNS, stream)


@db_app.command("upgrade")
@output.reports_errors
def upgrade(ctx: typer.Context) -> None:
    """Create or migrate the database schema to the latest revision."""
    from crosswalk.config import get_settings, normalise_database_url
    from crosswalk.store import upgrade_database

    session = ctx.find_object(Session) or Session()
    url = normalise_database_url(session.database_url or get_settings().database_url)
    shown = output.mask_url(url)
    try:
        before, after = upgrade_database(url)
    except Exception as error:  # the store's errors differ per engine and driver
        raise database_problem(url, error, verb="cannot upgrade") from error
    if before is None:
        message = f"Created the database schema at {shown} (revision {after})."
    elif before != after:
        message = f"Upgraded the database at {shown} from {before} to {after}."
    else:
        message = f"Database at {shown} is up to date."
    output.note(message, style="")
