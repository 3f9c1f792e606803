"""Honest evidence: breadth, specificity, three states, levels of IECMHC links.

Every expectation below was worked out by hand from the source documents, not by
running the engine.  The reading of seed 000 used throughout — each untagged (Family
Specialist) knowledge area with the CKC codes its row prints, in seed order (the rows
the errata name are marked *):

  1 Pregnancy and early parenthood: 1.1 2.1 5.1 5.5 5.7
  2 Infant/very young child development and behavior: 1.1–1.10 3.1 3.2 4.3
  3 Infant/young child & family-centered practice: 2.1 2.3 2.4 4.1 5.4
  4 Relationship-focused practice: 2.1 2.2 2.4 3.3 4.1
  5 Family relationships & dynamics: 1.1 2.1 4.1 5.4 7.5
  6 Attachment, separation, trauma & loss: 1.1 1.3 2.1 5.1 5.4
  7 Cultural Humility: 1.9 2.1 2.2 3.3 4.1 6.1 6.4 7.3 7.5
  8 Ethical Practice: 4.1 4.2 5.7 6.1 7.1 7.3 7.5
  9 Government, law & regulation: 3.6 5.4 5.7 6.1 7.1
 10 Agency policy*: 6.7 7.1 7.2 7.4 7.6
 11 Service delivery systems*: 2.3 5.3 6.1 6.6
 12 Community resources*: 2.3 2.4 5.1 5.4 5.5 6.7 7.5
 13 Observation & listening: 1.2 1.3 2.1 2.2 3.3 4.6
 14 Screening & assessment: 1.2 3.1 3.2 3.3 3.4 3.5 3.6 4.3 4.6 7.2
 15 Responding with empathy: 1.3 1.4 2.1 2.2 2.3 4.1 4.3 6.2 7.5
 16 Advocacy (Direct Service Skills): 1.1 2.4 5.4 6.6 6.7 7.5
 17 Safety: 1.1 2.1 4.2 5.1 5.2 5.3 5.4
 18 Life Skills: 1.1 2.1 2.2 2.3 2.4 2.5 3.3 3.6 4.1 5.1 5.2 5.4 5.5 5.6 6.6 7.5
 19 Building & maintaining relationships: 2.1 2.2 2.3 3.3 4.1 6.1 6.2 6.3 6.5 6.6 6.7 7.2 7.5
 20 Supporting others: 1.1 1.3 2.1 2.2 2.3 2.4 2.5 3.3 4.2 4.3 5.2 5.4 5.5 6.5 6.6 6.7 7.5
 21 Collaborating*: 1.2 2.2 2.3 2.4 3.2 3.3 4.3 4.6 5.1 5.2 5.4 6.2 6.5 6.7 7.2 7.4 7.5 7.6
 22 Resolving Conflict: 6.1 6.2 6.3 6.5 7.5
 23 Empathy & compassion: 2.1 2.2 3.3 4.1 6.1 6.2 6.5
 24 Listening: 2.1 2.2 3.3 4.1 6.2 6.4 6.7
 25 Speaking: 2.1 2.2 3.3 3.4 4.1 5.1 5.2 6.4 6.5 6.6 6.7 7.3 7.5
 26 Writing: 2.2 3.3 5.4 5.7 6.4 7.2 7.3 7.5
 27 Analyzing information: 1.1 1.3 1.4 2.2 3.4 4.3 4.6 7.3 7.5 7.6
 28 Solving problems: 1.1 1.3 1.4 4.3 4.6 5.2 6.1 6.4 6.5 6.7
 29 Exercising sound judgment: 2.1 3.2 3.4 4.2 4.3 4.6 5.4 6.3 6.5 7.4 7.5
 30 Maintaining perspective: 1.1 2.1 4.3 5.4 6.1 6.2 6.6 7.5
 31 Planning & organizing*: 1.2 2.2 2.3 2.4 2.5 3.4 3.5 3.6 4.3 4.6 5.3 5.4 5.7 6.5 6.7 7.2
    7.3 7.4 7.5
 32 Contemplation: 4.1 6.1 6.2 6.4 6.5 6.6 6.7 7.3 7.5
 33 Self-awareness: 4.1 6.1 6.2 6.3 6.4 6.5 7.3 7.5
 34 Curiosity: 4.1 6.2 6.3 6.4 7.5
 35 Professional/personal development: 6.2 6.3 6.4 6.6 6.7
 36 Emotional response: 4.1 6.2 6.3 6.4 6.7 7.5

The IMHS rows that print 2.1: Relationship focused therapeutic practice,
Psychotherapeutic & behavioral theories of changes, Mental & behavioral disorders in
adults, Intervention/treatment planning and Developmental guidance (five).

The bundled evidence rule (requirements.toml, [evidence]): a code is specific when it
corresponds to at most 5 of the category's knowledge areas; an area is covered by one
training with specific evidence (no minimum of hours).
"""

from __future__ import annotations

import datetime as dt

import pytest

from crosswalk.catalog import Catalog
from crosswalk.readiness import (
    COVERED,
    NOT_COVERED,
    TOUCHED,
    Report,
    assess,
    load_requirements,
    parse_requirements,
    read_transcript,
    to_csv,
    to_json,
)
from crosswalk.readiness.requirements import bundled_requirements_text

TODAY = dt.date(2025, 1, 31)

# The table above as (area code, name) for the areas the tests name.
A = {
    1: "theoretical-foundations/pregnancy-and-early-parenthood",
    2: "theoretical-foundations/infant-very-young-child-development-and-behavior",
    3: "theoretical-foundations/infant-young-child-family-centered-practice",
    4: "theoretical-foundations/relationship-focused-practice",
    5: "theoretical-foundations/family-relationships-dynamics",
    6: "theoretical-foundations/attachment-separation-trauma-loss",
    7: "theoretical-foundations/cultural-humility",
    8: "law-regulation-agency-policy/ethical-practice",
    11: "systems-expertise/service-delivery-systems",
    13: "direct-service-skills/observation-listening",
    14: "direct-service-skills/screening-assessment",
    15: "direct-service-skills/responding-with-empathy",
    17: "direct-service-skills/safety",
    18: "direct-service-skills/life-skills",
    19: "working-with-others/building-maintaining-relationships",
    20: "working-with-others/supporting-others",
    21: "working-with-others/collaborating",
    23: "working-with-others/empathy-compassion",
    24: "communicating/listening",
    25: "communicating/speaking",
    27: "thinking/analyzing-information",
    28: "thinking/solving-problems",
    29: "thinking/exercising-sound-judgment",
    30: "thinking/maintaining-perspective",
    31: "thinking/planning-organizing",
}
# The 17 Family Specialist areas whose row prints CKC 2.1 (numbers of the table above).
LISTS_2_1 = {1, 3, 4, 5, 6, 7, 13, 15, 17, 18, 19, 20, 23, 24, 25, 29, 30}
DEVELOPMENTAL_GUIDANCE = "direct-service-skills/developmental-guidance"
THERAPEUTIC = "theoretical-foundations/relationship-focused-therapeutic-practice"
PROGRAM_EVALUATION = "leading-people/program-evaluation"


def report_of(catalog: Catalog, text: str, category: str, **options: object) -> Report:
    transcript = read_transcript(text.encode("utf-8"), "transcript.csv")
    return assess(catalog, transcript, category, today=TODAY, **options)  # type: ignore[arg-type]


def states(report: Report) -> dict[str, str]:
    return {a.area.code: a.state for a in report.areas}


# -- one broad code --------------------------------------------------------------------------


def test_one_broad_code_touches_seventeen_areas_and_covers_none(catalog: Catalog) -> None:
    """One 1-hour training tagged CKC 2.1: the 17 areas listing 2.1 are touched (2.1 is
    broad: 17 > 5), none is covered, the other 19 are not covered."""
    report = report_of(
        catalog, "Title,Date,Hours,Codes\nBuilding Partnerships,2024-04-22,1,CKC 2.1\n", "IFS"
    )
    touched = {a.area.code for a in report.touched}
    assert len(touched) == 17
    assert {A[n] for n in LISTS_2_1 if n in A} <= touched
    assert report.covered == []
    assert len(report.not_covered) == 36 - 17
    family = next(a for a in report.areas if a.area.code == A[5])
    (evidence,) = family.evidence
    assert (evidence.code, evidence.breadth, evidence.specific) == ("CKC 2.1", 17, False)
    assert (family.specific_trainings, family.broad_trainings) == ([], [2])
    assert (family.specific_hours, family.broad_hours) == (0, 1)
    totals = to_json(report)["totals"]
    counts = [totals[k] for k in ("knowledge_areas", "covered", "touched", "not_covered")]
    assert counts == [36, 0, 17, 19]
    assert totals["trainings"] == 1
    hours = totals["training_hours"]
    assert (hours["total"], hours["required"], hours["met"]) == (1, 30, False)


def test_breadth_is_counted_within_the_categorys_levels(catalog: Catalog) -> None:
    """For IMHS the same code reaches 17 + 5 IMHS rows printing 2.1 = 22 areas."""
    report = report_of(catalog, "Title,Hours,Codes\nPartnerships,1,2.1\n", "IMHS")
    breadths = {e.breadth for a in report.areas for e in a.evidence}
    assert breadths == {22}
    assert len(report.touched) == 22


def test_a_specific_code_covers(catalog: Catalog) -> None:
    """CKC 3.1 is printed by rows 2 and 14 only: breadth 2, specific, both covered."""
    report = report_of(catalog, "Title,Hours,Codes\nChild Observation,3,3.1\n", "IFS")
    assert {a.area.code for a in report.covered} == {A[2], A[14]}
    assert report.touched == []
    (evidence,) = next(a for a in report.areas if a.area.code == A[14]).evidence
    assert (evidence.breadth, evidence.specific, evidence.hours) == (2, True, 3)


# -- IECMHC links at each level ------------------------------------------------------------

# Seed 002, by hand: 6A.1 → Developmental Guidance (MHS); 6A.2 → Relationship-Focused,
# Therapeutic Practice (unnoted) and the same area (MHM) — an IMHS area in seed 000;
# 6A.3 → Family Relationships & Dynamics and Responding with Empathy (both unnoted);
# 6C.1 → Developmental Guidance (MHM); 6C.2 → Observation & Listening (MHM) and
# Collaborating (unnoted); 6D.1 → Program Evaluation (MHM), an IMHM area.
IECMHC = (
    "Title,Date,Hours,Codes\n"
    "Relationships in Classrooms,2024-02-01,2,IECMHC 6A.1\n"  # row 2
    "Positive Interactions,2024-02-08,2,IECMHC 6A.2\n"  # row 3
    "Sibling and Peer Play,2024-02-15,2,IECMHC 6A.3\n"  # row 4
    "Routines that Help,2024-02-22,2,IECMHC 6C.1\n"  # row 5
    "Culture and Collaboration,2024-03-01,2,IECMHC 6C.2\n"  # row 6
    "Observing Classrooms,2024-03-08,2,IECMHC 6D.1\n"  # row 7
)


def test_iecmhc_links_for_a_family_specialist(catalog: Catalog) -> None:
    """IFS counts unnoted links to untagged areas only: 6A.3's two areas and 6C.2's
    Collaborating.  6A.1, 6C.1 and 6D.1 are links noted above FS; 6A.2's unnoted link
    leads to an IMHS area (and its other link is MHM)."""
    report = report_of(catalog, IECMHC, "IFS")
    assert {a.area.code for a in report.covered} == {A[5], A[15], A[21]}
    assert report.touched == []
    problems = [(p.row, p.kind, p.codes) for p in report.problems]
    assert problems == [
        (2, "link-level", ("IECMHC 6A.1",)),
        (3, "area-level", ("IECMHC 6A.2",)),
        (5, "link-level", ("IECMHC 6C.1",)),
        (7, "link-level", ("IECMHC 6D.1",)),
    ]
    messages = {p.row: p.message for p in report.problems}
    assert messages[3] == (
        "code 'IECMHC 6A.2' counts for no IFS knowledge area: it leads to Relationship "
        "focused therapeutic practice, a Mental Health Specialist (IMHS) knowledge area; "
        "its link to Relationship focused therapeutic practice is marked MHM (the Mentor "
        "level)"
    )
    assert messages[2] == (
        "code 'IECMHC 6A.1' counts for no IFS knowledge area: its link to Developmental "
        "guidance is marked MHS (the Mental Health Specialist level)"
    )
    collaborating = next(a for a in report.areas if a.area.code == A[21])
    (evidence,) = collaborating.evidence
    # 6C.2's MHM link does not count for IFS, so it corresponds to one IFS area.
    assert (evidence.breadth, evidence.specific, evidence.strength) == (1, True, "Important")
    family = next(a for a in report.areas if a.area.code == A[5])
    assert [(e.code, e.breadth) for e in family.evidence] == [("IECMHC 6A.3", 2)]


def test_iecmhc_links_for_a_mental_health_specialist(catalog: Catalog) -> None:
    report = report_of(catalog, IECMHC, "IMHS")
    assert {a.area.code for a in report.covered} == {
        DEVELOPMENTAL_GUIDANCE,  # 6A.1 (MHS)
        THERAPEUTIC,  # 6A.2's unnoted link; its MHM one does not count
        A[5],
        A[15],
        A[21],
    }
    assert [(p.row, p.kind) for p in report.problems] == [(5, "link-level"), (7, "link-level")]


def test_iecmhc_links_for_a_mentor(catalog: Catalog) -> None:
    report = report_of(catalog, IECMHC, "IMHM-C")
    assert {a.area.code for a in report.covered} == {
        DEVELOPMENTAL_GUIDANCE,
        THERAPEUTIC,
        A[5],
        A[15],
        A[13],  # 6C.2's MHM link
        A[21],
        PROGRAM_EVALUATION,
    }
    assert report.problems == ()
    observation = next(a for a in report.areas if a.area.code == A[13])
    assert [(e.code, e.breadth) for e in observation.evidence] == [("IECMHC 6C.2", 2)]


def test_an_imh_area_above_the_category_is_a_problem_not_a_silent_drop(
    catalog: Catalog,
) -> None:
    """Parallel process is an IMHS area (seed 000); Advocacy under Leading People is
    IMHM with the Policy track only, so a Clinical mentor does not get it either."""
    text = "Title,Hours,Codes\nParallel Process,2,IMH Parallel process\n"
    (problem,) = report_of(catalog, text, "IFS").problems
    assert (problem.kind, problem.codes) == ("area-level", ("IMH Parallel process",))
    assert "Parallel process, a Mental Health Specialist (IMHS) knowledge area" in problem.message
    text = "Title,Hours,Codes\nPolicy Advocacy,2,IMH leading-people/advocacy\n"
    (problem,) = report_of(catalog, text, "IMHM-C").problems
    assert problem.kind == "area-level"
    assert "Advocacy, which only the Policy Mentor track asks for" in problem.message
    assert report_of(catalog, text, "IMHM-P").problems == ()


# -- the rule comes from the requirements -----------------------------------------------------


def _rules(evidence: str) -> str:
    """The bundled requirements with their [evidence] table replaced."""
    text = bundled_requirements_text()
    start = text.index("[evidence]")
    end = text.index("[[category]]", start)
    return text[:start] + evidence + "\n" + text[end:]


PROBLEM_ROWS = (
    "Title,Date,Hours,Codes\n"
    "Child Observation Basics,2024-03-01,2,3.1\n"  # row 2
    "Child Observation Basics,2024-03-01,2,3.2; 3.1\n"  # row 3: the same training
    "Safe Environments,2025-06-01,3,5.3\n"  # row 4: in the future
    "Healthy Lifestyles,2024-05-01,-5,5.6\n"  # row 5: negative hours
    "Self-Help Skills,2024-06-01,100000,1.5\n"  # row 6: implausible hours
)


def test_thresholds_from_the_requirements_file(catalog: Catalog) -> None:
    """Area 2 has specific evidence from two trainings (row 2: 3.1 and 3.2; row 6: 1.5),
    2 h in all (row 6 counts 0 h); area 14 from row 2 only (3.1, 3.2), 2 h."""
    two = parse_requirements(
        _rules("[evidence]\nspecific_max_areas = 5\ncovered_min_trainings = 2\n"), "two.toml"
    )
    report = report_of(catalog, PROBLEM_ROWS, "IFS", requirements=two)
    assert states(report)[A[2]] == COVERED
    assert states(report)[A[14]] == TOUCHED
    hours = parse_requirements(
        _rules("[evidence]\nspecific_max_areas = 5\ncovered_min_hours = 3\n"), "hours.toml"
    )
    report = report_of(catalog, PROBLEM_ROWS, "IFS", requirements=hours)
    assert states(report)[A[2]] == TOUCHED  # 2 h < 3 h
    narrow = parse_requirements(_rules("[evidence]\nspecific_max_areas = 1\n"), "narrow.toml")
    report = report_of(catalog, PROBLEM_ROWS, "IFS", requirements=narrow)
    # Only 5.6 (Life Skills alone) and 1.5 (area 2 alone) are specific now.
    assert {a.area.code for a in report.covered} == {A[2], A[18]}
    assert A[14] in {a.area.code for a in report.touched}
    assert "at most 1 knowledge area of this category" in to_json(report)["evidence_rule"]["text"]


def test_an_associations_file_without_an_evidence_table_inherits_the_bundled_rule(
    tmp_path: object,
) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "ours.toml"
    path.write_text('[[category]]\ncode = "IFS"\ntitle = "IFS"\nlevels = [""]\n', "utf-8")
    rules = load_requirements(path)
    assert rules.evidence == load_requirements().evidence
    assert rules.title == "ours.toml"


# -- rows that must not count, or count once --------------------------------------------------


def test_future_duplicate_and_implausible_rows(catalog: Catalog) -> None:
    """Rows 2 and 3 are one training (2 h): row 3 adds 3.2, its 3.1 is already there.
    Row 4 has not happened: no hours, and 5.3 (Service delivery systems, Safety,
    Planning & organizing) covers nothing.  Rows 5 and 6 count 0 h but their codes
    count: 5.6 → Life Skills, 1.5 → area 2."""
    report = report_of(catalog, PROBLEM_ROWS, "IFS")
    assert [(p.row, p.kind, p.codes) for p in report.problems] == [
        (3, "duplicate", ("3.1",)),
        (4, "future-date", ("5.3",)),
        (5, "hours", ()),
        (6, "hours", ()),
    ]
    messages = {p.row: p.message for p in report.problems}
    assert messages[3] == (
        "repeats row 2 (same title and date): one training, counted once; "
        "its codes 3.2 are added to it; 3.1 is already there"
    )
    assert messages[4] == (
        "date 2025-06-01 is in the future: a training that has not happened yet counts "
        "for no hours and no knowledge area (codes 5.3 not counted)"
    )
    assert messages[5] == "hours -5 are negative; counted as 0 — check the cell"
    assert messages[6] == (
        "100000 hours is more than one training can hold (over 300 clock hours in one "
        "row); counted as 0 — check the cell"
    )
    assert report.training_hours.total == 2
    assert report.training_hours.met is False
    assert report.training_count == 3
    # 3.1 (areas 2, 14), 3.2 (2, 14, 21, 29), 5.6 (18), 1.5 (2): all specific.
    assert {a.area.code for a in report.covered} == {A[2], A[14], A[21], A[29], A[18]}
    assert report.touched == []
    for future_area in (A[11], A[17], A[31]):
        assert states(report)[future_area] == NOT_COVERED
    development = next(a for a in report.areas if a.area.code == A[2])
    assert development.specific_trainings == [2, 6]
    assert sorted((e.row, e.training, e.code) for e in development.evidence) == [
        (2, 2, "3.1"),
        (3, 2, "3.2"),
        (6, 6, "1.5"),
    ]
    trainings = to_json(report)["trainings"]
    assert [(t["row"], t["counted"], t["repeated_in_rows"]) for t in trainings] == [
        (2, True, [3]),
        (4, False, []),
        (5, True, []),
        (6, True, []),
    ]
    assert to_json(report)["totals"]["training_hours"]["total"] == 2


# -- the plan ------------------------------------------------------------------------------


def test_plan_is_a_greedy_cover_worked_by_hand(catalog: Catalog) -> None:
    """One broad training (2.1): every one of the 36 areas still needs specific evidence.

    Step 1: the most areas a specific code can add is 5.  Codes printed by exactly five
    FS rows: 1.2 (rows 2 13 14 21 31), 3.4 (14 25 27 29 31), 5.7 (1 8 9 26 31); the only
    lower code, 1.1, is printed by 11 rows (broad).  Tie → the lower code: CKC 1.2.
    Step 2: what the others still add — 5.7: 1 8 9 26 (4); 5.5 (1 12 18 20): 4;
    4.2 (8 17 20 29): 4; 3.4: 25 27 29 (3); 1.4 (2 15 27 28): 3; 7.1 (8 9 10): 3.
    Three tie at 4; fewer areas first (4.2 and 5.5 have 4, 5.7 has 5), then the lower
    code: CKC 4.2.  Step 3 — 5.7: 1 9 26 (3); 5.5: 1 12 18 (3); 1.4: 15 27 28 (3);
    3.4: 25 27 (2); 7.1: 9 10 (2).  Tie at 3; 1.4 and 5.5 have 4 areas: CKC 1.4.
    """
    report = report_of(catalog, "Title,Hours,Codes\nPartnerships,1,2.1\n", "IFS")
    steps = report.plan.steps
    assert [(s.item.framework, s.item.code, s.breadth) for s in steps[:3]] == [
        ("wv-ckc-2015", "1.2", 5),
        ("wv-ckc-2015", "4.2", 4),
        ("wv-ckc-2015", "1.4", 4),
    ]
    assert [a.code for a in steps[0].adds] == [A[2], A[13], A[14], A[21], A[31]]
    assert {a.code for a in steps[1].adds} == {A[8], A[17], A[20], A[29]}
    assert {a.code for a in steps[2].adds} == {A[15], A[27], A[28]}
    assert "Greedy set cover" in report.plan.method
    # Every area short of "covered" is either added by some step or said to be unreachable.
    added = {a.code for s in steps for a in s.adds}
    unreachable = {a.code for a in report.plan.unreachable}
    assert added | unreachable == {a.area.code for a in report.missing}
    assert not added & unreachable
    # Areas 19 and 23: every code their rows print is printed by more than five FS rows,
    # and no unnoted IECMHC link reaches them — nothing specific can cover them.
    assert {A[19], A[23]} <= unreachable


def test_the_plan_offers_iecmhc_for_what_the_ckc_cannot_reach(catalog: Catalog) -> None:
    """Family relationships & dynamics (row 5) prints 1.1, 2.1, 4.1, 5.4 and 7.5, which
    11, 17, 15, 14 and 21 FS rows print: no CKC code is specific for it.  IECMHC 6A.3's
    unnoted link reaches it, so the plan's second list (IECMHC) offers 6A.3."""
    text = "Title,Hours,Codes\nPartnerships,1,2.1\n"
    plan = report_of(catalog, text, "IFS").plan
    frameworks = [s.item.framework for s in plan.steps]
    assert frameworks == sorted(frameworks, key=lambda f: f != "wv-ckc-2015")
    family = [s for s in plan.steps if A[5] in {a.code for a in s.adds}]
    assert [(s.item.framework, s.item.code) for s in family] == [("iecmhc", "6A.3")]


def test_csv_has_one_row_per_knowledge_area(catalog: Catalog) -> None:
    report = report_of(catalog, PROBLEM_ROWS, "IFS")
    lines = to_csv(report).splitlines()
    assert lines[0].startswith("code,name,area_of_expertise,level,state,specific_trainings")
    assert len(lines) == 1 + 36
    row = next(line for line in lines if line.startswith(A[2] + ","))
    # Codes listed as the report orders evidence: most trainings, then fewest areas.
    assert ",covered by specific evidence,2; 6,2,1.5; 3.1; 3.2," in row


@pytest.mark.parametrize("category", ["IFS", "IMHS", "IMHM-P"])
def test_every_area_has_exactly_one_state(catalog: Catalog, category: str) -> None:
    report = report_of(catalog, IECMHC + PROBLEM_ROWS.split("\n", 1)[1], category)
    data = to_json(report)["totals"]
    assert data["covered"] + data["touched"] + data["not_covered"] == data["knowledge_areas"]
