"""Whole-crosswalk views: counts, gaps, coverage counts and the flat export rows.

Each answers a question a coordinator asks of one crosswalk — what is missing, how
evenly it covers the target, what it is as a table — and returns plain data that the
terminal, the web pages and the exports all render.  The grid itself is
:mod:`crosswalk.query.grid`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from crosswalk.catalog import Catalog
from crosswalk.model import Alignment, Crosswalk, Item

# The columns of the alignment export, in order: issue 2 fixes the first fourteen
# (their order and positions); columns added later go after them, at the end.
ALIGNMENT_COLUMNS = (
    "crosswalk",
    "source_framework",
    "source_code",
    "source_name",
    "source_parent",
    "source_tags",
    "target_framework",
    "target_code",
    "target_name",
    "relation",
    "strength",
    "evidence",
    "note",
    "provenance",
    "level",
)


@dataclass(frozen=True, slots=True)
class SourceFilter:
    """Which source items a view considers, and which of their links.

    ``items`` keeps source items (e.g. one level: ``lambda i: "IMHS" in i.tags``);
    ``links``, when given, keeps only some alignments of those items.  Both are needed
    where links carry their own level (seed 002's "MHS"/"MHM"): an IECMHC competency
    cited once untagged and once at MHM is a Family Specialist item through the first
    link only, so the second must not count at that level
    (:func:`crosswalk.query.source_filter` builds both from a level scope).
    """

    items: Callable[[Item], bool]
    links: Callable[[Alignment], bool] | None = None


def _leaves(catalog: Catalog, framework: str, keep: SourceFilter | None = None) -> list[Item]:
    return [
        i
        for i in catalog.items_of(framework)
        if catalog.is_leaf(i) and (keep is None or keep.items(i))
    ]


def considered(
    catalog: Catalog, crosswalk: Crosswalk, sources: SourceFilter | None
) -> tuple[list[Item], list[Alignment]]:
    """The source leaves kept by ``sources`` and the crosswalk's alignments it keeps."""
    leaves = _leaves(catalog, crosswalk.source_framework, sources)
    alignments = catalog.by_crosswalk.get(crosswalk.id, [])
    if sources is not None:
        kept = {i.code for i in leaves}
        links = sources.links
        alignments = [
            a for a in alignments if a.source_code in kept and (links is None or links(a))
        ]
    return leaves, alignments


# -- counts ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CrosswalkCounts:
    """How big a crosswalk is, as its listings show it."""

    alignments: int  # every row, no-match included
    links: int  # rows that are not an explicit no-match (outside references included)
    no_match: int  # rows stating that no target item corresponds
    source_items: int  # the source framework's leaves, linked or not


def crosswalk_counts(catalog: Catalog, crosswalk_id: str) -> CrosswalkCounts:
    """The counts of one crosswalk, for the crosswalk lists and pages."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    alignments = catalog.by_crosswalk.get(crosswalk.id, [])
    no_match = sum(1 for a in alignments if a.is_no_match)
    return CrosswalkCounts(
        alignments=len(alignments),
        links=len(alignments) - no_match,
        no_match=no_match,
        source_items=len(catalog.source_items(crosswalk)),
    )


# -- gaps ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoMatch:
    """A source item the crosswalk explicitly says has no counterpart."""

    item: Item
    alignment: Alignment

    @property
    def note(self) -> str:
        return self.alignment.note


@dataclass(frozen=True, slots=True)
class Gaps:
    """What a crosswalk leaves out, on each side."""

    crosswalk: Crosswalk
    unlinked: tuple[Item, ...]  # source leaves linked to no target item (nor no-match)
    no_match: tuple[NoMatch, ...]  # source leaves stated to have no counterpart
    unreferenced: tuple[Item, ...]  # target leaves no alignment points at
    outside: tuple[NoMatch, ...] = ()  # rows citing something outside the target framework

    def note(self, item: Item) -> str:
        """What the source says instead of a link (e.g. "T&TA Competencies"), if anything."""
        return " ".join(o.note for o in self.outside if o.item.key == item.key)


def gaps(catalog: Catalog, crosswalk_id: str, *, sources: SourceFilter | None = None) -> Gaps:
    """Silence and explicit no-match are kept apart: only the second is information.

    ``sources`` (a :class:`SourceFilter`, e.g. one endorsement level) restricts the
    source items and links considered; target items then count as unreferenced when
    none of *those* links cites them.
    """
    crosswalk = catalog.crosswalk(crosswalk_id)
    sources_kept, alignments = considered(catalog, crosswalk, sources)
    answered = {a.source_code for a in alignments if a.target_code is not None or a.is_no_match}
    referenced = {a.target_code for a in alignments if a.target_code is not None}
    by_code = {i.code: i for i in sources_kept}
    targetless = [a for a in alignments if a.target_code is None and a.source_code in by_code]
    return Gaps(
        crosswalk,
        tuple(i for i in sources_kept if i.code not in answered),
        tuple(NoMatch(by_code[a.source_code], a) for a in targetless if a.is_no_match),
        tuple(i for i in _leaves(catalog, crosswalk.target_framework) if i.code not in referenced),
        tuple(NoMatch(by_code[a.source_code], a) for a in targetless if not a.is_no_match),
    )


# -- coverage --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceAreaCoverage:
    area: Item | None  # None for leaves without a parent
    items: int  # leaves in the area
    linked: int  # leaves with at least one target item
    no_match: int  # leaves with an explicit no-match
    links: int  # alignments to a target item


@dataclass(frozen=True, slots=True)
class TargetAreaCoverage:
    area: Item | None
    items: int  # leaves in the area
    referenced: int  # leaves cited at least once
    links: int  # alignments pointing into the area


@dataclass(frozen=True, slots=True)
class TargetUse:
    item: Item
    links: int


@dataclass(frozen=True, slots=True)
class Coverage:
    crosswalk: Crosswalk
    source_areas: tuple[SourceAreaCoverage, ...]
    target_areas: tuple[TargetAreaCoverage, ...]
    most_referenced: tuple[TargetUse, ...]
    least_referenced: tuple[TargetUse, ...]  # among targets cited at least once


def coverage(
    catalog: Catalog, crosswalk_id: str, top: int = 5, *, sources: SourceFilter | None = None
) -> Coverage:
    """Counts per area on both sides, and which targets carry the crosswalk.

    ``sources`` (as for :func:`gaps`) restricts the source items and links counted;
    source areas left empty are dropped, and the target side counts only the links
    kept.
    """
    crosswalk = catalog.crosswalk(crosswalk_id)
    _, alignments = considered(catalog, crosswalk, sources)
    links_from = Counter(a.source_code for a in alignments if a.target_code is not None)
    no_match = {a.source_code for a in alignments if a.is_no_match}
    links_to = Counter(a.target_code for a in alignments if a.target_code is not None)
    source_areas = tuple(
        SourceAreaCoverage(
            area,
            len(leaves),
            sum(1 for i in leaves if links_from[i.code]),
            sum(1 for i in leaves if i.code in no_match),
            sum(links_from[i.code] for i in leaves),
        )
        for area, leaves in grouped_leaves(catalog, crosswalk.source_framework, sources)
    )
    target_areas = tuple(
        TargetAreaCoverage(
            area,
            len(leaves),
            sum(1 for i in leaves if links_to[i.code]),
            sum(links_to[i.code] for i in leaves),
        )
        for area, leaves in grouped_leaves(catalog, crosswalk.target_framework)
    )
    used = [TargetUse(i, links_to[i.code]) for i in _leaves(catalog, crosswalk.target_framework)]
    cited = [u for u in used if u.links]
    most = sorted(cited, key=lambda u: -u.links)[:top]
    least = sorted(cited, key=lambda u: u.links)[:top]
    return Coverage(crosswalk, source_areas, target_areas, tuple(most), tuple(least))


def grouped_leaves(
    catalog: Catalog, framework: str, keep: SourceFilter | None = None
) -> list[tuple[Item | None, list[Item]]]:
    """Leaves grouped under their parent, in tree order (areas with none kept: omitted)."""
    groups: dict[str | None, list[Item]] = {}
    for leaf in _leaves(catalog, framework, keep):
        groups.setdefault(leaf.parent, []).append(leaf)
    return [
        (catalog.items.get((framework, parent)) if parent else None, leaves)
        for parent, leaves in groups.items()
    ]


# -- flat rows -------------------------------------------------------------------------


def alignment_rows(catalog: Catalog, crosswalk_id: str) -> list[dict[str, str]]:
    """One flat row per alignment, columns :data:`ALIGNMENT_COLUMNS`, for CSV/JSON export."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    rows: list[dict[str, str]] = []
    for a in catalog.by_crosswalk.get(crosswalk.id, []):
        source = catalog.items.get((crosswalk.source_framework, a.source_code))
        parent = catalog.parent_of(source) if source else None
        target = (
            catalog.items.get((crosswalk.target_framework, a.target_code))
            if a.target_code is not None
            else None
        )
        values = (
            crosswalk.id,
            crosswalk.source_framework,
            a.source_code,
            source.name if source else "",
            parent.name if parent else "",
            ";".join(source.tags) if source else "",
            crosswalk.target_framework,
            a.target_code or "",
            target.name if target else "",
            str(a.relation),
            a.strength,
            a.evidence,
            a.note,
            str(a.provenance) if a.provenance else "",
            a.level,
        )
        rows.append(dict(zip(ALIGNMENT_COLUMNS, values, strict=True)))
    return rows
