"""Where suggested alignments meet curation: accepted into a change set, or refused.

A suggestion (``crosswalk.suggest``) is a candidate link with a confidence and a
SEMAPV justification.  Accepting one adds an "add alignment" operation to a draft
change set, so it is reviewed like any other edit; refusing one records a negative,
so the same pair is never suggested again for that crosswalk.

Every interface (CLI, API, pages) asks for suggestions through :func:`for_review`, which
passes the recorded negatives to the engine, so none of them can forget to.  What an
accepted link says about itself — its score, justification and reason — is worked out
again here from the stored data, never taken from the form that asked for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from sqlalchemy import and_, insert, select
from sqlalchemy.exc import IntegrityError

from crosswalk.catalog import Catalog
from crosswalk.curation import changes
from crosswalk.curation.changes import ChangeSet, CurationError
from crosswalk.curation.edits import EditError, new_alignment
from crosswalk.curation.permissions import Action, Actor, require
from crosswalk.model import Crosswalk, Status
from crosswalk.store import Operation, Repository
from crosswalk.store.changesets import utc_now
from crosswalk.store.curation_tables import ChangeSetRow, OperationRow, RejectedSuggestionRow
from crosswalk.store.errors import StoreError
from crosswalk.suggest import Embeddings, Mode, Ranking, Suggestion, flatten, suggest_pair

OPEN = ("draft", "submitted")
MAX_NOTE = 1000


def for_review(
    repository: Repository,
    catalog: Catalog,
    source: str,
    target: str,
    *,
    item: str | None = None,
    mode: Mode = Mode.COMPLETE,
    top: int | None = 10,
    embeddings: Embeddings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Ranking]:
    """:func:`~crosswalk.suggest.suggest_pair` without the pairs a reviewer refused for
    any crosswalk from ``source`` to ``target`` (in every mode: a refused pair is not
    shown again, though it is still scored like any other)."""
    return suggest_pair(
        catalog,
        source,
        target,
        item=item,
        mode=mode,
        top=top,
        rejected=refused_between(repository, catalog, source, target),
        embeddings=embeddings,
        progress=progress,
    )


def refused_between(
    repository: Repository, catalog: Catalog, source: str, target: str
) -> set[tuple[str, str]]:
    """The (source, target) pairs refused for the crosswalks from ``source`` to ``target``."""
    found: set[tuple[str, str]] = set()
    for crosswalk in catalog.crosswalks.values():
        if (crosswalk.source_framework, crosswalk.target_framework) == (source, target):
            found |= rejected_pairs(repository, crosswalk.id)
    return found


def pending(repository: Repository, crosswalk_id: str) -> dict[tuple[str, str], int]:
    """The links of ``crosswalk_id`` that open change sets propose to add: (source,
    target) → the change set, so a suggestion already taken up is not offered twice."""
    query = (
        select(OperationRow.change_set_id, OperationRow.after)
        .join(ChangeSetRow, ChangeSetRow.id == OperationRow.change_set_id)
        .where(
            and_(
                ChangeSetRow.status.in_(OPEN),
                OperationRow.kind == "alignment",
                OperationRow.action == "add",
            )
        )
    )
    found: dict[tuple[str, str], int] = {}
    with repository.engine.connect() as connection:
        for change_set_id, after in connection.execute(query):
            if after and after.get("crosswalk") == crosswalk_id and after.get("target_code"):
                found.setdefault((after["source_code"], after["target_code"]), change_set_id)
    return found


def current(
    repository: Repository,
    catalog: Catalog,
    crosswalk: Crosswalk,
    source_code: str,
    target_code: str,
    *,
    embeddings: Embeddings | None = None,
) -> Suggestion:
    """The suggestion ``source_code`` → ``target_code`` as the stored data makes it now;
    an error saying why when it is not one (linked already, refused, not an item)."""
    rankings = for_review(
        repository,
        catalog,
        crosswalk.source_framework,
        crosswalk.target_framework,
        item=source_code,
        top=None,
        embeddings=embeddings,
    )
    for suggestion in flatten(rankings):
        if suggestion.target.code == target_code:
            return suggestion
    if (crosswalk.target_framework, target_code) not in catalog.items:
        raise EditError(f"target: {target_code!r} is not an item of {crosswalk.target_framework}")
    raise CurationError(
        f"{source_code} → {target_code} is not a suggestion for {crosswalk.title}: "
        "it is linked already or was rejected"
    )


def operation(
    catalog: Catalog, crosswalk_id: str, suggestion: Suggestion, *, author: str, offset: int = 0
) -> Operation:
    """The "add alignment" operation accepting ``suggestion`` makes: confidence = its
    score, justification = its SEMAPV term, the reason kept as the note.  The link is
    ``accepted`` once a reviewer approves the change set that holds it."""
    alignment = new_alignment(
        catalog,
        crosswalk_id,
        suggestion.source_code,
        suggestion.target.code,
        author=author,
        confidence=round(suggestion.score, 4),
        justification=suggestion.justification,
        note=f"Suggested: {suggestion.reason}"[:MAX_NOTE],
        status=Status.ACCEPTED.value,
    )
    return Operation.add(replace(alignment, position=alignment.position + offset))


def accept(
    repository: Repository,
    actor: Actor,
    catalog: Catalog,
    crosswalk_id: str,
    source_code: str,
    target_code: str,
    *,
    change_set_id: int | None = None,
    title: str = "",
    embeddings: Embeddings | None = None,
) -> ChangeSet:
    """Add the suggested link to the actor's draft ``change_set_id`` (a new draft when
    None, titled ``title``); ``catalog`` is the published one.  The draft."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    require(actor, Action.PROPOSE, [("crosswalk", crosswalk.id)])  # before any ranking
    already = pending(repository, crosswalk.id).get((source_code, target_code))
    if already is not None:
        raise CurationError(
            f"{source_code} → {target_code} is proposed already, in change set {already}"
        )
    suggestion = current(
        repository, catalog, crosswalk, source_code, target_code, embeddings=embeddings
    )
    return changes.propose(
        repository,
        actor,
        change_set_id,
        [operation(catalog, crosswalk.id, suggestion, author=actor.name)],
        title=title or f"Suggested links for {crosswalk.title}",
    )


def propose_top(
    repository: Repository,
    actor: Actor,
    catalog: Catalog,
    crosswalk_id: str,
    *,
    title: str,
    threshold: float,
    top: int = 3,
    item: str | None = None,
    reason: str = "",
    embeddings: Embeddings | None = None,
) -> tuple[ChangeSet, list[Suggestion]]:
    """A new draft (one transaction) holding the best ``top`` suggestions of each source
    item (or of ``item``) that score at least ``threshold`` and no open change set
    proposes yet; the draft and the suggestions it holds."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    require(actor, Action.PROPOSE, [("crosswalk", crosswalk.id)])
    if not 0.0 <= threshold <= 1.0:
        raise CurationError("the threshold is a score between 0 and 1")
    if not title.strip():
        raise CurationError("a change set needs a title that says what it changes")
    taken = pending(repository, crosswalk.id)
    rankings = for_review(
        repository,
        catalog,
        crosswalk.source_framework,
        crosswalk.target_framework,
        item=item,
        top=top,
        embeddings=embeddings,
    )
    chosen = [s for s in flatten(rankings) if s.score >= threshold and s.pair() not in taken]
    if not chosen:
        raise CurationError(
            f"no suggestion for {crosswalk.title} scores {threshold:g} or more "
            "(or each is proposed already); lower the threshold"
        )
    operations = _operations(catalog, crosswalk.id, chosen, actor.name)
    made = changes.propose(repository, actor, None, operations, title=title, reason=reason)
    return made, chosen


def _operations(
    catalog: Catalog, crosswalk_id: str, chosen: Sequence[Suggestion], author: str
) -> list[Operation]:
    return [
        operation(catalog, crosswalk_id, s, author=author, offset=n) for n, s in enumerate(chosen)
    ]


def reject_suggestion(
    repository: Repository,
    actor: Actor,
    crosswalk_id: str,
    source_code: str,
    target_code: str,
    *,
    justification: str = "",
    note: str = "",
    catalog: Catalog | None = None,
) -> bool:
    """Record that ``source_code`` → ``target_code`` is not a link of the crosswalk;
    False when it was recorded already.  With ``catalog``, both codes are checked to
    be items of the crosswalk's frameworks first."""
    require(actor, Action.PROPOSE, [("crosswalk", crosswalk_id)])
    if catalog is not None:
        crosswalk = catalog.crosswalk(crosswalk_id)
        for field, framework, code in (
            ("source", crosswalk.source_framework, source_code),
            ("target", crosswalk.target_framework, target_code),
        ):
            if (framework, code) not in catalog.items:
                raise EditError(f"{field}: {code!r} is not an item of {framework}")
    try:
        with repository.writing() as connection:
            connection.execute(
                insert(RejectedSuggestionRow).values(
                    crosswalk_id=crosswalk_id,
                    source_code=source_code,
                    target_code=target_code,
                    justification=justification,
                    actor=actor.name,
                    at=utc_now(),
                    note=note[:MAX_NOTE],
                )
            )
    except (IntegrityError, StoreError) as error:
        if isinstance(error, StoreError) and not isinstance(error.__cause__, IntegrityError):
            raise
        return False
    return True


def rejected_pairs(repository: Repository, crosswalk_id: str) -> set[tuple[str, str]]:
    """The (source, target) pairs refused for ``crosswalk_id``: never suggest them."""
    query = select(RejectedSuggestionRow.source_code, RejectedSuggestionRow.target_code).where(
        RejectedSuggestionRow.crosswalk_id == crosswalk_id
    )
    with repository.engine.connect() as connection:
        return {(source, target) for source, target in connection.execute(query)}
