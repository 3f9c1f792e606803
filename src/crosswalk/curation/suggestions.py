"""Where suggested alignments meet curation: accepted into a change set, or refused.

A suggestion (``crosswalk.suggest``) is a candidate link with a confidence and a
SEMAPV justification.  Accepting one adds an "add alignment" operation to a draft
change set, so it is reviewed like any other edit; refusing one records a negative,
so the same pair is never suggested again for that crosswalk.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from crosswalk.catalog import Catalog
from crosswalk.curation import changes
from crosswalk.curation.edits import new_alignment
from crosswalk.curation.permissions import Action, Actor, require
from crosswalk.model import Alignment, Relation, Status
from crosswalk.store import Operation, Repository
from crosswalk.store.changesets import utc_now
from crosswalk.store.curation_tables import RejectedSuggestionRow
from crosswalk.store.errors import StoreError


def add_alignment_operation(
    repository: Repository,
    actor: Actor,
    change_set_id: int,
    catalog: Catalog,
    crosswalk_id: str,
    source_code: str,
    target_code: str,
    *,
    confidence: float,
    justification: str,
    relation: Relation | str = Relation.RELATED,
    note: str = "",
) -> Alignment:
    """Add the suggested link to draft ``change_set_id`` (``catalog``: the published
    one); returns the alignment as it will be stored once the change set is approved."""
    alignment = new_alignment(
        catalog,
        crosswalk_id,
        source_code,
        target_code,
        author=actor.name,
        relation=str(relation),
        confidence=confidence,
        justification=justification,
        note=note,
        status=Status.ACCEPTED.value,
    )
    changes.add(repository, actor, change_set_id, [Operation.add(alignment)])
    return alignment


def reject_suggestion(
    repository: Repository,
    actor: Actor,
    crosswalk_id: str,
    source_code: str,
    target_code: str,
    *,
    justification: str = "",
    note: str = "",
) -> bool:
    """Record that ``source_code`` → ``target_code`` is not a link of the crosswalk;
    False when it was recorded already."""
    require(actor, Action.PROPOSE, [("crosswalk", crosswalk_id)])
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
                    note=note,
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
