"""Curation: people and roles, reviewed change sets, history, releases, new editions.

After the first load, data changes only through change sets (:mod:`.changes`): an
editor proposes, a reviewer other than the author approves, and approval applies
every operation in one transaction, leaving one event per changed object in an
append-only log (:mod:`.history`).  Who may do what is one function
(:func:`.permissions.may`); people, tokens and sessions are in :mod:`.people`;
releases freeze a framework or crosswalk under a name (:mod:`.releases`); a new
edition of a framework is matched to the previous one (:mod:`.editions`).

The interfaces (CLI, web pages, JSON API) call these functions and nothing below
them; every function takes the :class:`~.permissions.Actor` doing it.
"""

from __future__ import annotations

from crosswalk.curation.people import grants_of
from crosswalk.curation.permissions import ANONYMOUS, OPERATOR, Action, Actor, Denied, may
from crosswalk.store import Repository
from crosswalk.store.accounts import User


def actor_of(repository: Repository, user: User | None) -> Actor:
    """The actor for a signed-in user (with their grants), or nobody."""
    if user is None or user.disabled:
        return ANONYMOUS
    return Actor(user, tuple(grants_of(repository, user)))


__all__ = ["ANONYMOUS", "OPERATOR", "Action", "Actor", "Denied", "User", "actor_of", "may"]
