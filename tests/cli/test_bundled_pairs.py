# ruff: noqa: E501  (a reading table: one row of the document per line)
"""The exported alignments of both crosswalks, pair by pair, against a reading of the
two documents done by hand (row by row, with the garbled regions reconstructed as
errata.toml explains).  ``-`` is an explicit no-match ("Found no corresponding
competencies"), ``+`` a reference outside the CKC ("T&TA Competencies").

Through the real command, the real store and the bundled data.
"""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from crosswalk.cli import app

READING = {
    "imh-wv-ckc-2015": """
        theoretical-foundations/pregnancy-and-early-parenthood: 1.1 2.1 5.1 5.5 5.7
        theoretical-foundations/infant-very-young-child-development-and-behavior: 1.1 1.2 1.3 1.4 1.5 1.6 1.7 1.8 1.9 1.10 3.1 3.2 4.3
        theoretical-foundations/infant-young-child-family-centered-practice: 2.1 2.3 2.4 4.1 5.4
        theoretical-foundations/relationship-focused-practice: 2.1 2.2 2.4 3.3 4.1
        theoretical-foundations/family-relationships-dynamics: 1.1 2.1 4.1 5.4 7.5
        theoretical-foundations/attachment-separation-trauma-loss: 1.1 1.3 2.1 5.1 5.4
        theoretical-foundations/cultural-humility: 1.9 2.1 2.2 3.3 4.1 6.1 6.4 7.3 7.5
        theoretical-foundations/relationship-focused-therapeutic-practice: 1.1 1.3 1.4 2.1
        theoretical-foundations/psychotherapeutic-behavioral-theories-of-changes: 1.2 2.1 3.6 4.3
        theoretical-foundations/disorders-of-infancy-early-childhood: 1.1 1.2
        theoretical-foundations/mental-behavioral-disorders-in-adults: 2.1 5.4
        theoretical-foundations/adult-theory-practice: +
        theoretical-foundations/statistics: 7.6
        theoretical-foundations/research-evaluation: 3.1 6.2 6.4 6.6 7.5 7.6
        law-regulation-agency-policy/ethical-practice: 4.1 4.2 5.7 6.1 7.1 7.3 7.5
        law-regulation-agency-policy/government-law-regulation: 3.6 5.4 5.7 6.1 7.1
        law-regulation-agency-policy/agency-policy: 6.7 7.1 7.2 7.4 7.6
        systems-expertise/service-delivery-systems: 2.3 5.3 6.1 6.6
        systems-expertise/community-resources: 2.3 2.4 5.1 5.4 5.5 6.7 7.5
        direct-service-skills/observation-listening: 1.2 1.3 2.1 2.2 3.3 4.6
        direct-service-skills/screening-assessment: 1.2 3.1 3.2 3.3 3.4 3.5 3.6 4.3 4.6 7.2
        direct-service-skills/responding-with-empathy: 1.3 1.4 2.1 2.2 2.3 4.1 4.3 6.2 7.5
        direct-service-skills/advocacy: 1.1 2.4 5.4 6.6 6.7 7.5
        direct-service-skills/safety: 1.1 2.1 4.2 5.1 5.2 5.3 5.4
        direct-service-skills/life-skills: 1.1 2.1 2.2 2.3 2.4 2.5 3.3 3.6 4.1 5.1 5.2 5.4 5.5 5.6 6.6 7.5
        direct-service-skills/intervention-treatment-planning: 1.2 2.1 2.3 3.5 3.6 4.2 4.3 4.6 5.4 6.2 6.7
        direct-service-skills/developmental-guidance: 1.1 1.2 1.3 1.4 1.5 1.6 1.7 1.8 1.9 1.10 2.1 2.2 2.3 3.5 4.1 4.2 4.3 4.6 5.1
        direct-service-skills/supportive-counseling: -
        direct-service-skills/parent-infant-very-young-child-relationship-based-therapies-and-practice: -
        direct-service-skills/reflective-supervision: 4.1 6.3 6.4 7.3 7.5
        working-with-others/building-maintaining-relationships: 2.1 2.2 2.3 3.3 4.1 6.1 6.2 6.3 6.5 6.6 6.7 7.2 7.5
        working-with-others/supporting-others: 1.1 1.3 2.1 2.2 2.3 2.4 2.5 3.3 4.2 4.3 5.2 5.4 5.5 6.5 6.6 6.7 7.5
        working-with-others/collaborating: 1.2 2.2 2.3 2.4 3.2 3.3 4.3 4.6 5.1 5.2 5.4 6.2 6.5 6.7 7.2 7.4 7.5 7.6
        working-with-others/resolving-conflict: 6.1 6.2 6.3 6.5 7.5
        working-with-others/empathy-compassion: 2.1 2.2 3.3 4.1 6.1 6.2 6.5
        working-with-others/supporting-others-mentoring: 6.2 6.5 6.6 7.5
        working-with-others/consulting: 2.3 6.4 6.5 6.6
        working-with-others/coaching-mentoring: 2.3 6.1 6.3 6.4 6.5
        working-with-others/crisis-management: 4.3 5.2 5.3 5.4 6.1 6.5 7.1
        communicating/listening: 2.1 2.2 3.3 4.1 6.2 6.4 6.7
        communicating/speaking: 2.1 2.2 3.3 3.4 4.1 5.1 5.2 6.4 6.5 6.6 6.7 7.3 7.5
        communicating/writing: 2.2 3.3 5.4 5.7 6.4 7.2 7.3 7.5
        communicating/group-process: 3.6 4.3 4.6 6.7 7.2 7.6 +
        thinking/analyzing-information: 1.1 1.3 1.4 2.2 3.4 4.3 4.6 7.3 7.5 7.6
        thinking/solving-problems: 1.1 1.3 1.4 4.3 4.6 5.2 6.1 6.4 6.5 6.7
        thinking/exercising-sound-judgment: 2.1 3.2 3.4 4.2 4.3 4.6 5.4 6.3 6.5 7.4 7.5
        thinking/maintaining-perspective: 1.1 2.1 4.3 5.4 6.1 6.2 6.6 7.5
        thinking/planning-organizing: 1.2 2.2 2.3 2.4 2.5 3.4 3.5 3.6 4.3 4.6 5.3 5.4 5.7 6.5 6.7 7.2 7.3 7.4 7.5
        reflection/contemplation: 4.1 6.1 6.2 6.4 6.5 6.6 6.7 7.3 7.5
        reflection/self-awareness: 4.1 6.1 6.2 6.3 6.4 6.5 7.3 7.5
        reflection/curiosity: 4.1 6.2 6.3 6.4 7.5
        reflection/professional-personal-development: 6.2 6.3 6.4 6.6 6.7
        reflection/emotional-response: 4.1 6.2 6.3 6.4 6.7 7.5
        reflection/parallel-process: 6.2
        leading-people/motivating: 6.1 6.2 6.3 6.5
        leading-people/advocacy: 6.4 6.6 6.7
        leading-people/developing-talent: 6.5 7.3 7.5
        leading-people/program-management: 7.2 7.3 7.4 7.5 7.6
        leading-people/program-development: 6.2 6.4 6.5 6.6 6.7 7.2 7.4 7.5 7.6
        leading-people/program-evaluation: 7.6
        leading-people/program-funding: 7.4 7.5 7.6
        research-evaluation/study-of-infant-relationships-attachment: 1.1 2.2 7.6 +
        research-evaluation/study-of-infant-development-behavior: 2.2 6.2
        research-evaluation/study-of-families: 2.2 7.5
    """,
    "iecmhc-imh": """
        6A.1: direct-service-skills/developmental-guidance
        6A.2: theoretical-foundations/relationship-focused-therapeutic-practice theoretical-foundations/relationship-focused-therapeutic-practice
        6A.3: theoretical-foundations/family-relationships-dynamics direct-service-skills/responding-with-empathy
        6A.4: thinking/solving-problems working-with-others/consulting
        6B.1: direct-service-skills/developmental-guidance theoretical-foundations/cultural-humility
        6B.2: direct-service-skills/developmental-guidance
        6C.1: direct-service-skills/developmental-guidance
        6C.2: direct-service-skills/observation-listening working-with-others/collaborating
        6C.3: reflection/self-awareness leading-people/developing-talent
        6D.1: leading-people/program-evaluation
        6D.2: direct-service-skills/developmental-guidance direct-service-skills/intervention-treatment-planning
        6D.3: leading-people/developing-talent
    """,
}


def exported(crosswalk: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(app, ["export", "alignments", crosswalk, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_every_printed_pair_is_exported_and_nothing_else() -> None:
    for crosswalk, reading in READING.items():
        expected = []
        for line in reading.strip().splitlines():
            source, targets = line.split(": ")
            expected += [(source.strip(), t) for t in targets.split()]
        got = [
            (
                row["source_code"],
                row["target_code"] or ("-" if row["relation"] == "noMatch" else "+"),
            )
            for row in exported(crosswalk)
        ]
        assert got == expected, crosswalk


def test_no_match_and_outside_rows_have_an_empty_target_and_say_why() -> None:
    rows = exported("imh-wv-ckc-2015")
    targetless = [r for r in rows if not r["target_code"]]
    assert len(targetless) == 5
    assert all(
        r["target_name"] == "" and r["note"] for r in targetless if r["relation"] != "noMatch"
    )
    therapies = next(r for r in targetless if "therapies" in r["source_code"])
    assert therapies["relation"] == "noMatch"
    assert therapies["note"].startswith("I understand as an early childhood provider")
    assert therapies["provenance"] == "seed 000, line 74"


def test_iecmhc_rows_carry_strength_level_and_evidence() -> None:
    rows = exported("iecmhc-imh")
    first = rows[0]
    assert (first["source_code"], first["strength"], first["evidence"][:24]) == (
        "6A.1",
        "Essential",
        "Uses multiple strategies",
    )
    assert sum(r["strength"] == "Essential" for r in rows) == 4  # lines 5, 30, 51, 83
