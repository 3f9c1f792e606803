"""Sample transcripts for the readiness tests, shaped like real ones.

``WV_TRAININGS`` is a West Virginia home visitor's WV STARS history: 40 trainings over
three years (2022–2024), each tagged with the CKC codes STARS gives it, plus one
consultation training tagged with an IECMHC item and one IMH-coded ethics session.
The codes were chosen by hand to leave gaps (no CKC area 4, 6 or 7 codes, no 2.3, 2.5,
3.3–3.6, 5.3, 5.4, 5.6, 5.7, 1.9), so the expected coverage in the tests is informative
rather than "everything".
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from crosswalk.catalog import Catalog
from crosswalk.sources.bundled import load_bundled

HEADER = ("Training Title", "Date Completed", "Clock Hours", "Sponsor", "CKC Competencies")

# (title, date, clock hours, sponsor, codes as STARS prints them). Hours total 73.
WV_TRAININGS: tuple[tuple[str, str, float, str, str], ...] = (
    ("Infant and Toddler Development: The First Three Years", "01/15/2022", 3,
     "WV Birth to Three", "1.1; 1.7"),
    ("Supporting Social-Emotional Development", "02/10/2022", 2, "TRAILS", "1.3; 1.4"),
    ("Motor Development Milestones", "03/05/2022", 1.5, "WVECTCR", "1.6"),
    ("Early Literacy for Infants", "03/22/2022", 2, "WV STARS", "1.8"),
    ("Play-Based Learning", "04/12/2022", 1.5, "WVECTCR", "1.10"),
    ("Self-Help Skills in Toddlers", "05/03/2022", 1, "WVECTCR", "1.5"),
    ("Developmentally Appropriate Practice", "05/19/2022", 3, "WV STARS", "1.2"),
    ("Respecting Family Cultures", "06/08/2022", 2, "TRIO", "2.1"),
    ("Communicating with Families", "06/30/2022", 2, "TRIO", "2.2"),
    ("Connecting Families to Resources", "07/14/2022", 1.5, "WV Birth to Three", "2.4"),
    ("Child Observation Basics", "08/09/2022", 3, "WV Birth to Three", "3.1"),
    ("Ages and Stages Screening", "09/13/2022", 2, "WV Birth to Three", "3.2"),
    ("Nutrition for Infants and Toddlers", "10/04/2022", 1, "WV STARS", "5.5"),
    ("Health Practices in Child Care", "10/25/2022", 2, "WV STARS", "5.1"),
    ("Preventing Illness and Injury", "11/15/2022", 1.5, "WV STARS", "5.2"),
    ("Brain Development and Early Experiences", "01/17/2023", 2, "WVECTCR", "CKC 1.1, 1.7"),
    ("Temperament and Goodness of Fit", "02/07/2023", 2, "TRAILS", "1.3"),
    ("Helping Toddlers Cope with Big Feelings", "02/28/2023", 1.5, "TRAILS", "1.4; 1.3"),
    ("Family Partnerships in Home Visiting", "03/21/2023", 3, "TRIO", "2.1; 2.2"),
    ("Language Development Birth to Three", "04/11/2023", 2, "WV STARS", "1.8, 1.1"),
    ("Using Observation to Plan", "05/02/2023", 2, "WVECTCR", "3.1; 1.2"),
    ("Developmental Screening Refresher", "05/23/2023", 1, "WV Birth to Three", "3.2"),
    ("Outdoor Play and Gross Motor Skills", "06/13/2023", 1.5, "WVECTCR", "1.6 1.10"),
    ("Safe Sleep", "07/11/2023", 1, "WV STARS", "5.2"),
    ("Healthy Eating Habits", "08/01/2023", 1, "WV STARS", "5.5; 5.1"),
    ("Community Resources for Families", "08/22/2023", 2, "WV Birth to Three", "2.4"),
    ("Cultural Responsiveness with Families", "09/12/2023", 2, "TRIO", "2.1"),
    ("Thinking Skills in Toddlers", "10/03/2023", 1.5, "WVECTCR", "1.7"),
    ("Independence and Self-Help", "10/24/2023", 1, "WVECTCR", "1.5"),
    ("Reflective Consultation in Early Childhood Settings", "11/14/2023", 3, "WV-AIMH",
     "IECMHC 6C.3"),
    ("Infant Mental Health: Ethics in Home Visiting", "01/09/2024", 2, "WV-AIMH",
     "IMH: Ethical Practice"),
    ("Social-Emotional Screening", "01/30/2024", 2, "WV Birth to Three", "3.2; 1.3"),
    ("Conversations with Families about Development", "02/20/2024", 2, "TRIO", "2.2"),
    ("Supporting Early Language at Home", "03/12/2024", 1.5, "WV STARS", "1.8"),
    ("Infant Development Update", "04/02/2024", 2, "WVECTCR", "1.1"),
    ("Feeding Relationships", "04/23/2024", 1.5, "WV STARS", "5.1; 2.1"),
    ("Injury Prevention Outdoors", "05/14/2024", 1, "WV STARS", "5.2"),
    ("Play Across Domains", "06/04/2024", 2, "WVECTCR", "1.10"),
    ("Planning Home Visits with Observations", "07/16/2024", 2, "WV Birth to Three", "1.2; 3.1"),
    ("Referral Pathways for Families", "08/06/2024", 1.5, "WV Birth to Three", "2.4"),
)  # fmt: skip


def csv_text(header: tuple[str, ...], rows: tuple[tuple[object, ...], ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([f"{v:g}" if isinstance(v, float) else v for v in row])
    return out.getvalue()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled dataset: the expectations below are worked out from its tables."""
    return Catalog(load_bundled())


@pytest.fixture
def wv_csv(tmp_path: Path) -> Path:
    path = tmp_path / "stars-transcript.csv"
    path.write_text(csv_text(HEADER, WV_TRAININGS), encoding="utf-8")
    return path


@pytest.fixture
def wv_xlsx(tmp_path: Path) -> Path:
    """The same transcript as a workbook, with real dates and numbers in the cells."""
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["WV STARS Training Transcript — Jane Doe"])  # a title line above the header
    sheet.append(list(HEADER))
    for title, date, hours, sponsor, codes in WV_TRAININGS:
        sheet.append([title, dt.datetime.strptime(date, "%m/%d/%Y"), hours, sponsor, codes])
    path = tmp_path / "stars-transcript.xlsx"
    workbook.save(path)
    return path
