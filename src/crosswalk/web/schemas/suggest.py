"""Documents of the suggestion API: every suggestion with its score, rank, reason and
SEMAPV justification, and a note that it is a suggestion for review."""

from __future__ import annotations

from pydantic import BaseModel, Field

from crosswalk.suggest import MAX_TEXT, MAX_TOP, Mode, Ranking, Suggestion
from crosswalk.web.schemas.common import ItemRef

NOTE = "Suggestions made by a program, for a person to review; they are not alignments."


class TextQuery(BaseModel):
    to: str = Field(description="Framework whose items are suggested")
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="Title and description")
    top: int = Field(10, ge=1, le=MAX_TOP)


class SuggestionOut(BaseModel):
    target: ItemRef
    rank: int
    score: float = Field(description="0–1, higher is better")
    justification: str = Field(description="SEMAPV matching process, e.g. semapv:LexicalMatching")
    reason: str = Field(description="What a person can check: words, paths, similar items")

    @classmethod
    def of(cls, s: Suggestion) -> SuggestionOut:
        return cls(
            target=ItemRef.of(s.target),
            rank=s.rank,
            score=round(s.score, 4),
            justification=s.justification,
            reason=s.reason,
        )


class TextSuggestionsOut(BaseModel):
    to: str
    note: str = NOTE
    suggestions: list[SuggestionOut]

    @classmethod
    def of(cls, to: str, found: list[Suggestion]) -> TextSuggestionsOut:
        return cls(to=to, suggestions=[SuggestionOut.of(s) for s in found])


class RankingOut(BaseModel):
    source: ItemRef
    suggestions: list[SuggestionOut]
    fitted_on: int = Field(description="Source items the weights were fitted on; 0 = fixed")


class PairSuggestionsOut(BaseModel):
    source: str = Field(alias="from")
    to: str
    mode: str
    note: str = NOTE
    rankings: list[RankingOut]

    model_config = {"populate_by_name": True}

    @classmethod
    def of(cls, source: str, to: str, mode: Mode, rankings: list[Ranking]) -> PairSuggestionsOut:
        return cls(
            source=source,
            to=to,
            mode=mode.value,
            rankings=[
                RankingOut(
                    source=ItemRef.of(r.source),
                    suggestions=[SuggestionOut.of(s) for s in r.suggestions],
                    fitted_on=r.fusion.fitted_on,
                )
                for r in rankings
            ],
        )
