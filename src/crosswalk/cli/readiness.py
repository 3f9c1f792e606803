"""``crosswalk readiness …``: a transcript's coverage for an endorsement category.

``crosswalk readiness TRANSCRIPT --category IFS`` is the command people type, and
``crosswalk readiness template`` writes an example file; click cannot have both an
argument and sub-commands on one group, so the group below sends anything that is not
a sub-command's name to ``report``.  Each command reads its input, calls one library
function and prints; every bad input ends in one line and exit status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from crosswalk.cli import output
from crosswalk.cli.session import catalog
from crosswalk.readiness import (
    Hours,
    Report,
    RequirementsError,
    TranscriptError,
    UnknownCategory,
    assess,
    load_requirements,
    load_transcript,
    render_html,
    template_csv,
    template_xlsx,
    to_json,
)
from crosswalk.readiness.report import hours_amount, hours_requirement, no_match_text

REPORT_FORMATS = ("table", "html", "json")
TEMPLATE_FORMATS = ("csv", "xlsx")


class _ReportByDefault(TyperGroup):
    """A group whose first argument, when it is not a sub-command, is a transcript."""

    # ``ctx`` is Typer's vendored click context, which Typer does not export by name.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["report", *args]
        return super().parse_args(ctx, args)


readiness_app = typer.Typer(
    cls=_ReportByDefault,
    help=(
        "Endorsement® readiness: which IMH knowledge areas a training transcript covers. "
        "Run `crosswalk readiness TRANSCRIPT --category IFS`."
    ),
    no_args_is_help=True,
)


@readiness_app.command("report")
@output.reports_errors
def report(
    ctx: typer.Context,
    transcript: Path = typer.Argument(
        ..., help="Transcript file (CSV or XLSX): title, date, hours, codes per training."
    ),
    category: str = typer.Option(
        ..., "--category", "-c", help="Endorsement category, e.g. IFS, ECFS, IMHS, IMHM-C."
    ),
    framework: str | None = typer.Option(
        None,
        "--framework",
        help="Framework of codes the file does not label (default: recognise each code).",
    ),
    requirements: Path | None = typer.Option(
        None, "--requirements", help="An association's own requirements file (TOML)."
    ),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="table, html or json (default: from -o, else table)."
    ),
    out: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
) -> None:
    """Assess a transcript for a category (`readiness FILE` means `readiness report FILE`)."""
    chosen = output.choose_format(fmt or _format_of(out, REPORT_FORMATS, "table"), REPORT_FORMATS)
    if chosen == "table" and out is not None:
        raise output.CommandError("a table prints to the terminal", "--format html or json with -o")
    try:
        rules = load_requirements(requirements)
        wanted = rules.category(category)
        read = load_transcript(transcript)
    except (RequirementsError, TranscriptError) as error:
        raise output.CommandError(str(error), _hint(error)) from None
    data = catalog(ctx)
    if framework is not None:
        framework = output.framework(data, framework).id
    result = assess(data, read, wanted, rules, framework=framework)
    if chosen == "table":
        output.stdout().print(summary(result))
        return
    text = (
        render_html(result)
        if chosen == "html"
        else json.dumps(to_json(result), indent=2, ensure_ascii=False)
    )
    if out is None:
        typer.echo(text)
        return
    out.write_text(text, encoding="utf-8")
    covered = f"{len(result.covered)} of {len(result.areas)} knowledge areas covered"
    Console(stderr=True).print(f"Wrote the {chosen.upper()} report to {out} ({covered})")


@readiness_app.command("template")
@output.reports_errors
def template(
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="csv or xlsx (default: from -o, else csv)."
    ),
    out: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
) -> None:
    """Write a filled-in example transcript to start from."""
    chosen = output.choose_format(fmt or _format_of(out, TEMPLATE_FORMATS, "csv"), TEMPLATE_FORMATS)
    if chosen == "xlsx":
        if out is None:
            raise output.CommandError("an XLSX workbook cannot be printed", "-o transcript.xlsx")
        out.write_bytes(template_xlsx())
    elif out is None:
        sys.stdout.write(template_csv())
        return
    else:
        out.write_text(template_csv(), encoding="utf-8")
    Console(stderr=True).print(f"Wrote an example transcript to {out}")


@readiness_app.command("categories")
@output.reports_errors
def categories(
    requirements: Path | None = typer.Option(
        None, "--requirements", help="An association's own requirements file (TOML)."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help=output.FORMAT_HELP),
) -> None:
    """List the endorsement categories and their stated minimums."""
    chosen = output.choose_format(fmt)
    try:
        rules = load_requirements(requirements)
    except RequirementsError as error:
        raise output.CommandError(str(error), _hint(error)) from None
    rows = [
        {
            "code": c.code,
            "twin": c.twin,
            "title": c.title,
            "levels": [level or "(Family Specialist)" for level in c.levels],
            "tracks": list(c.tracks),
            "training_hours": c.training_hours.value if c.training_hours else None,
            "reflective_supervision_hours": (
                c.reflective_supervision_hours.value if c.reflective_supervision_hours else None
            ),
            "references": c.references.value if c.references else None,
            "exam": c.exam.value if c.exam else None,
        }
        for c in rules.categories
    ]
    output.emit(rows, chosen, title=f"Endorsement categories ({rules.origin})")


def _format_of(out: Path | None, allowed: tuple[str, ...], default: str) -> str:
    suffix = out.suffix.lower().lstrip(".") if out else ""
    suffix = {"htm": "html"}.get(suffix, suffix)
    return suffix if suffix in allowed else default


def _hint(error: Exception) -> str:
    if isinstance(error, TranscriptError):
        return "crosswalk readiness template -o example.csv"
    if isinstance(error, UnknownCategory):
        return "crosswalk readiness categories"
    return ""  # a requirements file's own error names the file and the key to fix


def summary(report: Report) -> Group:
    """The terminal view: totals, a table of knowledge areas, what is missing, problems."""
    category = report.category
    head = Text()
    head.append(f"{category.code} — {category.title}\n", style="bold")
    head.append(f"{report.transcript_name}: ")
    style = "green" if not report.missing else "yellow"
    head.append(f"{len(report.covered)} of {len(report.areas)} knowledge areas covered\n", style)
    head.append(_hours_line("Training hours", report.training_hours))
    head.append("\n")
    head.append(_hours_line("Reflective supervision", report.reflective_supervision_hours))
    parts: list[Panel | Table | Text] = [Panel(head, title="Endorsement readiness")]
    grid = Table(title="Knowledge areas", title_justify="left")
    for column in ("area of expertise", "knowledge area", "status", "trainings (rows)", "codes"):
        grid.add_column(column, overflow="fold")
    for group in report.by_expertise:
        for index, result in enumerate(group.areas):
            rows = result.trainings
            shown = ", ".join(map(str, rows[:8])) + (f" … (+{len(rows) - 8})" if rows[8:] else "")
            grid.add_row(
                f"{group.name} ({group.covered}/{len(group.areas)})" if index == 0 else "",
                result.area.name + (f" ({result.level})" if result.level else ""),
                Text("covered", "green") if result.covered else Text("missing", "red"),
                shown,
                ", ".join(sorted({e.code for e in result.evidence})[:8]),
                end_section=index == len(group.areas) - 1,
            )
    parts.append(grid)
    for result in report.missing:
        if result.no_match:
            parts.append(Text(f"{result.area.name}: {no_match_text(result)}.", style="yellow"))
    if report.problems:
        problems = Table(title=f"Problems ({len(report.problems)})", title_justify="left")
        for column in ("row", "kind", "what to check"):
            problems.add_column(column, overflow="fold")
        for p in report.problems:
            problems.add_row("" if p.row is None else str(p.row), p.kind, p.message)
        parts.append(problems)
    parts.append(Text(report.statement, style="italic"))
    return Group(*parts)


def _hours_line(label: str, hours: Hours) -> Text:
    """ "Training hours: 73 h; minimum 30 h — met", worded as in the HTML and JSON."""
    line = Text(f"{label}: {hours_amount(hours)}; ")
    style = None if hours.met is None else "green" if hours.met else "yellow"
    line.append(hours_requirement(hours), style or "")
    return line
