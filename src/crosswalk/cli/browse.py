"""Commands that list and look things up: frameworks, crosswalks, items, show, search."""

from __future__ import annotations

from collections import Counter

import typer
from rich.panel import Panel
from rich.text import Text
from rich.tree import Tree

from crosswalk.catalog import Catalog, NotFound
from crosswalk.cli import output, records
from crosswalk.cli.session import catalog
from crosswalk.lint import MISMATCH_FLOOR
from crosswalk.model import Item
from crosswalk.query import Description, Link, crosswalk_counts, describe, find_item, search
from crosswalk.query.text import normalise, similarity, strip_code, strip_tag

FORMAT = typer.Option("table", "--format", "-f", help=output.FORMAT_HELP)


@output.reports_errors
def frameworks(ctx: typer.Context, fmt: str = FORMAT) -> None:
    """List the frameworks and how many items each has."""
    fmt = output.choose_format(fmt)
    data = catalog(ctx)
    counts = Counter(i.framework for i in data.dataset.items)
    rows = [
        {
            "id": f.id,
            "title": f.title,
            "version": f.version,
            "publisher": f.publisher,
            "items": counts[f.id],
        }
        for f in sorted(data.frameworks.values(), key=lambda f: f.id)
    ]
    output.emit(
        rows, fmt, title="Frameworks", columns=("id", "title", "version", "publisher", "items")
    )


@output.reports_errors
def crosswalks(ctx: typer.Context, fmt: str = FORMAT) -> None:
    """List the crosswalks with their source items, alignments and no-match rows."""
    fmt = output.choose_format(fmt)
    data = catalog(ctx)
    rows = []
    for c in sorted(data.crosswalks.values(), key=lambda c: c.id):
        counts = crosswalk_counts(data, c.id)
        rows.append(
            {
                "id": c.id,
                "title": c.title,
                "source_framework": c.source_framework,
                "target_framework": c.target_framework,
                "source_items": counts.source_items,
                "alignments": counts.alignments,
                "no_match": counts.no_match,
                "status": c.status,
            }
        )
    columns = (
        *("id", "title", "source_framework", "target_framework"),
        *("source_items", "alignments", "no_match", "status"),
    )
    shown = ("id", "source_framework", "target_framework", "source_items", "alignments", "no_match")
    output.emit(rows, fmt, title="Crosswalks", columns=columns, table_columns=shown)


ITEM_COLUMNS = ("code", "name", "kind", "parent", "tags", "statement")


@output.reports_errors
def items(
    ctx: typer.Context,
    framework: str = typer.Argument(..., help="Framework id, e.g. imh."),
    fmt: str = FORMAT,
) -> None:
    """Show a framework's items: a tree in the terminal, flat rows as csv or json."""
    fmt = output.choose_format(fmt)
    data = catalog(ctx)
    chosen = output.framework(data, framework)
    listed = data.items_of(chosen.id)
    if fmt == "json":
        output.emit_json([records.item(i) for i in listed])
    elif fmt == "csv":
        output.emit(
            [{k: records.item(i)[k] for k in ITEM_COLUMNS} for i in listed],
            fmt,
            columns=ITEM_COLUMNS,
        )
    else:
        output.stdout().print(_tree(data, chosen.id, chosen.title))


def _tree(data: Catalog, framework: str, title: str) -> Tree:
    root = Tree(Text(f"{title} ({framework})", style="bold"))

    def grow(branch: Tree, parent: str | None) -> None:
        for child in data.children.get((framework, parent), []):
            label = Text(child.label, style="bold" if not data.is_leaf(child) else "")
            if child.tags:
                label.append("  " + " ".join(child.tags), style="cyan")
            grow(branch.add(label), child.code)

    grow(root, None)
    return root


@output.reports_errors
def show(
    ctx: typer.Context,
    framework: str = typer.Argument(..., help="Framework id, e.g. imh."),
    code_or_name: str = typer.Argument(
        ..., help="A code, a name or an alias; close spellings work."
    ),
    fmt: str = FORMAT,
) -> None:
    """Show one item and every alignment into and out of it, grouped by framework."""
    fmt = output.choose_format(fmt)
    data = catalog(ctx)
    framework = output.framework(data, framework).id
    found = find_item(data, framework, code_or_name)
    try:
        find_item(data, framework, code_or_name, fuzzy=False)
    except NotFound:
        output.note(f"Showing the closest match to {code_or_name!r}: {found.code} ({found.name})")
    described = describe(data, found)
    links = [records.link(link) for link in described.links]
    if fmt == "json":
        output.emit_json(
            {
                "item": records.item(found),
                "parent": records.item_brief(described.parent),
                "children": [records.item_brief(c) for c in described.children],
                "links": links,
            }
        )
    elif fmt == "csv":
        output.emit(links, fmt, columns=LINK_COLUMNS)
    else:
        _print_description(described)


LINK_COLUMNS = (
    *("direction", "crosswalk", "framework", "code", "name", "relation", "strength"),
    *("level", "evidence", "note", "printed", "provenance"),
)
_TABLE_LINK_COLUMNS = (
    *("direction", "code", "name", "printed", "relation", "strength", "level"),
    *("evidence", "note", "provenance"),
)


def _print_description(described: Description) -> None:
    item, parent = described.item, described.parent
    body = Text()
    body.append(item.label, style="bold")
    if item.tags:
        body.append("  " + " ".join(item.tags), style="cyan")
    if parent:
        body.append(f"\nin {parent.label}")
    if item.statement and item.statement != item.name:
        body.append(f"\n{item.statement}")
    for alias in item.aliases:
        body.append(f"\nalso printed as ({alias.kind}): {alias.text}", style="dim")
    if item.provenance:
        body.append(f"\nsource: {item.provenance}", style="dim")
    console = output.stdout()
    title = f"{item.framework} {records.printed_code(item)}".strip()  # a made-up code: the name
    console.print(Panel(body, title=title, title_align="left"))
    if not described.groups:
        console.print("No alignments.")
    for group in described.groups:
        rows = [_link_row(item, link) for link in group.links]
        title = f"Alignments with {group.framework.title} ({group.framework.id})"
        console.print(Text(title, style="bold"))
        console.print(output.table(rows, _TABLE_LINK_COLUMNS))


def _link_row(item: Item, link: Link) -> dict[str, object]:
    """A link as the terminal shows it: relation in words, the printed target only when
    it says something other than the item cited (a misprint is then visible)."""
    row = records.link(link)
    if link.other and _slugged(link.other):
        row["code"] = ""  # slug codes repeat the name, so the table shows the name only
    row["relation"] = _RELATION_WORDS.get(str(link.relation), str(link.relation))
    cited = link.other if link.direction == "out" else item
    if cited is None or _printed_agrees(link.alignment.printed_target, cited):
        row["printed"] = ""
    return row


_RELATION_WORDS = {"noMatch": "no match"}


def _printed_agrees(printed: str, cited: Item) -> bool:
    """Whether the source's printed text names ``cited`` (its code, name or statement).

    "Direct Service Skills / Developmental Guidance (MHS)" agrees with Developmental
    guidance; a statement printed under a neighbour's code does not.
    """
    text = normalise(strip_tag(strip_code(printed)))
    if not text:
        return True
    names = [cited.name, *(a.text for a in cited.aliases if a.kind != "statement")]
    if any(n and text.endswith(normalise(strip_tag(n))) for n in names):
        return True
    return bool(cited.statement) and similarity(printed, cited.statement) >= MISMATCH_FLOOR


def _slugged(item: Item) -> bool:
    return item.label == item.name and item.code != item.name


SEARCH_COLUMNS = ("score", "framework", "code", "name", "field", "text", "matched")


@output.reports_errors
def find(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="Words to look for in names, statements and aliases."),
    framework: str | None = typer.Option(None, "--framework", help="Only this framework."),
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many hits."),
    fmt: str = FORMAT,
) -> None:
    """Search every framework; best matches first."""
    fmt = output.choose_format(fmt)
    if not any(ch.isalnum() for ch in text):
        raise output.CommandError(
            "give some words to search for", 'crosswalk search "reflective supervision"'
        )
    data = catalog(ctx)
    if framework is not None:
        framework = output.framework(data, framework).id
    hits = search(data, text, framework=framework, limit=limit)
    if hits and hits[0].corrected:
        output.note(f"Nothing matched {text!r}; showing results for {hits[0].corrected!r}.")
    rows = [
        {
            "score": h.score,
            "framework": h.item.framework,
            "code": h.item.code,
            "name": h.item.name,
            "field": h.field,
            "text": h.text,
            "matched": list(h.matched),
        }
        for h in hits
    ]
    if fmt != "table":
        output.emit(rows, fmt, columns=SEARCH_COLUMNS)
        return
    grid = output.table([], ("framework", "code", "name", "field", "text"), title=f"Search: {text}")
    for hit, row in zip(hits, rows, strict=True):
        highlighted = Text(hit.text)
        highlighted.highlight_words(hit.matched, style="bold yellow", case_sensitive=False)
        grid.add_row(str(row["framework"]), hit.item.code, hit.item.name, hit.field, highlighted)
    output.stdout().print(grid if hits else f"No item matches {text!r}.")
