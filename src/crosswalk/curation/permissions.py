"""Who may do what: one function, :func:`may`, that every interface asks.

* Anyone, signed in or not, reads what is published.
* An **admin** may do everything, and manages people.
* On a framework or crosswalk (or everywhere, for a grant without one):
  an **editor** proposes changes; a **reviewer** approves or rejects them; an
  **owner** — the association's coordinator for it — does both, grants editor and
  reviewer there, releases it and starts its new editions.
* Nobody approves or rejects their own change set.
* A draft (any change set not yet approved) and its preview are visible to its author
  and to the people with a role where it makes changes.

A fresh install has no users, so nothing can be written through the web app or the
API until someone adds an admin (``crosswalk user add NAME --role admin``); the
command line, which has the database itself, acts as the :data:`OPERATOR`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from crosswalk.store.accounts import Grant, User
from crosswalk.store.repository import OPERATOR as OPERATOR_TEXT


class Action(StrEnum):
    READ = "read"
    PROPOSE = "propose"
    REVIEW = "review"
    GRANT = "grant"
    RELEASE = "release"
    NEW_EDITION = "new-edition"
    IMPORT = "import"  # apply changes at once, without review
    MANAGE_PEOPLE = "manage-people"


# Which roles allow each action on a scope (admins may do everything).
ROLES_FOR: dict[Action, frozenset[str]] = {
    Action.PROPOSE: frozenset({"editor", "owner"}),
    Action.REVIEW: frozenset({"reviewer", "owner"}),
    Action.GRANT: frozenset({"owner"}),
    Action.RELEASE: frozenset({"owner"}),
    Action.NEW_EDITION: frozenset({"owner"}),
    Action.IMPORT: frozenset(),
    Action.MANAGE_PEOPLE: frozenset(),
}

Scope = tuple[str, str]  # ("framework", "imh") | ("crosswalk", "iecmhc-imh")


class Denied(PermissionError):
    """The action is not allowed; ``signed_in`` tells a 403 from a 401."""

    def __init__(self, message: str, *, signed_in: bool) -> None:
        super().__init__(message)
        self.signed_in = signed_in


@dataclass(frozen=True, slots=True)
class Actor:
    """Someone acting: a signed-in user with their grants, nobody, or the operator."""

    user: User | None = None
    grants: tuple[Grant, ...] = field(default=())
    operator: bool = False

    @property
    def name(self) -> str:
        if self.operator:
            return OPERATOR_NAME
        return self.user.name if self.user is not None else ""

    @property
    def signed_in(self) -> bool:
        return self.operator or (self.user is not None and not self.user.disabled)

    @property
    def is_admin(self) -> bool:
        return self.operator or (self.signed_in and self.user is not None and self.user.admin)

    def roles_on(self, scope: Scope) -> set[str]:
        return {g.role for g in self.grants if g.covers(*scope)}

    def works_on(self, scopes: Iterable[Scope]) -> bool:
        """Whether the actor has any role on any of ``scopes`` (drafts' visibility)."""
        return self.is_admin or any(self.roles_on(s) for s in scopes)


OPERATOR_NAME = OPERATOR_TEXT  # how the command line is named in history
OPERATOR = Actor(operator=True)
ANONYMOUS = Actor()


def may(actor: Actor, action: Action, scope: Scope | None = None) -> bool:
    """Whether ``actor`` may do ``action`` on ``scope`` (None: not about one object)."""
    if action is Action.READ:
        return True
    if not actor.signed_in:
        return False
    if actor.is_admin:
        return True
    allowed = ROLES_FOR[action]
    if scope is None:
        return any(g.role in allowed for g in actor.grants)
    return bool(actor.roles_on(scope) & allowed)


def may_all(actor: Actor, action: Action, scopes: Iterable[Scope]) -> bool:
    """``may`` on every one of ``scopes`` (a change set touching several must be
    allowed on each)."""
    listed = list(scopes)
    if not listed:
        return may(actor, action)
    return all(may(actor, action, s) for s in listed)


def require(actor: Actor, action: Action, scopes: Iterable[Scope] = ()) -> None:
    """Raise :class:`Denied` unless ``actor`` may do ``action`` on every scope."""
    listed = list(scopes)
    if may_all(actor, action, listed):
        return
    if not actor.signed_in:
        raise Denied("sign in first: only signed-in people may change data", signed_in=False)
    where = ", ".join(f"{k} {i}" for k, i in listed) or "this site"
    needed = " or ".join(sorted(ROLES_FOR[action])) or "admin"
    raise Denied(
        f"{actor.name} may not {action.value.replace('-', ' ')} on {where} "
        f"(needs the role {needed} there, or admin)",
        signed_in=True,
    )
