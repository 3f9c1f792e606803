"""The tables of curation: people, change sets, the event log and releases.

Kept apart from :mod:`crosswalk.store.tables` (the data itself) but on the same
metadata, so one migration history and one schema comparison cover both.  Times that
people read (when a change was made) are ISO 8601 text in UTC, like
``Alignment.created``; times that only the code compares (session expiry, login
throttling) are seconds since the epoch.

The ``events`` table is append-only: rows are only ever inserted (migration 0003 adds
a trigger on each engine that refuses an UPDATE or DELETE), and a release's objects
are never changed once written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from crosswalk.store.tables import Base


class UserRow(Base):
    """A person who signs in.  ``password_hash`` is an argon2 hash, never a password."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    password_hash: Mapped[str] = mapped_column(String)
    admin: Mapped[bool] = mapped_column(Boolean)
    disabled: Mapped[bool] = mapped_column(Boolean)
    created: Mapped[str] = mapped_column(String)


class ApiTokenRow(Base):
    """A token for scripts: only its SHA-256 is stored, so a leaked table grants nothing."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String)
    token_hash: Mapped[str] = mapped_column(String, unique=True)
    created: Mapped[str] = mapped_column(String)
    last_used: Mapped[str | None] = mapped_column(String)
    revoked: Mapped[str | None] = mapped_column(String)


class GrantRow(Base):
    """A role on a framework or a crosswalk; ``scope_kind`` ``all`` means everywhere."""

    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "scope_kind", "scope_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String)  # editor | reviewer | owner
    scope_kind: Mapped[str] = mapped_column(String)  # all | framework | crosswalk
    scope_id: Mapped[str] = mapped_column(String)  # "" for all
    created: Mapped[str] = mapped_column(String)


class SessionRow(Base):
    """A signed-in browser.  Kept in the database so that every app process knows it;
    the cookie holds a random value whose SHA-256 is the key here."""

    __tablename__ = "sessions"

    id_hash: Mapped[str] = mapped_column(String, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String)
    created: Mapped[float] = mapped_column(Float)
    expires: Mapped[float] = mapped_column(Float, index=True)


class LoginAttemptRow(Base):
    """Failed sign-ins per name and per client address, for throttling across processes."""

    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String, primary_key=True)  # name:… | address:…
    failures: Mapped[int] = mapped_column(Integer)
    last_failure: Mapped[float] = mapped_column(Float)
    locked_until: Mapped[float] = mapped_column(Float)


class ChangeSetRow(Base):
    """A proposed change, like a pull request: its operations are in ``operations``
    until approval, and what approval changed is in ``events``."""

    __tablename__ = "change_sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String)  # edit | import | initial | revert | edition
    author: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String, index=True)
    created: Mapped[str] = mapped_column(String)
    updated: Mapped[str] = mapped_column(String)
    reviewer: Mapped[str] = mapped_column(String)
    comment: Mapped[str] = mapped_column(Text)
    reviewed: Mapped[str] = mapped_column(String)
    # The store revision an approval wrote (null until then), and what a revert undoes.
    applied_revision: Mapped[int | None] = mapped_column(Integer)
    reverts: Mapped[int | None] = mapped_column(Integer, ForeignKey("change_sets.id"))


class OperationRow(Base):
    """One proposed add, update or remove of one object, with the revision it was based on.

    ``before`` is the object as the author saw it (at revision ``base``), ``after`` what
    it should become; both are the JSON states of :mod:`crosswalk.states`.
    """

    __tablename__ = "operations"
    __table_args__ = (UniqueConstraint("change_set_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_set_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("change_sets.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String)  # add | update | remove
    kind: Mapped[str] = mapped_column(String)  # framework | item | crosswalk | alignment
    key: Mapped[str] = mapped_column(String)
    base: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text)


class EventRow(Base):
    """One change to one object, appended when it was applied; never updated or deleted.

    ``revision`` is the store revision of the write, ``version`` the object's revision
    after it (for a removal, one past the last, so that a later re-add continues).
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_kind_key", "kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    revision: Mapped[int] = mapped_column(Integer, index=True)
    change_set_id: Mapped[int] = mapped_column(Integer, ForeignKey("change_sets.id"), index=True)
    at: Mapped[str] = mapped_column(String)
    actor: Mapped[str] = mapped_column(String)
    action: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    key: Mapped[str] = mapped_column(String)
    # Where the object belongs (its framework or crosswalk), for history tabs.
    scope: Mapped[str] = mapped_column(String, index=True)
    version: Mapped[int] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ReleaseRow(Base):
    """A named, immutable version of some frameworks and crosswalks."""

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    title: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String)
    created: Mapped[str] = mapped_column(String)
    store_revision: Mapped[int] = mapped_column(Integer)


class ReleaseScopeRow(Base):
    """What a release is of: each framework and crosswalk it was made for."""

    __tablename__ = "release_scopes"

    release_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String, primary_key=True)  # framework | crosswalk
    scope_id: Mapped[str] = mapped_column(String, primary_key=True)


class ReleaseObjectRow(Base):
    """A copy of one object as it was released: a release never changes afterwards."""

    __tablename__ = "release_objects"

    release_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String, primary_key=True)
    key: Mapped[str] = mapped_column(String, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)


class RejectedSuggestionRow(Base):
    """A link a reviewer said no to, so that suggestions never offer it again."""

    __tablename__ = "rejected_suggestions"
    __table_args__ = (UniqueConstraint("crosswalk_id", "source_code", "target_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    crosswalk_id: Mapped[str] = mapped_column(String)
    source_code: Mapped[str] = mapped_column(String)
    target_code: Mapped[str] = mapped_column(String)
    justification: Mapped[str] = mapped_column(String)
    actor: Mapped[str] = mapped_column(String)
    at: Mapped[str] = mapped_column(String)
    note: Mapped[str] = mapped_column(Text)
