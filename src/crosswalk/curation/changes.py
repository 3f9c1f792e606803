"""Change sets: how data changes after the first load, like pull requests.

An editor starts a draft with a title and a reason and adds operations to it (see
:mod:`crosswalk.curation.edits`); the published data is untouched meanwhile, and the
draft can be previewed (:func:`preview`).  Submitted, it waits for a reviewer other
than its author, who approves it — every operation applied in one transaction, one
event per changed object — or rejects it with a comment.  The author may withdraw it
until then.  An approved change set can be undone by a new one (:func:`revert`),
reviewed like any other.

Every function takes the :class:`~crosswalk.curation.permissions.Actor` doing it and
checks :func:`~crosswalk.curation.permissions.may` first; a stale base revision at
approval is a :class:`~crosswalk.store.ConflictError` with both versions, and the
change set stays submitted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.engine import Connection

from crosswalk.catalog import Catalog, Change, NotFound
from crosswalk.curation.errors import CurationProblem
from crosswalk.curation.permissions import Action, Actor, Denied, Scope, require
from crosswalk.states import restore
from crosswalk.store import ConflictError, Operation, Repository
from crosswalk.store import changesets as rows
from crosswalk.store.changes import apply
from crosswalk.store.changesets import ChangeSet, utc_now
from crosswalk.store.errors import StoreError
from crosswalk.store.events import events_of_change_set

__all__ = ["ChangeSet", "ConflictError", "CurationError"]

KINDS = ("edit", "import", "initial", "revert", "edition")


class CurationError(CurationProblem):
    """A change set cannot do that now (wrong state, nothing in it …); says why."""


def scopes_of(operations: Iterable[Operation]) -> list[Scope]:
    """The frameworks and crosswalks the operations change, as (kind, id)."""
    found = set()
    for operation in operations:
        kind, _, scope_id = operation.scope.partition(":")
        found.add((kind, scope_id))
    return sorted(found)


# -- reading -----------------------------------------------------------------------------


def visible(actor: Actor, change_set: ChangeSet, scopes: Iterable[Scope]) -> bool:
    """Approved change sets are published history; others only for those working on them."""
    if change_set.status == "approved":
        return True
    return actor.signed_in and (change_set.author == actor.name or actor.works_on(scopes))


def get(
    repository: Repository, actor: Actor, change_set_id: int
) -> tuple[ChangeSet, list[Operation]]:
    """A change set and its operations (for an approved one with none kept, what its
    events did, as operations)."""
    with repository.engine.connect() as connection:
        change_set = rows.get(connection, change_set_id)
        if change_set is None:
            raise NotFound(f"no change set {change_set_id}")
        operations = rows.operations(connection, change_set_id)
        if not operations and change_set.status == "approved":
            operations = [
                Operation(
                    e.action,
                    e.kind,
                    e.key,
                    None if e.action == "add" else e.version - 1,
                    e.before,
                    e.after,
                )
                for e in events_of_change_set(connection, change_set_id)
            ]
    if not visible(actor, change_set, scopes_of(operations)):
        # Not 403: whether a draft exists is itself not for everyone to know.
        raise NotFound(f"no change set {change_set_id}")
    return change_set, operations


def listed(
    repository: Repository, actor: Actor, statuses: Sequence[str] = (), limit: int = 200
) -> list[ChangeSet]:
    """Change sets the actor may see, newest first."""
    with repository.engine.connect() as connection:
        found = rows.listed(connection, statuses, limit=limit)
        shown = []
        for change_set in found:
            if change_set.status == "approved":
                shown.append(change_set)
                continue
            scopes = scopes_of(rows.operations(connection, change_set.id))
            if visible(actor, change_set, scopes):
                shown.append(change_set)
    return shown


# -- drafting ----------------------------------------------------------------------------


def start(
    repository: Repository, actor: Actor, title: str, reason: str = "", *, kind: str = "edit"
) -> ChangeSet:
    """A new, empty draft authored by ``actor``."""
    require(actor, Action.PROPOSE)
    with repository.writing() as connection:
        change_set_id = _create(connection, actor, title, reason, kind)
        found = rows.get(connection, change_set_id)
    assert found is not None
    return found


def _create(connection: Connection, actor: Actor, title: str, reason: str, kind: str) -> int:
    title = title.strip()
    if not title:
        raise CurationError("a change set needs a title that says what it changes")
    if kind not in KINDS:
        raise CurationError(f"unknown kind of change set {kind!r}")
    return rows.create(
        connection, title=title[:300], reason=reason.strip()[:5000], kind=kind, author=actor.name
    )


def _draft(connection: Connection, actor: Actor, change_set_id: int) -> ChangeSet:
    change_set = rows.get(connection, change_set_id, lock=True)
    if change_set is None:
        raise NotFound(f"no change set {change_set_id}")
    if change_set.author != actor.name and not actor.is_admin:
        raise Denied(
            f"only its author, {change_set.author}, edits change set {change_set_id}",
            signed_in=actor.signed_in,
        )
    if change_set.status != "draft":
        raise CurationError(
            f"change set {change_set_id} is {change_set.status}; only a draft changes"
        )
    return change_set


def add(
    repository: Repository, actor: Actor, change_set_id: int, operations: Sequence[Operation]
) -> None:
    """Add operations to a draft (an object already in it is edited once more)."""
    require(actor, Action.PROPOSE, scopes_of(operations))
    with repository.writing() as connection:
        _draft(connection, actor, change_set_id)
        rows.put_operations(connection, change_set_id, operations)


def propose(
    repository: Repository,
    actor: Actor,
    change_set_id: int | None,
    operations: Sequence[Operation],
    *,
    title: str = "",
    reason: str = "",
) -> ChangeSet:
    """Add ``operations`` to the actor's draft ``change_set_id``, or to a new draft
    titled ``title`` when it is None (what an edit form does); the draft.  One
    transaction: a new draft never stays behind empty when its operations fail."""
    require(actor, Action.PROPOSE, scopes_of(operations))
    with repository.writing() as connection:
        if change_set_id is None:
            change_set_id = _create(connection, actor, title, reason, "edit")
        else:
            _draft(connection, actor, change_set_id)
        rows.put_operations(connection, change_set_id, operations)
        found = rows.get(connection, change_set_id)
    assert found is not None
    return found


def drop(repository: Repository, actor: Actor, change_set_id: int, kind: str, key: str) -> None:
    """Take one object's operation out of a draft."""
    with repository.writing() as connection:
        _draft(connection, actor, change_set_id)
        if not rows.remove_operation(connection, change_set_id, kind, key):
            raise NotFound(f"change set {change_set_id} does not change {kind} {key}")
        rows.set_fields(connection, change_set_id)


def propose_operations(
    repository: Repository,
    operations: Sequence[Operation],
    *,
    title: str,
    author: str,
    reason: str = "",
    kind: str = "import",
) -> int:
    """A submitted change set holding ``operations``, for a reviewer (``import
    --propose``, new editions).  The caller has checked who may propose."""
    if not operations:
        raise CurationError("nothing to propose: the file changes nothing")
    with repository.writing() as connection:
        change_set_id = rows.create(
            connection, title=title, reason=reason, kind=kind, author=author, status="submitted"
        )
        rows.put_operations(connection, change_set_id, operations)
    return change_set_id


# -- moving on ---------------------------------------------------------------------------


def submit(repository: Repository, actor: Actor, change_set_id: int) -> None:
    with repository.writing() as connection:
        change_set = _draft(connection, actor, change_set_id)
        if change_set.size == 0:
            raise CurationError("an empty change set cannot be submitted; add a change first")
        rows.set_fields(connection, change_set_id, status="submitted")


def withdraw(repository: Repository, actor: Actor, change_set_id: int) -> None:
    with repository.writing() as connection:
        change_set = rows.get(connection, change_set_id, lock=True)
        if change_set is None:
            raise NotFound(f"no change set {change_set_id}")
        if change_set.author != actor.name and not actor.is_admin:
            raise Denied("only its author withdraws a change set", signed_in=actor.signed_in)
        if not change_set.is_open:
            raise CurationError(f"change set {change_set_id} is {change_set.status} already")
        rows.set_fields(connection, change_set_id, status="withdrawn")


def _under_review(
    connection: Connection, actor: Actor, change_set_id: int
) -> tuple[ChangeSet, list[Operation]]:
    change_set = rows.get(connection, change_set_id, lock=True)
    if change_set is None:
        raise NotFound(f"no change set {change_set_id}")
    operations = rows.operations(connection, change_set_id)
    require(actor, Action.REVIEW, scopes_of(operations))
    if change_set.author == actor.name:
        raise Denied("a change set is reviewed by someone other than its author", signed_in=True)
    if change_set.status != "submitted":
        raise CurationError(f"change set {change_set_id} is {change_set.status}, not submitted")
    return change_set, operations


def approve(
    repository: Repository, actor: Actor, change_set_id: int, comment: str = ""
) -> int | None:
    """Apply every operation in one transaction; the new store revision (None when it
    changed nothing).  Raises ConflictError (nothing applied, still submitted)."""
    return _decide(repository, actor, change_set_id, comment, approved=True)


def reject(repository: Repository, actor: Actor, change_set_id: int, comment: str) -> None:
    if not comment.strip():
        raise CurationError("say why in a comment, so the author can do better")
    _decide(repository, actor, change_set_id, comment, approved=False)


def _decide(
    repository: Repository, actor: Actor, change_set_id: int, comment: str, *, approved: bool
) -> int | None:
    with repository.writing() as connection:
        _, operations = _under_review(connection, actor, change_set_id)
        now = utc_now()
        revision = None
        if approved:
            revision = apply(
                connection, operations, change_set=change_set_id, actor=actor.name, at=now
            )
        rows.set_fields(
            connection,
            change_set_id,
            status="approved" if approved else "rejected",
            reviewer=actor.name,
            comment=comment.strip()[:5000],
            reviewed=now,
            applied_revision=revision,
            updated=now,
        )
    return revision


def revert(repository: Repository, actor: Actor, change_set_id: int, reason: str = "") -> ChangeSet:
    """A new change set, submitted for review, that undoes an approved one exactly."""
    with repository.engine.connect() as connection:
        original = rows.get(connection, change_set_id)
        if original is None or original.status != "approved":
            raise CurationError(f"change set {change_set_id} is not approved: nothing to undo")
        events = events_of_change_set(connection, change_set_id)
    if not events:
        raise CurationError(f"change set {change_set_id} changed nothing: nothing to undo")
    operations: list[Operation] = []
    for event in reversed(events):
        if event.action == "add":
            operations.append(
                Operation("remove", event.kind, event.key, event.version, event.after, None)
            )
        elif event.action == "update":
            operations.append(
                Operation("update", event.kind, event.key, event.version, event.after, event.before)
            )
        else:
            operations.append(Operation("add", event.kind, event.key, None, None, event.before))
    require(actor, Action.PROPOSE, scopes_of(operations))
    with repository.writing() as connection:
        new_id = rows.create(
            connection,
            title=f"Undo change set {change_set_id}: {original.title}"[:300],
            reason=reason.strip()
            or f"Restores the data as it was before change set {change_set_id}.",
            kind="revert",
            author=actor.name,
            status="submitted",
            reverts=change_set_id,
        )
        rows.put_operations(connection, new_id, operations)
        found = rows.get(connection, new_id)
    assert found is not None
    return found


# -- preview -----------------------------------------------------------------------------


def preview(catalog: Catalog, operations: Sequence[Operation]) -> Catalog:
    """The published catalog as it would be with ``operations`` applied (nothing is
    written; an operation on an object that is gone meanwhile is skipped)."""
    changes = []
    for operation in operations:
        record = restore(operation.kind, operation.after) if operation.after is not None else None
        if record is None and (operation.kind, operation.key) not in catalog.revisions:
            continue
        version = (operation.base or 0) + 1
        changes.append(Change(operation.kind, operation.key, record, version))
    try:
        return catalog.updated(changes)
    except KeyError as error:  # an alignment of a crosswalk that is not there
        raise StoreError(f"the preview cannot be built: {error} is missing") from None
