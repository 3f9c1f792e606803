"""Commands that analyse crosswalks: map, gaps, coverage, lint."""

from __future__ import annotations

import typer
from rich.text import Text

from crosswalk.catalog import NotFound
from crosswalk.cli import output, records
from crosswalk.cli.session import catalog
from crosswalk.lint import CHECKS, Finding, lint, summary
from crosswalk.model import Item
from crosswalk.query import coverage, gaps, map_codes

FORMAT = typer.Option("table", "--format", "-f", help=output.FORMAT_HELP)
MAP_COLUMNS = ("input", "source_code", "target_code", "target_name", "via", "path")


@output.reports_errors
def map_(
    ctx: typer.Context,
    codes: list[str] = typer.Argument(..., help="Codes (or names) in the --from framework."),
    source: str = typer.Option(..., "--from", help="Framework the codes belong to."),
    target: str = typer.Option(..., "--to", help="Framework to map them into."),
    fmt: str = FORMAT,
) -> None:
    """Map codes to another framework, directly or through others; each with its path."""
    fmt = output.choose_format(fmt)
    data = catalog(ctx)
    output.framework(data, source)
    output.framework(data, target)
    try:
        mappings = map_codes(data, source, target, codes)
    except NotFound as error:
        raise output.CommandError(str(error), f"crosswalk items {source}") from None
    if fmt == "json":
        output.emit_json(
            [
                {
                    "input": m.code,
                    "source": records.item_brief(m.source),
                    "target": records.item_brief(m.target),
                    "via": list(m.via),
                    "path": [records.hop(h) for h in m.path],
                }
                for m in mappings
            ]
        )
        return
    rows = [
        {
            "input": m.code,
            "source_code": m.source.code,
            "target_code": m.target.code,
            "target_name": m.target.name,
            "via": " → ".join(m.via),
            "path": records.path_text(m.path),
        }
        for m in mappings
    ]
    if fmt == "table" and not rows:
        output.stdout().print(f"No {target} items correspond to {', '.join(codes)}.")
        return
    output.emit(rows, fmt, title=f"{source} → {target}", columns=MAP_COLUMNS)


GAP_COLUMNS = ("gap", "framework", "code", "name", "note", "provenance")


@output.reports_errors
def gaps_(
    ctx: typer.Context,
    crosswalk: str = typer.Argument(..., help="Crosswalk id, e.g. imh-wv-ckc-2015."),
    fmt: str = FORMAT,
) -> None:
    """Source items with no link or an explicit no-match; targets never referenced."""
    fmt = output.choose_format(fmt)
    data = catalog(ctx)
    found = gaps(data, output.crosswalk(data, crosswalk).id)
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
        output.emit_json({"crosswalk": found.crosswalk.id, **listed})
        return
    if fmt == "csv":
        output.emit(rows, fmt, columns=GAP_COLUMNS)
        return
    console = output.stdout()
    for gap, title in (
        ("unlinked", f"{source} items with no link"),
        ("no-match", f"{source} items with an explicit no-match"),
        ("unreferenced", f"{target} items never referenced"),
    ):
        chosen = [r for r in rows if r["gap"] == gap]
        console.print(Text(f"{title}: {len(chosen)}", style="bold"), soft_wrap=True)
        columns = (
            ("code", "name") if gap == "unreferenced" else ("code", "name", "note", "provenance")
        )
        if chosen:
            console.print(output.table(chosen, columns))


@output.reports_errors
def coverage_(
    ctx: typer.Context,
    crosswalk: str = typer.Argument(..., help="Crosswalk id, e.g. imh-wv-ckc-2015."),
    fmt: str = FORMAT,
) -> None:
    """Counts per area on both sides; the most and least referenced targets."""
    fmt = output.choose_format(fmt)
    data = catalog(ctx)
    found = coverage(data, output.crosswalk(data, crosswalk).id)
    area_rows = [
        _area_row("source", a.area, a.items, a.linked, a.no_match, a.links)
        for a in found.source_areas
    ] + [_area_row("target", a.area, a.items, a.referenced, 0, a.links) for a in found.target_areas]
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
                "source_areas": [r for r in area_rows if r["side"] == "source"],
                "target_areas": [r for r in area_rows if r["side"] == "target"],
                "most_referenced": most,
                "least_referenced": least,
            }
        )
        return
    if fmt == "csv":
        output.emit(area_rows, fmt)
        return
    console = output.stdout()
    columns = ("area_code", "area", "items", "linked", "no_match", "links")
    side_title = {
        "source": found.crosswalk.source_framework,
        "target": found.crosswalk.target_framework,
    }
    for side in ("source", "target"):
        chosen = [r for r in area_rows if r["side"] == side]
        shown = columns if side == "source" else ("area_code", "area", "items", "linked", "links")
        console.print(Text(f"{side_title[side]} areas ({side})", style="bold"), soft_wrap=True)
        console.print(output.table(chosen, shown))
    for title, uses in (("Most referenced targets", most), ("Least referenced targets", least)):
        console.print(Text(title, style="bold"), soft_wrap=True)
        console.print(output.table(uses, ("code", "name", "links")))


def _area_row(
    side: str, area: Item | None, items: int, linked: int, no_match: int, links: int
) -> dict[str, object]:
    """A coverage row; for the target side, ``linked`` counts items referenced at all."""
    return {
        "side": side,
        "area_code": area.code if area else "",
        "area": area.name if area else "",
        "items": items,
        "linked": linked,
        "no_match": no_match,
        "links": links,
    }


LINT_COLUMNS = ("check", "severity", "scope", "codes", "message", "provenance")
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
    rows = [_finding_row(f) for f in findings]
    if fmt == "json":
        output.emit_json({"summary": summary(findings), "findings": rows})
        return
    if fmt == "csv":
        output.emit(rows, fmt, columns=LINT_COLUMNS)
        return
    console = output.stdout()
    for name in CHECKS:
        chosen = [f for f in findings if f.check == name]
        if not chosen:
            continue
        console.print(Text(f"{name}: {len(chosen)}", style="bold"), soft_wrap=True)
        grid = output.table([], ("severity", "scope", "message", "provenance"))
        for f in chosen:
            row = _finding_row(f)
            grid.add_row(
                Text(f.severity, style=_SEVERITY_STYLE.get(f.severity, "")),
                f.scope,
                Text(f.message),
                Text(output.cell_text(row["provenance"])),
            )
        console.print(grid)
    counts = ", ".join(f"{name} {count}" for name, count in summary(findings).items())
    console.print(f"{len(findings)} findings: {counts}")


def _finding_row(finding: Finding) -> dict[str, object]:
    return {
        "check": finding.check,
        "severity": finding.severity,
        "scope": finding.scope,
        "codes": list(finding.codes),
        "message": finding.message,
        "provenance": [str(p) for p in finding.provenance],
    }
