"""``crosswalk release …`` (named, immutable versions) and ``crosswalk edition``.

Every other command reads a release with the global ``--release NAME`` option
(``crosswalk --release as-printed map …``); ``release diff`` says which links were
added, removed and changed between two releases (or ``published``, the data as it
is now), as a table, CSV, JSON or SSSOM on standard output.
"""

from __future__ import annotations

from pathlib import Path

import typer

from crosswalk.cli import output
from crosswalk.cli.changes import AS
from crosswalk.cli.people import FORMAT, curates
from crosswalk.cli.session import actor, repository
from crosswalk.curation import editions, releases

release_app = typer.Typer(
    help="Named, immutable versions, and what changed between them.", no_args_is_help=True
)


def _scopes(frameworks: list[str], crosswalks: list[str]) -> list[tuple[str, str]]:
    scopes = [("framework", f) for f in frameworks] + [("crosswalk", c) for c in crosswalks]
    if not scopes:
        raise output.CommandError("name what to release: --framework ID and/or --crosswalk ID")
    return scopes


@release_app.command("create")
@curates
def create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="A short name, e.g. 2025-spring."),
    framework: list[str] = typer.Option(
        [], "--framework", metavar="ID", help="Release this framework."
    ),
    crosswalk: list[str] = typer.Option(
        [], "--crosswalk", metavar="ID", help="Release this crosswalk."
    ),
    title: str = typer.Option("", "--title", help="How people will read its name."),
    note: str = typer.Option("", "--note", help="What it is, for whom."),
    as_: str | None = AS,
) -> None:
    """Freeze frameworks and crosswalks as they are published now, under a name."""
    release = releases.create(
        repository(ctx),
        actor(ctx, as_),
        name,
        _scopes(framework, crosswalk),
        title=title,
        note=note,
    )
    covered = ", ".join(f"{k} {s}" for k, s in release.scopes)
    output.stdout().print(f"Released {covered} as {release.name}.")


@release_app.command("list")
@curates
def list_releases(ctx: typer.Context, fmt: str = FORMAT) -> None:
    """Every release, newest first, with what it covers."""
    fmt = output.choose_format(fmt)
    rows = [
        {
            "name": r.name,
            "title": r.title,
            "covers": [f"{k} {s}" for k, s in r.scopes],
            "created": r.created,
            "by": r.actor,
            "note": r.note,
        }
        for r in releases.listed(repository(ctx))
    ]
    output.emit(
        rows, fmt, title="Releases", columns=("name", "title", "covers", "created", "by", "note")
    )


@release_app.command("diff")
@curates
def diff(
    ctx: typer.Context,
    older: str = typer.Argument(..., help="A release name (or 'published')."),
    newer: str = typer.Argument("published", help="A release name, or 'published' (default)."),
    crosswalk: str | None = typer.Option(
        None, "--crosswalk", metavar="ID", help="Only this crosswalk (needed for sssom)."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, json or sssom."),
) -> None:
    """The links added, removed and changed from one release to another."""
    fmt = output.choose_format(fmt, ("table", "csv", "json", "sssom"))
    store = repository(ctx)
    comparison = releases.compare(store, store.load_catalog(), older, newer, crosswalk)
    if fmt == "sssom":
        if crosswalk is None:
            raise output.CommandError("SSSOM holds one crosswalk: add --crosswalk ID")
        typer.echo(releases.comparison_sssom(comparison, crosswalk), nl=False)
        return
    rows = releases.comparison_rows(comparison)
    counts = comparison.counts()
    if fmt == "table":
        output.note(
            ", ".join(f"{n} {what}" for what, n in counts.items()) + f" from {older} to {newer}"
        )
    shown = (
        "crosswalk",
        "change",
        "source_code",
        "target_code",
        "fields",
        "relation_before",
        "relation_after",
    )
    output.emit(
        rows, fmt, title=f"{older} → {newer}", columns=releases.DIFF_COLUMNS, table_columns=shown
    )


@curates
def edition(
    ctx: typer.Context,
    previous: str = typer.Argument(..., metavar="FRAMEWORK", help="The edition being replaced."),
    path: Path = typer.Argument(
        ..., help="The new edition: a workbook (CSV folder, XLSX) or CASE."
    ),
    new_id: str = typer.Option(
        ..., "--id", help="The new edition's framework id, e.g. wv-ckc-2024."
    ),
    title: str = typer.Option("", "--title", help="Its title (default: as in the file)."),
    version: str = typer.Option("", "--version", help="Its version (default: as in the file)."),
    fmt: str | None = typer.Option(
        None, "--format", help="case, csv or xlsx (default: from the file)."
    ),
    as_: str | None = AS,
) -> None:
    """Import a new edition of a framework: items matched to the previous edition, the
    links of unchanged items carried over, the others proposed for review."""
    made = editions.start_edition(
        repository(ctx),
        actor(ctx, as_),
        previous,
        path,
        new_id=new_id,
        title=title,
        version=version,
        format=fmt,
    )
    counts: dict[str, int] = {}
    for match in made.matches:
        counts[match.how] = counts.get(match.how, 0) + 1
    console = output.stdout()
    console.print(
        f"New edition {made.framework.id} ({made.framework.title}) replaces {previous}.",
        highlight=False,
    )
    console.print(
        "Items: " + ", ".join(f"{n} {how}" for how, n in sorted(counts.items())), highlight=False
    )
    for old_id, new_cw in made.crosswalks:
        console.print(f"Crosswalk {old_id} → copied as {new_cw}", highlight=False)
    console.print(f"{made.carried} links of unchanged items carried over.", highlight=False)
    if made.review is not None:
        console.print(
            f"Change set {made.review} lists the links to decide "
            f"(crosswalk changes show {made.review}).",
            highlight=False,
        )
    if made.not_carried:
        console.print(
            f"{len(made.not_carried)} links not carried: their item is not in the new edition.",
            highlight=False,
        )
    rows = [
        {
            "previous": m.old.code if m.old else "",
            "new": m.new.code if m.new else "",
            "how": m.how,
            "what changed": m.describe(),
        }
        for m in made.matches
        if m.how != "same"
    ]
    if rows:
        output.emit(
            rows,
            "table",
            title="Items that changed",
            columns=("previous", "new", "how", "what changed"),
        )
