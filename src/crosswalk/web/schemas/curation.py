"""Documents of the curation API: people, change sets, events, releases, editions."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from crosswalk.curation.edits import Edit
from crosswalk.curation.history import changed_between
from crosswalk.model import RELATION_DEFINITIONS
from crosswalk.states import describe
from crosswalk.store import Operation
from crosswalk.store.accounts import Grant, Token, User
from crosswalk.store.changesets import ChangeSet
from crosswalk.store.events import Event
from crosswalk.store.releases import Release


class GrantOut(BaseModel):
    role: str
    scope_kind: str = Field(description="all, framework or crosswalk")
    scope_id: str

    @classmethod
    def of(cls, grant: Grant) -> GrantOut:
        return cls(role=grant.role, scope_kind=grant.scope_kind, scope_id=grant.scope_id)


class UserOut(BaseModel):
    name: str
    admin: bool
    disabled: bool
    created: str
    roles: list[GrantOut]

    @classmethod
    def of(cls, user: User, grants: list[Grant]) -> UserOut:
        return cls(
            name=user.name,
            admin=user.admin,
            disabled=user.disabled,
            created=user.created,
            roles=[GrantOut.of(g) for g in grants],
        )


class UserIn(BaseModel):
    name: str
    password: str = Field(min_length=1, max_length=1000)
    role: Literal["admin", "editor", "reviewer", "viewer"] = "viewer"


class GrantIn(BaseModel):
    user: str
    role: Literal["editor", "reviewer", "owner"]
    framework: str | None = None
    crosswalk: str | None = None


class TokenIn(BaseModel):
    label: str = Field("", max_length=200)
    user: str | None = Field(None, description="Someone else's (admins only)")


class TokenOut(BaseModel):
    id: int
    user: str
    label: str
    created: str
    last_used: str | None
    revoked: str | None

    @classmethod
    def of(cls, token: Token) -> TokenOut:
        return cls(**{k: getattr(token, k) for k in cls.model_fields})


class NewTokenOut(BaseModel):
    id: int
    token: str = Field(description="Shown this once only: send it as Authorization: Bearer …")


class ChangeSetIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    reason: str = Field("", max_length=5000)


class CommentIn(BaseModel):
    comment: str = Field("", max_length=5000)


class EditIn(BaseModel):
    """One change: ``add``/``edit``/``remove`` of an item or alignment, ``edit`` of a
    framework or crosswalk.  ``base`` is the revision you saw (a stale one: 409)."""

    action: Literal["add", "edit", "remove"]
    kind: Literal["item", "alignment", "framework", "crosswalk"]
    framework: str = ""
    code: str = ""
    crosswalk: str = ""
    id: str = Field("", description="An alignment's id")
    source: str = Field("", description="A new alignment's source code")
    target: str | None = Field(None, description="A new alignment's target code (none: no match)")
    base: int | None = None
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description="item: name, statement, tags, parent, position, kind; alignment: "
        "relation, strength, level, evidence, note, target_code, confidence, justification, "
        "status; framework/crosswalk: title, version, status, publisher, description. "
        "The relations: "
        + "; ".join(f"`{r.value}`: {text}" for r, text in RELATION_DEFINITIONS.items()),
    )

    def edit(self) -> Edit:
        return Edit(**self.model_dump())


class OperationOut(BaseModel):
    action: str
    kind: str
    key: str
    what: str
    base: int | None
    fields: list[str]
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str

    @classmethod
    def of(cls, operation: Operation) -> OperationOut:
        return cls(
            action=operation.action,
            kind=operation.kind,
            key=operation.key,
            what=describe(operation.kind, operation.key, operation.before, operation.after),
            base=operation.base,
            fields=changed_between(operation.action, operation.before, operation.after),
            before=operation.before,
            after=operation.after,
            note=operation.note,
        )


class ChangeSetOut(BaseModel):
    id: int
    title: str
    reason: str
    kind: str
    author: str
    status: str
    created: str
    updated: str
    reviewer: str
    comment: str
    reviewed: str
    applied_revision: int | None
    reverts: int | None
    size: int

    @classmethod
    def of(cls, change_set: ChangeSet) -> ChangeSetOut:
        return cls(**{k: getattr(change_set, k) for k in cls.model_fields})


class ChangeSetDetail(ChangeSetOut):
    operations: list[OperationOut]


class EventOut(BaseModel):
    id: int
    revision: int
    change_set: int
    at: str
    actor: str
    action: str
    kind: str
    key: str
    what: str
    version: int
    fields: list[str]
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @classmethod
    def of(cls, event: Event) -> EventOut:
        return cls(
            id=event.id,
            revision=event.revision,
            change_set=event.change_set,
            at=event.at,
            actor=event.actor,
            action=event.action,
            kind=event.kind,
            key=event.key,
            what=describe(event.kind, event.key, event.before, event.after),
            version=event.version,
            fields=changed_between(event.action, event.before, event.after),
            before=event.before,
            after=event.after,
        )


class ReleaseIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    title: str = Field("", max_length=300)
    note: str = Field("", max_length=5000)
    frameworks: list[str] = Field(default_factory=list, max_length=100)
    crosswalks: list[str] = Field(default_factory=list, max_length=100)


class ReleaseOut(BaseModel):
    name: str
    title: str
    note: str
    actor: str
    created: str
    store_revision: int
    frameworks: list[str]
    crosswalks: list[str]

    @classmethod
    def of(cls, release: Release) -> ReleaseOut:
        return cls(
            name=release.name,
            title=release.title,
            note=release.note,
            actor=release.actor,
            created=release.created,
            store_revision=release.store_revision,
            frameworks=[s for k, s in release.scopes if k == "framework"],
            crosswalks=[s for k, s in release.scopes if k == "crosswalk"],
        )


class ComparisonOut(BaseModel):
    older: str
    newer: str
    counts: dict[str, int]
    links: list[dict[str, str]]


class RejectedIn(BaseModel):
    source: str
    target: str
    justification: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)


class EditionOut(BaseModel):
    framework: str
    replaces: str
    matches: list[dict[str, str]]
    crosswalks: list[dict[str, str]]
    carried: int
    applied_change_set: int | None
    review_change_set: int | None
    not_carried: int
