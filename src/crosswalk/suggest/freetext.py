"""Free text → the items of one framework it most likely covers.

"Which CKC competencies does my training cover?": a training's title and description
is read like a source item of no framework.  Three signals: its meaning against each
target item, the words it shares with it, and the human crosswalks as knowledge — when
the text resembles an item of another framework (an IMH knowledge area), the target
items that item is linked to gain ("via").  The text is embedded but never written to
disk; its length is bounded before anything runs.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy as np

from crosswalk.catalog import Catalog
from crosswalk.model import Item
from crosswalk.suggest.embeddings import Embeddings, shared_embeddings
from crosswalk.suggest.encoder import Matrix
from crosswalk.suggest.engine import MAX_TOP, SuggestError, check_size, suggestible
from crosswalk.suggest.features import centred, standardise, vectors
from crosswalk.suggest.lexical import LexicalIndex
from crosswalk.suggest.reasons import quote
from crosswalk.suggest.suggestion import Suggestion, justification
from crosswalk.suggest.texts import content_words, documents, leaves, words_of
from crosswalk.suggest.views import oriented_links

MAX_TEXT = 4000  # characters; the encoder reads at most 256 tokens in any case
WEIGHTS = {"semantic": 1.0, "lexical": 0.35, "via": 0.5}
BIAS = -2.0
_VIA_MINIMUM = 0.3  # a resemblance weaker than this is not named as a reason


@dataclass(frozen=True)
class TextIndex:
    """What a free-text query is matched against, for one framework of one catalog."""

    targets: list[Item]
    vectors: Matrix  # target items, centred
    lexical: LexicalIndex
    mean: Matrix  # what the items of every other framework share
    # Items of other frameworks linked to the targets: vectors and target columns.
    via_items: list[tuple[Item, str, int]]  # (item, crosswalk, target column)
    via_vectors: Matrix


def text_index(catalog: Catalog, target: str, embeddings: Embeddings) -> TextIndex:
    """Built once per catalog and framework (a web process keeps a few): requests that
    ask at the same moment wait for the one build instead of each making its own."""
    key = (id(catalog), target, id(embeddings))
    with _building:
        with _lock:
            cached = _indexes.get(key)
            if cached is not None and cached[0]() is catalog:
                return cached[1]
        index = _build_index(catalog, target, embeddings)
        with _lock:
            _indexes[key] = (weakref.ref(catalog), index)
            while len(_indexes) > _INDEXES:
                _indexes.pop(next(iter(_indexes)))
        return index


def _build_index(catalog: Catalog, target: str, embeddings: Embeddings) -> TextIndex:
    """The index of ``target``; other frameworks too large for suggestions give it
    neither their mean nor "via" items (see :data:`~crosswalk.suggest.engine.MAX_ITEMS`)."""
    others_frameworks = [
        f for f in sorted(catalog.frameworks) if f != target and suggestible(catalog, f)
    ]
    targets = leaves(catalog, target)
    target_docs = documents(catalog, targets)
    column = {t.code: j for j, t in enumerate(targets)}
    # Each framework's documents on their own: openings are a framework's own.
    others = [d for f in others_frameworks for d in documents(catalog, leaves(catalog, f))]
    mean = (
        embeddings.embed([d.text for d in others]).mean(0)
        if others
        else np.zeros(embeddings.embed([target]).shape[1], dtype=np.float32)
    )
    via_items: list[tuple[Item, str, int]] = []
    via_rows: list[Matrix] = []
    for framework in others_frameworks:
        links = oriented_links(catalog, framework, target)
        items = leaves(catalog, framework)
        if not links or not items:
            continue
        item_vectors = vectors(embeddings, documents(catalog, items))
        for item, vector in zip(items, item_vectors, strict=True):
            for code, alignment in links.get(item.code, {}).items():
                if code in column:
                    via_items.append((item, alignment.crosswalk, column[code]))
                    via_rows.append(vector)
    return TextIndex(
        targets=targets,
        vectors=vectors(embeddings, target_docs),
        lexical=LexicalIndex.build(target_docs),
        mean=mean,
        via_items=via_items,
        via_vectors=np.stack(via_rows) if via_rows else np.zeros((0, len(mean)), np.float32),
    )


_INDEXES = 8
_indexes: dict[tuple[int, str, int], tuple[weakref.ref[Catalog], TextIndex]] = {}
_lock = threading.Lock()  # the dict
_building = threading.Lock()  # one build at a time: a second asker waits, then reads it


def suggest_text(
    catalog: Catalog,
    target: str,
    text: str,
    *,
    top: int = 10,
    embeddings: Embeddings | None = None,
) -> list[Suggestion]:
    """The ``top`` items of framework ``target`` best matching ``text``, best first."""
    catalog.framework(target)
    text = text.strip()
    if not text:
        raise SuggestError("give a training's title and description to match")
    if len(text) > MAX_TEXT:
        raise SuggestError(f"the text is {len(text)} characters; at most {MAX_TEXT} are read")
    if not 1 <= top <= MAX_TOP:
        raise SuggestError(f"top must be between 1 and {MAX_TOP}")
    check_size(catalog, target)
    embeddings = embeddings or shared_embeddings()
    index = text_index(catalog, target, embeddings)
    query = centred(embeddings.embed([text], persist=False), index.mean)[0]
    cosine = index.vectors @ query
    query_words = content_words(words_of(text))
    lexical = index.lexical.scores(query_words)
    via, via_from = _via(index, query)
    signals = {
        "semantic": standardise(cosine[None, :])[0],
        "lexical": standardise(lexical[None, :])[0],
        "via": standardise(via[None, :])[0] if via.any() else via,
    }
    logits = sum(WEIGHTS[name] * values for name, values in signals.items()) + BIAS
    scores = 1.0 / (1.0 + np.exp(-np.asarray(logits)))
    result = []
    for rank, j in enumerate(np.argsort(-scores, kind="stable")[:top], 1):
        contributions = {name: float(WEIGHTS[name] * signals[name][j]) for name in signals}
        parts = []
        for name, _ in sorted(contributions.items(), key=lambda kv: -kv[1]):
            if name == "semantic":
                parts.append(f"close in meaning (similarity {cosine[j]:.2f})")
            elif name == "lexical" and lexical[j] > 0:
                words = ", ".join(index.lexical.matched(query_words, int(j)))
                parts.append(f"shared words: {words}")
            elif name == "via" and j in via_from:
                item, similarity, crosswalk = via_from[int(j)]
                parts.append(
                    f"resembles {quote(item)} ({similarity:.2f}), linked to it by {crosswalk}"
                )
        result.append(
            Suggestion(
                source=None,
                target=index.targets[j],
                score=float(scores[j]),
                rank=rank,
                reason="; ".join(parts),
                justification=justification({_TERMS[n]: v for n, v in contributions.items()}),
                signals=tuple((n, round(v, 4)) for n, v in contributions.items()),
            )
        )
    return result


_TERMS = {"semantic": "semantic", "lexical": "lexical", "via": "chain"}


def _via(index: TextIndex, query: Matrix) -> tuple[Matrix, dict[int, tuple[Item, float, str]]]:
    """For each target, the best resemblance of the text to an item linked to it."""
    best = np.zeros(len(index.targets), dtype=np.float32)
    found: dict[int, tuple[Item, float, str]] = {}
    for (item, crosswalk, j), value in zip(index.via_items, index.via_vectors @ query, strict=True):
        if value > best[j]:
            best[j] = value
            if value >= _VIA_MINIMUM:
                found[j] = (item, float(value), crosswalk)
    return best, found
