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

from crosswalk.catalog import Catalog
from crosswalk.model import Item
from crosswalk.readiness.evidence import CategoryLens, applicable_areas, link_applies
from crosswalk.readiness.plan import make_plan
from crosswalk.readiness.renewal import check_renewal
from crosswalk.readiness.requirements import Category, EvidenceRule, Requirements, load_requirements
from crosswalk.readiness.resolve import CodeResolver, Route
from crosswalk.readiness.results import (
    COVERED,
    NOT_COVERED,
    TOUCHED,
    AreaResult,
    Evidence,
    Hint,
    Hours,
    Report,
    group_evidence,
)
from crosswalk.readiness.trainings import Problem, read_trainings
from crosswalk.readiness.transcript import Transcript

__all__ = ["applicable_areas", "assess", "link_applies"]


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
        group_evidence(evidence),
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
