"""How good the suggestions are, measured against a human crosswalk.

For each source item that the human crosswalk links, every target item is ranked (by
the fused score, by each signal alone, at random, and by a plain TF-IDF floor) from the
catalog the mode allows (:func:`crosswalk.suggest.engine.views_for`), and the ranking
is scored against the item's human links: average precision, R-precision, precision at
5, recall at 10 and nDCG at 10.  Means come with 95 % bootstrap intervals over source
items.  Ties are broken at random (seeded), so a signal that is silent for an item
scores like chance, not like the framework's printed order.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from crosswalk.catalog import Catalog
from crosswalk.query.text import tokens
from crosswalk.suggest.embeddings import Embeddings, shared_embeddings
from crosswalk.suggest.engine import fitted_fusion, views_for
from crosswalk.suggest.features import FEATURES, pair_features
from crosswalk.suggest.suggestion import Mode
from crosswalk.suggest.texts import leaves
from crosswalk.suggest.views import oriented_links

METRICS = ("MAP", "R-precision", "P@5", "Recall@10", "nDCG@10")
METHODS = ("fused", *FEATURES, "tfidf", "random")
BOOTSTRAP = 2000
SEED = 13


@dataclass(frozen=True, slots=True)
class Estimate:
    mean: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.mean:.3f} [{self.low:.3f}, {self.high:.3f}]"


@dataclass(frozen=True, slots=True)
class MethodResult:
    method: str
    metrics: dict[str, Estimate]
    per_item: dict[str, dict[str, float]]  # source code → metric → value


@dataclass(frozen=True, slots=True)
class Evaluation:
    source: str
    target: str
    mode: Mode
    items: int  # source items scored (those the human crosswalk links)
    links: int
    results: dict[str, MethodResult]


def item_metrics(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    """The five metrics of one ranking (all targets, best first) against its links."""
    hits = [code in relevant for code in ranked]
    found, precision_sum = 0, 0.0
    for k, hit in enumerate(hits, 1):
        if hit:
            found += 1
            precision_sum += found / k
    r = len(relevant)
    ideal = sum(1 / math.log2(k + 1) for k in range(1, min(r, 10) + 1))
    gain = sum(1 / math.log2(k + 1) for k, hit in enumerate(hits[:10], 1) if hit)
    return {
        "MAP": precision_sum / r,
        "R-precision": sum(hits[:r]) / r,
        "P@5": sum(hits[:5]) / 5,
        "Recall@10": sum(hits[:10]) / r,
        "nDCG@10": gain / ideal,
    }


def bootstrap(values: list[float], seed: int = SEED, rounds: int = BOOTSTRAP) -> Estimate:
    """Mean and 95 % percentile interval, resampling the items with replacement."""
    data = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), size=(rounds, len(data)))].mean(1)
    low, high = np.percentile(means, [2.5, 97.5])
    return Estimate(float(data.mean()), float(low), float(high))


def evaluate(
    catalog: Catalog,
    source: str,
    target: str,
    mode: Mode,
    *,
    embeddings: Embeddings | None = None,
) -> Evaluation:
    """Score every method in ``mode`` against the links between the two frameworks."""
    if mode is Mode.COMPLETE:
        raise ValueError(
            "evaluate a blind or leave-one-out ranking; complete mode sees the answers"
        )
    embeddings = embeddings or shared_embeddings()
    truth = oriented_links(catalog, source, target)
    target_codes = [t.code for t in leaves(catalog, target)]
    scored = [s for s in leaves(catalog, source) if set(truth.get(s.code, {})) & set(target_codes)]
    if not scored:
        raise ValueError(f"no item of {source} is linked to {target}: nothing to score against")
    floor = _tfidf(catalog, source, target)
    per_item: dict[str, dict[str, dict[str, float]]] = {m: {} for m in METHODS}
    for view, chosen in views_for(catalog, source, target, scored, mode):
        features = pair_features(view, source, target, embeddings)
        fusion = fitted_fusion(features)
        for item in chosen:
            row = features.row(item.code)
            relevant = set(truth[item.code]) & set(target_codes)
            codes = [t.code for t in features.targets]
            rng = np.random.default_rng([SEED, row])
            tiebreak = rng.random(len(codes))
            scores = {
                "fused": fusion.logits(features.values[row]),
                **{name: features.values[row, :, k] for k, name in enumerate(FEATURES)},
                "tfidf": floor[row],
                "random": np.zeros(len(codes)),
            }
            for method, values in scores.items():
                order = np.lexsort((tiebreak, -np.asarray(values, dtype=np.float64)))
                per_item[method][item.code] = item_metrics([codes[j] for j in order], relevant)
    results = {
        method: MethodResult(
            method,
            {m: bootstrap([v[m] for v in items.values()]) for m in METRICS},
            items,
        )
        for method, items in per_item.items()
    }
    links = sum(len(set(truth[s.code]) & set(target_codes)) for s in scored)
    return Evaluation(source, target, mode, len(scored), links, results)


def _tfidf(catalog: Catalog, source: str, target: str) -> np.ndarray:
    """The floor: word-level TF-IDF cosine over names and statements, nothing else."""
    sources, targets = leaves(catalog, source), leaves(catalog, target)

    def words(item_name: str, statement: str) -> list[str]:
        return tokens(item_name if item_name == statement else f"{item_name} {statement}")

    docs = [words(i.name, i.statement) for i in sources + targets]
    frequency = Counter(w for d in docs for w in set(d))

    def vector(doc: list[str]) -> dict[str, float]:
        weights = {
            w: (1 + math.log(n)) * math.log(len(docs) / frequency[w])
            for w, n in Counter(doc).items()
        }
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {w: v / norm for w, v in weights.items()}

    left = [vector(d) for d in docs[: len(sources)]]
    right = [vector(d) for d in docs[len(sources) :]]
    return np.array([[sum(v * r.get(w, 0.0) for w, v in a.items()) for r in right] for a in left])
