"""Filters by endorsement level over a crosswalk's items, links and flat rows.

The levels themselves (what an item's or a link's level is) come from
:mod:`crosswalk.levels`; this module applies them to a crosswalk, so the pages, the
API and the CLI keep the same items and links for a level scope.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from crosswalk.catalog import Catalog
from crosswalk.levels import SCOPES, alignment_applies, alignment_level, item_applies, link_level
from crosswalk.model import Alignment, Crosswalk, Item
from crosswalk.query.report import SourceFilter, alignment_rows


def source_filter(
    catalog: Catalog, crosswalk_id: str, levels: Collection[str] | None
) -> SourceFilter | None:
    """The source items and links at ``levels`` (None: no filter).

    A link is kept when its level (its own tag, else its source item's) is at
    ``levels``; an item is kept when one of its links in the crosswalk is, or, having
    none, when its own level is.  Only the kept links count: on IECMHC → IMH, 6A.2 is
    a Family Specialist item through its untagged link, but its MHM link to the same
    knowledge area is not a Family Specialist link.
    """
    if levels is None:
        return None
    crosswalk = catalog.crosswalk(crosswalk_id)
    link_applies = _link_filter(catalog, crosswalk, levels)

    def keep(item: Item) -> bool:
        links = [a for a in catalog.outgoing.get(item.key, []) if a.crosswalk == crosswalk.id]
        if not links:
            return item_applies(item, levels)
        return any(link_applies(a) for a in links)

    return SourceFilter(keep, link_applies)


def _link_filter(
    catalog: Catalog, crosswalk: Crosswalk, levels: Collection[str]
) -> Callable[[Alignment], bool]:
    """Whether a link of ``crosswalk`` is at ``levels`` (its own tag, else its source's)."""

    def applies(alignment: Alignment) -> bool:
        source = catalog.items.get((crosswalk.source_framework, alignment.source_code))
        return alignment_applies(alignment, source, levels)

    return applies


def alignments_at(
    catalog: Catalog, crosswalk_id: str, levels: Collection[str] | None
) -> list[Alignment]:
    """The crosswalk's alignments (in order) whose level falls in ``levels`` (None: all)."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    alignments = catalog.by_crosswalk.get(crosswalk.id, [])
    if levels is None:
        return list(alignments)
    return list(filter(_link_filter(catalog, crosswalk, levels), alignments))


def levels_present(catalog: Catalog, crosswalk_id: str) -> set[str]:
    """The levels the crosswalk's links are at."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    return {
        alignment_level(a, catalog.items.get((crosswalk.source_framework, a.source_code)))
        for a in catalog.by_crosswalk.get(crosswalk.id, [])
    }


def alignment_rows_at(
    catalog: Catalog, crosswalk_id: str, levels: Collection[str] | None
) -> list[dict[str, str]]:
    """:func:`~crosswalk.query.alignment_rows` keeping the rows of links at ``levels``.

    Rows and alignments correspond one to one, in the crosswalk's order, so each row is
    judged by its own alignment (two links between the same pair of items can sit at
    different levels).
    """
    rows = alignment_rows(catalog, crosswalk_id)
    if levels is None:
        return rows
    crosswalk = catalog.crosswalk(crosswalk_id)
    applies = _link_filter(catalog, crosswalk, levels)
    alignments = catalog.by_crosswalk.get(crosswalk.id, [])
    return [row for row, a in zip(rows, alignments, strict=True) if applies(a)]


# Where the source tags links rather than areas (IECMHC → IMH: seed 002's "MHS"/"MHM"
# notes), a scope keeps links by their own tag; "areas" would be untrue there.
LINK_SCOPE_TEXT = {
    "FS": "Untagged links only (Family Specialist)",
    "upto-IMHS": "Up to MHS: untagged and MHS links",
    "IMHS": "Links tagged MHS (IMHS) only",
    "IMHM": "Links tagged MHM (IMHM) only",
}


def levels_on_links(catalog: Catalog, crosswalk_id: str) -> bool:
    """Whether some link of the crosswalk carries its own level tag, so that its level
    filter is about links rather than about the source's areas."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    return any(link_level(a) for a in catalog.by_crosswalk.get(crosswalk.id, []))


def scope_text(catalog: Catalog, crosswalk_id: str, scope: str | None) -> str:
    """How to name ``scope`` (a key of ``SCOPES``) on this crosswalk; "" for none."""
    if scope is None:
        return ""
    if levels_on_links(catalog, crosswalk_id):
        return LINK_SCOPE_TEXT[scope]
    return SCOPES[scope][1]
