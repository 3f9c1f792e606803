"""Mapping codes from one framework to another, directly or through others.

Crosswalks are edges of a graph whose nodes are frameworks; each edge can be walked
both ways, because "which IMH areas list CKC 2.1?" is the same table read backwards.
A request follows every shortest route between the two frameworks (IECMHC → IMH → CKC)
and keeps each distinct path, since the path is the justification a reader checks.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

from crosswalk.catalog import Catalog
from crosswalk.model import Alignment, Crosswalk, Item, code_sort_key
from crosswalk.query.lookup import find_item

Way = Literal["forward", "backward"]


class NoRoute(LookupError):
    """No chain of crosswalks connects the two frameworks."""


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a path: an alignment, read forward or backward."""

    source: Item
    target: Item
    crosswalk: Crosswalk
    direction: Way
    alignment: Alignment


@dataclass(frozen=True, slots=True)
class Mapping:
    """A target item reached from one input code, and the path that reached it."""

    code: str  # the input as given
    source: Item
    target: Item
    path: tuple[Hop, ...]

    @property
    def via(self) -> tuple[str, ...]:
        """The frameworks passed through between source and target."""
        return tuple(hop.target.framework for hop in self.path[:-1])


Route = tuple[tuple[Crosswalk, Way], ...]


def map_codes(
    catalog: Catalog, source_framework: str, target_framework: str, codes: list[str]
) -> list[Mapping]:
    """Every item of ``target_framework`` that each of ``codes`` corresponds to.

    Codes are resolved strictly (code, name or alias; never a fuzzy guess, which could
    silently map the wrong thing); an unknown one raises :class:`NotFound` with the
    closest candidates.  Identical paths found twice (the same items through the same
    crosswalks, e.g. a pair cited twice) are reported once.
    """
    catalog.framework(source_framework)
    catalog.framework(target_framework)
    if source_framework == target_framework:
        raise NoRoute(f"{source_framework!r} is both source and target; choose another --to")
    sources = [(code, find_item(catalog, source_framework, code, fuzzy=False)) for code in codes]
    routes = shortest_routes(catalog, source_framework, target_framework)
    if not routes:
        raise NoRoute(
            f"no crosswalk connects {source_framework!r} to {target_framework!r}, "
            "directly or through other frameworks"
        )
    results: list[Mapping] = []
    seen: set[tuple[object, ...]] = set()
    for code, item in sources:
        for route in routes:
            for path in _follow(catalog, item, route):
                identity = (code, *((h.crosswalk.id, h.source.code, h.target.code) for h in path))
                if identity not in seen:
                    seen.add(identity)
                    results.append(Mapping(code, item, path[-1].target, path))
    return results


def shortest_routes(catalog: Catalog, start: str, goal: str) -> list[Route]:
    """All fewest-crosswalk routes from framework ``start`` to ``goal`` (breadth first)."""
    edges: dict[str, list[tuple[Crosswalk, Way, str]]] = {}
    for crosswalk in sorted(catalog.crosswalks.values(), key=lambda c: c.id):
        a, b = crosswalk.source_framework, crosswalk.target_framework
        edges.setdefault(a, []).append((crosswalk, "forward", b))
        edges.setdefault(b, []).append((crosswalk, "backward", a))
    distance = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for _, _, nxt in edges.get(node, []):
            if nxt not in distance:
                distance[nxt] = distance[node] + 1
                queue.append(nxt)
    if goal not in distance:
        return []

    def extend(node: str, route: Route) -> list[Route]:
        if node == goal:
            return [route]
        found: list[Route] = []
        for crosswalk, way, nxt in edges.get(node, []):
            if distance.get(nxt) == distance[node] + 1:
                found += extend(nxt, (*route, (crosswalk, way)))
        return found

    return extend(start, ())


def _follow(catalog: Catalog, item: Item, route: Route) -> list[tuple[Hop, ...]]:
    """Every path from ``item`` along ``route``; no-match rows end a path."""
    paths: list[tuple[Hop, ...]] = [()]
    for crosswalk, way in route:
        longer: list[tuple[Hop, ...]] = []
        for path in paths:
            here = path[-1].target if path else item
            longer += [(*path, hop) for hop in _step(catalog, here, crosswalk, way)]
        paths = longer
    return paths


def _step(catalog: Catalog, item: Item, crosswalk: Crosswalk, way: Way) -> list[Hop]:
    if way == "forward":
        hops = [
            Hop(item, target, crosswalk, way, a)
            for a in catalog.outgoing.get(item.key, [])
            if a.crosswalk == crosswalk.id and a.target_code is not None
            for target in [catalog.items.get((crosswalk.target_framework, a.target_code))]
            if target is not None
        ]
    else:
        hops = [
            Hop(item, source, crosswalk, way, a)
            for a in catalog.incoming.get(item.key, [])
            if a.crosswalk == crosswalk.id
            for source in [catalog.items.get((crosswalk.source_framework, a.source_code))]
            if source is not None
        ]
    return sorted(hops, key=lambda h: (h.target.position, code_sort_key(h.target.code)))
