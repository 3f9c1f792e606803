"""Alignment suggestions, ranked and explained, and how well they match human crosswalks.

One call per question: :func:`suggest_pair` (a framework pair or one item of it, in one
of three :class:`Mode` s), :func:`suggest_text` (a training's description → items of a
framework), :func:`evaluate` (a mode's rankings against the human links), :func:`to_sssom`
(suggestions as a mapping set).  A :class:`Suggestion` becomes a proposed
:class:`~crosswalk.model.Alignment` with :meth:`Suggestion.to_alignment`; the pairs a
reviewer rejected are passed back as ``rejected`` and never suggested again.
See ``docs/suggest.md``.
"""

from crosswalk.suggest.embeddings import Embeddings, shared_embeddings
from crosswalk.suggest.encoder import MODEL_LICENSE, MODEL_NAME, MODEL_PACKAGE, ModelUnavailable
from crosswalk.suggest.engine import (
    MAX_ITEMS,
    MAX_TOP,
    Ranking,
    SuggestError,
    flatten,
    suggest_pair,
    suggestible,
)
from crosswalk.suggest.evaluate import METHODS, METRICS, Estimate, Evaluation, evaluate
from crosswalk.suggest.export import to_sssom
from crosswalk.suggest.freetext import MAX_TEXT, suggest_text
from crosswalk.suggest.suggestion import Mode, Suggestion

__all__ = [
    "MAX_ITEMS",
    "MAX_TEXT",
    "MAX_TOP",
    "METHODS",
    "METRICS",
    "MODEL_LICENSE",
    "MODEL_NAME",
    "MODEL_PACKAGE",
    "Embeddings",
    "Estimate",
    "Evaluation",
    "Mode",
    "ModelUnavailable",
    "Ranking",
    "SuggestError",
    "Suggestion",
    "evaluate",
    "flatten",
    "shared_embeddings",
    "suggest_pair",
    "suggest_text",
    "suggestible",
    "to_sssom",
]
