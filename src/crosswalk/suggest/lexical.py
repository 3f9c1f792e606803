"""Lexical similarity: Okapi BM25 over stemmed content words, with the words that matched.

A target framework's items are the collection; a source item (or a training's text) is
the query.  Each item's words are its name, statement, parent's name and the evidence
texts pointing at it (see :mod:`crosswalk.suggest.texts`).  BM25 rather than plain
TF-IDF because long statements would otherwise win by length alone.  The matched words
are kept as they were written, so a reason reads "listening, observation", not stems.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from crosswalk.suggest.encoder import Matrix
from crosswalk.suggest.texts import Document, content_words, stem, words_of

_K1 = 1.2
_B = 0.75


def document_words(document: Document) -> list[str]:
    words = list(document.words)
    for text in document.evidence:
        words += words_of(text)
    return content_words(words)


@dataclass
class LexicalIndex:
    """BM25 over a list of documents (the target items)."""

    stems: list[Counter[str]]
    surface: list[dict[str, str]]  # stem → first word written with it, per document
    idf: dict[str, float]
    lengths: list[int]
    average: float

    @classmethod
    def build(cls, documents: list[Document]) -> LexicalIndex:
        stems: list[Counter[str]] = []
        surface: list[dict[str, str]] = []
        for document in documents:
            words = document_words(document)
            stems.append(Counter(stem(w) for w in words))
            seen: dict[str, str] = {}
            for word in words:
                seen.setdefault(stem(word), word)
            surface.append(seen)
        frequency: Counter[str] = Counter(s for counts in stems for s in counts)
        size = max(1, len(documents))
        idf = {s: math.log(1 + (size - n + 0.5) / (n + 0.5)) for s, n in frequency.items()}
        lengths = [sum(c.values()) for c in stems]
        return cls(stems, surface, idf, lengths, (sum(lengths) / size) or 1.0)

    def scores(self, query_words: list[str]) -> Matrix:
        """BM25 of one query against every document."""
        query = set(stem(w) for w in content_words(query_words))
        result = np.zeros(len(self.stems), dtype=np.float32)
        for n, counts in enumerate(self.stems):
            norm = _K1 * (1 - _B + _B * self.lengths[n] / self.average)
            result[n] = sum(
                self.idf[s] * counts[s] * (_K1 + 1) / (counts[s] + norm)
                for s in query
                if s in counts
            )
        return result

    def matrix(self, queries: list[list[str]]) -> Matrix:
        if not queries:
            return np.zeros((0, len(self.stems)), dtype=np.float32)
        return np.stack([self.scores(q) for q in queries])

    def matched(self, query_words: list[str], document: int, limit: int = 6) -> list[str]:
        """The document's words that the query shares, rarest first."""
        query = {stem(w) for w in content_words(query_words)}
        shared = [s for s in self.stems[document] if s in query]
        shared.sort(key=lambda s: -self.idf.get(s, 0.0))
        return [self.surface[document][s] for s in shared[:limit]]
