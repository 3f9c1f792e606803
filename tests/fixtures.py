"""A small, hand-made dataset shaped like the bundled one.

Three frameworks and two crosswalks, with one real-looking instance of every oddity
the seeds contain: explicit no-match rows (one with a note), a reference outside the
target framework ("T&TA Competencies"), a code printed with its neighbour's statement,
two items sharing a description, a statement printed in a variant wording, a pair
cited twice, an alias naming an area that does not exist, and 1.9 / 1.10 codes.
"""

from __future__ import annotations

from collections.abc import Callable

from click.testing import Result

from crosswalk.catalog import Catalog
from crosswalk.model import (
    Alias,
    Alignment,
    Crosswalk,
    Dataset,
    Framework,
    Item,
    Provenance,
    Relation,
)

# How CLI tests call the command: ``cli("map", "--from", …)`` → the click Result.
Invoke = Callable[..., Result]

SEED_000 = "seed 000"
SEED_002 = "seed 002"
HEALTH_AND_SAFETY = (
    "Demonstrates ability to recognize environmental and caregiving threats to the health "
    "and safety of the infant/very young child and parents, and take appropriate action"
)

CKC = {
    "1.1": "Understands typical and atypical development and multiple factors that "
    "influence development from conception through infancy and early childhood",
    "1.2": "Applies the process of assessment, planning, implementation, and evaluation to "
    "support children's growth through developmentally appropriate practices",
    "1.3": "Encourages children's development of social and emotional skills",
    "1.9": "Encourages and supports Dual Language Learners",
    "1.10": "Facilitates children's play to encourage development across domains",
    "2.1": "Respects families and is responsive to language, culture, family "
    "characteristics, needs, concerns, and priorities",
    "2.4": "Helps connect families with needed resources and services",
    "5.2": "Understands the appropriate precautions and applicable procedures to ensure a "
    "safe learning environment",
    "5.4": "Understands the impact of child abuse and neglect, substance abuse, and "
    "domestic violence on children and families",
    "6.6": "Advocates for children, families, and the early childhood profession",
    "7.6": "Establishes and integrates program philosophy and continuous quality "
    "improvement throughout all aspects of the program",
}
CKC_AREAS = {
    "1": "Child Growth and Development",
    "2": "Family and Community Relationships",
    "5": "Health, Safety, and Nutrition",
    "6": "Professionalism",
    "7": "Program Management",
}


def _lines(document: str, first: int, last: int | None = None) -> Provenance:
    return Provenance(document, first, last or first)


def _imh() -> list[Item]:
    def area(code: str, name: str, position: int) -> Item:
        return Item("imh", code, name, kind="area", position=position)

    def ka(area_code: str, slug: str, name: str, statement: str, line: int, **kw: object) -> Item:
        return Item(
            "imh",
            f"{area_code}/{slug}",
            name,
            statement,
            kind="knowledge-area",
            parent=area_code,
            position=line,
            provenance=_lines(SEED_000, line),
            **kw,  # type: ignore[arg-type]
        )

    tf, dss, refl, lead = (
        "theoretical-foundations",
        "direct-service-skills",
        "reflection",
        "leading-people",
    )
    return [
        area(tf, "Theoretical Foundations", 1),
        ka(
            tf,
            "pregnancy-early-parenthood",
            "Pregnancy and early parenthood",
            "Demonstrates knowledge in the areas of pregnancy, prenatal development and early "
            "parenthood roles",
            5,
        ),
        ka(
            tf,
            "relationship-focused-therapeutic-practice",
            "Relationship focused therapeutic practice",
            "Demonstrates the ability to follow the clinical practice criteria delineated in "
            "the IMH guidelines",
            13,
            tags=("IMHS",),
            aliases=(
                Alias("Relationship-Focused, Therapeutic Practice", "name", _lines(SEED_002, 12)),
            ),
        ),
        ka(
            tf,
            "adult-theory-practice",
            "Adult theory & practice",
            "Promotes, develops, and delivers effective learning interventions",
            17,
            tags=("IMHM",),
        ),
        area(dss, "Direct Service Skills", 4),
        ka(
            dss,
            "observation-listening",
            "Observation & listening",
            "Demonstrates the ability to formally and informally observe the parent(s) or "
            "caregiver(s) and infant/toddler",
            30,
        ),
        ka(dss, "advocacy", "Advocacy", HEALTH_AND_SAFETY, 34),
        ka(dss, "safety", "Safety", HEALTH_AND_SAFETY, 35),
        ka(
            dss,
            "developmental-guidance",
            "Developmental guidance",
            "Demonstrates the ability to offer appropriate developmental guidance to parents "
            "and other caregivers",
            68,
            tags=("IMHS",),
        ),
        ka(
            dss,
            "supportive-counseling",
            "Supportive counseling",
            "Demonstrates ability to offer emotional support to parents or other caregivers",
            72,
            tags=("IMHS",),
        ),
        ka(
            dss,
            "parent-infant-relationship-based-therapies",
            "Parent-infant/very young child relationship-based therapies and practice",
            "Demonstrates capacity to engage in parent-infant relationship-based therapies",
            74,
            tags=("IMHS",),
        ),
        area(refl, "Reflection", 8),
        ka(
            refl,
            "self-awareness",
            "Self-awareness",
            "Understands how one's own experiences affect the work",
            110,
            aliases=(Alias("Self Awareness", "name", _lines(SEED_002, 40)),),
        ),
        area(lead, "Leading People", 9),
        ka(
            lead,
            "advocacy",
            "Advocacy",
            "Promotes the values of infant mental health in policy and practice",
            120,
            tags=("IMHM", "Policy"),
        ),
        ka(
            lead,
            "program-evaluation",
            "Program evaluation",
            "Develops and applies evaluation of programs",
            122,
            tags=("IMHM", "Policy"),
            aliases=(
                Alias("Program Evaluation", "name", _lines(SEED_002, 60)),
                Alias("Administration", "area", _lines(SEED_002, 59)),
            ),
        ),
        ka(
            lead,
            "supervision-mentorship",
            "Supervision & mentorship",
            "Provides supervision and mentorship to staff",
            124,
            tags=("IMHM",),
        ),
    ]


def _ckc() -> list[Item]:
    items = [
        Item("wv-ckc-2015", code, name, kind="area", position=int(code))
        for code, name in CKC_AREAS.items()
    ]
    for position, (code, statement) in enumerate(CKC.items(), start=10):
        aliases: tuple[Alias, ...] = ()
        if code == "1.2":
            aliases = (
                Alias(
                    "Applies the process of assessment, planning, implementation and evaluation "
                    "to support childrens growth through developmentally appropriate practice",
                    "statement",
                    _lines(SEED_000, 47),
                ),
                # The parser keeps every printed wording, the misprint included.
                Alias(CKC["1.1"], "statement", _lines(SEED_000, 105)),
            )
        items.append(
            Item(
                "wv-ckc-2015",
                code,
                statement,
                statement,
                kind="competency",
                parent=code.split(".")[0],
                position=position,
                aliases=aliases,
            )
        )
    return items


def _iecmhc() -> list[Item]:
    domain = Item("iecmhc", "6", "Classroom- and Home-Focused Consultation", kind="domain")
    statements = {
        "6A.1": "Helps families and staff deepen their understanding of how the quality of "
        "adult-infant/young child relationships impacts the way infants experience themselves",
        "6A.2": "Helps families and staff understand and use the power of positive "
        "relationships and adult-infant/young child interactions",
        "6B.2": "Reflects on own reactions to the work and their effect on consultation",
        "6C.1": "Supports staff in observing children's behavior in the classroom",
        "6D.3": "Evaluates the consultation program and its outcomes",
    }
    return [domain] + [
        Item(
            "iecmhc", code, code, text, parent="6", position=n, provenance=_lines(SEED_002, 10 * n)
        )
        for n, (code, text) in enumerate(statements.items(), start=1)
    ]


def _imh_to_ckc() -> list[Alignment]:
    rows: list[tuple[str, list[str]]] = [
        ("theoretical-foundations/pregnancy-early-parenthood", ["1.1", "2.1"]),
        (
            "theoretical-foundations/relationship-focused-therapeutic-practice",
            ["1.1", "1.3", "2.1"],
        ),
        ("direct-service-skills/observation-listening", ["1.2", "1.3", "2.1"]),
        ("direct-service-skills/advocacy", ["1.1", "2.4", "5.4", "6.6"]),
        ("direct-service-skills/safety", ["1.1", "2.1", "5.4"]),
        ("direct-service-skills/developmental-guidance", ["1.1", "1.2", "1.3", "1.9", "1.10"]),
        ("reflection/self-awareness", ["6.6"]),
        ("leading-people/advocacy", ["6.6"]),
        ("leading-people/program-evaluation", ["7.6"]),
    ]
    alignments: list[Alignment] = []

    def add(source: str, target: str | None, **kw: object) -> None:
        line = 100 + len(alignments)
        alignments.append(
            Alignment(
                "imh-wv-ckc-2015",
                source,
                target,
                position=len(alignments),
                provenance=_lines(SEED_000, line),
                **kw,
            )  # type: ignore[arg-type]
        )

    for source, targets in rows:
        for code in targets:
            printed = CKC[code]
            if source.endswith("observation-listening") and code == "1.2":
                printed = CKC["1.1"]  # the seed prints 1.2 with 1.1's statement
            add(source, code, printed_target=f"{code} - {printed}")
    add(
        "theoretical-foundations/adult-theory-practice",
        None,
        note="T&TA Competencies",
        printed_target="T&TA Competencies",
    )
    add(
        "direct-service-skills/supportive-counseling",
        None,
        relation=Relation.NO_MATCH,
        printed_target="Found no corresponding competencies",
    )
    add(
        "direct-service-skills/parent-infant-relationship-based-therapies",
        None,
        relation=Relation.NO_MATCH,
        printed_target="Found no corresponding competencies",
        note="I understand as an early childhood provider, I need to look for community "
        "resources that assist this parent in past trauma, etc",
    )
    return alignments


def _iecmhc_to_imh() -> list[Alignment]:
    rows = [
        (
            "6A.1",
            "direct-service-skills/developmental-guidance",
            "Essential",
            "MHS",
            "Direct Service Skills / Developmental Guidance (MHS)",
            "Uses multiple strategies to help parents/caregivers",
        ),
        (
            "6A.2",
            "theoretical-foundations/relationship-focused-therapeutic-practice",
            "Important",
            "",
            "Theoretical Foundations / Relationship-Focused, Therapeutic Practice",
            "Supports and reinforces each parent's strengths",
        ),
        (
            "6A.2",
            "theoretical-foundations/relationship-focused-therapeutic-practice",
            "Essential",
            "",
            "Theoretical Foundations / Relationship-Focused, Therapeutic Practice",
            "Supports and reinforces each parent's strengths",
        ),
        (
            "6B.2",
            "reflection/self-awareness",
            "Essential",
            "",
            "Reflection / Self Awareness",
            "Examines own feelings and reactions",
        ),
        (
            "6B.2",
            "direct-service-skills/observation-listening",
            "Important",
            "",
            "Direct Service Skills / Observation & Listening",
            "Observes carefully",
        ),
        (
            "6D.3",
            "leading-people/program-evaluation",
            "Important",
            "MHM",
            "Administration / Program Evaluation (MHM)",
            "Designs program evaluation",
        ),
    ]
    return [
        Alignment(
            "iecmhc-imh",
            source,
            target,
            strength=strength,
            level=level,
            printed_target=printed,
            evidence=evidence,
            position=n,
            provenance=_lines(SEED_002, 20 + 4 * n, 23 + 4 * n),
        )
        for n, (source, target, strength, level, printed, evidence) in enumerate(rows)
    ]


def sample_dataset() -> Dataset:
    return Dataset(
        frameworks=[
            Framework("imh", "IMH Competency Guidelines", publisher="MI-AIMH"),
            Framework("wv-ckc-2015", "WV Core Knowledge and Competencies", version="2015"),
            Framework("iecmhc", "IECMHC Competencies"),
        ],
        items=_imh() + _ckc() + _iecmhc(),
        crosswalks=[
            Crosswalk("imh-wv-ckc-2015", "IMH to WV CKC 2015", "imh", "wv-ckc-2015"),
            Crosswalk("iecmhc-imh", "IECMHC to IMH", "iecmhc", "imh"),
        ],
        alignments=_imh_to_ckc() + _iecmhc_to_imh(),
    )


def sample_catalog() -> Catalog:
    return Catalog(sample_dataset())
