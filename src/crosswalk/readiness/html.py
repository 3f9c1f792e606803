"""A readiness report as a printable, standalone HTML page (and its body, for the web app).

The page is one file with its CSS and inline SVG bars, no scripts and no external
assets, so it can be saved, mailed, printed or attached to an application as is.  It
is rendered with Jinja2 autoescaping on: titles and codes come from uploaded files and
must never become markup.  The layout is a narrow column that reads on a phone: the
knowledge areas are a table on a wide screen and a list of blocks on a narrow one,
and long lists (trainings of an area, rows of the transcript) are cut with a count of
what the JSON and CSV downloads hold in full.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from crosswalk.readiness.report import (
    code_text,
    coverage_line,
    hours_amount,
    hours_requirement,
    hours_text,
    no_match_text,
    path_text,
    trainings_of,
)
from crosswalk.readiness.results import COVERED, NOT_COVERED, STATES, TOUCHED, Report

# An area lists this many codes per kind of evidence, and this many trainings per
# code; the transcript's own rows are listed up to SHOWN_ROWS.  JSON and CSV hold all.
SHOWN_CODES = 6
SHOWN_TRAININGS = 3
SHOWN_ROWS = 300

_environment = Environment(
    loader=PackageLoader("crosswalk.readiness", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


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


def report_heading(report: Report) -> str:
    category = report.category
    return f"Endorsement® readiness: {category.code} — {category.title}"


def report_css() -> str:
    """The report's style sheet: inline in the standalone file, a URL on the web."""
    loader = _environment.loader
    assert loader is not None
    return loader.get_source(_environment, "report.css")[0]


def _context(report: Report, *, with_heading: bool = True) -> dict[str, Any]:
    titles = {t.number: t.row.title for t in report.trainings}
    return {
        "report": report,
        "bars": bar_rows(report),
        "states": STATES,
        "COVERED": COVERED,
        "TOUCHED": TOUCHED,
        "NOT_COVERED": NOT_COVERED,
        "titles": titles,
        "shown_codes": SHOWN_CODES,
        "shown_trainings": SHOWN_TRAININGS,
        "shown_rows": SHOWN_ROWS,
        "trainings_of": trainings_of,
        "path_text": path_text,
        "code_text": code_text,
        "hours_text": hours_text,
        "hours_amount": hours_amount,
        "hours_requirement": hours_requirement,
        "coverage_line": coverage_line(report),
        "no_match_text": no_match_text,
        "heading": report_heading(report),
        "with_heading": with_heading,
    }


def bar_rows(report: Report) -> list[dict[str, Any]]:
    """Per area of expertise: the counts and the bar segments (x and width, in percent)."""
    rows = []
    for group in report.by_expertise:
        total = len(group.areas) or 1
        x = 0.0
        segments = []
        for state in (COVERED, TOUCHED, NOT_COVERED):
            width = round(100 * group.count(state) / total, 2)
            if width:
                segments.append({"state": state, "x": x, "width": width})
            x = round(x + width, 2)
        rows.append(
            {
                "name": group.name,
                "total": len(group.areas),
                "counts": {state: group.count(state) for state in STATES},
                "segments": segments,
            }
        )
    return rows
