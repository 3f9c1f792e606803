"""The one base of every curation error a person can act on (bad name, wrong state,
a value that cannot be used), so interfaces turn them all into a 4xx or a one-line
message the same way."""

from __future__ import annotations


class CurationProblem(ValueError):
    """Something a person asked for that cannot be done; the message says why."""
