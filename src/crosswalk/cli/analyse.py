"""Commands that analyse crosswalks: map, gaps, coverage, lint."""

from __future__ import annotations

from functools import partial

import typer
from rich.text import Text

from crosswalk.catalog import Catalog
from crosswalk.cli import output, records
from crosswalk.cli.session import catalog
from crosswalk.levels import SCOPES, parse_scope, scope_levels
from crosswalk.lint import CHECKS, lint, summary
from crosswalk.model import Item
from crosswalk.query import (
    LINT_COLUMNS,
    Mapping,
    SourceFilter,
    coverage,
    gaps,
    lint_rows,
    map_each,
    map_rows,
    scope_text,
    source_filter,
)

FORMAT = typer.Option("table", "--format", "-f", help=output.FORMAT_HELP)
LEVEL = typer.Option(
    None,
    "--level",
    help="Only the links at this endorsement level (a link's own MHS/MHM tag, else its "
    "source item's level), as on the web page: "
    + ", ".join(f"{key} ({text})" for key, (_, text) in SCOPES.items())
    + "; MHS/MHM and any case work.",
)
# The library's map columns but the source name, which every row of one input repeats.
MAP_COLUMNS = (
    *("input", "source_code", "target_code", "target_name", "via", "path"),
    *("strength", "level", "path_level"),
)


@output.reports_errors
def map_(
    ctx: typer.Context,
    codes: list[str] = typer.Argument(
        ..., help='Codes (or names) in the --from framework; "CKC 2.1; 4.1" works too.'
    ),
    source: str = typer.Option(..., "--from", help="Framework the codes belong to."),
    target: str = typer.Option(..., "--to", help="Framework to map them into."),
    fmt: str = FORMAT,
) -> None:
    """Map codes to another framework, directly or through others; each with its path.

    Every code that maps is printed; then one line (stderr) per code not understood,
    with suggestions, and a note for codes that correspond to nothing.  The exit status
    is 1 when any code was not understood.  ``-f json`` prints one object, always:
    ``from``, ``to``, ``results`` (the mappings), ``unknown`` (input, reason,
    suggestions) and ``unmatched`` (input, source item).
    """
    fmt = output.choose_format(fmt)
    data = catalog(ctx)
    source = output.framework(data, source).id
    target = output.framework(data, target).id
    answer = map_each(data, source, target, codes)
    mappings = answer.mappings
    if not (mappings or answer.unknown or answer.unmatched):
        raise output.CommandError("no code given", f"crosswalk items {source}")
    if fmt == "json":
        # Always one JSON document, even when nothing maps: the misses are part of it.
        output.emit_json(
            {
                "from": source,
                "to": target,
                "results": [_mapping_json(m) for m in mappings],
                "unknown": [
                    {
                        "input": u.code,
                        "reason": u.reason,
                        "suggestions": [records.item_brief(i) for i in u.suggestions],
                    }
                    for u in answer.unknown
                ],
                "unmatched": [
                    {"input": u.code, "source": records.item_brief(u.item)}
                    for u in answer.unmatched
                ],
            }
        )
    else:
        # Paths name items briefly: the printed code, else the name (with the code when
        # two items of a framework share that name).
        name = partial(records.short, repeated=records.repeated_names(data))
        rows = map_rows(mappings, name)
        for row, mapping in zip(rows, mappings, strict=True):
            row["target"] = mapping.target.label  # the table's one column for the target
        if rows or (fmt == "csv" and not answer.unknown):
            output.emit(
                rows,
                fmt,
                title=f"{source} → {target}",
                columns=MAP_COLUMNS,
                table_columns=("input", "target", "path", "strength", "level"),
            )
    missed = [u.code for u in answer.unmatched]
    if missed and fmt == "table" and not mappings and not answer.unknown:
        output.stdout().print(f"No {target} items correspond to {', '.join(missed)}.")
    elif missed:
        output.note(f"No {target} items correspond to {', '.join(missed)}.")
    for unknown in answer.unknown:
        output.fail(unknown.reason, f"crosswalk items {source}")
    if answer.unknown:
        raise typer.Exit(1)


def _mapping_json(m: Mapping) -> dict[str, object]:
    return {
        "input": m.code,
        "source": records.item_brief(m.source),
        "target": records.item_brief(m.target),
        "via": list(m.via),
        "path": [records.hop(h) for h in m.path],
        "path_level": m.level,
    }


GAP_COLUMNS = ("gap", "framework", "code", "name", "note", "provenance")


@output.reports_errors
def gaps_(
    ctx: typer.Context,
    crosswalk: str = typer.Argument(..., help="Crosswalk id, e.g. imh-wv-ckc-2015."),
    level: str | None = LEVEL,
    fmt: str = FORMAT,
) -> None:
    """Source items with no link or an explicit no-match; targets never referenced.

    With `--level` only the links at that level (and the items they start from) count,
    and a target counts as never referenced when none of *those* links cites it.
    """
    fmt = output.choose_format(fmt)
    data = catalog(ctx)
    crosswalk = output.crosswalk(data, crosswalk).id
    scope, keep = _level_scope(data, crosswalk, level)
    level_text = scope_text(data, crosswalk, scope)
    found = gaps(data, crosswalk, sources=keep)
    source, target = found.crosswalk.source_framework, found.crosswalk.target_framework
    rows = [
        *({"gap": "unlinked", "framework": source, "code": i.code, "name": i.name,
           "note": found.note(i), "provenance": records.provenance(i.provenance)}
          for i in found.unlinked),
        *({"gap": "no-match", "framework": source, "code": n.item.code, "name": n.item.name,
           "note": n.note, "provenance": records.provenance(n.alignment.provenance)}
          for n in found.no_match),
        *({"gap": "unreferenced", "framework": target, "code": i.code, "name": i.name,
           "note": "", "provenance": records.provenance(i.provenance)} for i in found.unreferenced),
    ]  # fmt: skip
    if fmt == "json":
        sections = {"unlinked": "unlinked", "no_match": "no-match", "unreferenced": "unreferenced"}
        listed = {
            key: [{k: v for k, v in r.items() if k != "gap"} for r in rows if r["gap"] == gap]
            for key, gap in sections.items()
        }
        output.emit_json({"crosswalk": found.crosswalk.id, "level": scope, **listed})
        return
    if fmt == "csv":
        _note_level(scope, level_text)
        output.emit(rows, fmt, columns=GAP_COLUMNS)
        return
    console = output.stdout()
    _print_level(scope, level_text)
    for gap, title in (
        ("unlinked", f"{source} items with no link"),
        ("no-match", f"{source} items with an explicit no-match"),
        ("unreferenced", f"{target} items never referenced"),
    ):
        chosen = [r for r in rows if r["gap"] == gap]
        console.print(Text(f"{title}: {len(chosen)}", style="bold"))
        columns = (
            ("code", "name") if gap == "unreferenced" else ("code", "name", "note", "provenance")
        )
        if chosen:
            framework = target if gap == "unreferenced" else source
            shown = [{**r, "code": _printed(data, framework, r["code"])} for r in chosen]
            console.print(output.table(shown, columns))


@output.reports_errors
def coverage_(
    ctx: typer.Context,
    crosswalk: str = typer.Argument(..., help="Crosswalk id, e.g. imh-wv-ckc-2015."),
    level: str | None = LEVEL,
    fmt: str = FORMAT,
) -> None:
    """Counts per area on both sides; the most and least referenced targets.

    With `--level` only the links at that level (and the items they start from) count.
    """
    fmt = output.choose_format(fmt)
    data = catalog(ctx)
    crosswalk = output.crosswalk(data, crosswalk).id
    scope, keep = _level_scope(data, crosswalk, level)
    level_text = scope_text(data, crosswalk, scope)
    found = coverage(data, crosswalk, sources=keep)
    area_rows = [
        _area_row("source", a.area, a.items, a.linked, a.no_match, a.links)
        for a in found.source_areas
    ] + [
        _area_row("target", a.area, a.items, a.referenced, None, a.links)
        for a in found.target_areas
    ]
    most = [
        {"code": u.item.code, "name": u.item.name, "links": u.links} for u in found.most_referenced
    ]
    least = [
        {"code": u.item.code, "name": u.item.name, "links": u.links} for u in found.least_referenced
    ]
    if fmt == "json":
        output.emit_json(
            {
                "crosswalk": found.crosswalk.id,
                "level": scope,
                "source_areas": [_without_kind(r) for r in area_rows if r["side"] == "source"],
                "target_areas": [
                    {k: v for k, v in _without_kind(r).items() if k != "no_match"}
                    for r in area_rows
                    if r["side"] == "target"
                ],
                "most_referenced": most,
                "least_referenced": least,
            }
        )
        return
    if fmt == "csv":
        # One table for everything: the kind column tells area counts from target lists.
        listed = [
            {"kind": kind, "side": "target", **use}
            for kind, uses in (("most-referenced", most), ("least-referenced", least))
            for use in uses
        ]
        _note_level(scope, level_text)
        output.emit(area_rows + listed, fmt, columns=COVERAGE_COLUMNS)
        return
    console = output.stdout()
    _print_level(scope, level_text)
    columns = ("area_code", "area", "items", "linked", "no_match", "links")
    side_title = {
        "source": found.crosswalk.source_framework,
        "target": found.crosswalk.target_framework,
    }
    for side in ("source", "target"):
        chosen = [r for r in area_rows if r["side"] == side]
        shown = columns if side == "source" else ("area_code", "area", "items", "linked", "links")
        console.print(Text(f"{side_title[side]} areas ({side})", style="bold"))
        console.print(output.table(chosen, shown))
    for title, uses in (("Most referenced targets", most), ("Least referenced targets", least)):
        console.print(Text(title, style="bold"))
        console.print(output.table(uses, ("code", "name", "links")))


def _printed(data: Catalog, framework: str, code: str) -> str:
    item = data.items.get((framework, code))
    return records.printed_code(item) if item else code


def _level_scope(
    data: Catalog, crosswalk_id: str, value: str | None
) -> tuple[str | None, SourceFilter | None]:
    """The scope ``--level`` names (None: every level) and the items and links it keeps."""
    try:
        scope = parse_scope(value)
    except ValueError as error:
        raise output.CommandError(str(error), "--level IMHS") from None
    return scope, source_filter(data, crosswalk_id, scope_levels(scope))


def _print_level(scope: str | None, text: str) -> None:
    """The table's first line names the level shown (nothing when every level is)."""
    if scope is not None:
        output.stdout().print(Text(f"Level {scope}: {text}", style="bold"))


def _note_level(scope: str | None, text: str) -> None:
    """CSV stays one table: the level shown is said on stderr."""
    if scope is not None:
        output.note(f"Level {scope}: {text}")


COVERAGE_COLUMNS = (
    *("kind", "side", "area_code", "area", "code", "name"),
    *("items", "linked", "no_match", "links"),
)


def _area_row(
    side: str, area: Item | None, items: int, linked: int, no_match: int | None, links: int
) -> dict[str, object]:
    """A coverage row; for the target side, ``linked`` counts items referenced at all and
    ``no_match`` is None (a no-match is said of source items only)."""
    return {
        "kind": "area",
        "side": side,
        "area_code": area.code if area else "",
        "area": area.name if area else "",
        "items": items,
        "linked": linked,
        "no_match": no_match,
        "links": links,
    }


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@output.reports_errors
def lint_(
    ctx: typer.Context,
    check: list[str] = typer.Option([], "--check", help=f"Only these checks: {', '.join(CHECKS)}."),
    fmt: str = FORMAT,
) -> None:
    """Data-quality report: mismatched statements, duplicates, variants, undefined references."""
    fmt = output.choose_format(fmt)
    unknown = [c for c in check if c not in CHECKS]
    if unknown:
        raise output.CommandError(f"unknown check {unknown[0]!r}", f"--check {'|'.join(CHECKS)}")
    findings = lint(catalog(ctx), check or None)
    rows = lint_rows(findings)
    if fmt == "json":
        output.emit_json({"summary": summary(findings), "findings": rows})
        return
    if fmt == "csv":
        output.emit(rows, fmt, columns=LINT_COLUMNS)
        return
    console = output.stdout()
    for name in CHECKS:
        chosen = [row for row in rows if row["check"] == name]
        if not chosen:
            continue
        console.print(Text(f"{name}: {len(chosen)}", style="bold"))
        grid = output.table([], ("severity", "scope", "message", "provenance"))
        for row in chosen:
            grid.add_row(
                Text(row["severity"], style=_SEVERITY_STYLE.get(row["severity"], "")),
                row["scope"],
                Text(row["message"]),
                Text(output.cell_text(row["provenance"])),
            )
        console.print(grid)
    counts = ", ".join(f"{name} {count}" for name, count in summary(findings).items())
    console.print(f"{len(findings)} findings: {counts}")


def _without_kind(row: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in row.items() if k != "kind"}
