"""Helpers for the curation tests (importable; fixtures live in conftest.py, whose
name clashes between folders when they run together)."""

from __future__ import annotations

from crosswalk.curation import Actor, actor_of, people
from crosswalk.store import Repository

PASSWORD = "correct horse battery"


def person(store: Repository, name: str, role: str = "viewer", **grants: str) -> Actor:
    """A user with ``role`` and, per keyword, a role on one scope:
    ``person(store, "ed", editor="crosswalk:imh-wv-ckc-2015")``."""
    user = people.add_user(store, name, PASSWORD, role)
    for granted, scope in grants.items():
        kind, _, scope_id = scope.partition(":")
        people.grant(store, name, granted, kind, scope_id)
    return actor_of(store, user)
