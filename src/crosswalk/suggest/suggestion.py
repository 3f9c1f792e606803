"""A suggestion: a candidate alignment with its score, rank, reason and justification.

A suggestion is not an alignment until a person accepts it; :meth:`Suggestion.to_alignment`
makes the *proposed* alignment that curation puts into a change set (confidence = the
score, justification = the SEMAPV term of the signal that carried it), and
:meth:`Suggestion.pair` is what a rejection records so it is never suggested again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from crosswalk.model import Alignment, Item, Relation, Status

SEMAPV = {
    "semantic": "semapv:SemanticSimilarityThresholdMatching",
    "lexical": "semapv:LexicalMatching",
    "chain": "semapv:MappingChaining",
    # Other items' links (how often a target is used, what similar items and siblings
    # link to): evidence from the structure of the crosswalk being built.
    "popularity": "semapv:StructuralMatching",
    "resembles": "semapv:StructuralMatching",
    "siblings": "semapv:StructuralMatching",
}
COMPOSITE = "semapv:CompositeMatching"
DOMINANT_SHARE = 0.6  # below this share of the evidence, no single signal carried it

# The pairs a reviewer turned down: (source code, target code).
Rejected = Iterable[tuple[str, str]]


class Mode(StrEnum):
    """What a ranking may know about the links between the two frameworks."""

    COMPLETE = "complete"  # everything stored: suggest the links still missing
    BLIND = "blind"  # as if no crosswalk between the two frameworks existed
    LEAVE_ONE_OUT = "leave-one-out"  # each source item without its own links


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One ranked candidate: ``source`` is ``None`` for a free-text query."""

    source: Item | None
    target: Item
    score: float  # 0–1, higher is better (a fitted probability when a fit was possible)
    rank: int  # 1 = best, per source item (or per query)
    reason: str  # what a person can check: words, paths, similar items
    justification: str  # a SEMAPV matching process
    signals: tuple[tuple[str, float], ...] = ()  # each signal's share of the score

    @property
    def source_code(self) -> str:
        return self.source.code if self.source is not None else ""

    def pair(self) -> tuple[str, str]:
        return (self.source_code, self.target.code)

    def to_alignment(self, crosswalk: str, *, author: str = "", created: str = "") -> Alignment:
        """The proposed alignment that accepting this suggestion would add."""
        if self.source is None:
            raise ValueError("a free-text suggestion has no source item to align")
        return Alignment(
            crosswalk=crosswalk,
            source_code=self.source.code,
            target_code=self.target.code,
            relation=Relation.RELATED,
            note=self.reason,
            confidence=round(self.score, 4),
            justification=self.justification,
            status=Status.PROPOSED,
            author=author,
            created=created,
        )


def justification(contributions: dict[str, float]) -> str:
    """The SEMAPV term of the signal that carried a score, or composite matching."""
    positive = {name: value for name, value in contributions.items() if value > 0}
    if not positive:
        return COMPOSITE
    name = max(positive, key=lambda n: positive[n])
    terms = {SEMAPV[n] for n in positive}
    if len(terms) == 1 or positive[name] >= DOMINANT_SHARE * sum(positive.values()):
        return SEMAPV[name]
    return COMPOSITE
