"""From a transcript's rows to the trainings that count, and what is wrong with each row.

Rows are what a file says; trainings are what the report counts.  The two differ when
a row repeats another (same title and date: one training listed twice, perhaps with
different codes), when a training is dated in the future (it has not happened, so it
brings no hours and no knowledge area), and when its hours are not a plausible number
of clock hours.  Every such decision is a :class:`Problem` naming the row, so nothing
a person wrote disappears without a word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from crosswalk.query.text import normalise
from crosswalk.readiness.cells import CodeRef, number_code_note
from crosswalk.readiness.transcript import Transcript, TranscriptRow

# More clock hours than one row of a transcript can plausibly hold: a semester course
# is about 45, a year-long certificate program a few hundred.  A bigger number is a
# typing error (100000) that would otherwise meet every minimum at once.
MAX_HOURS_PER_ROW = 300
# Endorsement® began in 2002 (Michigan); a training dated before 1950 is a typing error
# (0024-03-01), and would otherwise add seventy empty renewal years to a report.
EARLIEST_YEAR = 1950


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the transcript a person should look at; ``row`` None = whole file.

    ``codes`` are the codes (as written in that row) the problem accounts for: a code
    that brings no evidence is always named by exactly one problem.
    """

    row: int | None
    kind: str  # unknown-code, not-printed, area-level, link-level, future-date, hours …
    message: str
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Training:
    """One training (or supervision session) as counted: its row and any rows repeating it.

    ``hours`` are the clock hours it counts for (0 when the cell is not a plausible
    number); ``counted`` is False for a training dated in the future, which counts for
    nothing.
    """

    row: TranscriptRow
    # Each code with the row it is written in: the first row's, then those a repeating
    # row adds (a code a repeat shares with an earlier row is its duplicate problem's).
    codes: tuple[tuple[TranscriptRow, CodeRef], ...] = ()
    repeats: tuple[int, ...] = ()  # rows listing the same training again
    hours: float = 0.0
    counted: bool = True

    @property
    def number(self) -> int:
        """The row that stands for the training (the first of the rows listing it)."""
        return self.row.row

    @property
    def is_reflective_supervision(self) -> bool:
        return self.row.is_reflective_supervision

    @property
    def date(self) -> str:
        return self.row.date.isoformat() if self.row.date else self.row.date_text


def read_trainings(
    transcript: Transcript, today: dt.date, known_codes: Collection[str]
) -> tuple[list[Training], list[Problem]]:
    """The transcript's trainings in row order, and the problems of its rows."""
    problems: list[Problem] = []
    firsts: dict[tuple[str, str], int] = {}  # (title, date) → index into ``grouped``
    grouped: list[list[TranscriptRow]] = []
    for row in transcript.rows:
        key = (normalise(row.title), row.date.isoformat() if row.date else row.date_text)
        if row.title and key[1] and key in firsts:
            grouped[firsts[key]].append(row)
            continue
        firsts.setdefault(key, len(grouped))
        grouped.append([row])
    trainings = []
    for first, *repeats in grouped:
        hours, trouble = _hours(first, transcript.has_hours_column)
        problems += trouble
        future = first.date is not None and first.date > today
        problems += _row_problems(first, today, future)
        codes = [(first, ref) for ref in first.codes]
        for repeat in repeats:
            added, problem = _repeat(first, repeat, {normalise(r.text) for _, r in codes}, future)
            codes += [(repeat, ref) for ref in added]
            problems.append(problem)
        for row in (first, *repeats):
            problems += [
                Problem(row.row, "code-number", note)
                for number in row.numbers
                if (note := number_code_note(number, known_codes))
            ]
        trainings.append(
            Training(
                first,
                () if future else tuple(codes),
                tuple(r.row for r in repeats),
                0.0 if future else hours,
                not future,
            )
        )
    return trainings, problems


def _hours(row: TranscriptRow, has_column: bool) -> tuple[float, list[Problem]]:
    """The clock hours a row counts for, and the problem when that is not what it says."""
    if not has_column:
        return 0.0, []
    hours = row.hours
    if hours is None:
        message = (
            f"hours {row.hours_text!r} are not a number; counted as 0"
            if row.hours_text
            else "no hours given; counted as 0"
        )
        return 0.0, [Problem(row.row, "hours", message)]
    if hours < 0:
        message = f"hours {row.hours_text} are negative; counted as 0 — check the cell"
        return 0.0, [Problem(row.row, "hours", message)]
    if hours > MAX_HOURS_PER_ROW:
        message = (
            f"{row.hours_text} hours is more than one training can hold "
            f"(over {MAX_HOURS_PER_ROW} clock hours in one row); counted as 0 — check the cell"
        )
        return 0.0, [Problem(row.row, "hours", message)]
    return hours, []


def _row_problems(row: TranscriptRow, today: dt.date, future: bool) -> list[Problem]:
    problems = []
    if not row.title:
        problems.append(Problem(row.row, "no-title", "no training title"))
    if future:
        assert row.date is not None
        written = tuple(ref.text for ref in row.codes)
        codes = f" (codes {', '.join(written)} not counted)" if written else ""
        message = (
            f"date {row.date.isoformat()} is in the future: a training that has not "
            f"happened yet counts for no hours and no knowledge area{codes}"
        )
        problems.append(Problem(row.row, "future-date", message, written))
    elif row.date is None and row.date_text:
        message = f"date {row.date_text!r} is not a date; counted, but in no renewal year"
        problems.append(Problem(row.row, "date", message))
    elif row.date is not None and row.date.year < EARLIEST_YEAR:
        message = (
            f"date {row.date.isoformat()} is before {EARLIEST_YEAR}; counted, but in no "
            "renewal year — check the cell"
        )
        problems.append(Problem(row.row, "date", message))
    if not row.codes and not row.is_reflective_supervision:
        problems.append(Problem(row.row, "no-codes", "no competency codes"))
    return problems


def _repeat(
    first: TranscriptRow, repeat: TranscriptRow, known: set[str], future: bool
) -> tuple[list[CodeRef], Problem]:
    """A row with ``first``'s title and date: the same training, counted once.

    Its codes that the training does not have yet (``known``) are added to it, so two
    rows that split one training's codes lose none; the others are named by the
    returned problem.
    """
    added = [ref for ref in repeat.codes if normalise(ref.text) not in known]
    shared = tuple(ref.text for ref in repeat.codes if normalise(ref.text) in known)
    message = f"repeats row {first.row} (same title and date): one training, counted once"
    if repeat.hours != first.hours:
        message += f"; its hours ({repeat.hours_text or 'none'}) are not added"
    if future:
        return [], Problem(repeat.row, "duplicate", message, tuple(r.text for r in repeat.codes))
    if added:
        message += f"; its codes {', '.join(r.text for r in added)} are added to it"
    if shared:
        message += f"; {', '.join(shared)} {'is' if len(shared) == 1 else 'are'} already there"
    return added, Problem(repeat.row, "duplicate", message, shared)
