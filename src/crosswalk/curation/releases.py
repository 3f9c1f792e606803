"""Releases: a crosswalk or framework frozen under a name, read back and compared.

Creating a release copies the objects it covers (see :mod:`crosswalk.store.releases`
for why a copy rather than a replay of the log).  :func:`release_catalog` is the
catalog a request reads when it names a release: the published data with the
released frameworks and crosswalks exactly as released, so every page, download and
API answer can show a release with no code of its own.  :func:`compare` says which
links were added, removed and changed between two releases (or a release and the
published data), for a page, a CSV file and SSSOM.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from crosswalk.catalog import Catalog, NotFound
from crosswalk.curation.errors import CurationProblem
from crosswalk.curation.permissions import Action, Actor, require
from crosswalk.formats import sssom
from crosswalk.model import Alignment, Dataset, Item, alignment_order, item_order
from crosswalk.store import Repository
from crosswalk.store import releases as rows
from crosswalk.store.changesets import utc_now
from crosswalk.store.errors import StoreError
from crosswalk.store.releases import INITIAL_RELEASE, INITIAL_TITLE, Release
from crosswalk.store.repository import load_catalog

__all__ = ["INITIAL_RELEASE", "INITIAL_TITLE", "PUBLISHED", "Release", "ReleaseError"]

# The name that means "the data as published now" wherever a release is asked for.
PUBLISHED = "published"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
DIFF_COLUMNS = (
    "crosswalk",
    "change",
    "alignment",
    "source_code",
    "source_name",
    "target_code",
    "target_name",
    "fields",
    "relation_before",
    "relation_after",
    "before",
    "after",
)


class ReleaseError(CurationProblem):
    """A release that cannot be made or found; the message says why."""


def create(
    repository: Repository,
    actor: Actor,
    name: str,
    scopes: Sequence[tuple[str, str]],
    *,
    title: str = "",
    note: str = "",
) -> Release:
    """Release ``scopes`` (framework and crosswalk ids) as they are published now."""
    if not _NAME.fullmatch(name) or name == PUBLISHED:
        raise ReleaseError(
            f"{name!r} cannot name a release: 1–64 letters, digits, '.', '_' or '-' "
            f"(and not {PUBLISHED!r})"
        )
    require(actor, Action.RELEASE, scopes)
    try:
        return _create(repository, actor, name, scopes, title, note)
    except StoreError as error:  # a name taken, an unknown id: the person can fix it
        raise ReleaseError(str(error)) from None


def _create(
    repository: Repository,
    actor: Actor,
    name: str,
    scopes: Sequence[tuple[str, str]],
    title: str,
    note: str,
) -> Release:
    with repository.writing() as connection:
        current = load_catalog(connection)
        return rows.create(
            connection,
            name=name,
            title=title.strip() or name,
            note=note.strip(),
            actor=actor.name,
            at=utc_now(),
            store_revision=current.revision,
            scopes=scopes,
            current=current.dataset,
            revisions=current.revisions,
        )


def listed(repository: Repository) -> list[Release]:
    with repository.engine.connect() as connection:
        return rows.listed(connection)


def find(repository: Repository, name: str) -> tuple[Release, Dataset]:
    """A release and the objects it holds."""
    with repository.engine.connect() as connection:
        found = rows.find(connection, name)
        if found is None:
            known = ", ".join(r.name for r in rows.listed(connection)) or "none yet"
            raise NotFound(f"no release {name!r}; releases: {known}")
        release_id, release = found
        return release, rows.objects(connection, release_id)


def release_catalog(published: Catalog, released: Dataset) -> Catalog:
    """The published catalog with the released frameworks and crosswalks put back
    exactly as released (their items and alignments included)."""
    frameworks = {f.id for f in released.frameworks}
    crosswalks = {c.id for c in released.crosswalks}
    data = published.dataset
    merged = Dataset(
        frameworks=sorted(
            [f for f in data.frameworks if f.id not in frameworks] + released.frameworks,
            key=lambda f: f.id,
        ),
        items=sorted(
            [i for i in data.items if i.framework not in frameworks] + released.items,
            key=item_order,
        ),
        crosswalks=sorted(
            [c for c in data.crosswalks if c.id not in crosswalks] + released.crosswalks,
            key=lambda c: c.id,
        ),
        alignments=sorted(
            [
                a
                for a in data.alignments
                if a.crosswalk not in crosswalks and a.crosswalk in {c.id for c in data.crosswalks}
            ]
            + released.alignments,
            key=alignment_order,
        ),
    )
    # A published crosswalk whose framework the release no longer has cannot be shown.
    known = {f.id for f in merged.frameworks}
    merged.crosswalks = [
        c for c in merged.crosswalks if {c.source_framework, c.target_framework} <= known
    ]
    kept = {c.id for c in merged.crosswalks}
    merged.alignments = [a for a in merged.alignments if a.crosswalk in kept]
    return Catalog(merged)


# -- comparing ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkChange:
    """One link that differs: ``before`` in the older release, ``after`` in the newer."""

    crosswalk: str
    change: str  # added | removed | changed
    before: Alignment | None
    after: Alignment | None
    fields: tuple[str, ...] = ()

    @property
    def alignment(self) -> Alignment:
        found = self.after or self.before
        assert found is not None
        return found


@dataclass(frozen=True, slots=True)
class Comparison:
    older: str
    newer: str
    links: tuple[LinkChange, ...]
    catalog_before: Catalog
    catalog_after: Catalog

    def counts(self) -> dict[str, int]:
        counts = {"added": 0, "removed": 0, "changed": 0}
        for link in self.links:
            counts[link.change] += 1
        return counts


_COMPARED = (
    "source_code",
    "target_code",
    "relation",
    "strength",
    "level",
    "evidence",
    "note",
    "confidence",
    "justification",
    "status",
    "position",
    "printed_target",
)


def compare(
    repository: Repository,
    published: Catalog,
    older: str,
    newer: str,
    crosswalk: str | None = None,
) -> Comparison:
    """The links added, removed and changed from ``older`` to ``newer`` (release names,
    or :data:`PUBLISHED`), in every crosswalk both hold or in ``crosswalk`` only."""
    before, after = _catalog(repository, published, older), _catalog(repository, published, newer)
    shared = sorted(set(before.crosswalks) & set(after.crosswalks))
    if crosswalk is not None:
        if crosswalk not in shared:
            raise NotFound(f"crosswalk {crosswalk!r} is not in both {older!r} and {newer!r}")
        shared = [crosswalk]
    links: list[LinkChange] = []
    for crosswalk_id in shared:
        old = {a.id: a for a in before.by_crosswalk.get(crosswalk_id, [])}
        new = {a.id: a for a in after.by_crosswalk.get(crosswalk_id, [])}
        for key in sorted(
            old.keys() | new.keys(), key=lambda k: alignment_order(new.get(k) or old[k])
        ):
            a, b = old.get(key), new.get(key)
            if a is None:
                links.append(LinkChange(crosswalk_id, "added", None, b))
            elif b is None:
                links.append(LinkChange(crosswalk_id, "removed", a, None))
            else:
                fields = tuple(f for f in _COMPARED if getattr(a, f) != getattr(b, f))
                if fields:
                    links.append(LinkChange(crosswalk_id, "changed", a, b, fields))
    return Comparison(older, newer, tuple(links), before, after)


def _catalog(repository: Repository, published: Catalog, name: str) -> Catalog:
    if name == PUBLISHED:
        return published
    _, released = find(repository, name)
    return release_catalog(published, released)


def _name(catalog: Catalog, framework: str, code: str | None) -> str:
    item: Item | None = catalog.items.get((framework, code)) if code is not None else None
    return item.name if item is not None else ""


def comparison_rows(comparison: Comparison) -> list[dict[str, str]]:
    """One row per changed link, for a table or a CSV file (columns: DIFF_COLUMNS)."""
    result = []
    for link in comparison.links:
        catalog = comparison.catalog_after if link.after else comparison.catalog_before
        crosswalk = catalog.crosswalks[link.crosswalk]
        alignment = link.alignment
        result.append(
            {
                "crosswalk": link.crosswalk,
                "change": link.change,
                "alignment": alignment.id,
                "source_code": alignment.source_code,
                "source_name": _name(catalog, crosswalk.source_framework, alignment.source_code),
                "target_code": alignment.target_code or "",
                "target_name": _name(catalog, crosswalk.target_framework, alignment.target_code),
                "fields": "; ".join(link.fields),
                "relation_before": link.before.relation.value if link.before else "",
                "relation_after": link.after.relation.value if link.after else "",
                "before": _summary(link.before, link.fields),
                "after": _summary(link.after, link.fields),
            }
        )
    return result


def _summary(alignment: Alignment | None, fields: Sequence[str]) -> str:
    if alignment is None:
        return ""
    shown = fields or ("target_code", "relation", "strength", "level")
    return "; ".join(
        f"{f}={getattr(alignment, f)}" for f in shown if getattr(alignment, f) not in ("", None)
    )


def comparison_sssom(comparison: Comparison, crosswalk_id: str) -> str:
    """The changed links of one crosswalk as an SSSOM mapping set: added and changed
    links as they are in the newer release, removed ones as they were, each with its
    change in the ``comment``."""
    links = [link for link in comparison.links if link.crosswalk == crosswalk_id]
    after = comparison.catalog_after
    crosswalk = after.crosswalks.get(crosswalk_id) or comparison.catalog_before.crosswalk(
        crosswalk_id
    )
    alignments = []
    for link in links:
        if link.change == "added":
            words = f"added in {comparison.newer}"
        elif link.change == "removed":
            words = f"removed in {comparison.newer} (was in {comparison.older})"
        else:
            words = f"changed in {comparison.newer}: {', '.join(link.fields)}"
        alignment = link.alignment
        note = f"{words}. {alignment.note}".strip() if alignment.note else words
        alignments.append(replace(alignment, note=note))
    items = {i.key: i for i in comparison.catalog_before.dataset.items} | {
        i.key: i for i in after.dataset.items
    }
    frameworks = {f.id: f for f in comparison.catalog_before.dataset.frameworks} | {
        f.id: f for f in after.dataset.frameworks
    }
    ends = {crosswalk.source_framework, crosswalk.target_framework}
    changes = Dataset(
        frameworks=[f for f in frameworks.values() if f.id in ends],
        items=[i for i in items.values() if i.framework in ends],
        crosswalks=[
            replace(
                crosswalk,
                title=f"{crosswalk.title}: changes from {comparison.older} to {comparison.newer}",
                version=comparison.newer,
            )
        ],
        alignments=alignments,
    )
    return sssom.dumps(Catalog(changes), crosswalk_id)
