"""A filled-in example transcript: the quickest way to show what a readable file looks like.

Examples teach better than a list of accepted header names, so the template is a small,
realistic transcript — CKC-coded trainings as WV STARS lists them, one IECMHC-coded
session, one IMH knowledge area named directly, one reflective-supervision entry —
that the readiness report reads without a single problem.
"""

from __future__ import annotations

import io

from crosswalk.formats.tabular import write_records

COLUMNS = ("Title", "Date", "Clock Hours", "Provider", "Codes", "Framework", "Type")

EXAMPLE_ROWS: tuple[tuple[str, str, float, str, str, str, str], ...] = (
    (
        "Infant and Toddler Brain Development",
        "2023-02-11",
        3,
        "WV Birth to Three",
        "1.1; 1.3",
        "CKC",
        "training",
    ),
    (
        "Building Partnerships with Families",
        "2023-04-22",
        2,
        "TRAILS",
        "2.1; 2.2; 3.3",
        "CKC",
        "training",
    ),
    (
        "Observation and Screening in Early Childhood",
        "2023-06-08",
        4,
        "WV Birth to Three",
        "3.1, 3.2, 4.6",
        "CKC",
        "training",
    ),
    (
        "Health, Safety and Child Abuse Prevention",
        "2023-09-14",
        3,
        "WV STARS",
        "5.2; 5.4",
        "CKC",
        "training",
    ),
    ("Ethics and Professionalism", "2024-01-20", 2, "WV STARS", "6.1; 6.3", "CKC", "training"),
    (
        "Reflective Practice for Home Visitors",
        "2024-03-09",
        6,
        "WV-AIMH",
        "6.2; 6.4; 7.5",
        "CKC",
        "training",
    ),
    (
        "Consultation: Sibling and Family Relationships",
        "2024-05-18",
        2,
        "WV-AIMH",
        "6A.3",
        "IECMHC",
        "training",
    ),
    (
        "Cultural Humility in Practice",
        "2024-08-03",
        3,
        "WV-AIMH",
        "Cultural Humility",
        "IMH",
        "training",
    ),
    (
        "Reflective supervision (group)",
        "2024-09-30",
        12,
        "WV-AIMH",
        "",
        "",
        "reflective supervision",
    ),
)


def template_records() -> list[list[object]]:
    """The header and the example rows, ready for any table writer."""
    return [list(COLUMNS), *([*row] for row in EXAMPLE_ROWS)]


def template_csv() -> str:
    out = io.StringIO()
    records = template_records()
    write_records(([f"{v:g}" if isinstance(v, float) else v for v in r] for r in records), out)
    return out.getvalue()


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Transcript"
    for record in template_records():
        sheet.append(record)
    for column, width in zip("ABCDEFG", (44, 12, 12, 20, 18, 12, 22), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
