"""``crosswalk import`` and ``crosswalk export framework|crosswalk|all``.

Thin shells over :mod:`crosswalk.formats.exchange`: each command checks its options,
calls one library function and prints what happened.  The export commands join the
core ``export`` group beside ``export alignments``; importing this module registers
everything, so ``crosswalk.cli`` needs one import line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from crosswalk.cli import output
from crosswalk.cli.export import export_app
from crosswalk.cli.session import Session, actor, catalog
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.exchange import (
    FORMATS,
    ImportReport,
    export_all,
    export_crosswalk,
    export_framework,
    import_file,
)

FORMAT_HELP = "case, sssom, csv or xlsx (where the format fits)."
SHOWN_CHANGES = 40


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


@contextmanager
def _progress(total: int, what: str) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr (only on a terminal); yields ``step(description)``."""
    console = _stderr()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(what, total=total)

        def step(description: str) -> None:
            progress.update(task, advance=1, description=description)

        yield step


@output.reports_errors
def import_(
    ctx: typer.Context,
    path: Path = typer.Argument(
        ..., help="A CASE .json, SSSOM .tsv, CSV file or folder, or .xlsx."
    ),
    fmt: str | None = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    check: bool = typer.Option(
        False, "--check", help="Dry run: report what would be added, changed, removed."
    ),
    propose: bool = typer.Option(
        False, "--propose", help="Leave the changes for a reviewer instead of applying them."
    ),
    as_: str | None = typer.Option(
        None, "--as", metavar="NAME", help="Record the change set under this person."
    ),
) -> None:
    """Import a file as one change set in one transaction (nothing changes on error):
    applied at once, or with --propose left for a reviewer."""
    if fmt is not None:
        fmt = output.choose_format(fmt, FORMATS)
    session = ctx.find_object(Session) or Session()
    try:
        with _progress(4, f"importing {path.name}") as step:
            report = import_file(
                path,
                fmt,
                check,
                url=session.database_url,
                progress=step,
                propose=propose,
                actor=_importer(ctx, as_, propose),
            )
    except ExchangeError as error:
        raise output.CommandError(
            str(error), "fix the file, or crosswalk import --check FILE"
        ) from None
    except SQLAlchemyError as error:  # the database cannot be opened or read
        url = session.database_url
        where = output.mask_url(url or "") or "the default database"
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise output.CommandError(
            f"cannot open {where}: {output.mask_password(reason, url)}",
            "check --database URL or CROSSWALK_DATABASE_URL",
        ) from None
    _print_report(report)


def _importer(ctx: typer.Context, name: str | None, propose: bool) -> str | None:
    """Who the import is recorded under: ``--as NAME`` must be allowed to do it."""
    if name is None:
        return None
    from crosswalk.curation.permissions import Action, may

    who = actor(ctx, name)
    if not may(who, Action.PROPOSE if propose else Action.IMPORT):
        needed = "an editor's role" if propose else "admin (or use --propose)"
        raise output.CommandError(f"{name} may not import: that needs {needed}")
    return who.name


def _print_report(report: ImportReport) -> None:
    console = output.stdout()
    if report.change_set is not None and not report.written:
        console.print(
            f"Proposed {report.path} as change set {report.change_set}: {report.summary()} "
            f"(crosswalk changes show {report.change_set})"
        )
        return
    verb = "Imported" if report.written else "Would import (dry run, nothing written)"
    console.print(f"{verb} {report.path} as {report.format}: {report.summary()}")
    for line in report.kept:
        console.print(f"  {line}")
    for warning in report.warnings:
        _stderr().print(f"[yellow]warning:[/] {warning}")
    if report.written or not report.changes:
        return
    grid = Table("record", "action", "key", "fields", title="Changes")
    for change in report.changes[:SHOWN_CHANGES]:
        grid.add_row(change.record, change.action, change.key, ", ".join(change.fields))
    if len(report.changes) > SHOWN_CHANGES:
        grid.add_row("…", "…", f"and {len(report.changes) - SHOWN_CHANGES} more", "")
    console.print(grid)


def _default_out(name: str, fmt: str) -> Path:
    suffix = {"case": ".json", "sssom": ".sssom.tsv", "xlsx": ".xlsx", "csv": ""}[fmt]
    return Path(f"{name}{suffix}")


def _done(paths: list[Path]) -> None:
    shown = paths[0].parent if len(paths) > 1 else paths[0]
    _stderr().print(f"Wrote {len(paths)} file(s) to {shown}")


@export_app.command("framework")
@output.reports_errors
def framework(
    ctx: typer.Context,
    framework_id: str = typer.Argument(..., metavar="ID", help="Framework id, e.g. imh."),
    fmt: str = typer.Option("case", "--format", "-f", help="case, csv or xlsx."),
    out: Path | None = typer.Option(
        None, "--output", "-o", help="File (case, xlsx) or folder (csv)."
    ),
) -> None:
    """One framework: a CASE 1.1 package (with its outgoing crosswalks) or a workbook."""
    fmt = output.choose_format(fmt, ("case", "csv", "xlsx"))
    data = catalog(ctx)
    chosen = output.framework(data, framework_id).id
    _done(export_framework(data, chosen, fmt, out or _default_out(chosen, fmt)))


@export_app.command("crosswalk")
@output.reports_errors
def crosswalk(
    ctx: typer.Context,
    crosswalk_id: str = typer.Argument(..., metavar="ID", help="Crosswalk id, e.g. iecmhc-imh."),
    fmt: str = typer.Option("sssom", "--format", "-f", help="sssom, case, csv or xlsx."),
    out: Path | None = typer.Option(None, "--output", "-o", help="File (or folder for csv)."),
) -> None:
    """One crosswalk with its alignments: SSSOM TSV, CASE associations, or a workbook."""
    fmt = output.choose_format(fmt, FORMATS)
    data = catalog(ctx)
    chosen = output.crosswalk(data, crosswalk_id).id
    _done(export_crosswalk(data, chosen, fmt, out or _default_out(chosen, fmt)))


@export_app.command("all")
@output.reports_errors
def everything(
    ctx: typer.Context,
    fmt: str = typer.Option("xlsx", "--format", "-f", help="xlsx, csv or case."),
    out: Path | None = typer.Option(
        None, "--output", "-o", help="XLSX file, or folder (csv; case: one package per framework)."
    ),
) -> None:
    """Everything in the database, losslessly (import it back with crosswalk import)."""
    fmt = output.choose_format(fmt, ("xlsx", "csv", "case"))
    data = catalog(ctx)
    target = out or _default_out("crosswalk-data", fmt)
    with _progress(len(data.frameworks), "exporting") as step:
        paths = export_all(data, fmt, target, progress=step)
    _done(paths)
