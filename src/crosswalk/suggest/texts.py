"""What a suggestion reads about an item: its documents, built from a catalog only.

Every signal starts here, so what may leak into a suggestion is decided in one place:
an item's name, statement and parent's name, plus the evidence texts of alignments that
point at it (IECMHC → IMH rows say how an IMH area is "demonstrated").  Aliases are not
read: they record how a crosswalk printed an item, and for the CKC how often it printed
a statement, which would tell a suggestion how popular a target is in the crosswalk
under evaluation.  Everything is derived from the catalog passed in, so an evaluation
that hides links by building a smaller catalog hides their evidence texts too.

Statements of one framework open with the same words ("Demonstrates ability to …",
"Understands …"); a sentence encoder would match the opening instead of the content,
so openings shared by many of a framework's statements are cut from the text it
embeds (found in the data, never listed by hand).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from crosswalk.catalog import Catalog
from crosswalk.model import Item
from crosswalk.query.text import STOPWORDS

_WORD = re.compile(r"[a-z0-9]+")
# Opening phrases of at most this many words, shared by this share of statements.
_OPENING_WORDS = 4
_OPENING_SHARE = 0.15
_OPENING_MINIMUM = 3
_MORE_STOPWORDS = frozenset(
    {"be", "by", "is", "are", "their", "its", "it", "that", "this", "who", "all", "other"}
)
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ed", "es", "ly", "s")


@dataclass(frozen=True, slots=True)
class Document:
    """One item as the signals see it."""

    item: Item
    text: str  # what is embedded: name and statement, opening phrase cut
    evidence: tuple[str, ...]  # evidence texts of alignments pointing at the item
    words: tuple[str, ...]  # surface words for lexical matching: name, statement, parent


def leaves(catalog: Catalog, framework: str) -> list[Item]:
    """The items alignments are made between: a framework's leaves, in tree order."""
    return [i for i in catalog.items_of(framework) if catalog.is_leaf(i)]


def documents(catalog: Catalog, items: list[Item]) -> list[Document]:
    """Documents for items of one framework (openings are found across ``items``)."""
    openings = shared_openings([_statement(i) for i in items])
    evidence = _evidence_by_target(catalog)
    result = []
    for item in items:
        parent = catalog.parent_of(item)
        statement = _statement(item)
        cut = cut_opening(statement, openings)
        text = cut if item.name in ("", item.statement) else f"{item.name}. {cut}"
        words = [item.name, "" if item.statement == item.name else item.statement]
        if parent is not None:
            words.append(parent.name)
        result.append(
            Document(
                item=item,
                text=text,
                evidence=tuple(evidence.get(item.key, ())),
                words=tuple(_WORD.findall(" ".join(words).lower())),
            )
        )
    return result


def _statement(item: Item) -> str:
    return item.statement or item.name


def _evidence_by_target(catalog: Catalog) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for crosswalk_id, alignments in catalog.by_crosswalk.items():
        target_framework = catalog.crosswalks[crosswalk_id].target_framework
        for alignment in alignments:
            if alignment.target_code is not None and alignment.evidence.strip():
                texts = found.setdefault((target_framework, alignment.target_code), [])
                if alignment.evidence not in texts:
                    texts.append(alignment.evidence)
    return found


def shared_openings(statements: list[str]) -> list[str]:
    """Lower-case opening phrases that begin many of ``statements``, longest first."""
    counts: Counter[str] = Counter()
    for statement in statements:
        words = statement.lower().split()
        for n in range(1, min(_OPENING_WORDS, len(words) - 1) + 1):
            counts[" ".join(words[:n])] += 1
    needed = max(_OPENING_MINIMUM, _OPENING_SHARE * len(statements))
    return sorted((p for p, n in counts.items() if n >= needed), key=len, reverse=True)


def cut_opening(statement: str, openings: list[str]) -> str:
    lower = statement.lower()
    for opening in openings:
        if lower.startswith(opening + " "):
            rest = statement[len(opening) :].strip()
            return rest[:1].upper() + rest[1:]
    return statement


def content_words(words: tuple[str, ...] | list[str]) -> list[str]:
    """Words that say something (stopwords out, one-letter words out)."""
    return [w for w in words if len(w) > 1 and w not in STOPWORDS and w not in _MORE_STOPWORDS]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stem, enough to meet "observation" with "observe" and "observing"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word.rstrip("e") if len(word) > 4 else word


def words_of(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))
