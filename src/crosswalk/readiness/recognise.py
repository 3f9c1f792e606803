"""Telling a transcript from the other spreadsheets a person has at hand.

The readiness page sits next to the crosswalk downloads, so the file most easily picked
by mistake is one of our own exports.  Header reading is tolerant on purpose ("Name"
may be a title column, "Code" a codes column), which means an exported crosswalk
workbook reads as a transcript whose "trainings" are the knowledge areas themselves —
and then "covers" every one of them.  A file whose header is mostly the columns of a
known exchange table is therefore refused, with what it looks like.
"""

from __future__ import annotations

from collections.abc import Sequence

from crosswalk.formats.sheets import SHEETS, canonical
from crosswalk.formats.sssom import COLUMNS as SSSOM_COLUMNS
from crosswalk.query import ALIGNMENT_COLUMNS

# (what the file looks like, the columns that give it away)
_KNOWN: tuple[tuple[str, tuple[str, ...]], ...] = (
    *((f"the {sheet.title} sheet of a crosswalk workbook", sheet.columns) for sheet in SHEETS),
    ("a crosswalk's alignments as exported (one row per link)", ALIGNMENT_COLUMNS),
    ("an SSSOM mapping table", SSSOM_COLUMNS),
)


def looks_like(header: Sequence[str]) -> str:
    """What a table with ``header`` is when it is a known exchange table, else "".

    It is one when at least three of its columns, and at least half of that table's
    columns, are in the header: a transcript may well have "Name", "Code" and
    "Framework" columns, but not also "statement", "parent", "position" and "tags".
    """
    names = {canonical(cell) for cell in header if cell}
    best, label = 0.0, ""
    for known, columns in _KNOWN:
        shared = len(names & set(columns))
        share = shared / len(columns)
        if shared >= 3 and share >= 0.5 and share > best:
            best, label = share, known
    return label


def not_a_transcript(name: str, header: Sequence[str]) -> str:
    """The message refusing a file whose header looks like ``looks_like`` says; else ""."""
    label = looks_like(header)
    if not label:
        return ""
    shown = ", ".join(cell for cell in header[:8] if cell) + (" …" if len(header) > 8 else "")
    return (
        f"{name}: not a training transcript — it looks like {label} (columns {shown}); "
        "a transcript has one row per training with its title, date, hours and codes"
    )
