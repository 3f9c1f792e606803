"""How the curation pages lay out operations and events: before and after, field by
field, with links to the objects they touch.  No HTTP here, only presentation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from crosswalk.catalog import Catalog
from crosswalk.curation.history import changed_between
from crosswalk.model import Item
from crosswalk.states import State, describe
from crosswalk.store import Operation
from crosswalk.web.views import item_url, link_anchor

# Fields a person does not need to see in a before/after table.
QUIET = frozenset({"id", "crosswalk", "framework", "errata", "extensions", "aliases"})
SHOWN_WHEN_ADDED = {
    "item": ("code", "name", "statement", "parent", "position", "tags", "kind"),
    "alignment": (
        "source_code",
        "target_code",
        "relation",
        "strength",
        "level",
        "evidence",
        "note",
        "confidence",
        "justification",
    ),
}


@dataclass(frozen=True, slots=True)
class Row:
    field: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class OperationView:
    """One operation (or event) as a page shows it."""

    action: str
    kind: str
    key: str
    what: str
    url: str | None
    rows: tuple[Row, ...]
    note: str
    base: int | None
    current: int | None  # the object's revision now (None: gone), when it moved on

    @property
    def stale(self) -> bool:
        return self.base is not None and self.current != self.base


def text(value: Any) -> str:
    """A state's value as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, dict) and "document" in value:
        first, last = value["first_line"], value["last_line"]
        lines = f"line {first}" if first == last else f"lines {first}–{last}"
        return f"{value['document']}, {lines}"
    if isinstance(value, list):
        return "; ".join(text(v) for v in value)
    return str(value)


def url_of(kind: str, data: State | None) -> str | None:
    """The published page of the object a state describes."""
    if not data:
        return None
    if kind == "item":
        return item_url(Item(data["framework"], data["code"], ""))
    if kind == "framework":
        return f"/frameworks/{quote(data['id'])}"
    if kind == "crosswalk":
        return f"/crosswalks/{quote(data['id'])}"
    return None


def alignment_url(catalog: Catalog, data: State | None) -> str | None:
    """An alignment's row on its source item's page."""
    if not data or data.get("crosswalk") not in catalog.crosswalks:
        return None
    crosswalk = catalog.crosswalks[data["crosswalk"]]
    page = item_url(Item(crosswalk.source_framework, data["source_code"], ""))
    if data.get("target_code"):
        return page + "#" + link_anchor(crosswalk.target_framework, data["target_code"])
    return page


def view(
    catalog: Catalog,
    action: str,
    kind: str,
    key: str,
    before: State | None,
    after: State | None,
    *,
    note: str = "",
    base: int | None = None,
    check: bool = False,
) -> OperationView:
    """``check``: compare ``base`` with the published revision (open change sets)."""
    if action == "update":
        names = changed_between(action, before, after)
    elif action == "add":
        names = [n for n in SHOWN_WHEN_ADDED.get(kind, tuple(after or {})) if n not in QUIET]
    else:
        names = [n for n in SHOWN_WHEN_ADDED.get(kind, tuple(before or {})) if n not in QUIET]
    rows = tuple(
        Row(n, text((before or {}).get(n)), text((after or {}).get(n)))
        for n in names
        if action == "update" or (after or before or {}).get(n) not in (None, "", [])
    )
    data = after if after is not None else before
    url = alignment_url(catalog, data) if kind == "alignment" else url_of(kind, data)
    current = catalog.revisions.get((kind, key)) if check else base
    return OperationView(
        action, kind, key, describe(kind, key, before, after), url, rows, note, base, current
    )


def operation_views(
    catalog: Catalog, operations: list[Operation], *, check: bool
) -> list[OperationView]:
    return [
        view(
            catalog,
            o.action,
            o.kind,
            o.key,
            o.before,
            o.after,
            note=o.note,
            base=o.base,
            check=check,
        )
        for o in operations
    ]


def preview_links(operations: list[Operation], change_set: int) -> list[tuple[str, str]]:
    """(label, address) of the pages worth previewing: each crosswalk and framework the
    change set touches, and each item it edits."""
    links: dict[str, str] = {}
    for o in operations:
        data = o.after if o.after is not None else o.before or {}
        kind, _, scope = o.scope.partition(":")
        base = f"/{kind}s/{quote(scope)}"
        links.setdefault(base, f"{kind.capitalize()} {scope}")
        if o.kind == "item" and o.after is not None:
            links.setdefault(
                item_url(Item(data["framework"], data["code"], "")), f"Item {data['code']}"
            )
    return [(label, f"{address}?preview={change_set}") for address, label in links.items()]


def marks(operations: list[Operation]) -> dict[str, str]:
    """Alignment id (or item key) → added | changed | removed, for marking a preview."""
    found: dict[str, str] = {}
    for o in operations:
        if o.kind in ("alignment", "item"):
            found[o.key] = {"add": "added", "update": "changed", "remove": "removed"}[o.action]
    return found


def clash_rows(stored: State | None, proposed: State | None) -> list[Row]:
    """The fields where the stored version (someone else's) and the proposed one (yours)
    differ, for a conflict page; ``before`` is theirs, ``after`` yours."""
    names = list(dict.fromkeys([*(stored or {}), *(proposed or {})]))
    return [
        Row(n, text((stored or {}).get(n)), text((proposed or {}).get(n)))
        for n in names
        if n not in QUIET and (stored or {}).get(n) != (proposed or {}).get(n)
    ]


def preview_operations(request: Any) -> list[Operation]:
    """The operations of the change set this request previews (none: not a preview)."""
    found: list[Operation] = getattr(request.state, "preview_operations", [])
    return found


def preview_marks(request: Any) -> dict[str, str]:
    return marks(preview_operations(request))


def removed_links(request: Any, catalog: Catalog, framework: str, code: str) -> list[State]:
    """The links of one item that the previewed change set removes (before states)."""
    found = []
    for o in preview_operations(request):
        if o.kind != "alignment" or o.action != "remove" or not o.before:
            continue
        crosswalk = catalog.crosswalks.get(o.before["crosswalk"])
        if crosswalk is None:
            continue
        if (crosswalk.source_framework, o.before["source_code"]) == (framework, code) or (
            crosswalk.target_framework,
            o.before.get("target_code"),
        ) == (framework, code):
            found.append(o.before)
    return found


def cell_mark(alignments: Any, found: dict[str, str]) -> str | None:
    """How a matrix cell's links fare in a preview: added, changed, or None."""
    kinds = {found.get(a.id) for a in alignments}
    return "added" if "added" in kinds else "changed" if "changed" in kinds else None


def preview_removed(request: Any, crosswalk_id: str) -> list[State]:
    """The links of one crosswalk that the previewed change set removes."""
    return [
        o.before
        for o in preview_operations(request)
        if o.kind == "alignment"
        and o.action == "remove"
        and o.before
        and o.before.get("crosswalk") == crosswalk_id
    ]
