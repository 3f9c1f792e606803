"""Edits as operations: what a form, an API call or a suggestion turns into.

Each function reads the published catalog, checks the new values the way a person
would want them checked (a relation that exists, a parent in the same framework, a
level the crosswalk uses), and returns the operations for a change set, each based
on the revision the catalog holds.  Nothing is written here; the change set module
stores them and approval applies them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from crosswalk.catalog import Catalog, NotFound
from crosswalk.curation.errors import CurationProblem
from crosswalk.levels import canonical
from crosswalk.model import Alignment, Crosswalk, Framework, Item, Relation, Status
from crosswalk.store.changes import Clash, ConflictError, Operation
from crosswalk.store.changesets import utc_now

# Longest text a field takes: free text, but a bounded request.
MAX_TEXT = 20_000
# Tags one item takes (the bundled items have at most 4): without a bound, one edit of
# a 12 MB body held two million tags, 8 MB in every answer about its change set.
MAX_TAGS = 100
ITEM_FIELDS = ("name", "statement", "tags", "parent", "position", "kind")
ALIGNMENT_FIELDS = (
    "relation",
    "strength",
    "level",
    "evidence",
    "note",
    "target_code",
    "confidence",
    "justification",
    "status",
)
FRAMEWORK_FIELDS = ("title", "version", "status", "publisher", "description")
CROSSWALK_FIELDS = ("title", "version", "status", "publisher", "description")


class EditError(CurationProblem):
    """A value a person gave that cannot be used; the message names the field."""


def _text(name: str, value: Any, *, required: bool = False) -> str:
    if isinstance(value, (list, tuple, dict)):  # JSON gives them; str() would keep "['a']"
        raise EditError(f"{name}: a text, not a {type(value).__name__}")
    text = str(value).strip()
    if required and not text:
        raise EditError(f"{name}: may not be empty")
    if len(text) > MAX_TEXT:
        raise EditError(f"{name}: longer than {MAX_TEXT} characters")
    return text


def _fields(given: dict[str, Any], allowed: tuple[str, ...], what: str) -> dict[str, Any]:
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise EditError(f"{what} has no field {', '.join(unknown)}; fields: {', '.join(allowed)}")
    return given


# -- items -------------------------------------------------------------------------------


def _tags(value: Any) -> tuple[str, ...]:
    """Tags given as one text ("a; b") or a list of texts, at most :data:`MAX_TAGS`."""
    if isinstance(value, str):
        parts: list[Any] = value.split(";")
    elif isinstance(value, (list, tuple)):
        parts = list(value)
    else:
        raise EditError(f"tags: a text (a; b) or a list of texts, not {value!r:.40}")
    if len(parts) > MAX_TAGS:
        raise EditError(f"tags: {len(parts):,} given; an item takes at most {MAX_TAGS}")
    return tuple(t for t in (_text("tags", p) for p in parts) if t)


def _item_values(
    catalog: Catalog, framework: str, code: str, given: dict[str, Any]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in _fields(given, ITEM_FIELDS, "an item").items():
        if name == "name":
            values[name] = _text("name", value, required=True)
        elif name in ("statement", "kind"):
            values[name] = _text(name, value, required=name == "kind")
        elif name == "tags":
            values[name] = _tags(value)
        elif name == "position":
            try:
                values[name] = int(str(value).strip())
            except ValueError:
                raise EditError(f"position: {value!r} is not a whole number") from None
        elif name == "parent":
            parent = _text("parent", value) or None if value is not None else None
            if parent is not None and (framework, parent) not in catalog.items:
                raise EditError(f"parent: {parent!r} is not an item of {framework}")
            if parent == code:
                raise EditError("parent: an item cannot be its own parent")
            values[name] = parent
    return values


def edit_item(catalog: Catalog, framework: str, code: str, **given: Any) -> Operation:
    """Change an item's name, statement, tags, parent, position or kind."""
    item = catalog.item(framework, code)
    changed = replace(item, **_item_values(catalog, framework, code, given))
    return Operation.update(item, changed, catalog.revision_of(item))


def add_item(catalog: Catalog, framework: str, code: str, **given: Any) -> Operation:
    """A new item; its code must be new in the framework."""
    catalog.framework(framework)
    code = _text("code", code, required=True)
    if (framework, code) in catalog.items:
        raise EditError(f"code: {framework} has an item {code!r} already")
    values = _item_values(catalog, framework, code, {"kind": "competency", **given})
    if "name" not in values:
        raise EditError("name: may not be empty")
    return Operation.add(Item(framework, code, **values))


def retire_item(catalog: Catalog, framework: str, code: str) -> list[Operation]:
    """Remove an item and the alignments that link it (their removal is listed in the
    change set, for the reviewer to see); an item with children cannot be retired."""
    item = catalog.item(framework, code)
    children = catalog.children.get((framework, code), [])
    if children:
        shown = ", ".join(c.code for c in children[:5])
        raise EditError(f"{code} has items under it ({shown}); retire or move them first")
    links = catalog.outgoing.get(item.key, []) + catalog.incoming.get(item.key, [])
    operations = [remove_alignment(catalog, a.id) for a in {a.id: a for a in links}.values()]
    return [*operations, Operation.remove(item, catalog.revision_of(item))]


# -- alignments --------------------------------------------------------------------------


def _alignment_values(
    catalog: Catalog, crosswalk: Crosswalk, given: dict[str, Any]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in _fields(given, ALIGNMENT_FIELDS, "an alignment").items():
        if name == "relation":
            try:
                values[name] = Relation(str(value).strip())
            except ValueError:
                choices = ", ".join(r.value for r in Relation)
                raise EditError(f"relation: {value!r} is not one of {choices}") from None
        elif name == "status":
            try:
                values[name] = Status(str(value).strip())
            except ValueError:
                raise EditError(
                    f"status: {value!r} is not proposed, accepted or rejected"
                ) from None
        elif name == "level":
            level = _text("level", value)
            if level and canonical(level) is None:
                raise EditError(f"level: {level!r} is not a level (MHS, MHM or empty)")
            values[name] = level
        elif name == "confidence":
            try:
                confidence = float(value)
            except (TypeError, ValueError):
                raise EditError(f"confidence: {value!r} is not a number") from None
            if not 0.0 <= confidence <= 1.0:
                raise EditError("confidence: must be between 0 and 1")
            values[name] = confidence
        elif name == "target_code":
            target = _text("target", value) if value is not None else ""
            if target and (crosswalk.target_framework, target) not in catalog.items:
                raise EditError(
                    f"target: {target!r} is not an item of {crosswalk.target_framework}"
                )
            values[name] = target or None
        else:
            values[name] = _text(name, value)
    return values


def edit_alignment(catalog: Catalog, alignment_id: str, **given: Any) -> Operation:
    alignment = catalog.alignment(alignment_id)
    crosswalk = catalog.crosswalk(alignment.crosswalk)
    changed = replace(alignment, **_alignment_values(catalog, crosswalk, given))
    _check_no_match(changed)
    return Operation.update(alignment, changed, catalog.revision_of(alignment))


def new_alignment(
    catalog: Catalog,
    crosswalk_id: str,
    source_code: str,
    target_code: str | None,
    *,
    author: str,
    **given: Any,
) -> Alignment:
    """A new alignment (not stored): a fresh id, who made it and when."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    source_code = _text("source", source_code, required=True)
    if (crosswalk.source_framework, source_code) not in catalog.items:
        raise EditError(f"source: {source_code!r} is not an item of {crosswalk.source_framework}")
    values = _alignment_values(catalog, crosswalk, {**given, "target_code": target_code})
    if values.get("target_code") is None and "relation" not in values:
        values["relation"] = Relation.NO_MATCH
    links = catalog.by_crosswalk.get(crosswalk.id, [])
    position = max((a.position for a in links), default=-1) + 1
    alignment = Alignment(
        crosswalk.id,
        source_code,
        position=position,
        author=author,
        created=utc_now(),
        id=str(uuid.uuid4()),
        **values,
    )
    _check_no_match(alignment)
    return alignment


def add_alignment(
    catalog: Catalog,
    crosswalk_id: str,
    source_code: str,
    target_code: str | None,
    *,
    author: str,
    **given: Any,
) -> Operation:
    return Operation.add(
        new_alignment(catalog, crosswalk_id, source_code, target_code, author=author, **given)
    )


def _check_no_match(alignment: Alignment) -> None:
    if alignment.is_no_match and alignment.target_code is not None:
        raise EditError("relation: noMatch says there is no target; leave the target empty")
    if alignment.target_code is None and not alignment.is_no_match and not alignment.note:
        raise EditError(
            "target: choose a target item, or the relation noMatch for "
            "“the target framework has no corresponding item”"
        )


def remove_alignment(catalog: Catalog, alignment_id: str) -> Operation:
    alignment = catalog.alignment(alignment_id)
    return Operation.remove(alignment, catalog.revision_of(alignment))


# -- frameworks and crosswalks -----------------------------------------------------------


def edit_framework(catalog: Catalog, framework_id: str, **given: Any) -> Operation:
    """Change a framework's title, version, status, publisher or description."""
    framework = catalog.framework(framework_id)
    return _edit_record(catalog, framework, _fields(given, FRAMEWORK_FIELDS, "a framework"))


def edit_crosswalk(catalog: Catalog, crosswalk_id: str, **given: Any) -> Operation:
    """Change a crosswalk's title, version, status, publisher or description."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    return _edit_record(catalog, crosswalk, _fields(given, CROSSWALK_FIELDS, "a crosswalk"))


def _edit_record(
    catalog: Catalog, record: Framework | Crosswalk, given: dict[str, Any]
) -> Operation:
    values: dict[str, Any] = {k: _text(k, v, required=k == "title") for k, v in given.items()}
    changed: Framework | Crosswalk = replace(record, **values)
    return Operation.update(record, changed, catalog.revision_of(record))


# -- one request, whatever the interface --------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One change a person asks for, as a form or an API call gives it.

    ``action`` add | edit | remove (``remove`` of an item retires it); ``kind`` item |
    alignment | framework | crosswalk.  Items are named by ``framework`` and ``code``,
    alignments by ``id`` (or, to add one, ``crosswalk``, ``source`` and ``target``),
    frameworks and crosswalks by ``framework`` or ``crosswalk``.  ``base`` is the
    revision the person saw: if the object has changed since, the edit is a conflict
    at once, with both versions.
    """

    action: str
    kind: str
    framework: str = ""
    code: str = ""
    crosswalk: str = ""
    id: str = ""
    source: str = ""
    target: str | None = None
    base: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)


def operations_for(catalog: Catalog, edit: Edit, *, author: str) -> list[Operation]:
    """The operations ``edit`` asks for, checked against the published ``catalog``;
    a stale ``base`` is a conflict at once, with the saved and the asked-for versions."""
    operations = _operations(catalog, edit, author)
    if edit.base is not None and edit.action != "add":
        ours = operations[-1] if edit.kind == "item" else operations[0]
        current = catalog.revisions.get((ours.kind, ours.key))
        if current != edit.base:
            clash = Clash(ours.kind, ours.key, edit.base, current, ours.before, ours.after)
            raise ConflictError([clash])
    return operations


def _operations(catalog: Catalog, edit: Edit, author: str) -> list[Operation]:
    kind, action, values = edit.kind, edit.action, dict(edit.fields)
    if kind == "item":
        if action == "add":
            return [add_item(catalog, edit.framework, edit.code, **values)]
        if action == "remove":
            return retire_item(catalog, edit.framework, edit.code)
        return [edit_item(catalog, edit.framework, edit.code, **values)]
    if kind == "alignment":
        if action == "add":
            return [
                add_alignment(
                    catalog, edit.crosswalk, edit.source, edit.target, author=author, **values
                )
            ]
        if action == "remove":
            return [remove_alignment(catalog, edit.id)]
        return [edit_alignment(catalog, edit.id, **values)]
    if kind == "framework" and action == "edit":
        return [edit_framework(catalog, edit.framework, **values)]
    if kind == "crosswalk" and action == "edit":
        return [edit_crosswalk(catalog, edit.crosswalk, **values)]
    raise EditError(
        f"cannot {action} a {kind} here: items and alignments are added, edited and "
        "removed; frameworks and crosswalks are edited"
    )


__all__ = [
    "Edit",
    "EditError",
    "NotFound",
    "add_alignment",
    "add_item",
    "edit_alignment",
    "edit_crosswalk",
    "edit_framework",
    "edit_item",
    "new_alignment",
    "operations_for",
    "remove_alignment",
    "retire_item",
]
