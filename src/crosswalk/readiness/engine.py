"""From a transcript to what it covers: the readiness assessment for one category.

Each training's codes are resolved in their framework and mapped through the
crosswalks — directly or along a chain, with :func:`crosswalk.query.map_codes` — to
IMH knowledge areas.  For the chosen endorsement category the report then lists, per
applicable knowledge area, the trainings that cover it and through which code and
path, and what remains uncovered; hours are totalled with each training counted once,
however many areas it reaches.

Nothing a transcript contains stops the assessment: unknown codes, missing hours,
duplicate rows and future dates become :class:`Problem` entries with their row number,
so a person sees everything wrong with a file at once instead of one error at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from crosswalk.catalog import Catalog
from crosswalk.levels import FS, IMHM, IMHS, applies, canonical, is_level_tag, item_level
from crosswalk.model import Item
from crosswalk.query.text import normalise
from crosswalk.readiness.cells import number_code_note
from crosswalk.readiness.requirements import Category, Requirement, Requirements, load_requirements
from crosswalk.readiness.resolve import TARGET_FRAMEWORK, CodeResolver, Found
from crosswalk.readiness.transcript import Transcript, TranscriptRow

_LEVEL_NAMES = {"IMHS": "Mental Health Specialist (MHS)", "IMHM": "Mentor (MHM)"}

STATEMENT = (
    "A crosswalk correspondence supports, but does not decide, an endorsement review. "
    "This report shows which IMH knowledge areas your trainings' codes correspond to "
    "according to the crosswalks (resource guides only); whether a training meets a "
    "competency, and whether an application is complete, is decided by the endorsing "
    "association's reviewers."
)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the transcript a person should look at; ``row`` None = whole file."""

    row: int | None
    kind: str  # unknown-code, no-codes, duplicate, future-date, hours, date, file …
    message: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """One training covering one knowledge area: through which code and which path."""

    row: int
    title: str
    date: str
    hours: float | None
    code: str  # as written in the transcript
    framework: str  # the framework the code was read in
    path: tuple[Item, ...]  # from the transcript's item to the knowledge area
    crosswalks: tuple[str, ...]  # the crosswalk walked at each step


@dataclass(frozen=True, slots=True)
class Hint:
    """What the IECMHC crosswalk says demonstrates a knowledge area ("As demonstrated by")."""

    source: Item
    strength: str
    level: str
    text: str


@dataclass(frozen=True, slots=True)
class AreaResult:
    """One knowledge area that applies to the category, and whether it is covered."""

    area: Item
    area_of_expertise: Item | None
    level: str
    evidence: tuple[Evidence, ...]
    hints: tuple[Hint, ...]  # for uncovered areas only: what would demonstrate it
    # Frameworks whose crosswalk states explicitly that nothing in them corresponds
    # (e.g. "WV CKC 2015" for Supportive counseling): codes of those cannot cover it.
    no_match: tuple[str, ...] = ()

    @property
    def covered(self) -> bool:
        return bool(self.evidence)

    @property
    def trainings(self) -> list[int]:
        """Rows of the trainings that cover the area, each once."""
        return sorted({e.row for e in self.evidence})


@dataclass(frozen=True, slots=True)
class ExpertiseSummary:
    """Coverage of one area of expertise: how many of its applicable areas are covered."""

    area_of_expertise: Item | None
    areas: tuple[AreaResult, ...]

    @property
    def name(self) -> str:
        return self.area_of_expertise.name if self.area_of_expertise else "Other"

    @property
    def covered(self) -> int:
        return sum(1 for a in self.areas if a.covered)


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
    requirements_origin: str
    transcript_name: str
    areas: tuple[AreaResult, ...]
    training_hours: Hours
    reflective_supervision_hours: Hours  # recorded=False: the transcript has no type column
    trainings: int
    problems: tuple[Problem, ...]
    rows: tuple[TranscriptRow, ...] = ()  # every row counted (duplicates left out)
    statement: str = STATEMENT
    generated: dt.date = field(default_factory=dt.date.today)

    @property
    def covered(self) -> list[AreaResult]:
        return [a for a in self.areas if a.covered]

    @property
    def missing(self) -> list[AreaResult]:
        return [a for a in self.areas if not a.covered]

    @property
    def by_expertise(self) -> list[ExpertiseSummary]:
        groups: dict[str, list[AreaResult]] = {}
        parents: dict[str, Item | None] = {}
        for result in self.areas:
            key = result.area_of_expertise.code if result.area_of_expertise else ""
            groups.setdefault(key, []).append(result)
            parents[key] = result.area_of_expertise
        return [ExpertiseSummary(parents[k], tuple(v)) for k, v in groups.items()]


def applicable_areas(catalog: Catalog, category: Category) -> list[tuple[Item, str]]:
    """The knowledge areas (with their level) a category asks for, in Guidelines order."""
    found = []
    for item in catalog.items_of(TARGET_FRAMEWORK):
        if not catalog.is_leaf(item) or item.parent is None:
            continue
        level = item_level(item)
        tracks = {t for t in item.tags if not is_level_tag(t)}
        if not applies(level, category.levels):
            continue
        if level == IMHM and tracks and not tracks & set(category.tracks):
            continue
        found.append((item, "" if level == FS else level))  # the report's spelling
    return found


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
    in the future (tests pin it).
    """
    if isinstance(category, str):
        category = (requirements or load_requirements()).category(category)
    if framework is not None:
        catalog.framework(framework)
    today = today or dt.date.today()
    resolver = CodeResolver(catalog, framework)
    known_codes = {code for _, code in catalog.items}
    problems: list[Problem] = [Problem(None, "file", note) for note in transcript.notes]
    evidence: dict[str, list[Evidence]] = {}
    training_hours = supervision_hours = 0.0
    seen: dict[tuple[str, str], int] = {}
    counted: list[TranscriptRow] = []
    trainings = 0
    for row in transcript.rows:
        key = (normalise(row.title), row.date.isoformat() if row.date else row.date_text)
        if row.title and key in seen:
            problems.append(
                Problem(
                    row.row,
                    "duplicate",
                    f"repeats row {seen[key]} (same title and date); counted once",
                )
            )
            continue
        seen[key] = row.row
        counted.append(row)
        problems += _row_problems(row, transcript, today)
        problems += [
            Problem(row.row, "code-number", note)
            for number in row.numbers
            if (note := number_code_note(number, known_codes))
        ]
        hours = row.hours or 0.0
        if row.is_reflective_supervision:
            supervision_hours += hours
        else:
            trainings += 1
            training_hours += hours
            if not row.codes:
                problems.append(Problem(row.row, "no-codes", "no competency codes"))
        for ref in row.codes:
            found, trouble = resolver.areas(ref, row)
            problems += [Problem(row.row, kind, message) for kind, message in trouble]
            counted_links = [f for f in found if all(link_applies(lv, category) for lv in f[3])]
            if found and not counted_links:
                problems.append(
                    Problem(row.row, "level", _level_message(ref.text, found, category))
                )
            for item_path, crosswalks, source_framework, _levels in counted_links:
                evidence.setdefault(item_path[-1].code, []).append(
                    Evidence(
                        row.row,
                        row.title,
                        row.date.isoformat() if row.date else row.date_text,
                        row.hours,
                        ref.text,
                        source_framework,
                        item_path,
                        crosswalks,
                    )
                )
    if not transcript.rows:
        problems.append(Problem(None, "file", "the transcript lists no trainings"))
    if not transcript.has_hours_column:
        problems.append(Problem(None, "file", "no hours column: training hours cannot be totalled"))
    areas = tuple(
        AreaResult(
            item,
            catalog.parent_of(item),
            level,
            found,
            () if found else tuple(_hints(catalog, item, category)),
            _no_match(catalog, item),
        )
        for item, level in applicable_areas(catalog, category)
        for found in [tuple(_once_per_training(evidence.get(item.code, [])))]
    )
    supervision = Hours(
        supervision_hours, category.reflective_supervision_hours, transcript.has_type_column
    )
    return Report(
        category=category,
        requirements_origin=(requirements.origin if requirements else "bundled requirements.toml"),
        transcript_name=transcript.name,
        areas=areas,
        training_hours=Hours(training_hours, category.training_hours),
        reflective_supervision_hours=supervision,
        trainings=trainings,
        problems=tuple(problems),
        rows=tuple(counted),
        generated=today,
    )


def _row_problems(row: TranscriptRow, transcript: Transcript, today: dt.date) -> list[Problem]:
    problems = []
    if not row.title:
        problems.append(Problem(row.row, "no-title", "no training title"))
    if row.date is not None and row.date > today:
        problems.append(
            Problem(
                row.row,
                "future-date",
                f"date {row.date.isoformat()} is in the future; counted as given, check it",
            )
        )
    elif row.date is None and row.date_text:
        problems.append(Problem(row.row, "date", f"date {row.date_text!r} is not a date"))
    if transcript.has_hours_column and row.hours is None:
        problem = (
            f"hours {row.hours_text!r} are not a number; counted as 0"
            if row.hours_text
            else "no hours given; counted as 0"
        )
        problems.append(Problem(row.row, "hours", problem))
    return problems


def _once_per_training(evidence: list[Evidence]) -> Iterable[Evidence]:
    """Keep each (training, code) pair once: two paths to one area are one piece of evidence."""
    seen: set[tuple[int, str]] = set()
    for item in evidence:
        if (item.row, item.code) not in seen:
            seen.add((item.row, item.code))
            yield item


def link_applies(level: str, category: Category) -> bool:
    """Whether a crosswalk link noted at ``level`` counts for ``category``.

    Seed 002's legend: an unnoted link is at the Family Specialist level, which every
    category builds on, so it always counts; ``MHS`` counts for categories whose levels
    include IMHS, ``MHM`` for those including IMHM.  Coverage and evidence hints both
    follow this rule.
    """
    tag = canonical(level)
    return tag is None or tag == FS or applies(tag, category.levels)


def _level_message(text: str, found: list[Found], category: Category) -> str:
    noted = {canonical(lv) for f in found for lv in f[3]}
    levels = [lv for lv in (IMHS, IMHM) if lv in noted]
    named = " or ".join(_LEVEL_NAMES[lv] for lv in levels)
    areas = ", ".join(dict.fromkeys(f[0][-1].name for f in found))
    return (
        f"code {text!r}: the crosswalk links it to {areas} only at the {named} level, "
        f"which {category.code} does not include; not counted"
    )


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
