"""The readiness page in a real Chromium, at phone and desktop widths, checked with axe.

Screenshots go to ``test-artifacts/`` for a person to look at; axe-core comes from
``make axe`` (see ``axe.py``).  The transcript is the WV STARS history of
tests/readiness/conftest.py, written as CSV.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from axe import violations

from chromium import ARTIFACTS

pytestmark = pytest.mark.browser


ROOT = Path(__file__).resolve().parents[2]

# Three years of a home visitor's trainings (the first rows of the readiness fixture).
ROWS = [
    ("Training Title", "Date Completed", "Clock Hours", "CKC Competencies"),
    ("Infant and Toddler Development: The First Three Years", "01/15/2022", "3", "1.1; 1.7"),
    ("Supporting Social-Emotional Development", "02/10/2022", "2", "1.3; 1.4"),
    ("Ages and Stages Screening", "09/13/2022", "2", "3.2"),
    ("Family Partnerships in Home Visiting", "03/21/2023", "3", "2.1; 2.2"),
    ("Reflective Consultation in Early Childhood Settings", "11/14/2023", "3", "IECMHC 6A.3"),
    ("Infant Mental Health: Ethics in Home Visiting", "01/09/2024", "2", "IMH: Ethical Practice"),
    ("Learning Environments", "02/01/2024", "2", "4.4"),
]


def _transcript(tmp_path: Path) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(ROWS)
    path = tmp_path / "my-trainings.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


# [width of the element's longest word in its font, width of the element]
LONGEST_WORD = """el => {
  const c = document.createElement('canvas').getContext('2d');
  c.font = getComputedStyle(el).font;
  const words = el.textContent.split(/\\s+|(?<=-)/).filter(Boolean);
  const longest = Math.max(...words.map(w => c.measureText(w).width));
  const range = document.createRange(); range.selectNodeContents(el);
  return [longest, range.getBoundingClientRect().width];
}"""


def _report(browser: Any, live_server: str, width: int, transcript: Path) -> Any:
    # bypass_csp lets the test inject axe; the page itself runs under its policy.
    context = browser.new_context(
        viewport={"width": width, "height": 900}, is_mobile=width < 500, bypass_csp=True
    )
    tab = context.new_page()
    tab.goto(live_server + "/readiness")
    tab.get_by_label("Transcript (CSV or XLSX").set_input_files(str(transcript))
    tab.get_by_label("Endorsement category").select_option("IFS")
    tab.get_by_role("button", name="Make the report").click()
    tab.wait_for_load_state()
    return tab


@pytest.mark.parametrize("width", [390, 720, 1280])
def test_report_reads_on_a_phone_and_a_desktop(
    browser: Any, live_server: str, tmp_path: Path, width: int
) -> None:
    tab = _report(browser, live_server, width, _transcript(tmp_path))
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"30-readiness-{width}.png"), full_page=False)
        assert "Endorsement® readiness: IFS" in tab.locator("h1").inner_text()
        # No sideways scrolling, and a page far shorter than the 52,000 px it was.
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        assert tab.evaluate("document.documentElement.scrollHeight") < 16000
        # QA: "covered" wrapped mid-word.  No name or state label breaks inside a word:
        # each is at least as wide as its longest word set in its own font.
        labels = "td.state > span:first-child, table.areas tbody th"
        for label in tab.locator(labels).all():
            longest, wide = label.evaluate(LONGEST_WORD)
            assert longest <= wide + 0.5, label.inner_text()
        states = tab.locator("td.state > span:first-child").all_inner_texts()
        assert set(states) <= {"covered by specific evidence", "touched only", "not covered"}
        # The download buttons sit in one row on a desktop and stack on a phone.
        tops = [
            b["y"]
            for b in tab.locator(".report-downloads button").evaluate_all(
                "bs => bs.map(b => b.getBoundingClientRect())"
            )
        ]
        assert len(tops) == 3
        assert (len(set(tops)) == 1) == (width > 500)
        # Words of the 4.4 problem are not "did you mean".
        problems = tab.locator("table.problems").inner_text()
        assert "do not print" in problems and "did you mean" not in problems
        assert violations(tab) == []
    finally:
        tab.context.close()


def test_an_error_takes_the_focus_and_marks_the_field(
    browser: Any, live_server: str, tmp_path: Path
) -> None:
    bad = tmp_path / "crosswalk.csv"
    header = "crosswalk,position,source_code,target_code,relation,strength,level,evidence"
    bad.write_text(header + "\n", encoding="utf-8")
    tab = _report(browser, live_server, 390, bad)
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "31-readiness-error-390.png"), full_page=False)
        focused = tab.evaluate("document.activeElement.id")
        assert focused == "readiness-error"
        assert "not a training transcript" in tab.locator("#readiness-error").inner_text()
        field = tab.get_by_label("Transcript (CSV or XLSX")
        assert field.get_attribute("aria-invalid") == "true"
        assert violations(tab) == []
    finally:
        tab.context.close()
