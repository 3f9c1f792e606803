"""People, their grants, tokens, sessions and failed sign-ins, as stored rows.

Only rows here: hashing, throttling policy and who may do what are the curation
library's (:mod:`crosswalk.curation.people`, :mod:`crosswalk.curation.permissions`).
Each function runs on a connection the caller holds, inside its transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from crosswalk.store.curation_tables import (
    ApiTokenRow,
    GrantRow,
    LoginAttemptRow,
    SessionRow,
    UserRow,
)


@dataclass(frozen=True, slots=True)
class User:
    """A person who can sign in (the password hash never leaves the store module)."""

    id: int
    name: str
    admin: bool = False
    disabled: bool = False
    created: str = ""


@dataclass(frozen=True, slots=True)
class Grant:
    """A role on a framework or crosswalk (``scope_kind`` ``all``: everywhere)."""

    user: str
    role: str
    scope_kind: str
    scope_id: str = ""

    def covers(self, kind: str, scope_id: str) -> bool:
        return self.scope_kind == "all" or (self.scope_kind, self.scope_id) == (kind, scope_id)

    def __str__(self) -> str:
        where = "everywhere" if self.scope_kind == "all" else f"{self.scope_kind} {self.scope_id}"
        return f"{self.role} on {where}"


@dataclass(frozen=True, slots=True)
class Token:
    id: int
    user: str
    label: str
    created: str
    last_used: str | None
    revoked: str | None


def _user(row: Any) -> User:
    return User(row.id, row.name, bool(row.admin), bool(row.disabled), row.created)


# -- users -------------------------------------------------------------------------------


def insert_user(
    connection: Connection, name: str, password_hash: str, admin: bool, created: str
) -> User:
    result = connection.execute(
        insert(UserRow).values(
            name=name, password_hash=password_hash, admin=admin, disabled=False, created=created
        )
    )
    return User(int(result.inserted_primary_key[0]), name, admin, False, created)  # type: ignore[index]


def user_named(connection: Connection, name: str) -> tuple[User, str] | None:
    """The user and their password hash."""
    row = connection.execute(select(UserRow).where(UserRow.name == name)).first()
    return None if row is None else (_user(row), row.password_hash)


def user_by_id(connection: Connection, user_id: int) -> User | None:
    row = connection.execute(select(UserRow).where(UserRow.id == user_id)).first()
    return None if row is None else _user(row)


def users(connection: Connection) -> list[User]:
    return [_user(r) for r in connection.execute(select(UserRow).order_by(UserRow.name))]


def count_users(connection: Connection) -> int:
    return len(list(connection.scalars(select(UserRow.id))))


def set_user(connection: Connection, user_id: int, **values: Any) -> None:
    connection.execute(update(UserRow).where(UserRow.id == user_id).values(**values))


# -- grants ------------------------------------------------------------------------------


def grants_of(connection: Connection, user_id: int) -> list[Grant]:
    query = (
        select(UserRow.name, GrantRow.role, GrantRow.scope_kind, GrantRow.scope_id)
        .join(UserRow, UserRow.id == GrantRow.user_id)
        .where(GrantRow.user_id == user_id)
        .order_by(GrantRow.scope_kind, GrantRow.scope_id, GrantRow.role)
    )
    return [Grant(*row) for row in connection.execute(query)]


def all_grants(connection: Connection) -> list[Grant]:
    query = (
        select(UserRow.name, GrantRow.role, GrantRow.scope_kind, GrantRow.scope_id)
        .join(UserRow, UserRow.id == GrantRow.user_id)
        .order_by(UserRow.name, GrantRow.scope_kind, GrantRow.scope_id, GrantRow.role)
    )
    return [Grant(*row) for row in connection.execute(query)]


def add_grant(
    connection: Connection, user_id: int, role: str, scope_kind: str, scope_id: str, created: str
) -> bool:
    """Add a grant; False when the user had it already."""
    exists = connection.scalar(
        select(GrantRow.id).where(
            GrantRow.user_id == user_id,
            GrantRow.role == role,
            GrantRow.scope_kind == scope_kind,
            GrantRow.scope_id == scope_id,
        )
    )
    if exists is not None:
        return False
    connection.execute(
        insert(GrantRow).values(
            user_id=user_id, role=role, scope_kind=scope_kind, scope_id=scope_id, created=created
        )
    )
    return True


def remove_grant(
    connection: Connection, user_id: int, role: str, scope_kind: str, scope_id: str
) -> bool:
    result = connection.execute(
        delete(GrantRow).where(
            GrantRow.user_id == user_id,
            GrantRow.role == role,
            GrantRow.scope_kind == scope_kind,
            GrantRow.scope_id == scope_id,
        )
    )
    return bool(result.rowcount)


# -- tokens ------------------------------------------------------------------------------


def insert_token(
    connection: Connection, user_id: int, label: str, token_hash: str, created: str
) -> int:
    result = connection.execute(
        insert(ApiTokenRow).values(
            user_id=user_id,
            label=label,
            token_hash=token_hash,
            created=created,
            last_used=None,
            revoked=None,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


_USER_COLUMNS = (
    UserRow.id.label("user_id"),
    UserRow.name,
    UserRow.admin,
    UserRow.disabled,
    UserRow.created.label("user_created"),
)


def _joined_user(row: Any) -> User:
    return User(row.user_id, row.name, bool(row.admin), bool(row.disabled), row.user_created)


def token_owner(connection: Connection, token_hash: str) -> tuple[int, User, str | None] | None:
    """(token id, its user, when last used) for a live token, else None."""
    row = connection.execute(
        select(ApiTokenRow.id, ApiTokenRow.last_used, *_USER_COLUMNS)
        .join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .where(ApiTokenRow.token_hash == token_hash, ApiTokenRow.revoked.is_(None))
    ).first()
    if row is None:
        return None
    return row.id, _joined_user(row), row.last_used


def touch_token(connection: Connection, token_id: int, when: str) -> None:
    connection.execute(update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used=when))


def tokens(connection: Connection, user_id: int | None = None) -> list[Token]:
    query = (
        select(
            ApiTokenRow.id,
            UserRow.name,
            ApiTokenRow.label,
            ApiTokenRow.created,
            ApiTokenRow.last_used,
            ApiTokenRow.revoked,
        )
        .join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .order_by(ApiTokenRow.id)
    )
    if user_id is not None:
        query = query.where(ApiTokenRow.user_id == user_id)
    return [Token(*row) for row in connection.execute(query)]


def revoke_token(connection: Connection, token_id: int, when: str) -> bool:
    result = connection.execute(
        update(ApiTokenRow)
        .where(ApiTokenRow.id == token_id, ApiTokenRow.revoked.is_(None))
        .values(revoked=when)
    )
    return bool(result.rowcount)


# -- sessions ----------------------------------------------------------------------------


def insert_session(
    connection: Connection, id_hash: str, user_id: int, csrf: str, now: float, expires: float
) -> None:
    connection.execute(delete(SessionRow).where(SessionRow.expires < now))
    connection.execute(
        insert(SessionRow).values(
            id_hash=id_hash, user_id=user_id, csrf_token=csrf, created=now, expires=expires
        )
    )


def session_user(connection: Connection, id_hash: str, now: float) -> tuple[User, str] | None:
    """The signed-in user and the session's CSRF token, for a live session."""
    row = connection.execute(
        select(SessionRow.csrf_token, *_USER_COLUMNS)
        .join(UserRow, UserRow.id == SessionRow.user_id)
        .where(SessionRow.id_hash == id_hash, SessionRow.expires > now)
    ).first()
    return None if row is None else (_joined_user(row), row.csrf_token)


def delete_session(connection: Connection, id_hash: str) -> None:
    connection.execute(delete(SessionRow).where(SessionRow.id_hash == id_hash))


def delete_sessions_of(connection: Connection, user_id: int) -> None:
    connection.execute(delete(SessionRow).where(SessionRow.user_id == user_id))


# -- failed sign-ins ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attempts:
    failures: int
    last_failure: float
    locked_until: float


def attempts(connection: Connection, keys: list[str]) -> dict[str, Attempts]:
    rows = connection.execute(select(LoginAttemptRow).where(LoginAttemptRow.key.in_(keys)))
    return {r.key: Attempts(r.failures, r.last_failure, r.locked_until) for r in rows}


def put_attempts(connection: Connection, key: str, value: Attempts, existed: bool) -> None:
    values = {
        "failures": value.failures,
        "last_failure": value.last_failure,
        "locked_until": value.locked_until,
    }
    if existed:
        connection.execute(update(LoginAttemptRow).where(LoginAttemptRow.key == key).values(values))
    else:
        connection.execute(insert(LoginAttemptRow).values(key=key, **values))


def clear_attempts(connection: Connection, key: str) -> None:
    connection.execute(delete(LoginAttemptRow).where(LoginAttemptRow.key == key))
