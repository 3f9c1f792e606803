"""The seed-000 parser on real snippets of the document, and on generated rows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosswalk.sources.errata import SourceLine
from crosswalk.sources.seed000 import SeedFormatError, parse

HEADER = "Area of\tKnowledge Areas\t2015 CKC"


def rows_of(*lines: str):
    source = [SourceLine(n, text) for n, text in enumerate([HEADER, *lines], 1)]
    return parse(source).rows


def test_three_cells_give_area_name_description_and_codes() -> None:
    (row,) = rows_of(
        "Direct Service Skills\tObservation & listening Demonstrates the ability to formally and "
        "informally observe\t 1.2 - Applies the process of assessment 1.3 - Encourages "
        "children's development of social and emotional skills"
    )
    assert (row.area, row.name, row.tag) == ("Direct Service Skills", "Observation & listening", "")
    assert row.description == "Demonstrates the ability to formally and informally observe"
    assert [(c.code, c.statement) for c in row.codes] == [
        ("1.2", "Applies the process of assessment"),
        ("1.3", "Encourages children's development of social and emotional skills"),
    ]


def test_level_tag_and_mentor_tracks() -> None:
    (row,) = rows_of(
        "\tAdvocacy (IMHM) Uses influencing and persuading skills, to promote effective infant "
        "mental health principles, practices, and programs (Policy)\t 6.4 – Exhibits commitment "
        "to ongoing growth and learning",
    )
    assert (row.name, row.tag, row.tracks) == ("Advocacy", "IMHM", ["Policy"])
    consulting = rows_of(
        "Consulting (IMHS) Demonstrates ability to provide training (Clinical) Provides expert "
        "advice (Research/Faculty and Policy)\t 2.3 – Provides families"
    )[0]
    assert consulting.tracks == ["Clinical", "Research/Faculty", "Policy"]


def test_code_ten_is_not_code_one() -> None:
    (row,) = rows_of("Play Demonstrates play\t 1.9 - Encourages 1.10 - Facilitates children's play")
    assert [c.code for c in row.codes] == ["1.9", "1.10"]


def test_markdown_bullets_and_a_description_on_its_own_line() -> None:
    (row,) = rows_of(
        "Life Skills",
        "Demonstrates ability to promote parental competence in facing challenges",
        "- 1.1 Understands typical and atypical development",
        "- **2.1** Respects families and is responsive to language",
    )
    assert row.name == "Life Skills"
    assert row.description.startswith("Demonstrates ability to promote parental competence")
    assert [(c.code, c.statement) for c in row.codes] == [
        ("1.1", "Understands typical and atypical development"),
        ("2.1", "Respects families and is responsive to language"),
    ]
    assert (row.first_line, row.last_line) == (2, 5)


def test_a_statement_continues_after_a_page_break() -> None:
    (row,) = rows_of(
        "Intervention/treatment planning (IMHS)",
        "- 4.3 Works to effectively promote social and emotional development and prevent",
        "",
        "\t challenging behaviors 4.6 – Designs and implements activities",
    )
    assert [(c.code, c.statement, c.line) for c in row.codes] == [
        (
            "4.3",
            "Works to effectively promote social and emotional development and prevent "
            "challenging behaviors",
            3,
        ),
        ("4.6", "Designs and implements activities", 5),
    ]


def test_no_match_keeps_its_note_and_outside_references_are_kept() -> None:
    supportive, therapies, group = rows_of(
        "Supportive counseling (IMHS)\t",
        "Understands and demonstrates ability to offer emotional support\tFound no "
        "corresponding competencies",
        "Parent-infant therapies (IMHS)\tFound no corresponding competencies I understand as an "
        "early childhood provider, I need to look for community resources",
        "\tGroup process (IMHM) Effectively facilitates small groups\t 7.6 - Establishes and "
        "integrates program philosophy T&TA Competencies",
    )
    assert [(r.no_match, r.note) for r in supportive.references] == [(True, "")]
    assert therapies.references[0].note.startswith("I understand as an early childhood provider")
    assert [(c.code, c.statement) for c in group.codes] == [
        ("7.6", "Establishes and integrates program philosophy")
    ]
    assert [(r.no_match, r.printed) for r in group.references] == [(False, "T&TA Competencies")]


def test_a_row_whose_name_is_not_printed_needs_an_erratum() -> None:
    with pytest.raises(SeedFormatError, match=r"line 3: .*name is not printed.*'name' erratum"):
        rows_of(
            "\tSupporting others Demonstrates the capacity to work as a partner\t 1.1 - Knows",
            "Demonstrates the capacity to collaborate with other professionals\t 1.2 - Applies",
        )


def test_codes_before_any_row_are_an_error() -> None:
    with pytest.raises(SeedFormatError, match="line 2"):
        rows_of(" 1.1 - Understands typical development")


statements = st.text(alphabet=st.sampled_from("abcdefghij ,'"), min_size=1, max_size=30).map(
    lambda s: " ".join(["Understands", *s.split()])
)
codes = st.tuples(st.integers(1, 7), st.integers(1, 10)).map(lambda t: f"{t[0]}.{t[1]}")


@given(
    entries=st.lists(st.tuples(codes, statements), min_size=1, max_size=8),
    dash=st.sampled_from([" - ", " – ", " -", "– ", " "]),
    gap=st.sampled_from([" ", "  ", " \u00a0"]),
    bullets=st.booleans(),
)
def test_any_spacing_dash_or_bullet_style_reads_the_same_codes(
    entries: list[tuple[str, str]], dash: str, gap: str, bullets: bool
) -> None:
    if bullets:
        lines = ["Some knowledge area"] + [f"- **{c}** {s}" for c, s in entries]
    else:
        lines = ["Some knowledge area\t" + gap.join(f"{c}{dash}{s}" for c, s in entries)]
    (row,) = rows_of(*lines)
    assert [(c.code, c.statement) for c in row.codes] == entries
