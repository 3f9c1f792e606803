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

from crosswalk import files
from crosswalk.cli import output
from crosswalk.cli.session import catalog, database_file
from crosswalk.readiness import (
    COVERED,
    NOT_COVERED,
    TOUCHED,
    AreaResult,
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
    to_csv,
    to_json,
)
from crosswalk.readiness.report import (
    code_text,
    coverage_line,
    hours_amount,
    hours_requirement,
    hours_text,
    no_match_text,
)

REPORT_FORMATS = ("table", "html", "json", "csv")
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
        None, "--format", "-f", help="table, html, json or csv (default: from -o, else table)."
    ),
    out: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    force: bool = typer.Option(False, "--force", help=output.FORCE_HELP),
) -> None:
    """Assess a transcript for a category (`readiness FILE` means `readiness report FILE`)."""
    chosen = output.choose_format(fmt or _format_of(out, REPORT_FORMATS, "table"), REPORT_FORMATS)
    if chosen == "table" and out is not None:
        raise output.CommandError("a table prints to the terminal", "--format html or json with -o")
    if out is not None:
        reads = {"transcript": transcript, "requirements file": requirements}
        output.may_write([out], force=force, reads=reads | {"database": database_file(ctx)})
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
    if chosen == "html":
        text = render_html(result)
    elif chosen == "csv":
        text = to_csv(result)
    else:
        text = json.dumps(to_json(result), indent=2, ensure_ascii=False)
    if out is None:
        typer.echo(text, nl=chosen != "csv")
        return
    files.write_text(out, text)
    Console(stderr=True).print(
        f"Wrote the {chosen.upper()} report to {out} ({coverage_line(result)})"
    )


@readiness_app.command("template")
@output.reports_errors
def template(
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="csv or xlsx (default: from -o, else csv)."
    ),
    out: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    force: bool = typer.Option(False, "--force", help=output.FORCE_HELP),
) -> None:
    """Write a filled-in example transcript to start from."""
    chosen = output.choose_format(fmt or _format_of(out, TEMPLATE_FORMATS, "csv"), TEMPLATE_FORMATS)
    if out is not None:
        output.may_write([out], force=force)
    if chosen == "xlsx":
        if out is None:
            raise output.CommandError("an XLSX workbook cannot be printed", "-o transcript.xlsx")
        files.write_bytes(out, template_xlsx())
    elif out is None:
        sys.stdout.write(template_csv())
        return
    else:
        files.write_text(out, template_csv())
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
    output.emit(rows, chosen, title=f"Endorsement categories: {rules.title}")


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
    """The terminal view, 80 columns wide: totals, the areas and their evidence, the plan,
    renewal, problems."""
    category = report.category
    head = Text()
    head.append(f"{category.code} — {category.title}\n", style="bold")
    head.append(f"{report.transcript_name}: ")
    head.append(coverage_line(report) + "\n", "green" if not report.missing else "yellow")
    head.append(_hours_line("Training hours", report.training_hours))
    head.append("\n")
    head.append(_hours_line("Reflective supervision", report.reflective_supervision_hours))
    parts: list[Panel | Table | Text] = [Panel(head, title="Endorsement readiness")]
    parts.append(Text(f"How evidence is weighed: {report.rule.summary()}\n", style="dim"))
    parts.append(_areas(report))
    parts += _plan(report)
    parts += _renewal(report)
    for result in report.missing:
        if result.no_match:
            parts.append(Text(f"{result.area.name}: {no_match_text(result)}.", style="yellow"))
    if report.problems:
        problems = Table(title=f"Problems ({len(report.problems)})", title_justify="left")
        problems.add_column("row", no_wrap=True)
        problems.add_column("what to check", overflow="fold")
        for p in report.problems:
            problems.add_row("file" if p.row is None else str(p.row), f"{p.message} ({p.kind})")
        parts.append(problems)
    parts.append(Text(report.statement, style="italic"))
    return Group(*parts)


_STATE_STYLE = {COVERED: "green", TOUCHED: "yellow", NOT_COVERED: "red"}
_STATE_WORD = {COVERED: "covered", TOUCHED: "touched", NOT_COVERED: "not covered"}


def _areas(report: Report) -> Table:
    grid = Table(title="Knowledge areas", title_justify="left")
    grid.add_column("knowledge area", ratio=3, overflow="fold")
    grid.add_column("state", min_width=7, overflow="fold")
    grid.add_column("evidence: code (areas it reaches): rows", ratio=4, overflow="fold")
    for group in report.by_expertise:
        title = f"{group.name} ({group.covered} of {len(group.areas)} covered)"
        grid.add_row(Text(title, style="bold"), "", "")
        for index, result in enumerate(group.areas):
            grid.add_row(
                result.area.name + (f" ({result.level})" if result.level else ""),
                Text(_STATE_WORD[result.state], _STATE_STYLE[result.state]),
                _evidence_text(result),
                end_section=index == len(group.areas) - 1,
            )
    return grid


def _evidence_text(result: AreaResult) -> str:
    """Specific evidence in full (code, breadth, rows); broad evidence as a short tail."""
    groups = result.groups
    specific = [g for g in groups if g.specific]
    broad = [g for g in groups if not g.specific and g.trainings]
    parts = [f"{code_text(g.item)} ({g.breadth}): {_rows(g.trainings)}" for g in specific[:4]]
    if specific[4:]:
        parts.append(f"+{len(specific) - 4} more codes")
    if broad:
        trainings = len({row for g in broad for row in g.trainings})
        codes = ", ".join(code_text(g.item) for g in broad[:4]) + (" …" if broad[4:] else "")
        many = "" if trainings == 1 else "s"
        parts.append(f"broad: {codes} ({trainings} training{many})")
    return "; ".join(parts) or "—"


def _rows(rows: tuple[int, ...]) -> str:
    shown = ", ".join(map(str, rows[:4])) + (f" +{len(rows) - 4}" if rows[4:] else "")
    return f"row{'' if len(rows) == 1 else 's'} {shown}"


def _plan(report: Report) -> list[Table | Text]:
    plan = report.plan
    if not report.missing:
        return []
    parts: list[Table | Text] = []
    if plan.steps:
        steps = Table(title="What to take next", title_justify="left")
        steps.add_column("#", no_wrap=True)
        steps.add_column("code", no_wrap=True)
        steps.add_column("would cover", overflow="fold")
        for number, step in enumerate(plan.steps, start=1):
            adds = ", ".join(area.name for area in step.adds)
            steps.add_row(str(number), f"{code_text(step.item)} ({step.breadth})", adds)
        parts.append(steps)
    if plan.unreachable:
        names = ", ".join(area.name for area in plan.unreachable)
        parts.append(
            Text(
                f"No code corresponds specifically to: {names}. A training coded with the "
                "knowledge area itself would cover it.",
                style="yellow",
            )
        )
    parts.append(Text(f"How the list is made: {plan.method}\n", style="dim"))
    return parts


def _renewal(report: Report) -> list[Table | Text]:
    renewal = report.renewal
    if not renewal.years or renewal.required is None:
        return []
    minimum = hours_text(float(renewal.required.value))
    years = Table(title=f"Renewal: {minimum} training hours a year", title_justify="left")
    years.add_column("year", no_wrap=True)
    years.add_column("hours", justify="right", no_wrap=True)
    years.add_column("status", overflow="fold")
    for year in renewal.years:
        if year.met:
            status = Text("met", "green")
        else:
            still = "still to take this year" if year.in_progress else "missing"
            status = Text(f"{hours_text(year.missing)} h {still}", "yellow")
        label = f"{year.year}{' (so far)' if year.in_progress else ''}"
        years.add_row(label, f"{hours_text(year.hours)} h", status)
    return [years]


def _hours_line(label: str, hours: Hours) -> Text:
    """ "Training hours: 73 h; minimum 30 h — met", worded as in the HTML and JSON."""
    line = Text(f"{label}: {hours_amount(hours)}; ")
    style = None if hours.met is None else "green" if hours.met else "yellow"
    line.append(hours_requirement(hours), style or "")
    return line
