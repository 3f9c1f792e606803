"""The signals for a framework pair, each a source × target matrix, from one catalog.

Three read the texts and the other crosswalks:

* ``semantic`` — cosine of sentence embeddings (name and statement, evidence texts
  folded in), each framework's mean vector removed first so that what all items of a
  framework share ("infant", "families") does not count as a match;
* ``lexical`` — BM25 of the source item's words against the target item's;
* ``chain`` — paths through a third framework along existing crosswalks
  (IECMHC → IMH → CKC).

Three read the links already made between the two frameworks, always without the
source item's own (so a source item's row is the same whether or not its links exist;
see :mod:`crosswalk.suggest.views` for the catalogs that hide more):

* ``popularity`` — how many other source items link to the target;
* ``resembles`` — how close the nearest other source item linked to the target is;
* ``siblings`` — the share of the item's siblings (same parent) linked to the target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from crosswalk.catalog import Catalog
from crosswalk.model import Alignment, Crosswalk, Item
from crosswalk.suggest.embeddings import Embeddings
from crosswalk.suggest.encoder import Matrix
from crosswalk.suggest.lexical import LexicalIndex, document_words
from crosswalk.suggest.texts import Document, documents, leaves
from crosswalk.suggest.views import oriented_links

FEATURES = ("semantic", "lexical", "chain", "popularity", "resembles", "siblings")
TEXT_FEATURES = FEATURES[:3]


@dataclass(frozen=True, slots=True)
class ChainPath:
    """source → middle → target along two existing alignments."""

    middle: Item
    first: Crosswalk
    second: Crosswalk


@dataclass
class PairFeatures:
    """Every signal for every (source leaf, target leaf) pair, plus what explains it."""

    sources: list[Item]
    targets: list[Item]
    values: Matrix  # (sources, targets, len(FEATURES))
    cosine: Matrix  # the raw centred cosine, for reasons
    source_words: list[list[str]]
    index: LexicalIndex
    known: dict[str, dict[str, Alignment]]  # links already made, source → targets
    chains: dict[tuple[int, int], list[ChainPath]] = field(default_factory=dict)
    nearest: dict[tuple[int, int], tuple[Item, float]] = field(default_factory=dict)
    sibling_counts: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    popularity_counts: Matrix | None = None
    parent_names: dict[str, str] = field(default_factory=dict)  # source parent code → name

    def row(self, code: str) -> int:
        for n, item in enumerate(self.sources):
            if item.code == code:
                return n
        raise KeyError(code)

    def labels(self) -> Matrix:
        """1 where a link is already made (the training signal for a fitted fusion)."""
        y = np.zeros((len(self.sources), len(self.targets)), dtype=np.float32)
        column = {t.code: j for j, t in enumerate(self.targets)}
        for i, source in enumerate(self.sources):
            for code in self.known.get(source.code, {}):
                if code in column:
                    y[i, column[code]] = 1.0
        return y


def vectors(embeddings: Embeddings, docs: list[Document]) -> Matrix:
    """Unit vectors for documents, evidence folded in, the collection's mean removed."""
    matrix = embeddings.embed([d.text for d in docs]).copy()
    if not docs:
        return matrix
    for n, doc in enumerate(docs):
        if doc.evidence:
            matrix[n] = _unit(matrix[n] + embeddings.embed(list(doc.evidence)).mean(0))
    return centred(matrix, matrix.mean(0))


def centred(matrix: Matrix, mean: Matrix) -> Matrix:
    shifted = matrix - mean
    norms = np.maximum(np.linalg.norm(shifted, axis=-1, keepdims=True), 1e-9)
    unit: Matrix = (shifted / norms).astype(np.float32)
    return unit


def _unit(vector: Matrix) -> Matrix:
    return (vector / max(float(np.linalg.norm(vector)), 1e-9)).astype(np.float32)


def standardise(rows: Matrix) -> Matrix:
    """Per row: mean 0, spread 1 (a constant row becomes zeros)."""
    if rows.size == 0:
        return rows.astype(np.float32)
    spread = rows.std(axis=-1, keepdims=True)
    scaled: Matrix = (rows - rows.mean(axis=-1, keepdims=True)) / np.where(
        spread > 1e-9, spread, 1.0
    )
    return scaled.astype(np.float32)


def pair_features(
    catalog: Catalog, source: str, target: str, embeddings: Embeddings
) -> PairFeatures:
    """All signals from ``source`` leaves to ``target`` leaves, from ``catalog`` alone."""
    catalog.framework(source)
    catalog.framework(target)
    sources, targets = leaves(catalog, source), leaves(catalog, target)
    source_docs, target_docs = documents(catalog, sources), documents(catalog, targets)
    source_vectors, target_vectors = (
        vectors(embeddings, source_docs),
        vectors(embeddings, target_docs),
    )
    cosine = source_vectors @ target_vectors.T
    index = LexicalIndex.build(target_docs)
    source_words = [document_words(d) for d in source_docs]
    lexical = index.matrix(source_words)
    known = oriented_links(catalog, source, target)
    values = np.zeros((len(sources), len(targets), len(FEATURES)), dtype=np.float32)
    values[..., 0] = standardise(cosine)
    values[..., 1] = standardise(lexical)
    result = PairFeatures(sources, targets, values, cosine, source_words, index, known)
    result.parent_names = {
        s.parent: parent.name for s in sources if s.parent and (parent := catalog.parent_of(s))
    }
    _chains(catalog, result, source, target)
    _from_links(result, source_vectors @ source_vectors.T)
    return result


def _chains(catalog: Catalog, features: PairFeatures, source: str, target: str) -> None:
    """Paths source → X → target through every third framework X."""
    row = {s.code: i for i, s in enumerate(features.sources)}
    column = {t.code: j for j, t in enumerate(features.targets)}
    for middle_framework in sorted(catalog.frameworks):
        if middle_framework in (source, target):
            continue
        first = oriented_links(catalog, source, middle_framework)
        second = oriented_links(catalog, middle_framework, target)
        for source_code, middles in first.items():
            for middle_code, a in middles.items():
                middle = catalog.items.get((middle_framework, middle_code))
                for target_code, b in second.get(middle_code, {}).items():
                    if middle is None or source_code not in row or target_code not in column:
                        continue
                    path = ChainPath(
                        middle, catalog.crosswalk(a.crosswalk), catalog.crosswalk(b.crosswalk)
                    )
                    features.chains.setdefault((row[source_code], column[target_code]), []).append(
                        path
                    )
    for (i, j), paths in features.chains.items():
        features.values[i, j, 2] = math.log1p(len({p.middle.key for p in paths}))


def _from_links(features: PairFeatures, similarity: Matrix) -> None:
    """popularity, resembles and siblings: other source items' links, never the item's own."""
    labels = features.labels()
    if not labels.any():
        return
    counts = labels.sum(0)
    others = counts[None, :] - labels  # the row's own links taken out
    features.popularity_counts = others
    features.values[..., 3] = np.log1p(others) / math.log1p(max(float(counts.max()), 1.0))
    linked = np.asarray(labels.any(1))
    # resembles[i, j]: the most similar other source item k with a link to j, found
    # target by target among the items linked to it (memory: sources × links of j,
    # never sources² × targets).
    weights = np.array(similarity, dtype=np.float64)
    np.fill_diagonal(weights, -np.inf)
    rows = np.arange(len(features.sources))
    for target in range(len(features.targets)):
        linked_to = np.nonzero(labels[:, target] > 0)[0]
        if not len(linked_to):
            continue
        among = weights[:, linked_to]
        choice = among.argmax(1)  # the first of the best, in source order
        best = among[rows, choice]
        found = np.isfinite(best)
        features.values[:, target, 4] = np.where(found, np.maximum(best, 0.0), 0.0)
        for row in np.nonzero(found)[0]:
            nearest = features.sources[int(linked_to[choice[row]])]
            features.nearest[(int(row), target)] = (nearest, float(best[row]))
    for i, source in enumerate(features.sources):
        siblings = [
            k
            for k, other in enumerate(features.sources)
            if k != i and linked[k] and other.parent is not None and other.parent == source.parent
        ]
        if siblings:
            share = labels[siblings].sum(0)
            features.values[i, :, 5] = share / len(siblings)
            for j in np.nonzero(share)[0]:
                features.sibling_counts[(i, int(j))] = (int(share[j]), len(siblings))
