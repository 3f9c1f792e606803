"""What a suggestion may know: smaller catalogs for the two honest evaluation modes.

Leakage is prevented by construction, not by care in each signal: the evaluation
builds a catalog without the links it hides, and every signal, prior and fitted weight
is derived from that catalog alone.

* :func:`without_pair` — ``--blind``: as if no crosswalk between the two frameworks
  existed (none of its links, so no chain through it, no prior and no fit from it).
* :func:`without_item_links` — ``--leave-one-out``: one source item's links between
  the two frameworks removed (its no-match rows too); everyone else's stay.
"""

from __future__ import annotations

from crosswalk.catalog import Catalog
from crosswalk.model import Alignment, Crosswalk, Dataset, Item


def between(catalog: Catalog, a: str, b: str) -> list[Crosswalk]:
    """Crosswalks joining frameworks ``a`` and ``b``, in either direction."""
    return sorted(catalog.crosswalks_between(a, b), key=lambda c: c.id)


def oriented_links(catalog: Catalog, source: str, target: str) -> dict[str, dict[str, Alignment]]:
    """Links between two frameworks read from ``source`` to ``target``, whichever way
    each crosswalk was written: source code → target code → (first) alignment."""
    links: dict[str, dict[str, Alignment]] = {}
    for crosswalk in between(catalog, source, target):
        forward = crosswalk.source_framework == source
        for alignment in catalog.by_crosswalk.get(crosswalk.id, []):
            if alignment.target_code is None:
                continue
            here, there = (
                (alignment.source_code, alignment.target_code)
                if forward
                else (alignment.target_code, alignment.source_code)
            )
            links.setdefault(here, {}).setdefault(there, alignment)
    return links


def without_pair(catalog: Catalog, source: str, target: str) -> Catalog:
    """The catalog as if no crosswalk joined ``source`` and ``target``."""
    hidden = {c.id for c in between(catalog, source, target)}
    data = catalog.dataset
    return Catalog(
        Dataset(
            frameworks=list(data.frameworks),
            items=list(data.items),
            crosswalks=[c for c in data.crosswalks if c.id not in hidden],
            alignments=[a for a in data.alignments if a.crosswalk not in hidden],
        )
    )


def without_item_links(catalog: Catalog, source: str, target: str, item: Item) -> Catalog:
    """The catalog without ``item``'s links to (or from) the other framework."""
    if item.framework != source:
        raise ValueError(f"{item.code!r} is an item of {item.framework}, not of {source}")
    ends = {c.id: c.source_framework == source for c in between(catalog, source, target)}

    def hidden(alignment: Alignment) -> bool:
        if alignment.crosswalk not in ends:
            return False
        own_end = alignment.source_code if ends[alignment.crosswalk] else alignment.target_code
        return own_end == item.code

    data = catalog.dataset
    return Catalog(
        Dataset(
            frameworks=list(data.frameworks),
            items=list(data.items),
            crosswalks=list(data.crosswalks),
            alignments=[a for a in data.alignments if not hidden(a)],
        )
    )
