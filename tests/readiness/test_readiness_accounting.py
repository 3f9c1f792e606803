"""Nothing disappears: every code is evidence or a problem; renewal per year; what is
not a transcript is refused; codes the documents do not print are said to be such.

Expectations are worked out by hand from seed 000 / seed 002 (see the table in
test_readiness_evidence.py) and from the bundled requirements (renewal: 15 training
hours a year).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crosswalk.catalog import Catalog, NotFound
from crosswalk.formats.xlsx import write_xlsx
from crosswalk.query import find_item, map_each, suggestions
from crosswalk.readiness import TranscriptError, assess, read_transcript, to_json
from crosswalk.sources.bundled import load_bundled

TODAY = dt.date(2025, 1, 31)

# A transcript with every way a code can fare (IFS).  Row numbers count the header as 1.
MESSY = (
    "Title,Date,Hours,Codes,Type\n"
    "Child Observation Basics,2024-03-01,2,3.1,training\n"  # 2: evidence
    "Child Observation Basics,2024-03-01,2,3.2; 3.1,training\n"  # 3: 3.2 added; 3.1 repeat
    "Planned Course,2025-06-01,3,5.3; 2.1,training\n"  # 4: in the future
    "Mystery Course,2024-03-02,1,9.9,training\n"  # 5: unknown
    "Learning Environments,2024-03-03,2,CKC 4.4,training\n"  # 6: not printed
    "Reflection Day,2024-03-04,2,Reflection,training\n"  # 7: an area of expertise
    "Parallel Process,2024-03-05,2,IMH Parallel process,training\n"  # 8: IMHS area
    "Consultation,2024-03-06,2,IECMHC 6A.2; IECMHC 6C.2,training\n"  # 9: area/link level
    "Routines,2024-03-07,2,IECMHC 6C.1,training\n"  # 10: MHM link
    'Broad Day,2024-03-08,1,"2.1, Observation & listening",training\n'  # 11: two codes
    "Group supervision,2024-03-09,6,6.2,reflective supervision\n"  # 12: codes on RS count
    "Odd Framework,2024-03-10,1,XYZ 1.1,training\n"  # 13: unknown framework prefix → name
)


def test_every_code_of_every_row_is_evidence_or_a_problem(catalog: Catalog) -> None:
    """Walks the transcript as read and the JSON report: each code written in a row is
    in the evidence of some knowledge area (its ``written`` spelling, its ``rows``) or
    named by exactly one problem of that row — never both, never neither."""
    transcript = read_transcript(MESSY.encode(), "messy.csv")
    data = to_json(assess(catalog, transcript, "IFS", today=TODAY))
    in_evidence = {
        (row, written)
        for area in data["knowledge_areas"]
        for group in area["evidence"]
        for written in group["written"]
        for row in group["rows"]
    }
    named = [(p["row"], code) for p in data["problems"] for code in p["codes"]]
    assert len(named) == len(set(named)), "a code is named by two problems"
    written = [(row.row, ref.text) for row in transcript.rows for ref in row.codes]
    assert len(written) == 16
    for code in written:
        assert (code in in_evidence) != (code in set(named)), code
    # And nothing else is accounted for: no evidence or problem for codes never written.
    assert in_evidence | set(named) == set(written)
    kinds = {(p["row"], p["kind"]) for p in data["problems"] if p["codes"]}
    assert kinds == {
        (3, "duplicate"),
        (4, "future-date"),
        (5, "unknown-code"),
        (6, "not-printed"),
        (7, "no-correspondence"),
        (8, "area-level"),
        (9, "area-level"),  # 6A.2 (its 6C.2 counts: Collaborating)
        (10, "link-level"),
        (13, "unknown-code"),
    }


def test_ckc_4_4_is_named_for_what_it_is(catalog: Catalog) -> None:
    """The CKC numbers area 4 up to 4.6 but seed 000 prints only 4.1, 4.2, 4.3 and 4.6."""
    transcript = read_transcript(MESSY.encode(), "messy.csv")
    report = assess(catalog, transcript, "IFS", today=TODAY)
    (problem,) = [p for p in report.problems if p.row == 6]
    assert problem.message == (
        "code 'CKC 4.4': 4.4 is a code of West Virginia Core Knowledge and Competencies "
        "(2015 CKC) that the source documents do not print (they go from 4.3 to 4.6), so "
        "no statement and no crosswalk link for it are known here"
    )
    assert "did you mean" not in problem.message
    # The same without a prefix, recognised by itself: only the CKC has such a gap.
    unlabelled = read_transcript(b"Title,Hours,Codes\nEnvironments,2,4.5\n", "t.csv")
    (problem,) = assess(catalog, unlabelled, "IFS", today=TODAY).problems
    assert problem.kind == "not-printed" and "4.5 is a code of West Virginia" in problem.message


def test_lookups_say_the_same_about_unprinted_codes() -> None:
    catalog = Catalog(load_bundled())
    with pytest.raises(NotFound) as caught:
        find_item(catalog, "wv-ckc-2015", "4.5")
    assert "do not print (they go from 4.3 to 4.6)" in str(caught.value)
    assert "did you mean" not in str(caught.value)
    (unknown,) = map_each(catalog, "wv-ckc-2015", "imh", ["4.4"]).unknown
    assert unknown.suggestions == () and "do not print" in unknown.reason
    # The item page's and the API's "did you mean" lists come from suggestions().
    assert suggestions(catalog, "wv-ckc-2015", "4.4") == []
    assert suggestions(catalog, "wv-ckc-2015", "4.7")  # past 4.6: maybe a typo
    # Past the last printed code nothing is claimed: 4.7 may not exist.
    with pytest.raises(NotFound, match="did you mean"):
        find_item(catalog, "wv-ckc-2015", "4.7")
    with pytest.raises(NotFound, match="did you mean"):
        find_item(catalog, "iecmhc", "6A.5")


RENEWAL = (
    "Title,Date,Hours,Codes,Type\n"
    "Infant Development Update,2021-02-10,10,1.1,training\n"
    "Ages and Stages,2021-09-15,6,3.2,training\n"
    "Group reflective supervision,2021-10-01,12,,reflective supervision\n"
    "Family Partnerships,2022-03-03,9,2.1,training\n"
    "Safe Sleep,2024-02-20,4,5.2,training\n"
    "Conference keynote,,3,6.4,training\n"
    "Planned course,2024-09-01,6,1.3,training\n"
    "Typo year,0024-03-01,1,1.5,training\n"
)


def test_renewal_is_checked_per_year() -> None:
    """On 1 May 2024: 2021 has 10 + 6 = 16 h (met; supervision does not count); 2022 has
    9 h (6 missing); 2023 none (15 missing); 2024 so far 4 h (11 to take; the September
    course has not happened).  The keynote has no date and the typo year 0024 is no
    plausible date: both in no year (but counted in the initial hours)."""
    catalog = Catalog(load_bundled())
    transcript = read_transcript(RENEWAL.encode(), "history.csv")
    report = assess(catalog, transcript, "IFS", today=dt.date(2024, 5, 1))
    years = [(y.year, y.hours, y.trainings, y.met, y.missing) for y in report.renewal.years]
    assert years == [
        (2021, 16, 2, True, 0),
        (2022, 9, 1, False, 6),
        (2023, 0, 0, False, 15),
        (2024, 4, 1, False, 11),
    ]
    assert [y.in_progress for y in report.renewal.years] == [False, False, False, True]
    assert report.renewal.undated == 2
    assert [p.kind for p in report.problems if p.row == 9] == ["date"]
    # Initial totals: 10 + 6 + 9 + 4 + 3 + 1 = 33 training hours, 12 h of supervision.
    assert report.training_hours.total == 33 and report.training_hours.met is True
    supervision = report.reflective_supervision_hours
    assert (supervision.total, supervision.met) == (12, False)
    data = to_json(report)["renewal"]
    assert data["required_per_year"] == 15
    assert data["years"][1] == {
        "year": 2022,
        "hours": 9,
        "trainings": 1,
        "required": 15,
        "met": False,
        "missing_hours": 6,
        "in_progress": False,
    }


def test_an_exported_crosswalk_workbook_is_not_a_transcript(tmp_path: Path) -> None:
    """Read as a transcript, the Items sheet's names and codes would 'cover' every area."""
    path = write_xlsx(load_bundled(), tmp_path / "crosswalks.xlsx")
    with pytest.raises(TranscriptError) as caught:
        read_transcript(path.read_bytes(), "crosswalks.xlsx")
    message = str(caught.value)
    assert message.startswith("crosswalks.xlsx: not a training transcript — it looks like ")
    assert "Items sheet of a crosswalk workbook" in message


def test_an_exported_alignment_table_is_named_too() -> None:
    from crosswalk.query import ALIGNMENT_COLUMNS

    header = ",".join(ALIGNMENT_COLUMNS)
    with pytest.raises(TranscriptError, match="a crosswalk's alignments as exported"):
        read_transcript(f"{header}\n".encode(), "links.csv")


def test_a_transcript_with_name_code_and_framework_columns_is_still_one(
    catalog: Catalog,
) -> None:
    text = "Name,Date,Hours,Code,Framework,Type\nSafe Sleep,2024-02-20,1,5.2,CKC,training\n"
    report = assess(catalog, read_transcript(text.encode(), "mine.csv"), "IFS", today=TODAY)
    assert report.training_hours.total == 1
    assert [e.code for a in report.areas for e in a.evidence if a.area.name == "Safety"] == ["5.2"]


def test_unprinted_codes_are_told_from_an_index_not_a_scan_per_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each unknown code of a transcript asks every framework whether it is a gap in
    the printed numbering; scanning a 20,000-item framework for each took 187 of a
    transcript's 200 s.  The framework's items are read once per catalog."""
    from crosswalk.query import unprinted_code

    catalog = Catalog(load_bundled())
    scans: list[str] = []
    original = Catalog.items_of

    def counted(self: Catalog, framework: str) -> object:
        scans.append(framework)
        return original(self, framework)

    monkeypatch.setattr(Catalog, "items_of", counted)
    answers = [unprinted_code(catalog, "wv-ckc-2015", f"{n}.{n}") for n in range(1, 300)]
    assert scans.count("wv-ckc-2015") == 1
    assert "do not print (they go from 4.3 to 4.6)" in unprinted_code(catalog, "wv-ckc-2015", "4.5")
    assert unprinted_code(catalog, "wv-ckc-2015", "4.7") == "" == answers[0]
    assert unprinted_code(catalog, "wv-ckc-2015", "4." + "5" * 5000) == ""


def test_a_catalog_indexes_each_framework_once_for_all_transcripts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each upload on the web app is assessed against the one shared catalog: the codes
    and names of a framework are indexed the first time, not again for every upload
    (a 20,000-item framework cost each upload a third of a second)."""
    from crosswalk.readiness import resolve

    built: list[str] = []
    index = resolve._strict_index

    def counted(catalog: Catalog, framework: str) -> resolve._Index:
        built.append(framework)
        return index(catalog, framework)

    monkeypatch.setattr(resolve, "_strict_index", counted)
    catalog = Catalog(load_bundled())
    transcript = read_transcript(MESSY.encode(), "messy.csv")
    first = to_json(assess(catalog, transcript, "IFS", today=TODAY))
    indexed = sorted(built)
    assert indexed and len(set(indexed)) == len(indexed)
    assert to_json(assess(catalog, transcript, "IFS", today=TODAY)) == first
    assert sorted(built) == indexed
