"""What one code proves for one category: which knowledge areas, how specifically, why not.

The crosswalks are one-to-many: CKC 2.1 corresponds to 22 IMH knowledge areas, 17 of
them at the Family Specialist level.  A 1-hour training tagged 2.1 does not show
competence in 17 areas, so every piece of evidence carries its code's *breadth* — the
number of the category's knowledge areas the code corresponds to — and the
requirements' :class:`~crosswalk.readiness.requirements.EvidenceRule` calls it
specific (few areas) or broad (many).  Breadth is counted within the category because
that is the choice a reviewer sees: 2.1 is one of 17 candidates for an IFS applicant.

A link counts for a category only when its own level (seed 002's MHS/MHM notes) and
its target's level and Mentor track are ones the category includes; a code whose every
link fails that test is reported with the reason, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crosswalk.catalog import Catalog
from crosswalk.levels import FS, IMHM, IMHS, applies, canonical, is_level_tag, item_level
from crosswalk.model import Item
from crosswalk.readiness.requirements import Category, EvidenceRule
from crosswalk.readiness.resolve import TARGET_FRAMEWORK, Route

LEVEL_NAMES = {FS: "Family Specialist", IMHS: "Mental Health Specialist", IMHM: "Mentor"}


def applicable_areas(catalog: Catalog, category: Category) -> list[tuple[Item, str]]:
    """The knowledge areas (with their level) a category asks for, in Guidelines order."""
    found = []
    for item in catalog.items_of(TARGET_FRAMEWORK):
        if not catalog.is_leaf(item) or item.parent is None:
            continue
        if _outside(item, category):
            continue
        level = item_level(item)
        found.append((item, "" if level == FS else level))  # the report's spelling
    return found


def link_applies(level: str, category: Category) -> bool:
    """Whether a crosswalk link noted at ``level`` counts for ``category``.

    Seed 002's legend: an unnoted link is at the Family Specialist level, which every
    category builds on, so it always counts; ``MHS`` counts for categories whose levels
    include IMHS, ``MHM`` for those including IMHM.  Coverage and evidence hints both
    follow this rule.
    """
    tag = canonical(level)
    return tag is None or tag == FS or applies(tag, category.levels)


def _outside(area: Item, category: Category) -> str:
    """Why ``area`` is not one of the category's knowledge areas, or "" when it is."""
    level = item_level(area)
    if not applies(level, category.levels):
        return f"{area.name}, a {LEVEL_NAMES[level]} ({level}) knowledge area"
    tracks = sorted(t for t in area.tags if not is_level_tag(t))
    if level == IMHM and tracks and not set(tracks) & set(category.tracks):
        return f"{area.name}, which only the {' and '.join(tracks)} Mentor track asks for"
    return ""


@dataclass(frozen=True, slots=True)
class Reach:
    """The category's knowledge areas one item reaches through links that count.

    ``routes`` holds one route per area reached; ``breadth`` is how many areas that is;
    ``refused`` says, for the routes that do not count, why (empty when all count).
    """

    routes: tuple[Route, ...]
    breadth: int
    specific: bool
    refused: tuple[str, ...]
    link_level_only: bool  # every refusal is a link noted above the category's levels


class CategoryLens:
    """Reads routes for one category under one evidence rule; remembers each item's reach."""

    def __init__(self, catalog: Catalog, category: Category, rule: EvidenceRule) -> None:
        self.category = category
        self.rule = rule
        self.areas = applicable_areas(catalog, category)
        self._applicable = {item.key for item, _ in self.areas}
        self._reach: dict[tuple[str, str], Reach] = {}

    def reach(self, item: Item, routes: Sequence[Route]) -> Reach:
        """What ``item`` (reached by ``routes``, all starting from it) proves here."""
        if item.key not in self._reach:
            self._reach[item.key] = self._measure(routes)
        return self._reach[item.key]

    def _measure(self, routes: Sequence[Route]) -> Reach:
        counted: dict[tuple[str, str], Route] = {}
        refused: list[str] = []
        links_only = True
        for route in routes:
            high = [lv for lv in route.levels if not link_applies(lv, self.category)]
            if high:
                level = canonical(high[0]) or high[0]
                refused.append(
                    f"its link to {route.area.name} is marked {high[0]} "
                    f"(the {LEVEL_NAMES.get(level, level)} level)"
                )
            elif route.area.key not in self._applicable:
                refused.append(f"it leads to {_outside(route.area, self.category)}")
                links_only = False
            else:
                counted.setdefault(route.area.key, route)
        breadth = len(counted)
        return Reach(
            tuple(counted.values()),
            breadth,
            self.rule.is_specific(breadth) if breadth else False,
            tuple(dict.fromkeys(refused)),
            links_only,
        )

    def refusal(self, written: str, reaches: Sequence[Reach]) -> tuple[str, str]:
        """The problem kind and message for a code none of whose links count."""
        kind = "link-level" if all(r.link_level_only for r in reaches) else "area-level"
        reasons = "; ".join(dict.fromkeys(why for r in reaches for why in r.refused))
        return kind, (
            f"code {written!r} counts for no {self.category.code} knowledge area: {reasons}"
        )
