"""Reading one cell of a transcript: header names, competency codes, hours and dates.

The vocabulary people use in transcripts lives here, apart from the file handling, so
that adding a header spelling or a framework nickname is a one-line change that the
tests of :mod:`crosswalk.readiness.transcript` then cover.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from crosswalk.codes import PREFIX_FRAMEWORKS, split_code_refs

# How a transcript may name a framework (normalised: lower case, words joined by spaces).
FRAMEWORK_NAMES: dict[str, str] = {
    **PREFIX_FRAMEWORKS,
    "core knowledge": "wv-ckc-2015",
    "core knowledge and competencies": "wv-ckc-2015",
    "imh competencies": "imh",
    "imh competency guidelines": "imh",
    "knowledge area": "imh",
    "knowledge areas": "imh",
}


# Header spellings per column role; compared after normalisation.
HEADERS: dict[str, tuple[str, ...]] = {
    "title": (
        "title",
        "training title",
        "training",
        "training name",
        "course",
        "course title",
        "course name",
        "event",
        "event title",
        "event name",
        "session",
        "session title",
        "workshop",
        "class",
        "name",
        "description",
    ),
    "date": (
        "date",
        "completion date",
        "date completed",
        "completed",
        "training date",
        "session date",
        "event date",
        "end date",
        "start date",
        "attended",
        "date attended",
    ),
    "hours": (
        "hours",
        "clock hours",
        "training hours",
        "credit hours",
        "contact hours",
        "hrs",
        "hours earned",
        "duration",
        "credits",
        "clock hrs",
        "total hours",
    ),
    "provider": (
        "provider",
        "trainer",
        "sponsor",
        "organization",
        "organisation",
        "agency",
        "presenter",
        "instructor",
        "training provider",
        "sponsoring agency",
    ),
    "codes": (
        "codes",
        "code",
        "competencies",
        "competency",
        "competency codes",
        "ckc",
        "ckc codes",
        "core knowledge",
        "core competencies",
        "competency areas",
        "knowledge areas",
        "imh",
        "imh knowledge areas",
        "iecmhc",
        "iecmhc codes",
        "standards",
        "ckc areas",
        "core knowledge and competencies",
    ),
    "framework": ("framework", "code framework", "competency framework", "codes framework"),
    "type": ("type", "activity type", "training type", "kind", "activity", "format"),
}


# A header that is not an exact spelling still counts when it contains one of these.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "framework": ("framework",),
    "hours": ("hour", "hrs"),
    "date": ("date",),
    "codes": ("code", "competenc", "ckc", "iecmhc", "knowledge area"),
    "title": ("title", "training", "course"),
    "provider": ("provider", "trainer", "sponsor", "presenter"),
    "type": ("type",),
}


_HOURS = re.compile(
    r"^(?P<n>-?(?:\d+(?:[.,]\d+)?|[.,]\d+))\s*(?:h|hr|hrs|hour|hours|clock hours?)?\.?$",
    re.IGNORECASE,
)


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%Y/%m/%d",
    "%m-%d-%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
)


@dataclass(frozen=True, slots=True)
class CodeRef:
    """One competency code as the transcript gives it, and its framework if stated."""

    text: str  # as written, e.g. "CKC 2.1"
    code: str  # without the framework prefix: "2.1"
    framework: str | None  # named by a prefix: a framework id or an unrecognised name
    column_framework: str | None = None  # suggested by the column header ("CKC codes")


@lru_cache(maxsize=4096)  # bounded: uploads bring arbitrary text
def normalise_header(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@lru_cache(maxsize=4096)  # bounded: uploads bring arbitrary text
def framework_named(text: str) -> str | None:
    """The framework id a transcript means by ``text`` ("CKC", "WV CKC 2015"), if any."""
    words = normalise_header(text)
    if not words:
        return None
    return FRAMEWORK_NAMES.get(words, words.replace(" ", "-"))


def column_framework(header: str) -> str | None:
    words = normalise_header(header)
    for name in sorted(FRAMEWORK_NAMES, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name)}\b", words):
            return FRAMEWORK_NAMES[name]
    return None


def header_roles(headers: list[str]) -> dict[str, list[int]]:
    """Column indexes per role: exact spellings first, then headers containing a key word.

    Several columns may hold codes (say "CKC" and "IECMHC"); every other role takes the
    first column that fits.
    """
    roles: dict[str, list[int]] = {}
    taken: set[int] = set()
    words = [normalise_header(h) for h in headers]
    for exact in (True, False):
        for column, header in enumerate(words):
            if column in taken or not header:
                continue
            for role in HEADER_WORDS:
                fits = (
                    header in HEADERS[role]
                    if exact
                    else any(word in header for word in HEADER_WORDS[role])
                )
                if fits and (role == "codes" or role not in roles):
                    roles.setdefault(role, []).append(column)
                    taken.add(column)
                    break
    return roles


def cell_codes(text: str, framework: str | None = None) -> list[CodeRef]:
    """The codes in one cell, split by :func:`crosswalk.codes.split_code_refs`.

    A prefix ("CKC", "IECMHC", "IMH") names the framework of its code and of the codes
    after it in the same cell; ``framework`` is the column's suggestion, used when
    nothing more specific is said.
    """
    return [CodeRef(ref.text, ref.code, ref.framework, framework) for ref in split_code_refs(text)]


def one_decimal_number(value: object) -> str:
    """A code cell a spreadsheet stored as a one-decimal number, as shown ("1.1"); else "".

    Excel keeps "1.10" typed into a number cell as 1.1, so such a number could be either
    code; :func:`number_code_note` decides whether that is worth a warning.
    """
    if isinstance(value, bool) or not isinstance(value, float) or value.is_integer():
        return ""
    shown = str(value)
    whole, _, decimals = shown.partition(".")
    return shown if len(decimals) == 1 and whole.isdigit() else ""


def number_code_note(shown: str, known_codes: Collection[str]) -> str:
    """The warning for a one-decimal number ``shown`` read from a code cell, or "".

    It is read as shown; only when the code with the lost zero exists too (1.1 beside
    the CKC's 1.10) could the reading be wrong, so only then is there a warning — 1.3
    and 2.1 are unambiguous, the CKC having no 1.30 or 2.10.
    """
    if not shown or shown + "0" not in known_codes:
        return ""
    return f"code cell is a number ({shown}); if you meant {shown}0 format the column as text"


def parse_hours(value: object) -> float | None:
    """Clock hours from a number or text ("1.5", "2 hrs", "1,5", "1:30"); None if not one.

    A negative number is returned as such: it is a number, and the assessment says
    what is wrong with it rather than calling it "not a number".
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip()
    clock = re.fullmatch(r"(\d+):([0-5]\d)", text)
    if clock:
        return int(clock[1]) + int(clock[2]) / 60
    match = _HOURS.fullmatch(text)
    return float(match["n"].replace(",", ".")) if match else None


def parse_date(value: object) -> dt.date | None:
    """A date from a spreadsheet value or common US/ISO spellings; None if not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = " ".join(str(value or "").replace(".", " ").split()) if value else ""
    text = text.replace(" ,", ",")
    for form in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None
