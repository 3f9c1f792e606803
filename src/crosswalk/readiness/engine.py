"""From a transcript to what it shows: the readiness assessment for one category.

Each training's codes are resolved in their framework and mapped through the
crosswalks — directly or along a chain — to IMH knowledge areas.  For the chosen
endorsement category every applicable knowledge area then gets its evidence (which
training, through which code and path, how specific) and one of three states:
*covered* by enough specific evidence, *touched* (evidence, but not enough specific
evidence), or *not covered*.  Hours are totalled with each training counted once,
however many areas it reaches.

Nothing a transcript contains stops the assessment: unknown codes, implausible hours,
repeated rows and future dates become :class:`Problem` entries with their row number,
so a person sees everything wrong with a file at once, and every code of every row
ends either in the evidence of some area or in a problem that names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from crosswalk.catalog import Catalog
from crosswalk.model import Item
from crosswalk.readiness.evidence import CategoryLens, applicable_areas, link_applies
from crosswalk.readiness.plan import Plan, make_plan
from crosswalk.readiness.renewal import Renewal, check_renewal
from crosswalk.readiness.requirements import (
    Category,
    EvidenceRule,
    Requirement,
    Requirements,
    load_requirements,
)
from crosswalk.readiness.resolve import CodeResolver, Route
from crosswalk.readiness.trainings import Problem, Training, read_trainings
from crosswalk.readiness.transcript import Transcript

__all__ = ["applicable_areas", "assess", "link_applies"]

STATEMENT = (
    "A crosswalk correspondence supports, but does not decide, an endorsement review. "
    "This report shows which IMH knowledge areas your trainings' codes correspond to "
    "according to the crosswalks (resource guides only); whether a training meets a "
    "competency, and whether an application is complete, is decided by the endorsing "
    "association's reviewers."
)

COVERED, TOUCHED, NOT_COVERED = "covered", "touched", "not_covered"
STATES = {
    COVERED: "covered by specific evidence",
    TOUCHED: "touched only",
    NOT_COVERED: "not covered",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One training's code reaching one knowledge area: which path, how specific."""

    row: int  # the row the code is written in
    training: int  # the row standing for the training (the first of rows repeating it)
    title: str
    date: str
    hours: float  # the training's counted clock hours
    code: str  # as written in the transcript
    framework: str  # the framework the code was read in
    route: Route  # from the transcript's item to the knowledge area
    breadth: int  # how many of the category's knowledge areas the code corresponds to
    specific: bool

    @property
    def path(self) -> tuple[Item, ...]:
        return self.route.path

    @property
    def crosswalks(self) -> tuple[str, ...]:
        """The crosswalk walked at each step (none for a named knowledge area)."""
        return self.route.crosswalks

    @property
    def strength(self) -> str:
        """Essential / Important, where the last link says."""
        return self.route.strength


@dataclass(frozen=True, slots=True)
class EvidenceGroup:
    """The evidence one code brings an area along one path, with the trainings behind it."""

    item: Item  # the code's item
    written: tuple[str, ...]  # the code as the transcript wrote it (every spelling)
    path: tuple[Item, ...]
    crosswalks: tuple[str, ...]
    breadth: int
    specific: bool
    strength: str
    trainings: tuple[int, ...]  # rows of the trainings
    rows: tuple[int, ...]  # rows the code is written in (a repeating row included)
    hours: float  # clock hours of those trainings, each once


def _groups(evidence: tuple[Evidence, ...]) -> tuple[EvidenceGroup, ...]:
    """Evidence grouped by path: specific first, then most trainings, then fewest areas."""
    groups: dict[tuple[str, ...], list[Evidence]] = {}
    keys: dict[int, tuple[str, ...]] = {}  # routes are shared: compute each key once
    for e in evidence:
        key = keys.get(id(e.route))
        if key is None:
            key = keys[id(e.route)] = e.route.key
        groups.setdefault(key, []).append(e)
    found = [
        EvidenceGroup(
            first.path[0],
            tuple(dict.fromkeys(e.code for e in group)),
            first.path,
            first.crosswalks,
            first.breadth,
            first.specific,
            first.strength,
            tuple(sorted({e.training for e in group})),
            tuple(sorted({e.row for e in group})),
            sum({e.training: e.hours for e in group}.values()),
        )
        for group in groups.values()
        for first in group[:1]
    ]
    return tuple(sorted(found, key=lambda g: (not g.specific, -len(g.trainings), g.breadth)))


@dataclass(frozen=True, slots=True)
class Hint:
    """What the IECMHC crosswalk says demonstrates a knowledge area ("As demonstrated by")."""

    source: Item
    strength: str
    level: str
    text: str


@dataclass(frozen=True, slots=True)
class AreaResult:
    """One knowledge area of the category: its evidence and what that adds up to."""

    area: Item
    area_of_expertise: Item | None
    level: str
    evidence: tuple[Evidence, ...]
    state: str  # COVERED, TOUCHED or NOT_COVERED
    hints: tuple[Hint, ...] = ()  # for areas not covered: what would demonstrate them
    # Frameworks whose crosswalk states explicitly that nothing in them corresponds
    # (e.g. "WV CKC 2015" for Supportive counseling): codes of those cannot cover it.
    no_match: tuple[str, ...] = ()
    groups: tuple[EvidenceGroup, ...] = ()  # the evidence by path, as reports show it

    @property
    def covered(self) -> bool:
        return self.state == COVERED

    @property
    def trainings(self) -> list[int]:
        """The trainings (their rows) that bring any evidence, each once."""
        return sorted({e.training for e in self.evidence})

    @property
    def specific_trainings(self) -> list[int]:
        return sorted({e.training for e in self.evidence if e.specific})

    @property
    def broad_trainings(self) -> list[int]:
        """Trainings whose only evidence for this area is broad."""
        return sorted({e.training for e in self.evidence} - set(self.specific_trainings))

    @property
    def specific_hours(self) -> float:
        return _hours(e for e in self.evidence if e.specific)

    @property
    def broad_hours(self) -> float:
        broad = set(self.broad_trainings)
        return _hours(e for e in self.evidence if e.training in broad)


def _hours(evidence: Iterable[Evidence]) -> float:
    """Clock hours of the trainings behind ``evidence``, each training once."""
    return sum({e.training: e.hours for e in evidence}.values())


@dataclass(frozen=True, slots=True)
class ExpertiseSummary:
    """One area of expertise: its applicable knowledge areas and their states."""

    area_of_expertise: Item | None
    areas: tuple[AreaResult, ...]

    @property
    def name(self) -> str:
        return self.area_of_expertise.name if self.area_of_expertise else "Other"

    def count(self, state: str) -> int:
        return sum(1 for a in self.areas if a.state == state)

    @property
    def covered(self) -> int:
        return self.count(COVERED)


@dataclass(frozen=True, slots=True)
class Hours:
    """A total against its minimum; ``required`` None when the requirements do not say.

    ``recorded`` is False when the transcript cannot show these hours at all (reflective
    supervision without a Type column): the total is then 0 and a minimum is not met.
    """

    total: float
    required: Requirement | None
    recorded: bool = True

    @property
    def met(self) -> bool | None:
        if self.required is None:
            return None
        return self.recorded and self.total >= float(self.required.value)


@dataclass(frozen=True, slots=True)
class Report:
    category: Category
    requirements: str  # what the requirements are called (their title)
    transcript_name: str
    rule: EvidenceRule
    areas: tuple[AreaResult, ...]
    training_hours: Hours
    reflective_supervision_hours: Hours  # recorded=False: the transcript has no type column
    trainings: tuple[Training, ...]  # every training, those in the future included
    problems: tuple[Problem, ...]
    plan: Plan
    renewal: Renewal
    statement: str = STATEMENT
    generated: dt.date = field(default_factory=dt.date.today)

    def in_state(self, state: str) -> list[AreaResult]:
        return [a for a in self.areas if a.state == state]

    @property
    def covered(self) -> list[AreaResult]:
        return self.in_state(COVERED)

    @property
    def touched(self) -> list[AreaResult]:
        return self.in_state(TOUCHED)

    @property
    def not_covered(self) -> list[AreaResult]:
        return self.in_state(NOT_COVERED)

    @property
    def missing(self) -> list[AreaResult]:
        """Every area not covered by specific evidence (touched or not at all)."""
        return [a for a in self.areas if not a.covered]

    @property
    def training_count(self) -> int:
        """Trainings that count: not in the future, not reflective supervision."""
        return sum(1 for t in self.trainings if t.counted and not t.is_reflective_supervision)

    @property
    def by_expertise(self) -> list[ExpertiseSummary]:
        groups: dict[str, list[AreaResult]] = {}
        parents: dict[str, Item | None] = {}
        for result in self.areas:
            key = result.area_of_expertise.code if result.area_of_expertise else ""
            groups.setdefault(key, []).append(result)
            parents[key] = result.area_of_expertise
        return [ExpertiseSummary(parents[k], tuple(v)) for k, v in groups.items()]


def assess(
    catalog: Catalog,
    transcript: Transcript,
    category: Category | str,
    requirements: Requirements | None = None,
    *,
    framework: str | None = None,
    today: dt.date | None = None,
) -> Report:
    """The readiness report of ``transcript`` for ``category``.

    ``framework`` is the framework of codes that neither the code, its column nor its
    row names (None: recognise each code by itself).  ``today`` decides which dates are
    in the future and which renewal year is under way (tests pin it).
    """
    requirements = requirements or load_requirements()
    if isinstance(category, str):
        category = requirements.category(category)
    if framework is not None:
        catalog.framework(framework)
    today = today or dt.date.today()
    rule = requirements.evidence
    resolver = CodeResolver(catalog, framework)
    lens = CategoryLens(catalog, category, rule)
    known_codes = {code for _, code in catalog.items}
    trainings, row_problems = read_trainings(transcript, today, known_codes)
    problems = [Problem(None, "file", note) for note in transcript.notes] + row_problems
    evidence: dict[tuple[str, str], list[Evidence]] = {}
    for training in trainings:
        number, title, date, hours = (
            training.number,
            training.row.title,
            training.date,
            training.hours,
        )
        for row, ref in training.codes:
            resolved = resolver.resolve(ref, row)
            if not resolved.routes:
                problems.append(Problem(row.row, resolved.kind, resolved.message, (ref.text,)))
                continue
            reaches = []
            by_source: dict[tuple[str, str], list[Route]] = {}
            for route in resolved.routes:
                by_source.setdefault(route.source.key, []).append(route)
            for routes in by_source.values():
                source = routes[0].source
                reach = lens.reach(source, routes)
                reaches.append(reach)
                for route in reach.routes:
                    evidence.setdefault(route.area.key, []).append(
                        Evidence(
                            row.row,
                            number,
                            title,
                            date,
                            hours,
                            ref.text,
                            source.framework,
                            route,
                            reach.breadth,
                            reach.specific,
                        )
                    )
            if not any(reach.routes for reach in reaches):
                kind, message = lens.refusal(ref.text, reaches)
                problems.append(Problem(row.row, kind, message, (ref.text,)))
    if not transcript.rows:
        problems.append(Problem(None, "file", "the transcript lists no trainings"))
    if not transcript.has_hours_column:
        problems.append(Problem(None, "file", "no hours column: training hours cannot be totalled"))
    areas = tuple(
        _area_result(catalog, item, level, tuple(evidence.get(item.key, [])), lens)
        for item, level in lens.areas
    )
    counted = [t for t in trainings if t.counted]
    supervision = Hours(
        sum(t.hours for t in counted if t.is_reflective_supervision),
        category.reflective_supervision_hours,
        transcript.has_type_column,
    )
    training_hours = Hours(
        sum(t.hours for t in counted if not t.is_reflective_supervision), category.training_hours
    )
    need = {a.area.key: _needed(a, rule) for a in areas if not a.covered}
    return Report(
        category=category,
        requirements=requirements.title,
        transcript_name=transcript.name,
        rule=rule,
        areas=areas,
        training_hours=training_hours,
        reflective_supervision_hours=supervision,
        trainings=tuple(trainings),
        problems=tuple(problems),
        plan=make_plan(catalog, lens, resolver, need),
        renewal=check_renewal(trainings, requirements.renewal_hours_per_year, today),
        generated=today,
    )


def _area_result(
    catalog: Catalog, item: Item, level: str, evidence: tuple[Evidence, ...], lens: CategoryLens
) -> AreaResult:
    rule = lens.rule
    specific = {e.training: e.hours for e in evidence if e.specific}
    if len(specific) >= rule.covered_min_trainings and (
        sum(specific.values()) >= rule.covered_min_hours
    ):
        state = COVERED
    else:
        state = TOUCHED if evidence else NOT_COVERED
    hints = () if state == COVERED else tuple(_hints(catalog, item, lens.category))
    return AreaResult(
        item,
        catalog.parent_of(item),
        level,
        evidence,
        state,
        hints,
        _no_match(catalog, item),
        _groups(evidence),
    )


def _needed(area: AreaResult, rule: EvidenceRule) -> int:
    """How many more specific trainings an area needs to be covered."""
    short = rule.covered_min_trainings - len(area.specific_trainings)
    return max(short, 1)  # enough trainings but too few hours: one more


def _no_match(catalog: Catalog, area: Item) -> tuple[str, ...]:
    """Frameworks a crosswalk states have nothing corresponding to ``area``."""
    names: list[str] = []
    for alignment in catalog.outgoing.get(area.key, []):
        if alignment.is_no_match:
            crosswalk = catalog.crosswalks[alignment.crosswalk]
            other = catalog.frameworks.get(crosswalk.target_framework)
            names.append(other.title if other else crosswalk.target_framework)
    return tuple(dict.fromkeys(names))


def _hints(catalog: Catalog, area: Item, category: Category) -> Iterable[Hint]:
    """Evidence texts other crosswalks attach to links into this area, at the category's levels."""
    for alignment in catalog.incoming.get(area.key, []):
        if not alignment.evidence or not link_applies(alignment.level, category):
            continue
        crosswalk = catalog.crosswalks[alignment.crosswalk]
        source = catalog.items.get((crosswalk.source_framework, alignment.source_code))
        if source is not None:
            yield Hint(source, alignment.strength, alignment.level, alignment.evidence)
