"""The one error every exchange format raises, so interfaces catch a single type.

A person fixing a file needs to know *which* file and *where* in it: every message
starts with the file name and names the row, object or field, and every import that
raises one leaves the database exactly as it was.
"""

from __future__ import annotations


class ExchangeError(ValueError):
    """Bad input or an impossible export; the message names the file and the place."""


def located(source: str, where: str, problem: str) -> ExchangeError:
    """``source: where: problem`` — the shape of every exchange error message."""
    return ExchangeError(f"{source}: {where}: {problem}" if where else f"{source}: {problem}")
