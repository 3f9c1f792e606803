"""Reasons a person can check: the words that matched, the path, the similar item.

A reason names the signals that carried a suggestion, strongest first, each in terms
that can be looked up: the shared words as the target prints them, the middle item and
the crosswalks of a chain, the other source item that resembles this one and is
already linked to the target.
"""

from __future__ import annotations

from crosswalk.model import Item
from crosswalk.suggest.features import PairFeatures

MAX_PARTS = 3
_MIN_SHARE = 0.05  # signals giving less than this share of the evidence are not named


def pair_reason(features: PairFeatures, contributions: dict[str, float], i: int, j: int) -> str:
    positive = sorted(((v, name) for name, v in contributions.items() if v > 0), reverse=True)
    total = sum(v for v, _ in positive) or 1.0
    parts: list[str] = []
    for value, name in positive:
        if value / total < _MIN_SHARE or len(parts) == MAX_PARTS:
            break
        text = _part(features, name, i, j)
        if text:
            parts.append(text)
    if not parts:  # nothing stands out: say how close the meaning is all the same
        parts.append(_meaning(float(features.cosine[i, j])))
    return "; ".join(parts)


def _part(features: PairFeatures, name: str, i: int, j: int) -> str:
    if name == "semantic":
        return _meaning(float(features.cosine[i, j]))
    if name == "lexical":
        words = features.index.matched(features.source_words[i], j)
        return f"shared words: {', '.join(words)}" if words else ""
    if name == "chain":
        return chain_text(features, i, j)
    if name == "popularity" and features.popularity_counts is not None:
        n = int(features.popularity_counts[i, j])
        return f"linked from {n} other {features.sources[i].framework} item{'s' * (n != 1)}"
    if name == "resembles" and (i, j) in features.nearest:
        other, similarity = features.nearest[(i, j)]
        return f"resembles {quote(other)} ({similarity:.2f}), which is linked to it"
    if name == "siblings" and (i, j) in features.sibling_counts:
        k, n = features.sibling_counts[(i, j)]
        parent = features.sources[i].parent or ""
        where = features.parent_names.get(parent, parent)
        return f"{k} of {n} other items under ‘{where}’ are linked to it"
    return ""


def chain_text(features: PairFeatures, i: int, j: int) -> str:
    paths = features.chains.get((i, j), [])
    if not paths:
        return ""
    shown = [f"through {quote(p.middle)} ({p.first.id} → {p.second.id})" for p in paths[:2]]
    more = f" and {len(paths) - 2} more" if len(paths) > 2 else ""
    return "; ".join(shown) + more


def _meaning(cosine: float) -> str:
    return f"close in meaning (similarity {cosine:.2f})"


def quote(item: Item) -> str:
    return f"‘{item.label}’"
