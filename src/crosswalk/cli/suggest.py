"""``crosswalk suggest``: ranked candidate alignments for a pair, an item, or free text."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from crosswalk import files
from crosswalk.catalog import Catalog
from crosswalk.cli import output, records
from crosswalk.cli.people import curates
from crosswalk.cli.session import actor, catalog, repository
from crosswalk.curation import suggestions as review
from crosswalk.suggest import (
    MAX_TOP,
    Mode,
    ModelUnavailable,
    Ranking,
    SuggestError,
    Suggestion,
    flatten,
    suggest_text,
    to_sssom,
)

SUGGEST_FORMATS = ("table", "csv", "json", "sssom")
COLUMNS = (
    "source_code",
    "source_name",
    "target_code",
    "target_name",
    "rank",
    "score",
    "justification",
    "reason",
)
TABLE_COLUMNS = ("source_code", "rank", "target_code", "score", "reason")
TEXT_COLUMNS = ("rank", "target_code", "target_name", "score", "reason")


@curates
def suggest_(
    ctx: typer.Context,
    source: str | None = typer.Option(None, "--from", help="Framework to suggest links from."),
    target: str = typer.Option(..., "--to", help="Framework whose items are suggested."),
    item: str | None = typer.Option(None, "--item", help="Only this source item (code or name)."),
    text: str | None = typer.Option(
        None, "--text", help="A training's title and description, instead of --from."
    ),
    blind: bool = typer.Option(
        False, "--blind", help="As if no crosswalk between the two frameworks existed."
    ),
    leave_one_out: bool = typer.Option(
        False, "--leave-one-out", help="Rank each source item without its own links."
    ),
    top: int = typer.Option(5, "--top", "-k", help=f"Suggestions per source item (1–{MAX_TOP})."),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="table, csv, json or sssom (pairs only)."
    ),
    out: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    force: bool = typer.Option(False, "--force", help="Overwrite --output if it exists."),
    propose: str | None = typer.Option(
        None,
        "--propose",
        metavar="TITLE",
        help="Put the suggestions scoring --threshold or more into a new draft change set.",
    ),
    threshold: float = typer.Option(
        0.5, "--threshold", min=0.0, max=1.0, help="Lowest score --propose takes (0–1)."
    ),
    crosswalk: str | None = typer.Option(
        None, "--crosswalk", help="The crosswalk --propose adds to (when F → G has several)."
    ),
    as_: str | None = typer.Option(
        None, "--as", metavar="NAME", help="Propose as this person (default: the command line)."
    ),
) -> None:
    """Suggest target items for each source item (or for a text), best first, with reasons.

    Suggestions are candidates for a person to review, not alignments.  Without a mode
    the links already made are used and not suggested again; --blind and
    --leave-one-out rank every target as the two evaluation modes do (docs/suggest.md).
    Links a reviewer rejected are never suggested.  --propose TITLE puts the best --top
    of each source item that score --threshold or more into a new draft change set,
    for review like any other change.
    """
    fmt = _format(fmt, out)
    if out is not None and out.exists() and not force:
        raise output.CommandError(f"{out} exists", "--force to overwrite it, or another -o")
    if blind and leave_one_out:
        raise output.CommandError("choose one of --blind and --leave-one-out")
    data = catalog(ctx)
    target = output.framework(data, target).id
    try:
        if text is not None:
            if source is not None or item is not None or blind or leave_one_out:
                raise output.CommandError("--text suggests from text alone", "drop --from/--item")
            if fmt == "sssom":
                raise output.CommandError("a text has no subject to map", "--format csv")
            suggestions = suggest_text(data, target, text, top=top)
            _write(
                suggestions,
                fmt,
                out,
                title=f"Suggested {target} items for the text (suggestions, for review)",
                table_columns=TEXT_COLUMNS,
            )
            return
        if source is None:
            raise output.CommandError("say what to suggest for", "--from FRAMEWORK or --text TEXT")
        source = output.framework(data, source).id
        mode = Mode.BLIND if blind else Mode.LEAVE_ONE_OUT if leave_one_out else Mode.COMPLETE
        if propose is not None:
            if mode is not Mode.COMPLETE:
                raise output.CommandError("--propose suggests from everything stored",
                                          "drop --blind/--leave-one-out")  # fmt: skip
            chosen = _propose(ctx, data, source, target, propose, threshold, top, item,
                              crosswalk, as_)  # fmt: skip
            _write(chosen, fmt, out, title=f"Proposed links {source} → {target}")
            return
        with _progress() as step:
            rankings = review.for_review(
                repository(ctx), data, source, target, item=item, mode=mode, top=top,
                progress=step,
            )  # fmt: skip
    except SuggestError as error:
        raise output.CommandError(str(error), "crosswalk suggest --help") from None
    except ModelUnavailable as error:
        raise output.CommandError(str(error)) from None
    suggestions = flatten(rankings)
    if fmt == "sssom":
        _save(to_sssom(data, source, target, suggestions, mode), out)
    else:
        _write(suggestions, fmt, out, title=f"Suggested links {source} → {target} ({mode})")
    output.note(_fusion_note(rankings, mode))


def _propose(
    ctx: typer.Context,
    data: Catalog,
    source: str,
    target: str,
    title: str,
    threshold: float,
    top: int,
    item: str | None,
    crosswalk: str | None,
    as_: str | None,
) -> list[Suggestion]:
    """A new draft change set of the suggestions above ``threshold`` (one transaction)."""
    between = [
        c.id
        for c in data.crosswalks.values()
        if (c.source_framework, c.target_framework) == (source, target)
    ]
    if crosswalk is None:
        if len(between) != 1:
            found = ", ".join(sorted(between)) or "none"
            raise output.CommandError(
                f"--propose adds to one crosswalk from {source} to {target} (found: {found})",
                "--crosswalk ID",
            )
        crosswalk = between[0]
    elif crosswalk not in between:
        raise output.CommandError(f"{crosswalk} is not a crosswalk from {source} to {target}")
    store = repository(ctx)
    made, chosen = review.propose_top(
        store, actor(ctx, as_), data, crosswalk, title=title, threshold=threshold, top=top,
        item=item,
    )  # fmt: skip
    output.note(
        f"Proposed {len(chosen)} suggested links in draft change set {made.id} "
        f"({made.title}); submit it for review: crosswalk changes show {made.id}"
    )
    return chosen


def _format(fmt: str | None, out: Path | None) -> str:
    """SSSOM files end in .tsv (``x.sssom.tsv``); the rest as every command decides."""
    tsv = out is not None and out.suffix.lower() == ".tsv"
    if fmt is not None and output.choose_format(fmt, SUGGEST_FORMATS) == "sssom":
        if out is not None and not tsv:
            raise output.CommandError("an SSSOM file ends in .tsv", "-o suggestions.sssom.tsv")
        return "sssom"
    if fmt is None and tsv:
        return "sssom"
    return output.output_format(fmt, out, SUGGEST_FORMATS[:3])


def _write(
    suggestions: list[Suggestion],
    fmt: str,
    out: Path | None,
    *,
    title: str,
    table_columns: tuple[str, ...] = TABLE_COLUMNS,
) -> None:
    rows = [_row(s) for s in suggestions]
    if out is None:
        if fmt == "json":
            output.emit_json([_json(s) for s in suggestions])
        else:
            output.emit(rows, fmt, title=title, columns=COLUMNS, table_columns=table_columns)
        return
    with files.replacing(out) as stream:
        if fmt == "json":
            stream.write(json.dumps([_json(s) for s in suggestions], indent=2, ensure_ascii=False))
        else:
            output.write_csv(rows, COLUMNS, stream)
    Console(stderr=True).print(f"Wrote {len(rows)} suggestions to {out}")


def _save(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
    else:
        files.write_text(out, text)
        Console(stderr=True).print(f"Wrote {out}")


def _row(s: Suggestion) -> dict[str, object]:
    return {
        "source_code": s.source_code,
        "source_name": s.source.name if s.source else "",
        "target_code": s.target.code,
        "target_name": s.target.name,
        "rank": s.rank,
        "score": f"{s.score:.3f}",
        "justification": s.justification,
        "reason": s.reason,
    }


def _json(s: Suggestion) -> dict[str, object]:
    return {
        "source": records.item_brief(s.source),
        "target": records.item_brief(s.target),
        "rank": s.rank,
        "score": round(s.score, 4),
        "justification": s.justification,
        "reason": s.reason,
        "signals": dict(s.signals),
    }


def _fusion_note(rankings: list[Ranking], mode: Mode) -> str:
    fitted = sorted({r.fusion.fitted_on for r in rankings})
    if fitted == [0]:
        how = "fixed weights (no links between the two frameworks to learn from)"
    else:
        span = f"{fitted[0]}–{fitted[-1]}" if len(fitted) > 1 else str(fitted[0])
        how = f"weights fitted on the links of {span} source items"
    return f"Suggestions, for review ({mode} mode): {how}."


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr while catalogs are ranked (only on a terminal)."""
    console = Console(stderr=True)
    with Progress(
        TextColumn("ranking"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("ranking", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield step
