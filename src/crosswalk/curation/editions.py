"""New editions of a framework: matched to the previous one, links carried over.

When a publisher revises a framework (a new CKC), the new edition becomes a framework
of its own whose ``replaces`` names the previous one.  Its items are matched to the
previous edition's — the same code, or failing that the closest wording — and each
match says what changed.  Then:

* a first change set, applied at once, adds the new framework and its items, an
  *edition crosswalk* from the previous edition to the new one (one link per matched
  item, exported to CASE as ``replacedBy``), a copy of every crosswalk that used the
  previous edition, and in those copies the links of items that did not change;
* a second change set, submitted for review, carries over each link whose item was
  reworded or renumbered, with a note saying what changed; links of items that
  disappeared are listed in its reason, for the reviewer to decide what replaces them.

Whoever held a role on the previous edition or its crosswalks holds it on the new
ones, so the same people review the carried-over links.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.engine import Connection

from crosswalk.catalog import Catalog
from crosswalk.curation import changes
from crosswalk.curation.errors import CurationProblem
from crosswalk.curation.permissions import Action, Actor, require
from crosswalk.formats.exchange import check_size, detect_format, read_dataset
from crosswalk.model import Alignment, Crosswalk, Framework, Item, Relation, slugify, with_ids
from crosswalk.store import Operation, Repository
from crosswalk.store import accounts as people_rows
from crosswalk.store.changesets import utc_now
from crosswalk.store.repository import apply_at_once

# Wording at least this similar pairs an item whose code is gone with a new one.
RENUMBERED = 0.8
REPLACED_BY = "case:replacedBy"


class EditionError(CurationProblem):
    """A new edition that cannot be made; the message says why."""


@dataclass(frozen=True, slots=True)
class ItemMatch:
    """An item of the previous edition and its counterpart in the new one."""

    old: Item | None
    new: Item | None
    how: str  # same | reworded | renumbered | gone | new
    similarity: float = 1.0
    changed: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.how == "same":
            return "unchanged"
        if self.how == "new":
            return "new in this edition"
        if self.how == "gone":
            return "not in the new edition"
        assert self.old is not None and self.new is not None
        words = ", ".join(self.changed)
        if self.how == "renumbered":
            return f"now {self.new.code} ({round(self.similarity * 100)}% similar wording); {words}"
        return f"{words} changed ({round(self.similarity * 100)}% similar)"


def _wording(item: Item) -> str:
    return " ".join(f"{item.name} {item.statement}".split()).lower()


def _changed(old: Item, new: Item) -> tuple[str, ...]:
    fields = []
    if old.code != new.code:
        fields.append("code")
    for name in ("name", "statement", "tags", "kind"):
        if getattr(old, name) != getattr(new, name):
            fields.append(name)
    if old.parent != new.parent:
        fields.append("parent")
    return tuple(fields)


def match_items(old_items: Sequence[Item], new_items: Sequence[Item]) -> list[ItemMatch]:
    """Every item of both editions, matched by code, then by the closest wording."""
    by_code = {i.code: i for i in new_items}
    matches: list[ItemMatch] = []
    unmatched_old: list[Item] = []
    taken: set[str] = set()
    for old in old_items:
        new = by_code.get(old.code)
        if new is None:
            unmatched_old.append(old)
            continue
        taken.add(new.code)
        similarity = difflib.SequenceMatcher(None, _wording(old), _wording(new)).ratio()
        changed = tuple(f for f in _changed(old, new) if f != "parent" or old.kind != "area")
        how = "same" if _wording(old) == _wording(new) and old.tags == new.tags else "reworded"
        matches.append(ItemMatch(old, new, how, similarity, changed))
    spare = [i for i in new_items if i.code not in taken]
    for old in unmatched_old:
        scored = [
            (difflib.SequenceMatcher(None, _wording(old), _wording(n)).ratio(), n) for n in spare
        ]
        best = max(scored, key=lambda pair: pair[0], default=None)
        if best is not None and best[0] >= RENUMBERED:
            spare.remove(best[1])
            matches.append(ItemMatch(old, best[1], "renumbered", best[0], _changed(old, best[1])))
        else:
            matches.append(ItemMatch(old, None, "gone", 0.0))
    matches += [ItemMatch(None, n, "new") for n in spare]
    return matches


@dataclass(frozen=True, slots=True)
class Edition:
    """What starting a new edition did."""

    framework: Framework
    matches: tuple[ItemMatch, ...]
    crosswalks: tuple[tuple[str, str], ...]  # (previous crosswalk, its copy)
    carried: int  # links of unchanged items, carried at once
    applied: int | None  # the change set applied at once
    review: int | None  # the change set of links to decide (None: nothing to decide)
    not_carried: tuple[Alignment, ...]  # links of items that disappeared


def _new_crosswalk(old: Crosswalk, previous: Framework, new: Framework) -> Crosswalk:
    crosswalk_id = (
        old.id.replace(previous.id, new.id) if previous.id in old.id else f"{old.id}-{new.id}"
    )
    title = (
        old.title.replace(previous.title, new.title)
        if previous.title in old.title
        else f"{old.title} ({new.title})"
    )
    return replace(
        old,
        id=crosswalk_id,
        title=title,
        source_framework=new.id if old.source_framework == previous.id else old.source_framework,
        target_framework=new.id if old.target_framework == previous.id else old.target_framework,
        status="draft",
    )


def start_edition(
    repository: Repository,
    actor: Actor,
    previous_id: str,
    path: Path | str,
    *,
    new_id: str,
    title: str = "",
    version: str = "",
    format: str | None = None,
) -> Edition:
    """Import the framework in ``path`` as the new edition ``new_id`` of ``previous_id``."""
    require(actor, Action.NEW_EDITION, [("framework", previous_id)])
    path = Path(path)
    check_size(path)
    published = repository.load_catalog()
    previous = published.framework(previous_id)
    if new_id in published.frameworks:
        raise EditionError(f"a framework {new_id!r} exists already; choose a new id")
    if new_id != slugify(new_id):
        raise EditionError(f"{new_id!r} is not a usable id; try {slugify(new_id)!r}")
    parsed = read_dataset(path, detect_format(path, format), published).dataset
    if len({i.framework for i in parsed.items}) != 1:
        raise EditionError(f"{path}: the file must hold the items of exactly one framework")
    given = parsed.frameworks[0] if parsed.frameworks else previous
    version = version.strip() or given.version
    title = title.strip() or given.title
    if title == previous.title:  # two frameworks (and their crosswalks) alike on every page
        named = version if version and version != previous.version else new_id
        title = f"{title} ({named} edition)"
    framework = replace(
        given,
        id=new_id,
        title=title,
        version=version,
        replaces=previous.id,
        status="published",
    )
    items = [replace(i, framework=new_id) for i in parsed.items]
    matches = match_items(published.items_of(previous.id), items)
    return _write(repository, actor, published, previous, framework, items, matches)


def _write(
    repository: Repository,
    actor: Actor,
    published: Catalog,
    previous: Framework,
    framework: Framework,
    items: list[Item],
    matches: list[ItemMatch],
) -> Edition:
    counterpart = {m.old.code: m for m in matches if m.old is not None}
    link = Crosswalk(
        f"{previous.id}-to-{framework.id}",
        f"{previous.title} → {framework.title} (new edition)",
        previous.id,
        framework.id,
        version=framework.version,
        description="Which item of the new edition replaces each item of the previous one.",
        status="published",
    )
    edition_links = [
        _edition_link(link, m, n, actor.name)
        for n, m in enumerate(x for x in matches if x.old is not None)
    ]
    copies: list[tuple[Crosswalk, Crosswalk]] = []
    carried: list[Alignment] = []
    to_decide: list[tuple[Alignment, str]] = []
    gone: list[Alignment] = []
    for old in sorted(published.crosswalks.values(), key=lambda c: c.id):
        if previous.id not in (old.source_framework, old.target_framework):
            continue
        if old.id == link.id:
            continue
        copy = _new_crosswalk(old, previous, framework)
        copies.append((old, copy))
        for alignment in published.by_crosswalk.get(old.id, []):
            moved, notes, lost = _carry(alignment, old, copy, previous.id, counterpart)
            if lost:
                gone.append(alignment)
            elif notes:
                to_decide.append((moved, "; ".join(notes)))
            else:
                carried.append(moved)
    taken = set(published.alignments)
    first = [Operation.add(framework), Operation.add(link)]
    first += [Operation.add(c) for _, c in copies]
    first += [Operation.add(i) for i in items]
    first += [Operation.add(a) for a in with_ids([*edition_links, *carried], taken)]
    decided = with_ids([a for a, _ in to_decide], taken | {o.key for o in first})
    with repository.writing() as connection:
        applied = apply_at_once(
            connection,
            first,
            title=f"New edition: {framework.title}",
            reason=f"{framework.title} replaces {previous.title}; "
            "the links of unchanged items are carried over.",
            kind="edition",
            actor=actor.name,
        )
        _copy_grants(connection, previous.id, framework.id, copies)
    review = None
    if decided or gone:
        lines = [
            f"Links carried over to {framework.title} whose items changed; approve to keep "
            "them, or edit the draft first.",
        ]
        if gone:
            lines.append("Not carried (the item is not in the new edition):")
            lines += [
                f"- {a.crosswalk}: {a.source_code} → {a.target_code or '(none)'}" for a in gone
            ]
        operations = [
            Operation.add(a, note=note) for a, (_, note) in zip(decided, to_decide, strict=True)
        ]
        if operations:
            review = changes.propose_operations(
                repository,
                operations,
                title=f"Links to decide for {framework.title}",
                author=actor.name,
                reason="\n".join(lines),
                kind="edition",
            )
    return Edition(
        framework,
        tuple(matches),
        tuple((o.id, c.id) for o, c in copies),
        len(carried),
        applied.change_set,
        review,
        tuple(gone),
    )


def _edition_link(link: Crosswalk, match: ItemMatch, position: int, author: str) -> Alignment:
    """The link from an item of the previous edition to its counterpart (or to none)."""
    assert match.old is not None
    if match.new is None:
        return Alignment(
            link.id,
            match.old.code,
            None,
            relation=Relation.NO_MATCH,
            note=match.describe(),
            position=position,
            author=author,
            created=utc_now(),
        )
    return Alignment(
        link.id,
        match.old.code,
        match.new.code,
        relation=Relation.EXACT if match.how == "same" else Relation.CLOSE,
        note=match.describe(),
        position=position,
        justification=REPLACED_BY,
        author=author,
        created=utc_now(),
    )


def _carry(
    alignment: Alignment,
    old: Crosswalk,
    copy: Crosswalk,
    previous: str,
    counterpart: dict[str, ItemMatch],
) -> tuple[Alignment, list[str], bool]:
    """The link moved to the copy; what changed at its ends; whether an end is gone."""
    notes: list[str] = []
    ends = {"source_code": alignment.source_code, "target_code": alignment.target_code}
    for field, framework in (
        ("source_code", old.source_framework),
        ("target_code", old.target_framework),
    ):
        code = ends[field]
        if framework != previous or code is None:
            continue
        match = counterpart.get(code)
        if match is None or match.new is None:
            return alignment, [], True
        ends[field] = match.new.code
        if match.how != "same":
            notes.append(f"{code}: {match.describe()}")
    moved = replace(alignment, crosswalk=copy.id, id="", **ends)  # type: ignore[arg-type]
    if notes:
        moved = replace(
            moved,
            note=(moved.note + " " if moved.note else "") + "[check: " + "; ".join(notes) + "]",
        )
    return moved, notes, False


def _copy_grants(
    connection: Connection, previous: str, new: str, copies: list[tuple[Crosswalk, Crosswalk]]
) -> None:
    now = utc_now()
    pairs = [("framework", previous, new)] + [("crosswalk", o.id, c.id) for o, c in copies]
    for grant in people_rows.all_grants(connection):
        for kind, old_id, new_id in pairs:
            if grant.scope_kind == kind and grant.scope_id == old_id:
                found = people_rows.user_named(connection, grant.user)
                if found is not None:
                    people_rows.add_grant(connection, found[0].id, grant.role, kind, new_id, now)
