"""A readiness report as JSON (for other tools) and as a printable, standalone HTML page.

The HTML is one file with its CSS and an inline-SVG chart, no scripts and no external
assets, so it can be saved, mailed, printed or attached to an application as is.  It
is rendered with Jinja2 autoescaping on: titles and codes come from uploaded files and
must never become markup.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from crosswalk.model import Item
from crosswalk.query import path_text as query_path_text
from crosswalk.readiness.engine import AreaResult, Evidence, Hours, Report
from crosswalk.readiness.requirements import Requirement
from crosswalk.readiness.transcript import TranscriptRow

# An HTML report lists this many trainings per knowledge area; JSON lists them all.
SHOWN_PER_AREA = 12

_environment = Environment(
    loader=PackageLoader("crosswalk.readiness", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def to_json(report: Report) -> dict[str, Any]:
    """The report as plain data: per knowledge area, totals, requirements and problems."""
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
        "requirements": report.requirements_origin,
        "generated": report.generated.isoformat(),
        "statement": report.statement,
        "totals": {
            "knowledge_areas": len(report.areas),
            "covered": len(report.covered),
            "missing": len(report.missing),
            "trainings": report.trainings,
            "training_hours": _hours(report.training_hours),
            "reflective_supervision_hours": _hours(report.reflective_supervision_hours),
            "references": _not_checked(category.references),
            "exam": _not_checked(category.exam),
        },
        "areas_of_expertise": [
            {"name": group.name, "covered": group.covered, "knowledge_areas": len(group.areas)}
            for group in report.by_expertise
        ],
        "knowledge_areas": [_area(result) for result in report.areas],
        "trainings": [_training(row) for row in report.rows],
        "missing": [
            {
                "code": result.area.code,
                "name": result.area.name,
                "area_of_expertise": _expertise(result),
                "level": result.level,
                "note": no_match_text(result) or None,
            }
            for result in report.missing
        ],
        "problems": [{"row": p.row, "kind": p.kind, "message": p.message} for p in report.problems],
    }


def _hours(hours: Hours) -> dict[str, Any]:
    required = hours.required
    return {
        "total": round(hours.total, 2),
        "required": required.value if required else None,
        "met": hours.met,
        "source": required.cited if required else None,
        "recorded": hours.recorded,
        "note": None if hours.recorded else NOT_RECORDED,
    }


# What every format says when a transcript cannot show reflective-supervision hours.
NOT_RECORDED = "not in this transcript (add a “Type” column to count them)"


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


def _expertise(result: AreaResult) -> str:
    return result.area_of_expertise.name if result.area_of_expertise else ""


def _not_checked(requirement: Requirement | None) -> dict[str, Any] | None:
    """References and the exam are stated for the reader; a transcript cannot show them."""
    if requirement is None:
        return None
    return {"required": requirement.value, "source": requirement.cited, "checked": False}


def _area(result: AreaResult) -> dict[str, Any]:
    return {
        "code": result.area.code,
        "name": result.area.name,
        "area_of_expertise": _expertise(result),
        "level": result.level,
        "covered": result.covered,
        "cannot_be_covered_through": list(result.no_match),
        "trainings": result.trainings,
        "codes": sorted({e.code for e in result.evidence}),
        "via": _routes(result.evidence),
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


def _routes(evidence: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    """Each distinct path into the area once, with the rows that took it.

    Listing the path per training would repeat it thousands of times in a long
    transcript; the path depends only on the code, so it is grouped.
    """
    routes: dict[tuple[str, ...], dict[str, Any]] = {}
    for e in evidence:
        steps = tuple(f"{i.framework} {i.code}" for i in e.path)
        route = routes.setdefault(
            (*steps, *e.crosswalks),
            {
                "framework": e.framework,
                "code": e.path[0].code,
                "path": list(steps),
                "crosswalks": list(e.crosswalks),
                "written": set(),
                "rows": [],
            },
        )
        route["written"].add(e.code)
        route["rows"].append(e.row)
    for route in routes.values():
        route["written"] = sorted(route["written"])
        route["rows"] = sorted(set(route["rows"]))
    return list(routes.values())


def _training(row: TranscriptRow) -> dict[str, Any]:
    return {
        "row": row.row,
        "title": row.title,
        "date": row.date.isoformat() if row.date else row.date_text,
        "hours": row.hours,
        "provider": row.provider,
        "type": "reflective supervision" if row.is_reflective_supervision else "training",
        "codes": [ref.text for ref in row.codes],
    }


def path_text(evidence: Evidence) -> str:
    """A path as a person reads it: "CKC 2.1 → Observation & listening"."""
    return query_path_text(evidence.path, _step)


def _step(item: Item) -> str:
    return item.name if item.framework == "imh" else f"{item.framework} {item.code}"


def render_html(report: Report) -> str:
    """The standalone, printable report (a whole HTML document)."""
    return _environment.get_template("report.html").render(**_context(report))


def render_html_body(report: Report, *, with_heading: bool = True) -> str:
    """The report without its document shell, for embedding in a web page.

    ``with_heading=False`` leaves out the ``<h1>`` (:func:`report_heading`), so a page
    can put its own controls (the download buttons) right below the heading.
    """
    context = _context(report, with_heading=with_heading)
    return _environment.get_template("report_body.html").render(**context)


def _context(report: Report, *, with_heading: bool = True) -> dict[str, Any]:
    return {
        "report": report,
        "chart": chart_rows(report),
        "shown": SHOWN_PER_AREA,
        "path_text": path_text,
        "hours_text": hours_text,
        "hours_amount": hours_amount,
        "hours_requirement": hours_requirement,
        "no_match_text": no_match_text,
        "heading": report_heading(report),
        "with_heading": with_heading,
    }


def report_heading(report: Report) -> str:
    category = report.category
    return f"Endorsement® readiness: {category.code} — {category.title}"


def hours_text(value: float) -> str:
    return f"{value:g}"


def chart_rows(report: Report) -> list[dict[str, Any]]:
    """Bar geometry per area of expertise for the inline SVG (width in percent)."""
    rows = []
    for index, group in enumerate(report.by_expertise):
        total = len(group.areas)
        share = group.covered / total if total else 0.0
        rows.append(
            {
                "y": 8 + index * 28,
                "name": group.name,
                "covered": group.covered,
                "total": total,
                "width": round(share * 100, 1),
            }
        )
    return rows


def report_css() -> str:
    """The report's style sheet: inline in the standalone file, a /static-like URL on the web."""
    loader = _environment.loader
    assert loader is not None
    return loader.get_source(_environment, "report.css")[0]
