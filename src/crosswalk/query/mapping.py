"""Mapping codes from one framework to another, directly or through others.

Crosswalks are edges of a graph whose nodes are frameworks; each edge can be walked
both ways, because "which IMH areas list CKC 2.1?" is the same table read backwards.
A request follows every shortest route between the two frameworks (IECMHC → IMH → CKC)
and keeps each distinct path, since the path is the justification a reader checks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from crosswalk.catalog import Catalog, NotFound
from crosswalk.codes import split_code_refs
from crosswalk.levels import alignment_level, highest
from crosswalk.model import Alignment, Crosswalk, Item, code_sort_key
from crosswalk.query.lookup import find_item, names_an_item, resolve, suggestions

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

    @property
    def level(self) -> str:
        """The link's endorsement level: its own tag, else its source item's
        (:func:`crosswalk.levels.alignment_level`; the source as printed, whichever way
        the hop reads it)."""
        printed_source = self.source if self.direction == "forward" else self.target
        return alignment_level(self.alignment, printed_source)


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

    @property
    def level(self) -> str:
        """The level the whole path holds at: the highest of its links' levels, since a
        chain is only as wide as its narrowest link (6B.2 → Developmental guidance is
        an MHS link, so 6B.2 → CKC holds at the IMHS level)."""
        return highest(hop.level for hop in self.path)


Route = tuple[tuple[Crosswalk, Way], ...]


@dataclass(frozen=True, slots=True)
class UnknownCode:
    """An input that names no item of the source framework, and what it might have meant."""

    code: str  # as given
    reason: str  # one line: why, with "did you mean …" when something is close
    suggestions: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A known input whose item corresponds to nothing in the target framework."""

    code: str  # as given
    item: Item


@dataclass(frozen=True, slots=True)
class MapAnswer:
    """A partial answer: what mapped, what was not understood, what maps to nothing.

    One mistyped code in a list of twenty should not hide the nineteen answers, so
    :func:`map_each` keeps going and reports each kind of miss apart.
    """

    mappings: tuple[Mapping, ...]
    unknown: tuple[UnknownCode, ...] = ()
    unmatched: tuple[Unmatched, ...] = ()
    complete: bool = True  # False: cut at the limit asked for (later inputs left out)


def map_codes(
    catalog: Catalog, source_framework: str, target_framework: str, codes: list[str]
) -> list[Mapping]:
    """Every item of ``target_framework`` that each of ``codes`` corresponds to.

    Codes are resolved strictly (code, name or alias; never a fuzzy guess, which could
    silently map the wrong thing); an unknown one raises :class:`NotFound` with the
    closest candidates.  Identical paths found twice (the same items through the same
    crosswalks, e.g. a pair cited twice) are reported once.  Results come per input in
    the order given, each input's targets in the target framework's tree order, so
    every interface lists them alike.
    """
    routes = _routes(catalog, source_framework, target_framework)
    sources = [(code, find_item(catalog, source_framework, code, fuzzy=False)) for code in codes]
    return _map_items(catalog, target_framework, sources, routes)[0]


def map_each(
    catalog: Catalog,
    source_framework: str,
    target_framework: str,
    codes: Iterable[str],
    *,
    limit: int | None = None,
) -> MapAnswer:
    """Like :func:`map_codes`, but an unknown code is reported, not fatal.

    Each input may list several codes the way transcripts write them ("CKC 2.1",
    "2.1; 4.1", "2.1,4.1", "Observation & listening, Self Awareness"; see
    :mod:`crosswalk.codes`, whose splitting the readiness transcripts share).  Unknown
    frameworks and a missing route still raise (:class:`NotFound`, :class:`NoRoute`):
    nothing could be answered then.  With ``limit``, following paths stops once that
    many mappings are found (an item linked to many items, each linked to many, makes
    paths that grow as their product); the answer then says it is not ``complete``.
    """
    routes = _routes(catalog, source_framework, target_framework)
    sources: list[tuple[str, Item]] = []
    unknown: list[UnknownCode] = []

    def is_name(text: str) -> bool:
        return names_an_item(catalog, source_framework, text)

    for given in codes:
        for ref in split_code_refs(given, is_name):
            if ref.framework is not None and ref.framework != source_framework:
                reason = f"{ref.text!r} is a code of {ref.framework}, not of {source_framework}"
                unknown.append(UnknownCode(ref.text, reason, ()))
                continue
            try:
                found = resolve(catalog, source_framework, ref.code)
            except NotFound as error:  # names several items
                found = (str(error), suggestions(catalog, source_framework, ref.code))
            if isinstance(found, Item):
                sources.append((ref.text, found))
            else:
                unknown.append(UnknownCode(ref.text, found[0], tuple(found[1])))
    mappings, followed = _map_items(catalog, target_framework, sources, routes, limit)
    reached = {m.code for m in mappings}
    unmatched = [Unmatched(code, item) for code, item in sources[:followed] if code not in reached]
    return MapAnswer(
        tuple(mappings),
        tuple(unknown),
        tuple(dict.fromkeys(unmatched)),
        complete=followed == len(sources) and (limit is None or len(mappings) < limit),
    )


def _routes(catalog: Catalog, source_framework: str, target_framework: str) -> list[Route]:
    catalog.framework(source_framework)
    catalog.framework(target_framework)
    if source_framework == target_framework:
        raise NoRoute(f"{source_framework!r} is both source and target; choose another --to")
    routes = shortest_routes(catalog, source_framework, target_framework)
    if not routes:
        raise NoRoute(
            f"no crosswalk connects {source_framework!r} to {target_framework!r}, "
            "directly or through other frameworks"
        )
    return routes


def _map_items(
    catalog: Catalog,
    target_framework: str,
    sources: list[tuple[str, Item]],
    routes: list[Route],
    limit: int | None = None,
) -> tuple[list[Mapping], int]:
    """Follow every route from each source; inputs in order, targets in tree order.

    Also says how many sources were followed: all, unless ``limit`` mappings were found
    first (the source then being followed is counted, its paths cut at the limit)."""
    tree_order = {item.key: n for n, item in enumerate(catalog.items_of(target_framework))}
    results: list[tuple[int, int, Mapping]] = []
    seen: set[tuple[object, ...]] = set()
    followed = 0
    for n, (code, item) in enumerate(sources):
        if limit is not None and len(results) >= limit:
            break
        followed += 1
        for route in routes:
            budget = None if limit is None else limit - len(results)
            for path in _follow(catalog, item, route, budget):
                identity = (code, *((h.crosswalk.id, h.source.code, h.target.code) for h in path))
                if identity not in seen and (limit is None or len(results) < limit):
                    seen.add(identity)
                    target = path[-1].target
                    where = tree_order.get(target.key, len(tree_order))
                    results.append((n, where, Mapping(code, item, target, path)))
    results.sort(key=lambda entry: entry[:2])  # stable: paths to one target keep their order
    return [mapping for _, _, mapping in results], followed


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


def _follow(
    catalog: Catalog, item: Item, route: Route, budget: int | None = None
) -> list[tuple[Hop, ...]]:
    """Every path from ``item`` along ``route`` (the first ``budget`` of each step's,
    when given); no-match rows end a path."""
    paths: list[tuple[Hop, ...]] = [()]
    for crosswalk, way in route:
        longer: list[tuple[Hop, ...]] = []
        for path in paths:
            if budget is not None and len(longer) >= budget:
                break
            here = path[-1].target if path else item
            longer += [(*path, hop) for hop in _step(catalog, here, crosswalk, way)]
        paths = longer if budget is None else longer[:budget]
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
