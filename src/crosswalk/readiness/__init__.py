"""Endorsement® readiness: from a training transcript to what is covered and what is missing.

Read a transcript (:func:`load_transcript` / :func:`read_transcript`), pick a category
from the requirements (:func:`load_requirements`), :func:`assess` it against a catalog,
and render the :class:`Report` with :func:`to_json`, :func:`to_csv` or
:func:`render_html`.  Each step is a plain function so the CLI, the web page and tests
share one path.
"""

from crosswalk.readiness.engine import applicable_areas, assess
from crosswalk.readiness.html import render_html, render_html_body
from crosswalk.readiness.plan import Plan, PlanStep
from crosswalk.readiness.renewal import Renewal, RenewalYear
from crosswalk.readiness.report import to_csv, to_json
from crosswalk.readiness.requirements import (
    Category,
    EvidenceRule,
    Requirement,
    Requirements,
    RequirementsError,
    UnknownCategory,
    load_requirements,
    parse_requirements,
)
from crosswalk.readiness.results import (
    COVERED,
    NOT_COVERED,
    STATEMENT,
    TOUCHED,
    AreaResult,
    Evidence,
    EvidenceGroup,
    Hint,
    Hours,
    Report,
)
from crosswalk.readiness.template import template_csv, template_xlsx
from crosswalk.readiness.trainings import Problem, Training
from crosswalk.readiness.transcript import (
    Transcript,
    TranscriptError,
    TranscriptRow,
    load_transcript,
    read_transcript,
)

__all__ = [
    "COVERED",
    "NOT_COVERED",
    "STATEMENT",
    "TOUCHED",
    "AreaResult",
    "Category",
    "Evidence",
    "EvidenceGroup",
    "EvidenceRule",
    "Hint",
    "Hours",
    "Plan",
    "PlanStep",
    "Problem",
    "Renewal",
    "RenewalYear",
    "Report",
    "Requirement",
    "Requirements",
    "RequirementsError",
    "Training",
    "Transcript",
    "TranscriptError",
    "TranscriptRow",
    "UnknownCategory",
    "applicable_areas",
    "assess",
    "load_requirements",
    "load_transcript",
    "parse_requirements",
    "read_transcript",
    "render_html",
    "render_html_body",
    "template_csv",
    "template_xlsx",
    "to_csv",
    "to_json",
]
