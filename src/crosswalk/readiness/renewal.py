"""Renewal: an endorsed professional's training hours, year by year, against the rule.

Endorsement® is renewed every year with a minimum of training hours (15 in the bundled
requirements).  A transcript that spans several years is therefore checked per
calendar year, from the year of its first dated training to the current one, so a
year without any training shows as the gap it is.  Reflective supervision does not
count toward it, and neither does a training in the future or one without a date
(those are counted apart, so the report can say how many).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from crosswalk.readiness.requirements import Requirement
from crosswalk.readiness.trainings import EARLIEST_YEAR, Training


@dataclass(frozen=True, slots=True)
class RenewalYear:
    year: int
    hours: float
    trainings: int
    required: float | None  # None: the requirements state no renewal minimum
    in_progress: bool  # the current year: hours so far

    @property
    def met(self) -> bool | None:
        return None if self.required is None else self.hours >= self.required

    @property
    def missing(self) -> float:
        """Hours still to take this year (0 when met or when no minimum is stated)."""
        return max((self.required or 0.0) - self.hours, 0.0)


@dataclass(frozen=True, slots=True)
class Renewal:
    required: Requirement | None
    years: tuple[RenewalYear, ...]
    undated: int  # counted trainings without a (plausible) date: in no year


def check_renewal(
    trainings: Sequence[Training], required: Requirement | None, today: dt.date
) -> Renewal:
    """Training hours per calendar year against ``required`` (hours a year)."""
    hours: dict[int, float] = {}
    counts: dict[int, int] = {}
    undated = 0
    for training in trainings:
        if not training.counted or training.is_reflective_supervision:
            continue
        date = training.row.date
        if date is None or date.year < EARLIEST_YEAR:
            undated += 1
            continue
        hours[date.year] = hours.get(date.year, 0.0) + training.hours
        counts[date.year] = counts.get(date.year, 0) + 1
    minimum = float(required.value) if required is not None else None
    first = min(hours, default=None)
    years = (
        tuple(
            RenewalYear(
                year, hours.get(year, 0.0), counts.get(year, 0), minimum, year == today.year
            )
            for year in range(first, today.year + 1)
        )
        if first is not None
        else ()
    )
    return Renewal(required, years, undated)
