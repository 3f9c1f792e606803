"""Chains: the items of third frameworks one crosswalk further than an item's own links.

This is how an IECMHC consultation competency reaches CKC codes (through IMH), and how
a CKC code learns which consultation competencies lean on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from crosswalk.catalog import Catalog
from crosswalk.model import Item, code_sort_key
from crosswalk.query.lookup import Link, describe
from crosswalk.query.mapping import Hop


@dataclass(frozen=True, slots=True)
class Chain:
    """An item two crosswalks away, and the two hops that reach it."""

    target: Item
    hops: tuple[Hop, ...]

    @property
    def via(self) -> Item:
        return self.hops[0].target


def _hop(item: Item, link: Link) -> Hop | None:
    if link.other is None:
        return None
    if link.direction == "out":
        return Hop(item, link.other, link.crosswalk, "forward", link.alignment)
    return Hop(item, link.other, link.crosswalk, "backward", link.alignment)


def chains(catalog: Catalog, item: Item, limit: int | None = None) -> list[Chain]:
    """Items of third frameworks reached through one of ``item``'s linked items, each
    (target, middle item, crosswalks) once, in the order the links are described; the
    first ``limit`` of them when given (an item linked to many items that are each
    linked to many would otherwise make a number of paths that grows as their product)."""
    found: dict[tuple[object, ...], Chain] = {}
    for link in describe(catalog, item).links:
        if limit is not None and len(found) >= limit:
            break
        first = _hop(item, link)
        if first is None:
            continue
        middle = first.target
        for further in describe(catalog, middle).links:
            second = _hop(middle, further)
            if second is None or second.target.framework in (item.framework, middle.framework):
                continue
            key = (second.target.key, middle.key, first.crosswalk.id, second.crosswalk.id)
            found.setdefault(key, Chain(second.target, (first, second)))
            if limit is not None and len(found) >= limit:
                break
    return list(found.values())


def chains_by_target(found: list[Chain]) -> dict[str, list[list[Chain]]]:
    """Chains grouped per framework, then per target item (one row, several paths), the
    targets in code order."""
    grouped: dict[str, dict[tuple[str, str], list[Chain]]] = {}
    for chain in found:
        grouped.setdefault(chain.target.framework, {}).setdefault(chain.target.key, []).append(
            chain
        )
    return {
        framework: sorted(targets.values(), key=lambda c: code_sort_key(c[0].target.code))
        for framework, targets in grouped.items()
    }
