"""People: accounts, roles, API tokens, sessions and signing in.

Passwords are kept only as argon2id hashes (``argon2-cffi``, its recommended
parameters); API tokens and session ids only as SHA-256 digests of random values, so
a copy of the database lets nobody in.  Sessions and failed sign-ins live in the
database, so several app processes behind a load balancer agree on both.

Signing in gives the same answer, after the same work, whether the name is unknown or
the password wrong: an unknown name is checked against a dummy hash.  Failed attempts
are counted per name and per client address; past a few, each further attempt waits
twice as long as the last (up to 15 minutes), and a success clears the name's count.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from crosswalk.curation.errors import CurationProblem
from crosswalk.curation.permissions import OPERATOR, Action, Actor, Denied, Scope, may, require
from crosswalk.store import Cause, Repository, StoreError
from crosswalk.store import accounts as rows
from crosswalk.store.accounts import Grant, Token, User
from crosswalk.store.changes import versions
from crosswalk.store.changesets import utc_now

__all__ = ["Grant", "PeopleError", "SignInRefused", "SignedIn", "Token", "User"]

ROLES = ("editor", "reviewer", "owner")
# What ``crosswalk user add --role`` accepts: admin, a role everywhere, or none.
ACCOUNT_ROLES = ("admin", "editor", "reviewer", "viewer")
SCOPE_KINDS = ("framework", "crosswalk")
MIN_PASSWORD = 10
SESSION_SECONDS = 12 * 3600
TOKEN_PREFIX = "cw_"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")

# Throttling: failures allowed before waits begin, per name and per address; the wait
# doubles with each further failure up to MAX_WAIT; a quiet WINDOW forgets them.
FREE_FAILURES = {"name": 5, "address": 20}
MAX_WAIT = 900.0
WINDOW = 900.0
# A token's "last used" is written at most this often (seconds), not on every call.
TOUCH_INTERVAL = 60


class PeopleError(CurationProblem):
    """Bad input about people; the message says what to do instead."""


class SignInRefused(PeopleError):
    """Signing in failed; ``retry_after`` is set when attempts are throttled."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new session: the secret goes in the cookie, ``csrf`` in every form."""

    user: User
    secret: str
    csrf: str
    expires: float


_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise PeopleError(
            f"{name!r} is not a usable name: 1–64 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit"
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise PeopleError(f"a password needs at least {MIN_PASSWORD} characters")
    return password


# -- accounts ----------------------------------------------------------------------------


def add_user(
    repository: Repository,
    name: str,
    password: str,
    role: str = "viewer",
    *,
    actor: Actor = OPERATOR,
) -> User:
    """A new account: ``admin``; ``editor`` or ``reviewer`` everywhere; or ``viewer``
    (signs in and reads; roles on single frameworks and crosswalks come by :func:`grant`)."""
    require(actor, Action.MANAGE_PEOPLE)
    check_name(name)
    check_password(password)
    if role not in ACCOUNT_ROLES:
        raise PeopleError(f"unknown role {role!r}; choose one of {', '.join(ACCOUNT_ROLES)}")
    password_hash = _hasher.hash(password)
    with repository.writing() as connection:
        if rows.user_named(connection, name) is not None:
            raise PeopleError(f"a user named {name!r} exists already")
        now = utc_now()
        user = rows.insert_user(connection, name, password_hash, role == "admin", now)
        if role in ROLES:
            rows.add_grant(connection, user.id, role, "all", "", now)
    return user


def find_user(repository: Repository, name: str) -> User:
    with repository.engine.connect() as connection:
        found = rows.user_named(connection, name)
    if found is None:
        raise PeopleError(f"no user named {name!r} (see: crosswalk user list)")
    return found[0]


def list_users(
    repository: Repository, *, actor: Actor = OPERATOR
) -> list[tuple[User, list[Grant]]]:
    require(actor, Action.MANAGE_PEOPLE)
    with repository.engine.connect() as connection:
        return [(u, rows.grants_of(connection, u.id)) for u in rows.users(connection)]


def has_users(repository: Repository) -> bool:
    with repository.engine.connect() as connection:
        return rows.count_users(connection) > 0


def grants_of(repository: Repository, user: User) -> list[Grant]:
    with repository.engine.connect() as connection:
        return rows.grants_of(connection, user.id)


def set_password(
    repository: Repository, name: str, password: str, *, actor: Actor = OPERATOR
) -> None:
    """A new password (your own, or anyone's for an admin); every session of the user ends."""
    if actor.name != name:
        require(actor, Action.MANAGE_PEOPLE)
    check_password(password)
    user = find_user(repository, name)
    password_hash = _hasher.hash(password)
    with repository.writing() as connection:
        rows.set_user(connection, user.id, password_hash=password_hash)
        rows.delete_sessions_of(connection, user.id)


def set_disabled(
    repository: Repository, name: str, disabled: bool, *, actor: Actor = OPERATOR
) -> User:
    """Disable (or enable again) an account; a disabled one's sessions end at once."""
    require(actor, Action.MANAGE_PEOPLE)
    user = find_user(repository, name)
    with repository.writing() as connection:
        rows.set_user(connection, user.id, disabled=disabled)
        if disabled:
            rows.delete_sessions_of(connection, user.id)
    return User(user.id, user.name, user.admin, disabled, user.created)


def set_admin(repository: Repository, name: str, admin: bool, *, actor: Actor = OPERATOR) -> None:
    require(actor, Action.MANAGE_PEOPLE)
    user = find_user(repository, name)
    with repository.writing() as connection:
        rows.set_user(connection, user.id, admin=admin)


def grant(
    repository: Repository,
    name: str,
    role: str,
    scope_kind: str,
    scope_id: str,
    *,
    actor: Actor = OPERATOR,
) -> bool:
    """Give ``name`` ``role`` on a framework or crosswalk; False if they had it.  An
    owner there may give editor and reviewer; only an admin makes owners."""
    _may_grant(actor, role, scope_kind, scope_id)
    user, kind = _grant_args(repository, name, role, scope_kind, scope_id)
    with repository.writing() as connection:
        if kind != "all" and not versions(connection, kind, [scope_id]):
            raise PeopleError(f"unknown {kind} {scope_id!r}")
        return rows.add_grant(connection, user.id, role, kind, scope_id, utc_now())


def revoke(
    repository: Repository,
    name: str,
    role: str,
    scope_kind: str,
    scope_id: str,
    *,
    actor: Actor = OPERATOR,
) -> bool:
    _may_grant(actor, role, scope_kind, scope_id)
    user, kind = _grant_args(repository, name, role, scope_kind, scope_id)
    with repository.writing() as connection:
        return rows.remove_grant(connection, user.id, role, kind, scope_id)


def owned_scopes(actor: Actor, every: Sequence[Scope]) -> list[Scope]:
    """Which of ``every`` framework and crosswalk ``actor`` may give roles on: all of
    them for an admin, those they own for an owner."""
    return [s for s in every if may(actor, Action.GRANT, s)]


def grants_on(
    repository: Repository, scopes: Sequence[Scope], *, actor: Actor = OPERATOR
) -> list[Grant]:
    """The roles people hold on ``scopes``: what an owner sees of who works on what
    they own (an admin sees everyone's with :func:`list_users`)."""
    require(actor, Action.GRANT, scopes)
    wanted = set(scopes)
    with repository.engine.connect() as connection:
        return [g for g in rows.all_grants(connection) if (g.scope_kind, g.scope_id) in wanted]


def _may_grant(actor: Actor, role: str, scope_kind: str, scope_id: str) -> None:
    if role == "owner" or scope_kind == "all":
        require(actor, Action.MANAGE_PEOPLE)
    else:
        require(actor, Action.GRANT, [(scope_kind, scope_id)])


def _grant_args(
    repository: Repository, name: str, role: str, scope_kind: str, scope_id: str
) -> tuple[User, str]:
    if role not in ROLES:
        raise PeopleError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if scope_kind not in (*SCOPE_KINDS, "all"):
        raise PeopleError("a role is given on a framework or a crosswalk")
    return find_user(repository, name), scope_kind


# -- API tokens --------------------------------------------------------------------------


def create_token(
    repository: Repository, name: str, label: str = "", *, actor: Actor = OPERATOR
) -> tuple[int, str]:
    """A new token for ``name`` (yourself, or anyone for an admin): its id and the
    secret, shown this once only."""
    _own(actor, name)
    user = find_user(repository, name)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with repository.writing() as connection:
        token_id = rows.insert_token(connection, user.id, label, _digest(secret), utc_now())
    return token_id, secret


def revoke_token(repository: Repository, token_id: int, *, actor: Actor = OPERATOR) -> bool:
    """Revoke a token (yours, or anyone's for an admin); False if there is no such live one."""
    with repository.writing() as connection:
        owners = {t.id: t.user for t in rows.tokens(connection)}
        if token_id not in owners:
            return False
        _own(actor, owners[token_id])
        return rows.revoke_token(connection, token_id, utc_now())


def _own(actor: Actor, name: str | None) -> None:
    if name is None or actor.name != name:
        require(actor, Action.MANAGE_PEOPLE)
    elif not actor.signed_in:
        raise Denied("sign in first", signed_in=False)


def list_tokens(
    repository: Repository, name: str | None = None, *, actor: Actor = OPERATOR
) -> list[Token]:
    """Tokens of ``name`` (yourself, or anyone for an admin; None: everyone's)."""
    _own(actor, name)
    user_id = find_user(repository, name).id if name is not None else None
    with repository.engine.connect() as connection:
        return rows.tokens(connection, user_id)


def token_user(repository: Repository, secret: str) -> User | None:
    """The live, enabled user a bearer token belongs to, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    with repository.engine.connect() as connection:
        found = rows.token_owner(connection, _digest(secret))
    if found is None or found[1].disabled:
        return None
    token_id, user, last_used = found
    now = utc_now()
    if last_used is None or _seconds_between(last_used, now) >= TOUCH_INTERVAL:
        try:
            with repository.writing() as connection:
                rows.touch_token(connection, token_id, now)
        except StoreError as error:  # "last used" is bookkeeping: reading goes on
            if error.cause is not Cause.READ_ONLY:
                raise
    return user


def _seconds_between(earlier: str, later: str) -> float:
    def parse(text: str) -> float:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()

    return parse(later) - parse(earlier)


# -- signing in --------------------------------------------------------------------------


def sign_in(
    repository: Repository, name: str, password: str, address: str, now: float | None = None
) -> SignedIn:
    """A session for ``name``, or :class:`SignInRefused` with the same words for an
    unknown name, a wrong password or a disabled account."""
    now = time.time() if now is None else now
    keys = {"name": f"name:{name.strip().lower()}", "address": f"address:{address}"}
    with repository.engine.connect() as connection:
        counted = rows.attempts(connection, list(keys.values()))
        found = rows.user_named(connection, name.strip())
    waits = [a.locked_until - now for a in counted.values() if a.locked_until > now]
    if waits:
        seconds = int(max(waits)) + 1
        raise SignInRefused(
            f"Too many failed attempts; try again in {seconds} seconds.", retry_after=seconds
        )
    user, stored_hash = found if found is not None else (None, _dummy_hash())
    try:
        _hasher.verify(stored_hash, password)
        matched = user is not None and not user.disabled
    except (VerificationError, InvalidHashError):
        matched = False
    if not matched or user is None:
        with repository.writing() as connection:  # committed, then refused
            for kind, key in keys.items():
                _count_failure(connection, key, FREE_FAILURES[kind], now)
        raise SignInRefused("That name and password do not match an account.")
    with repository.writing() as connection:
        rows.clear_attempts(connection, keys["name"])
        if _hasher.check_needs_rehash(stored_hash):
            rows.set_user(connection, user.id, password_hash=_hasher.hash(password))
        secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = now + SESSION_SECONDS
        rows.insert_session(connection, _digest(secret), user.id, csrf, now, expires)
    return SignedIn(user, secret, csrf, expires)


def _count_failure(connection: Connection, key: str, free: int, now: float) -> None:
    """One more failure on ``key``, read and written under the store's write lock."""
    before = rows.attempts(connection, [key]).get(key)
    failures = 1 if before is None or now - before.last_failure > WINDOW else before.failures + 1
    wait = 0.0 if failures < free else min(2.0 ** (failures - free), MAX_WAIT)
    rows.put_attempts(
        connection,
        key,
        rows.Attempts(failures, now, now + wait),
        existed=before is not None,
    )


def session_user(repository: Repository, secret: str) -> tuple[User, str] | None:
    """The user signed in with ``secret`` and the session's CSRF token, or None."""
    with repository.engine.connect() as connection:
        found = rows.session_user(connection, _digest(secret), time.time())
    if found is None or found[0].disabled:
        return None
    return found


def sign_out(repository: Repository, secret: str) -> None:
    with repository.writing() as connection:
        rows.delete_session(connection, _digest(secret))
