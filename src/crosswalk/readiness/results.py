"""What a readiness report holds: evidence, areas and their states, hours, the report.

Plain frozen dataclasses, built by :func:`crosswalk.readiness.engine.assess` and read by
every format (terminal, HTML, JSON, CSV), so the formats cannot disagree about what
the evidence is.  An area's :class:`EvidenceGroup` list is computed once, when the area
is assessed, because every format shows the evidence grouped by path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from crosswalk.model import Item
from crosswalk.readiness.plan import Plan
from crosswalk.readiness.renewal import Renewal
from crosswalk.readiness.requirements import Category, EvidenceRule, Requirement
from crosswalk.readiness.resolve import Route
from crosswalk.readiness.trainings import Problem, Training

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


def group_evidence(evidence: tuple[Evidence, ...]) -> tuple[EvidenceGroup, ...]:
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
