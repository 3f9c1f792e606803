"""Ranked suggestions for a framework pair, one source item, or a piece of free text.

Each mode chooses the catalog its rankings are made from (:mod:`crosswalk.suggest.views`);
from there the path is the same: signals → fusion (fitted on the links that catalog
holds, if any) → ranking → a reason per suggestion.  Nothing in this module reads a link
except through that catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from crosswalk.catalog import Catalog, NotFound
from crosswalk.model import Item
from crosswalk.query.lookup import find_item
from crosswalk.suggest.embeddings import Embeddings, shared_embeddings, write_shipped
from crosswalk.suggest.features import FEATURES, PairFeatures, pair_features
from crosswalk.suggest.fusion import FIXED, Fusion, fit
from crosswalk.suggest.reasons import pair_reason
from crosswalk.suggest.suggestion import Mode, Rejected, Suggestion, justification
from crosswalk.suggest.texts import documents, leaves
from crosswalk.suggest.views import without_item_links, without_pair

MAX_TOP = 100
# The most items (leaves) a framework may have to take part in suggestions.  Ranking
# compares every source item with every target item, several ways, and embeds every
# text: fine for the frameworks of this field (tens of items, a few hundred at most),
# minutes and gigabytes for a 20,000-item framework.  A larger one is refused with a
# message, and left out of the signals other frameworks give (mean, "via" items).
MAX_ITEMS = 500


class SuggestError(ValueError):
    """A request that cannot be answered as asked; the message says what to change."""


@dataclass(frozen=True, slots=True)
class Ranking:
    """Every target of one source item, best first, as one catalog saw them."""

    source: Item
    suggestions: tuple[Suggestion, ...]
    fusion: Fusion


def suggest_pair(
    catalog: Catalog,
    source: str,
    target: str,
    *,
    item: str | None = None,
    mode: Mode = Mode.COMPLETE,
    top: int | None = 10,
    rejected: Rejected = (),
    embeddings: Embeddings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Ranking]:
    """For each source item (or just ``item``), its target items ranked.

    ``mode``: :attr:`Mode.COMPLETE` ranks the targets not yet linked, using everything
    stored; :attr:`Mode.BLIND` ranks all targets as if no crosswalk joined the two
    frameworks; :attr:`Mode.LEAVE_ONE_OUT` ranks all targets of each source item from a
    catalog without that item's links.  ``rejected`` pairs are never suggested;
    ``top=None`` keeps every target.  ``progress(done, total)`` is called after each
    catalog is ranked (one per source item in leave-one-out mode).
    """
    if source == target:
        raise SuggestError(f"{source!r} is both source and target; choose another --to")
    if top is not None and not 1 <= top <= MAX_TOP:
        raise SuggestError(f"top must be between 1 and {MAX_TOP}")
    embeddings = embeddings or shared_embeddings()
    sources = _sources(catalog, source, target, item)
    refused = {tuple(pair) for pair in rejected}
    rankings = []
    plans = views_for(catalog, source, target, sources, mode)
    for done, (view, chosen) in enumerate(plans, 1):
        features = pair_features(view, source, target, embeddings)
        fusion = fitted_fusion(features)
        for item_ in chosen:
            rankings.append(_ranking(features, fusion, features.row(item_.code), refused, top))
        if progress is not None:
            progress(done, len(plans))
    return rankings


def views_for(
    catalog: Catalog, source: str, target: str, sources: list[Item], mode: Mode
) -> list[tuple[Catalog, list[Item]]]:
    """The catalog each source item is ranked from, as ``mode`` allows."""
    if mode is Mode.LEAVE_ONE_OUT:
        return [(without_item_links(catalog, source, target, s), [s]) for s in sources]
    if mode is Mode.BLIND:
        return [(without_pair(catalog, source, target), sources)]
    return [(catalog, sources)]


def fitted_fusion(features: PairFeatures) -> Fusion:
    """Weights fitted on the links the features' catalog holds (fixed when there are none)."""
    labels = features.labels()
    rows = [i for i in range(len(features.sources)) if labels[i].any()]
    return fit(features.values, labels, rows) if rows else FIXED


def suggestible(catalog: Catalog, framework: str) -> bool:
    """Whether ``framework`` is small enough for suggestions (see :data:`MAX_ITEMS`)."""
    return len(leaves(catalog, framework)) <= MAX_ITEMS


def embedded_texts(catalog: Catalog) -> list[str]:
    """Every text a suggestion on ``catalog`` embeds (each suggestible framework's item
    texts and the evidence texts folded into them; a view hiding links embeds a subset):
    what :func:`ship_vectors` ships."""
    texts: set[str] = set()
    for framework in catalog.frameworks:
        if suggestible(catalog, framework):
            for doc in documents(catalog, leaves(catalog, framework)):
                texts.add(doc.text)
                texts.update(doc.evidence)
    return sorted(texts)


def ship_vectors(catalog: Catalog) -> Path:
    """Embed the texts of ``catalog`` (the bundled data) into the package's shipped
    vectors (:data:`~crosswalk.suggest.embeddings.SHIPPED`)."""
    return write_shipped(embedded_texts(catalog), shared_embeddings())


def check_size(catalog: Catalog, framework: str) -> None:
    """:class:`SuggestError` naming the limit when ``framework`` is too large."""
    count = len(leaves(catalog, framework))
    if count > MAX_ITEMS:
        raise SuggestError(
            f"{framework} has {count:,} items; suggestions are made for frameworks of at "
            f"most {MAX_ITEMS:,} items"
        )


def _sources(catalog: Catalog, source: str, target: str, item: str | None) -> list[Item]:
    catalog.framework(source)
    catalog.framework(target)
    check_size(catalog, source)
    check_size(catalog, target)
    if item is None:
        return leaves(catalog, source)
    found = find_item(catalog, source, item)
    if not catalog.is_leaf(found):
        children = ", ".join(c.code for c in leaves(catalog, source) if c.parent == found.code)
        raise NotFound(
            f"{found.label!r} is a group of items; suggestions are made for its items: {children}"
        )
    return [found]


def _ranking(
    features: PairFeatures, fusion: Fusion, row: int, refused: set[tuple[str, ...]], top: int | None
) -> Ranking:
    source = features.sources[row]
    values = features.values[row]
    scores = fusion.scores(values)
    linked = features.known.get(source.code, {})
    order = [
        int(j)
        for j in np.argsort(-scores, kind="stable")
        if features.targets[j].code not in linked
        and (source.code, features.targets[j].code) not in refused
    ]
    suggestions = []
    for rank, j in enumerate(order[:top] if top is not None else order, 1):
        contributions = fusion.contributions(values[j])
        suggestions.append(
            Suggestion(
                source=source,
                target=features.targets[j],
                score=float(scores[j]),
                rank=rank,
                reason=pair_reason(features, contributions, row, j),
                justification=justification(contributions),
                signals=tuple((name, round(contributions[name], 4)) for name in FEATURES),
            )
        )
    return Ranking(source, tuple(suggestions), fusion)


def flatten(rankings: Iterable[Ranking]) -> list[Suggestion]:
    return [s for ranking in rankings for s in ranking.suggestions]
