"""``crosswalk changes …`` (review change sets) and ``crosswalk history``.

Change sets are proposed in the web app, through the API, or with ``crosswalk import
--propose``; here they are listed, read and decided.  A command acts as the command
line itself (it holds the database: it may do what an admin may) unless ``--as NAME``
names the person acting, whose roles then apply.
"""

from __future__ import annotations

import sys

import typer

from crosswalk.cli import output
from crosswalk.cli.people import FORMAT, curates
from crosswalk.cli.session import actor, repository
from crosswalk.curation import changes, history
from crosswalk.states import describe

changes_app = typer.Typer(
    help="Review change sets: list, show, approve, reject …", no_args_is_help=True
)
AS = typer.Option(
    None, "--as", metavar="NAME", help="Act as this person (default: the command line)."
)
CHANGE_SET = typer.Argument(..., metavar="ID", help="Change set number (crosswalk changes list).")
LIST_COLUMNS = ("id", "status", "kind", "title", "author", "reviewer", "size", "updated")
OPERATION_COLUMNS = ("action", "what", "base", "fields", "note")


@changes_app.command("list")
@curates
def list_changes(
    ctx: typer.Context,
    status: list[str] = typer.Option([], "--status", help="draft, submitted, approved …"),
    as_: str | None = AS,
    fmt: str = FORMAT,
) -> None:
    """Change sets you may see, newest first."""
    fmt = output.choose_format(fmt)
    found = changes.listed(repository(ctx), actor(ctx, as_), status)
    rows = [{c: getattr(change_set, c) for c in LIST_COLUMNS} for change_set in found]
    output.emit(rows, fmt, title="Change sets", columns=LIST_COLUMNS)


@changes_app.command("show")
@curates
def show(
    ctx: typer.Context, change_set: int = CHANGE_SET, as_: str | None = AS, fmt: str = FORMAT
) -> None:
    """One change set: what, why, by whom, and each operation."""
    fmt = output.choose_format(fmt)
    found, operations = changes.get(repository(ctx), actor(ctx, as_), change_set)
    rows = [
        {
            "action": o.action,
            "what": describe(o.kind, o.key, o.before, o.after),
            "base": o.base if o.base is not None else "",
            "fields": history.changed_between(o.action, o.before, o.after),
            "note": o.note,
        }
        for o in operations
    ]
    if fmt == "json":
        output.emit_json(
            {
                "change_set": {c: getattr(found, c) for c in (*LIST_COLUMNS, "reason", "comment")},
                "operations": rows,
            }
        )
        return
    if fmt == "table":
        console = output.stdout()
        console.print(
            f"[bold]Change set {found.id}: {found.title}[/] ({found.status})", highlight=False
        )
        console.print(f"by {found.author}, {found.created}; {found.reason}", highlight=False)
        if found.reviewer:
            console.print(
                f"reviewed by {found.reviewer}, {found.reviewed}: {found.comment}", highlight=False
            )
    output.emit(rows, fmt, columns=OPERATION_COLUMNS)


@changes_app.command("submit")
@curates
def submit(ctx: typer.Context, change_set: int = CHANGE_SET, as_: str | None = AS) -> None:
    """Send a draft to the reviewers."""
    changes.submit(repository(ctx), actor(ctx, as_), change_set)
    output.stdout().print(f"Submitted change set {change_set}.")


@changes_app.command("approve")
@curates
def approve(
    ctx: typer.Context,
    change_set: int = CHANGE_SET,
    comment: str = typer.Option("", "--comment", help="What the reviewer says."),
    as_: str | None = AS,
) -> None:
    """Apply a submitted change set (one transaction); a conflict changes nothing."""
    revision = changes.approve(repository(ctx), actor(ctx, as_), change_set, comment)
    done = f"store revision {revision}" if revision is not None else "it changed nothing"
    output.stdout().print(f"Approved change set {change_set}: {done}.")


@changes_app.command("reject")
@curates
def reject(
    ctx: typer.Context,
    change_set: int = CHANGE_SET,
    comment: str = typer.Option(..., "--comment", help="Why (the author reads it)."),
    as_: str | None = AS,
) -> None:
    """Turn a submitted change set down, saying why."""
    changes.reject(repository(ctx), actor(ctx, as_), change_set, comment)
    output.stdout().print(f"Rejected change set {change_set}.")


@changes_app.command("withdraw")
@curates
def withdraw(ctx: typer.Context, change_set: int = CHANGE_SET, as_: str | None = AS) -> None:
    """Withdraw your own change set before it is decided."""
    changes.withdraw(repository(ctx), actor(ctx, as_), change_set)
    output.stdout().print(f"Withdrew change set {change_set}.")


@changes_app.command("revert")
@curates
def revert(
    ctx: typer.Context,
    change_set: int = CHANGE_SET,
    reason: str = typer.Option("", "--reason", help="Why it should be undone."),
    as_: str | None = AS,
) -> None:
    """Propose a new change set that undoes an approved one (reviewed like any other)."""
    undo = changes.revert(repository(ctx), actor(ctx, as_), change_set, reason)
    output.stdout().print(f"Change set {undo.id} undoes {change_set}; it waits for a reviewer.")


HISTORY_COLUMNS = ("at", "actor", "change_set", "action", "what", "version", "fields")


@curates
def history_(
    ctx: typer.Context,
    target: str | None = typer.Argument(
        None, help="A framework or crosswalk id, or FRAMEWORK:CODE for an item; none: everything."
    ),
    limit: int = typer.Option(50, "--limit", min=1, help="How many events, newest first."),
    fmt: str = FORMAT,
) -> None:
    """Who changed what, when, in which change set (``--format csv`` without a target:
    the whole event log, oldest first)."""
    fmt = output.choose_format(fmt)
    store = repository(ctx)
    if target is None and fmt == "csv":
        for chunk in history.log_csv(store):
            sys.stdout.write(chunk)
        return
    if target is None:
        events = history.recent(store, limit)
    elif ":" in target:
        framework, _, code = target.partition(":")
        events = history.of_item(store, store.load_catalog(), framework, code, limit)
    else:
        catalog = store.load_catalog()
        kind = "crosswalk" if target in catalog.crosswalks else "framework"
        if kind == "framework":
            output.framework(catalog, target)
        events = history.of_scope(store, kind, target, limit)
    rows = [
        {
            "at": e.at,
            "actor": e.actor,
            "change_set": e.change_set,
            "action": e.action,
            "what": describe(e.kind, e.key, e.before, e.after),
            "version": e.version,
            "fields": history.changed_fields(e),
        }
        for e in events
    ]
    output.emit(rows, fmt, title=f"History of {target or 'everything'}", columns=HISTORY_COLUMNS)
