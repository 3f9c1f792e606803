"""Ranked full-text search over every framework's names, statements and aliases.

Scoring is by tiers a reader can predict: the whole phrase beats all the words, which
beats some of the words; inside a tier a name or code hit beats an alias hit, which
beats a statement hit.  Each hit carries the words it matched so a page can highlight
them without re-implementing the matching.

A printed code is one word: "2.1" finds CKC 2.1 (and text citing it), never "Area 2"
or "(1)".  When the words as typed find nothing, each word the catalog does not know
is replaced by the closest one it does ("reflectve supervison" → "reflective
supervision"), and the hits say which query they answer, so every interface can say
"showing results for …".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from crosswalk.catalog import Catalog
from crosswalk.model import Item, code_sort_key
from crosswalk.query.text import STOPWORDS, normalise

# Field weights stay below the gap between tiers (3), so a tier always dominates.
_FIELD_WEIGHT = {"code": 2.5, "name": 2.0, "alias": 1.5, "statement": 1.0, "cites": 0.5}
_PHRASE, _ALL_WORDS, _SOME_WORDS = 3, 2, 1
# A word: a printed code ("2.1", "6B.2", "1.10") whole, else a run of letters and digits.
_WORD = re.compile(r"\d+[A-Za-z]?(?:\.\d+[A-Za-z]?)+|[A-Za-z0-9]+")
# How alike a misspelt word and its correction must be (difflib's ratio): "supervison"
# and "supervision" score 0.95, "reflectve" and "reflective" 0.95; at 0.8 a word of
# five letters may differ by one letter, and short words are never corrected.
_CORRECTION_CUTOFF = 0.8
_CORRECTABLE = 4  # letters a word needs before it is corrected


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One item found: where the best match was and which words of it matched.

    ``corrected`` is the query the hit answers when the words as typed found nothing
    and a spelling correction did ("reflective supervision"); empty otherwise.
    """

    item: Item
    score: float
    field: str  # code | name | alias | statement | cites
    text: str  # the text of that field, as stored
    matched: tuple[str, ...]  # words of ``text`` that matched, as spelled there
    corrected: str = ""


def search(
    catalog: Catalog, text: str, framework: str | None = None, limit: int = 20
) -> list[SearchHit]:
    """The items best matching ``text``, best first (at most ``limit``).

    Nothing found as typed: the hits of the spelling correction, if there is one
    (each hit's ``corrected`` names it).
    """
    if framework is not None:
        catalog.framework(framework)
    hits = _search(catalog, text, framework)
    if not hits:
        corrected = did_you_mean(catalog, text)
        if corrected:
            hits = [
                SearchHit(h.item, h.score, h.field, h.text, h.matched, corrected)
                for h in _search(catalog, corrected, framework)
            ]
    return hits[:limit]


def did_you_mean(catalog: Catalog, text: str) -> str:
    """``text`` with each word the catalog's names and statements do not contain replaced
    by the closest word they do; empty when no word needs (or finds) a correction."""
    vocabulary: set[str] | None = None
    words = _WORD.findall(text)
    changed = False
    for n, word in enumerate(words):
        lower = word.lower()
        if len(lower) < _CORRECTABLE or not lower.isalpha():
            continue
        if vocabulary is None:
            vocabulary = _vocabulary(catalog.dataset.items)
        if lower in vocabulary:
            continue
        close = difflib.get_close_matches(lower, vocabulary, n=1, cutoff=_CORRECTION_CUTOFF)
        if close:
            words[n], changed = close[0], True
    return " ".join(w.lower() for w in words) if changed else ""


def _vocabulary(items: Iterable[Item]) -> set[str]:
    """Every word of every item's name, statement and aliases, lower case."""
    found: set[str] = set()
    for item in items:
        for text in (item.name, item.statement, *(a.text for a in item.aliases)):
            found.update(w.lower() for w in _WORD.findall(text))
    return found


def _query_words(text: str) -> list[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    return [w for w in words if w not in STOPWORDS] or words


def _search(catalog: Catalog, text: str, framework: str | None) -> list[SearchHit]:
    query_words = _query_words(text)
    if not query_words:
        return []
    phrase = normalise(text)
    hits: list[SearchHit] = []
    for item in catalog.dataset.items:
        if framework is not None and item.framework != framework:
            continue
        best = _best_field(item, _fields(catalog, item), text.strip(), phrase, query_words)
        if best is not None:
            hits.append(best)
    hits.sort(key=lambda h: (-h.score, h.item.framework, code_sort_key(h.item.code)))
    return hits


def _fields(catalog: Catalog, item: Item) -> list[tuple[str, str]]:
    # A competency whose name is its statement (CKC, IECMHC) has no name to weigh up.
    name = "" if item.name == item.statement else item.name
    fields = [("code", item.code), ("name", name), ("statement", item.statement)]
    fields += [("statement" if a.kind == "statement" else "alias", a.text) for a in item.aliases]
    # What an item cites outside every framework ("T&TA Competencies") is findable only
    # here: it is no item of its own.
    fields += [
        ("cites", a.printed_target or a.note)
        for a in catalog.outgoing.get(item.key, [])
        if a.target_code is None and not a.is_no_match
    ]
    return [(name, value) for name, value in fields if value]


def _best_field(
    item: Item, fields: list[tuple[str, str]], raw: str, phrase: str, query_words: list[str]
) -> SearchHit | None:
    best: SearchHit | None = None
    matched: tuple[str, ...]
    for name, value in fields:
        if name == "code":
            if value.lower() != raw.lower():
                continue
            score, matched = _PHRASE * 3 + _FIELD_WEIGHT[name] + 0.5, (value,)
        else:
            scored = _score(value, phrase, query_words)
            if scored is None:
                continue
            tier, fraction, matched = scored
            # Short, dense fields first: "Observation & listening" before a long statement.
            density = len(matched) / max(1, len(_WORD.findall(value)))
            score = tier * 3 + _FIELD_WEIGHT[name] + 0.3 * fraction + 0.15 * density
        if best is None or score > best.score:
            best = SearchHit(item, round(score, 3), name, value, matched)
    return best


def _score(
    value: str, phrase: str, query_words: list[str]
) -> tuple[int, float, tuple[str, ...]] | None:
    """(tier, fraction of query words found, matched words) for one field, or None."""
    words = _WORD.findall(value)
    found = {q for q in query_words if any(_word_matches(q, w.lower()) for w in words)}
    if not found:
        return None
    matched = tuple(
        dict.fromkeys(w for w in words if any(_word_matches(q, w.lower()) for q in found))
    )
    fraction = len(found) / len(query_words)
    if phrase and f" {phrase} " in f" {normalise(value)} ":
        return _PHRASE, fraction, matched
    return (_ALL_WORDS if fraction == 1 else _SOME_WORDS), fraction, matched


def _word_matches(query_word: str, word: str) -> bool:
    """Whole words, or a prefix of four letters or more ("assess" → "assessment")."""
    return word == query_word or (len(query_word) >= 4 and word.startswith(query_word))
