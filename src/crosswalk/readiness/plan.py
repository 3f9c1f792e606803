"""What to take next: the few codes whose trainings would cover the most missing areas.

A professional takes the plan to the state registry's training calendar, so it names
codes, not knowledge areas, and only codes that would bring *specific* evidence — a
broad code (CKC 2.1) would only touch areas again.  The order is a greedy set cover,
explainable in one sentence: take the code that would cover the most areas still
short, and repeat.  Frameworks are planned one after the other, the one whose codes
reach the most of the areas first (for the bundled data: the CKC, then IECMHC for
those who take consultation training), so that each list stands on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crosswalk.catalog import Catalog
from crosswalk.model import Item
from crosswalk.query import shortest_routes
from crosswalk.readiness.evidence import CategoryLens
from crosswalk.readiness.resolve import TARGET_FRAMEWORK, CodeResolver

AreaKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One code to look for, and the areas one training with it would cover."""

    item: Item
    framework: str  # the framework's title
    adds: tuple[Item, ...]
    breadth: int  # how many of the category's areas the code corresponds to


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[PlanStep, ...]
    unreachable: tuple[Item, ...]  # areas short of evidence that no specific code reaches
    method: str


@dataclass(frozen=True, slots=True)
class _Candidate:
    item: Item
    order: int
    areas: frozenset[AreaKey]
    breadth: int


def make_plan(
    catalog: Catalog, lens: CategoryLens, resolver: CodeResolver, need: Mapping[AreaKey, int]
) -> Plan:
    """The plan for the areas in ``need`` (area → trainings still needed for "covered")."""
    remaining = {area: count for area, count in need.items() if count > 0}
    areas = {item.key: item for item, _ in lens.areas}
    passes = []
    for framework in sorted(catalog.frameworks):
        if framework == TARGET_FRAMEWORK or not shortest_routes(
            catalog, framework, TARGET_FRAMEWORK
        ):
            continue
        candidates = _candidates(catalog, lens, resolver, framework)
        reach = len({a for c in candidates for a in c.areas} & remaining.keys())
        passes.append((-reach, framework, candidates))
    steps: list[PlanStep] = []
    titles = []
    for _, framework, candidates in sorted(passes, key=lambda p: p[:2]):
        title = catalog.frameworks[framework].title
        titles.append(title)
        while remaining:
            best = max(
                candidates,
                key=lambda c: (len(c.areas & remaining.keys()), -c.breadth, -c.order),
                default=None,
            )
            if best is None or not best.areas & remaining.keys():
                break
            adds = [key for key in areas if key in best.areas and key in remaining]
            steps.append(PlanStep(best.item, title, tuple(areas[k] for k in adds), best.breadth))
            for key in adds:
                remaining[key] -= 1
                if not remaining[key]:
                    del remaining[key]
    unreachable = tuple(areas[k] for k in areas if k in remaining)
    return Plan(tuple(steps), unreachable, _method(lens, titles))


def _candidates(
    catalog: Catalog, lens: CategoryLens, resolver: CodeResolver, framework: str
) -> list[_Candidate]:
    """The framework's codes that are specific evidence for this category."""
    found = []
    for order, item in enumerate(catalog.items_of(framework)):
        if not catalog.is_leaf(item):
            continue
        reach = lens.reach(item, resolver.mapped(item).routes)
        if reach.specific:
            areas = frozenset(route.area.key for route in reach.routes)
            found.append(_Candidate(item, order, areas, reach.breadth))
    return found


def _method(lens: CategoryLens, titles: list[str]) -> str:
    rule = lens.rule
    hours = (
        f" (each assumed to bring the {rule.covered_min_hours:g} clock hours an area needs)"
        if rule.covered_min_hours
        else ""
    )
    return (
        "Greedy set cover: pick the code whose training would bring specific evidence to "
        "the most knowledge areas still short of “covered”, count that training for them"
        f"{hours}, and repeat until no code adds any; on a tie, the code corresponding to "
        "fewer areas, then the lower code. Only specific codes (corresponding to at most "
        f"{rule.specific_max_areas} of this category's knowledge areas) are considered. "
        f"Frameworks one after the other: {', then '.join(titles)}."
    )
