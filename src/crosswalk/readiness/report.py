"""A readiness report as data: JSON for other tools, CSV with one row per knowledge area.

The wording every format shares (hours, states, the evidence rule, no-match notes)
lives here too, so the terminal, the page and the files cannot say different things.
Evidence is shown per area grouped by the path it takes (:class:`EvidenceGroup`): the
path depends only on the code, so listing it per training would repeat it thousands of
times in a long transcript; each group lists its trainings' rows instead.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from crosswalk.codes import PREFIX_FRAMEWORKS
from crosswalk.formats.tabular import write_csv
from crosswalk.model import Item
from crosswalk.query import path_text as query_path_text
from crosswalk.readiness.plan import PlanStep
from crosswalk.readiness.renewal import RenewalYear
from crosswalk.readiness.requirements import Requirement
from crosswalk.readiness.resolve import TARGET_FRAMEWORK
from crosswalk.readiness.results import (
    STATES,
    AreaResult,
    Evidence,
    EvidenceGroup,
    Hours,
    Report,
)
from crosswalk.readiness.trainings import Training


def trainings_of(groups: Iterable[EvidenceGroup]) -> list[int]:
    """The trainings (their rows) behind some evidence groups, each once, in order."""
    return sorted({row for group in groups for row in group.trainings})


def to_json(report: Report) -> dict[str, Any]:
    """The report as plain data: per knowledge area, totals, plan, renewal and problems."""
    category = report.category
    return {
        "category": {
            "code": category.code,
            "title": category.title,
            "twin": category.twin,
            "levels": list(category.levels),
            "tracks": list(category.tracks),
        },
        "transcript": report.transcript_name,
        "requirements": report.requirements,
        "generated": report.generated.isoformat(),
        "statement": report.statement,
        "evidence_rule": {
            "specific_max_areas": report.rule.specific_max_areas,
            "covered_min_trainings": report.rule.covered_min_trainings,
            "covered_min_hours": report.rule.covered_min_hours,
            "source": report.rule.cited,
            "text": report.rule.summary(),
        },
        "totals": {
            "knowledge_areas": len(report.areas),
            "covered": len(report.covered),
            "touched": len(report.touched),
            "not_covered": len(report.not_covered),
            "trainings": report.training_count,
            "training_hours": _hours(report.training_hours),
            "reflective_supervision_hours": _hours(report.reflective_supervision_hours),
            "references": _not_checked(category.references),
            "exam": _not_checked(category.exam),
        },
        "areas_of_expertise": [
            {
                "name": group.name,
                "knowledge_areas": len(group.areas),
                **{state: group.count(state) for state in STATES},
            }
            for group in report.by_expertise
        ],
        "knowledge_areas": [_area(result) for result in report.areas],
        "plan": {
            "method": report.plan.method,
            "steps": [_step(step) for step in report.plan.steps],
            "unreachable": [_named(area) for area in report.plan.unreachable],
        },
        "renewal": {
            "required_per_year": _value(report.renewal.required),
            "source": report.renewal.required.cited if report.renewal.required else None,
            "years": [_year(year) for year in report.renewal.years],
            "undated_trainings": report.renewal.undated,
        },
        "trainings": [_training(t) for t in report.trainings],
        "problems": [
            {"row": p.row, "kind": p.kind, "message": p.message, "codes": list(p.codes)}
            for p in report.problems
        ],
    }


def _value(requirement: Requirement | None) -> float | bool | None:
    return requirement.value if requirement else None


def _hours(hours: Hours) -> dict[str, Any]:
    required = hours.required
    return {
        "total": round(hours.total, 2),
        "required": _value(required),
        "met": hours.met,
        "source": required.cited if required else None,
        "recorded": hours.recorded,
        "note": None if hours.recorded else NOT_RECORDED,
    }


def _area(result: AreaResult) -> dict[str, Any]:
    return {
        **_named(result.area),
        "area_of_expertise": _expertise(result),
        "level": result.level,
        "state": result.state,
        "covered": result.covered,
        "specific_trainings": result.specific_trainings,
        "specific_hours": round(result.specific_hours, 2),
        "broad_trainings": result.broad_trainings,
        "broad_hours": round(result.broad_hours, 2),
        "evidence": [
            {
                "framework": g.item.framework,
                "code": g.item.code,
                "written": list(g.written),
                "path": [f"{i.framework} {i.code}" for i in g.path],
                "crosswalks": list(g.crosswalks),
                "breadth": g.breadth,
                "specificity": "specific" if g.specific else "broad",
                "strength": g.strength or None,
                "trainings": list(g.trainings),
                "rows": list(g.rows),
                "hours": round(g.hours, 2),
            }
            for g in result.groups
        ],
        "cannot_be_covered_through": list(result.no_match),
        "note": no_match_text(result) or None,
        "evidence_hints": [
            {
                "source": f"{h.source.framework} {h.source.code}",
                "strength": h.strength,
                "level": h.level,
                "text": h.text,
            }
            for h in result.hints
        ],
    }


def _named(item: Item) -> dict[str, str]:
    return {"code": item.code, "name": item.name}


def _step(step: PlanStep) -> dict[str, Any]:
    return {
        "framework": step.item.framework,
        "code": step.item.code,
        "statement": step.item.name,
        "breadth": step.breadth,
        "adds": [_named(area) for area in step.adds],
    }


def _year(year: RenewalYear) -> dict[str, Any]:
    return {
        "year": year.year,
        "hours": round(year.hours, 2),
        "trainings": year.trainings,
        "required": year.required,
        "met": year.met,
        "missing_hours": round(year.missing, 2),
        "in_progress": year.in_progress,
    }


def _training(training: Training) -> dict[str, Any]:
    row = training.row
    return {
        "row": row.row,
        "title": row.title,
        "date": training.date,
        "hours": round(training.hours, 2),
        "provider": row.provider,
        "type": "reflective supervision" if row.is_reflective_supervision else "training",
        "codes": [ref.text for _, ref in training.codes] or [r.text for r in row.codes],
        "counted": training.counted,
        "repeated_in_rows": list(training.repeats),
    }


# -- one row per knowledge area -----------------------------------------------------------

CSV_COLUMNS = (
    "code",
    "name",
    "area_of_expertise",
    "level",
    "state",
    "specific_trainings",
    "specific_hours",
    "specific_codes",
    "broad_trainings",
    "broad_hours",
    "broad_codes",
    "planned_codes",
    "note",
)


def csv_rows(report: Report) -> list[dict[str, Any]]:
    """One row per knowledge area, the trainings as row numbers and codes as written."""
    planned: dict[tuple[str, str], list[str]] = {}
    for step in report.plan.steps:
        for area in step.adds:
            planned.setdefault(area.key, []).append(code_text(step.item))
    rows = []
    for result in report.areas:
        groups = result.groups
        rows.append(
            {
                "code": result.area.code,
                "name": result.area.name,
                "area_of_expertise": _expertise(result),
                "level": result.level,
                "state": STATES[result.state],
                "specific_trainings": result.specific_trainings,
                "specific_hours": hours_text(result.specific_hours),
                "specific_codes": _codes(g for g in groups if g.specific),
                "broad_trainings": result.broad_trainings,
                "broad_hours": hours_text(result.broad_hours),
                "broad_codes": _codes(g for g in groups if not g.specific),
                "planned_codes": planned.get(result.area.key, []),
                "note": no_match_text(result),
            }
        )
    return rows


def to_csv(report: Report, *, line_end: str = "\n") -> str:
    out = io.StringIO()
    write_csv(csv_rows(report), CSV_COLUMNS, out, line_end=line_end)
    return out.getvalue()


def _codes(groups: Any) -> list[str]:
    return list(dict.fromkeys(w for g in groups for w in g.written))


# -- shared wording ------------------------------------------------------------------------

# What every format says when a transcript cannot show reflective-supervision hours.
NOT_RECORDED = "not in this transcript (add a “Type” column to count them)"


def hours_text(value: float) -> str:
    return f"{round(value, 2):g}"


def hours_amount(hours: Hours) -> str:
    """ "73 h", or that the transcript does not record these hours (all formats agree)."""
    return f"{hours_text(hours.total)} h" if hours.recorded else NOT_RECORDED


def hours_requirement(hours: Hours) -> str:
    """ "minimum 24 h — met" / "— not yet met", or that no minimum is stated."""
    if hours.required is None:
        return "no minimum stated for this category"
    return f"minimum {hours_text(float(hours.required.value))} h — " + (
        "met" if hours.met else "not yet met"
    )


def coverage_line(report: Report) -> str:
    """The summary both numbers: covered by specific evidence, and touched only."""
    total = len(report.areas)
    return (
        f"{len(report.covered)} of {total} knowledge areas covered by specific evidence; "
        f"{len(report.touched)} more touched only; {len(report.not_covered)} not covered"
    )


def no_match_text(result: AreaResult) -> str:
    """Plainly: which frameworks' codes cannot cover this area (the crosswalk says so)."""
    if not result.no_match:
        return ""
    names = " or ".join(result.no_match)
    return (
        f"Cannot be covered through {names} codes: the crosswalk states explicitly that "
        "no competency there corresponds; a training coded in the IMH Guidelines or "
        "IECMHC can cover it"
    )


def code_text(item: Item) -> str:
    """A code as a registry calendar shows it ("CKC 3.2", "IECMHC 6A.3"); an IMH
    knowledge area by its name ("IMH Cultural Humility")."""
    prefix = _PREFIXES.get(item.framework, item.framework)
    return f"{prefix} {item.name if item.framework == TARGET_FRAMEWORK else item.code}"


# The shortest prefix transcripts use for each framework ("CKC"; see crosswalk.codes).
_PREFIXES = {
    framework: min((p for p, f in PREFIX_FRAMEWORKS.items() if f == framework), key=len).upper()
    for framework in set(PREFIX_FRAMEWORKS.values())
}


def _expertise(result: AreaResult) -> str:
    return result.area_of_expertise.name if result.area_of_expertise else ""


def _not_checked(requirement: Requirement | None) -> dict[str, Any] | None:
    """References and the exam are stated for the reader; a transcript cannot show them."""
    if requirement is None:
        return None
    return {"required": requirement.value, "source": requirement.cited, "checked": False}


def path_text(evidence: Evidence | EvidenceGroup) -> str:
    """A path as a person reads it: "CKC 2.1 → Observation & listening"."""
    return query_path_text(evidence.path, _step_name)


def _step_name(item: Item) -> str:
    return item.name if item.framework == TARGET_FRAMEWORK else code_text(item)
