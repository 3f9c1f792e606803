"""Lint finds the real slips of seed 002: evidence pasted from another knowledge area,
and a Family Specialist link to a Mental Health Specialist area.

Read by hand from the documents (``src/crosswalk/data/sources``):

* seed 002 line 101, 6D.3 → Developing Talent, evidence "Uses influencing and
  persuading skills, backed by own and others' expert knowledge, to promote effective
  infant mental health principles, practice, and programs" — word for word seed 000
  line 120, the description of Advocacy (IMHM) under Leading People; Developing
  talent's own (line 121) begins "Coaches novice practitioners".
* seed 002 line 86, 6D.1 → Program Evaluation, evidence "Identifies opportunities and
  needs for program improvements, expanded services, and new services; Applies research
  findings …" — its first clause is seed 000 line 122, Program management's
  description; Program evaluation's (line 126) is "Establishes and monitors process
  and outcomes measures …".
* seed 002 line 13, 6A.2 → Relationship-Focused, Therapeutic Practice (untagged),
  evidence "Supports and reinforces each parent's [caregiver's] strenghts, emerging
  competencies, and positive interations and relationships" — seed 000 line 6,
  Infant/young child & family-centered practice: "Supports and reinforces parent's
  strengths, emerging parenting competencies, and positive parent-infant/todaler
  interactions".  The same link is untagged (Family Specialist, line 3's legend) while
  seed 000 line 13 tags Relationship focused therapeutic practice "(IMHS)": the one
  link below its area's level in the 19 (see ``tests/test_level_filters.py``'s table:
  every other untagged link goes to an untagged area).
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from crosswalk.catalog import Catalog
from crosswalk.cli import app
from crosswalk.lint import EVIDENCE_FLOOR, evidence_score, lint
from crosswalk.sources.bundled import load_bundled

EVIDENCE_SLIPS = {
    ("6A.2", "theoretical-foundations/relationship-focused-therapeutic-practice",
     "theoretical-foundations/infant-young-child-family-centered-practice"),
    ("6D.1", "leading-people/program-evaluation", "leading-people/program-management"),
    ("6D.3", "leading-people/developing-talent", "leading-people/advocacy"),
}  # fmt: skip


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(load_bundled())


def test_evidence_that_is_another_areas_description(catalog: Catalog) -> None:
    found = lint(catalog, ["evidence-mismatch"])
    assert {f.codes for f in found} == EVIDENCE_SLIPS
    advocacy = next(f for f in found if f.codes[0] == "6D.3")
    assert "description of Advocacy (Leading People)" in advocacy.message
    # Where to read both: the link's lines and the description's line.
    assert [str(p) for p in advocacy.provenance] == ["seed 002, lines 97–101", "seed 000, line 120"]


def test_the_floor_sits_in_the_gap_of_the_bundled_scores(catalog: Catalog) -> None:
    """Each link's best score against any *other* knowledge area: the three slips score
    0.7 and more, the 16 other links under 0.6 — a floor of 0.65 finds the first and
    none of the second (a flood of false positives would start below 0.56)."""
    crosswalk = catalog.crosswalks["iecmhc-imh"]
    areas = [i for i in catalog.items_of("imh") if i.statement]
    best: dict[tuple[str, str], float] = {}
    for a in catalog.by_crosswalk[crosswalk.id]:
        key = (a.source_code, a.target_code or "")
        score = max(evidence_score(a.evidence, i.statement) for i in areas if i.code != key[1])
        best[key] = max(best.get(key, 0.0), score)
    slips = {(s, t) for s, t, _ in EVIDENCE_SLIPS}
    assert all(best[k] >= 0.7 for k in slips)
    assert max(v for k, v in best.items() if k not in slips) < 0.6 < EVIDENCE_FLOOR


def test_a_family_specialist_link_to_an_imhs_area(catalog: Catalog) -> None:
    (found,) = lint(catalog, ["level-mismatch"])
    assert found.codes == (
        "6A.2",
        "theoretical-foundations/relationship-focused-therapeutic-practice",
    )
    assert "untagged link (Family Specialist level)" in found.message
    assert "at the IMHS level" in found.message
    assert [str(p) for p in found.provenance] == ["seed 002, lines 9–13", "seed 000, line 13"]


def test_cli_and_page_report_them(client: TestClient) -> None:
    shown = CliRunner().invoke(app, ["lint", "--check", "evidence-mismatch", "-f", "json"])
    report = json.loads(shown.stdout)
    assert report["summary"]["evidence-mismatch"] == 3
    page = client.get("/lint").text
    assert "Evidence that describes another item" in page
    assert "Link below its item" in page
