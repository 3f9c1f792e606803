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
from crosswalk.cli.session import Session, actor, catalog, database_file, database_problem
from crosswalk.formats.case_fetch import import_url, is_url
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.exchange import (
    FORMATS,
    ImportReport,
    MayWrite,
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
    source: str = typer.Argument(
        ...,
        metavar="FILE|URL",
        help="A CASE .json, SSSOM .tsv, CSV file or folder, .xlsx, or the URL of a CASE "
        "server's CFPackage (…/ims/case/v1p1/CFPackages/<id>).",
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
    """Import a file or a CASE server's package as one change set in one transaction
    (nothing changes on error): applied at once, or with --propose left for a reviewer."""
    if fmt is not None:
        fmt = output.choose_format(fmt, FORMATS)
    from crosswalk.store import StoreError  # the store loads with the first import only

    session = ctx.find_object(Session) or Session()
    who = _importer(ctx, as_, propose)
    try:
        with _progress(4, f"importing {source}") as step:
            if is_url(source):
                report = import_url(
                    source,
                    check,
                    database_url=session.database_url,
                    progress=step,
                    propose=propose,
                    actor=who,
                )
            else:
                report = import_file(
                    Path(source),
                    fmt,
                    check,
                    url=session.database_url,
                    progress=step,
                    propose=propose,
                    actor=who,
                )
    except ExchangeError as error:  # the file's (or the server's) fault
        hint = (
            "check the URL, or save the package and import the file"
            if is_url(source)
            else "fix the file, or crosswalk import --check FILE"
        )
        raise output.CommandError(str(error), hint) from None
    except (StoreError, SQLAlchemyError) as error:  # the database's, or a lost race
        raise database_problem(session.database_url, error, f"{source} not imported: ") from None
    _print_report(report, source, check)


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


def _print_report(report: ImportReport, source: str, check: bool) -> None:
    console = output.stdout()
    if report.change_set is not None and not report.written:
        console.print(
            f"Proposed {source} as change set {report.change_set}: {report.summary()} "
            f"(crosswalk changes show {report.change_set})"
        )
        return
    if check:
        verb = "Would import (dry run, nothing written)"
    elif report.written:
        verb = "Imported"
    else:
        verb = "Nothing to write: the database already holds"
    console.print(f"{verb} {source} as {report.format}: {report.summary()}")
    for line in report.kept:
        console.print(f"  {line}")
    for warning in report.warnings:
        _stderr().print(f"[yellow]warning:[/] {warning}")
    if not check or not report.changes:
        return
    grid = Table("record", "action", "key", "fields", title="Changes")
    for change in report.changes[:SHOWN_CHANGES]:
        grid.add_row(change.record, change.action, change.key, ", ".join(change.fields))
    if len(report.changes) > SHOWN_CHANGES:
        grid.add_row("…", "…", f"and {len(report.changes) - SHOWN_CHANGES} more", "")
    console.print(grid)


def _default_out(name: str, fmt: str) -> Path:
    suffix = {
        "case": ".json",
        "sssom": ".sssom.tsv",
        "xlsx": ".xlsx",
        "opensalt": ".opensalt.xlsx",
        "csv": "",
    }[fmt]
    return Path(f"{name}{suffix}")


def _may_write(ctx: typer.Context, force: bool) -> MayWrite:
    """The CLI's rule for the files an export is about to write (see output.may_write)."""
    reads = {"database": database_file(ctx)}
    return lambda paths: output.may_write(paths, force=force, reads=reads)


def _done(paths: list[Path]) -> None:
    shown = paths[0].parent if len(paths) > 1 else paths[0]
    _stderr().print(f"Wrote {len(paths)} file(s) to {shown}")


@export_app.command("framework")
@output.reports_errors
def framework(
    ctx: typer.Context,
    framework_id: str = typer.Argument(..., metavar="ID", help="Framework id, e.g. imh."),
    fmt: str = typer.Option(
        "case", "--format", "-f", help="case, csv, xlsx or opensalt (OpenSALT's XLSX)."
    ),
    out: Path | None = typer.Option(
        None, "--output", "-o", help="File (case, xlsx) or folder (csv)."
    ),
    force: bool = typer.Option(False, "--force", help=output.FORCE_HELP),
) -> None:
    """One framework: a CASE 1.1 package (with its outgoing crosswalks) or a workbook."""
    fmt = output.choose_format(fmt, ("case", "csv", "xlsx", "opensalt"))
    data = catalog(ctx)
    chosen = output.framework(data, framework_id).id
    target = out or _default_out(chosen, fmt)
    _done(export_framework(data, chosen, fmt, target, may_write=_may_write(ctx, force)))


@export_app.command("crosswalk")
@output.reports_errors
def crosswalk(
    ctx: typer.Context,
    crosswalk_id: str = typer.Argument(..., metavar="ID", help="Crosswalk id, e.g. iecmhc-imh."),
    fmt: str = typer.Option(
        "sssom", "--format", "-f", help="sssom, case, csv, xlsx or opensalt (OpenSALT's XLSX)."
    ),
    out: Path | None = typer.Option(None, "--output", "-o", help="File (or folder for csv)."),
    force: bool = typer.Option(False, "--force", help=output.FORCE_HELP),
) -> None:
    """One crosswalk with its alignments: SSSOM TSV, CASE associations, or a workbook."""
    fmt = output.choose_format(fmt, (*FORMATS, "opensalt"))
    data = catalog(ctx)
    chosen = output.crosswalk(data, crosswalk_id).id
    target = out or _default_out(chosen, fmt)
    _done(export_crosswalk(data, chosen, fmt, target, may_write=_may_write(ctx, force)))


@export_app.command("all")
@output.reports_errors
def everything(
    ctx: typer.Context,
    fmt: str = typer.Option("xlsx", "--format", "-f", help="xlsx, csv or case."),
    out: Path | None = typer.Option(
        None, "--output", "-o", help="XLSX file, or folder (csv; case: one package per framework)."
    ),
    force: bool = typer.Option(False, "--force", help=output.FORCE_HELP),
) -> None:
    """Everything in the database, losslessly (import it back with crosswalk import)."""
    fmt = output.choose_format(fmt, ("xlsx", "csv", "case"))
    data = catalog(ctx)
    target = out or _default_out("crosswalk-data", fmt)
    with _progress(len(data.frameworks), "exporting") as step:
        paths = export_all(data, fmt, target, progress=step, may_write=_may_write(ctx, force))
    _done(paths)
