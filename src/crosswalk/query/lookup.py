"""Finding items the way people name them, and everything said about one item.

People type a printed code ("1.10"), a name as printed in some other document
("Self Awareness", "Developmental Guidance (MHS)") or something close to it.  The
lookup tries the strict readings first so that a fuzzy guess never shadows an exact
answer, and when it must give up it names the nearest candidates.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from crosswalk.catalog import Catalog, NotFound
from crosswalk.model import Alignment, Crosswalk, Framework, Item, Provenance, Relation, slugify
from crosswalk.query.spellings import spellings

Direction = Literal["out", "in"]

# A fuzzy guess is accepted alone only when it is this close and clearly ahead.
_FUZZY_ACCEPT = 0.85
_FUZZY_MARGIN = 0.08


def find_item(catalog: Catalog, framework: str, code_or_name: str, *, fuzzy: bool = True) -> Item:
    """The item of ``framework`` that ``code_or_name`` designates.

    Tried in order: exact code; code ignoring case (and the slug spelling of a code, but
    only for code-like text — "research-evaluation", "Direct Service Skills/Safety" —
    because the slug of a plain name such as "Research & evaluation" can equal the code
    of a *different* item, an area); name; alias.  Several name or alias matches are
    narrowed to the one spelled exactly (case included), else reported as ambiguous
    with each candidate's code and area.  Last — if ``fuzzy`` and the text is not a
    code — the single clearly closest name or alias: a mistyped code ("2.10") is never
    swapped for a neighbouring code ("2.1"), it is an error with suggestions.
    Raises :class:`NotFound` with "did you mean …" when nothing (or several) fit.
    """
    catalog.framework(framework)
    text = code_or_name.strip()
    found = _strict(catalog, framework, text)
    if found is not None:
        return found
    unprinted = unprinted_code(catalog, framework, text)
    if unprinted:
        raise NotFound(f"no item {text!r} in framework {framework!r}: {unprinted}")
    ranked = spellings(catalog, framework).ranked(text)
    if fuzzy and not looks_like_code(text) and ranked and ranked[0][0] >= _FUZZY_ACCEPT:
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if ranked[0][0] - runner_up >= _FUZZY_MARGIN:
            return ranked[0][1]
    raise NotFound(unknown_message(framework, text, [item for _, item in ranked]))


def _strict(catalog: Catalog, framework: str, text: str) -> Item | None:
    """The item ``text`` names by code, name or alias (no guess); None when nothing
    does; :class:`NotFound` when several do and no spelling tells them apart."""
    if (framework, text) in catalog.items:
        return catalog.items[(framework, text)]
    found, spelled = _strict_reading(catalog, framework, text)
    exact = [i for i in found if text in spelled(i)]
    if len(found) == 1 or len(exact) == 1:
        return found[0] if len(found) == 1 else exact[0]
    if found:
        raise NotFound(_ambiguous_message(catalog, framework, text, found))
    return None


def resolve(catalog: Catalog, framework: str, text: str) -> Item | tuple[str, list[Item]]:
    """The item ``text`` names strictly (as :func:`find_item` with ``fuzzy=False``), or
    why not and the nearest items, comparing spellings only once."""
    catalog.framework(framework)
    text = text.strip()
    found = _strict(catalog, framework, text)
    if found is not None:
        return found
    unprinted = unprinted_code(catalog, framework, text)
    if unprinted:
        return f"no item {text!r} in framework {framework!r}: {unprinted}", []
    near = suggestions(catalog, framework, text)
    return unknown_message(framework, text, near), near


# A numbered code: everything up to the last dot, then a number without a leading zero.
_NUMBERED = re.compile(r"(?P<stem>.*\.)(?P<number>[1-9]\d*)")


def _printed(catalog: Catalog, framework: str) -> dict[str, list[int]]:
    """Stem ("4.") → the numbers its printed codes end in, sorted: built once per
    catalog, since scanning a 20,000-item framework for each unknown code of a
    transcript took minutes."""
    numbers: dict[str, list[int]] = {}
    for item in catalog.items_of(framework):
        stem, dot, rest = item.code.rpartition(".")
        if dot and rest.isascii() and rest.isdigit() and not rest.startswith("0"):
            numbers.setdefault(stem + dot, []).append(int(rest))
    return {stem: sorted(found) for stem, found in numbers.items()}


def unprinted_code(catalog: Catalog, framework: str, text: str) -> str:
    """Why ``text`` is not in ``framework`` when it is a gap in its printed numbering; "".

    The source documents print CKC area 4 as 4.1, 4.2, 4.3 and 4.6: 4.4 and 4.5 are real
    codes whose statements and links the documents never print.  A "did you mean 1.4,
    2.4?" would send a person hunting for a typo that is not there, so a code that falls
    between two printed siblings (same stem, lower and higher numbers) is said to be
    exactly that.  Codes past the last printed sibling are not guessed at.
    """
    match = _NUMBERED.fullmatch(text.strip())
    if match is None or framework not in catalog.frameworks:
        return ""
    if len(match["number"]) > 18:  # no printed code is that long (and int() stops at 4,300)
        return ""
    stem, number = match["stem"], int(match["number"])
    by_stem = catalog.derived(("printed numbers", framework), lambda: _printed(catalog, framework))
    printed = by_stem.get(stem, [])
    at = bisect.bisect_left(printed, number)
    if at == 0 or at == len(printed) or printed[at] == number:
        return ""  # printed, or not between two printed siblings
    title = catalog.frameworks[framework].title
    return (
        f"{text.strip()} is a code of {title} that the source documents do not print "
        f"(they go from {stem}{printed[at - 1]} to {stem}{printed[at]}), so no statement and no "
        "crosswalk link for it are known here"
    )


def locate(catalog: Catalog, text: str, framework: str | None = None) -> list[Item]:
    """The items ``text`` names strictly (code, name or alias, as :func:`find_item` reads
    them without guessing) in ``framework``, or in every framework when it is None: what
    "look up 2.1" means before a search is needed.  Several when the text is ambiguous."""
    frameworks = [catalog.framework(framework).id] if framework else sorted(catalog.frameworks)
    wanted = text.strip()
    if not wanted:
        return []
    found: list[Item] = []
    for fid in frameworks:
        exact = catalog.items.get((fid, wanted))
        found += [exact] if exact else _strict_reading(catalog, fid, wanted)[0]
    return found


def names_an_item(catalog: Catalog, framework: str, text: str) -> bool:
    """Whether ``text`` names some item of ``framework`` strictly (code, name or alias,
    as :func:`find_item` reads them without guessing), perhaps several."""
    return bool(_strict_reading(catalog, framework, text.strip())[0])


def _strict_reading(catalog: Catalog, framework: str, text: str) -> tuple[list[Item], Spellings]:
    """The items of the first strict reading of ``text`` that fits any — code (in any
    case, or its slug spelling), else name, else alias — with that reading's spellings
    (to narrow several matches to the one spelled exactly)."""
    index = spellings(catalog, framework)
    wanted_code = _slug_code(text)
    slug = catalog.items.get((framework, wanted_code)) if wanted_code else None
    by_code = index.by_code(text)
    if slug is not None and all(i is not slug for i in by_code):
        by_code = sorted([*by_code, slug], key=lambda i: index.position[i.key])
    readings: tuple[tuple[list[Item], Spellings], ...] = (
        (by_code, _no_spellings),
        (index.by_name(text), _name_spellings),
        (index.by_alias(text), _alias_texts),
    )
    for found, spelled in readings:
        if found:
            return found, spelled
    return [], _no_spellings


Spellings = Callable[[Item], list[str]]

# A printed code ("2.10", "6B.2", "1") or a made-up one ("reflection/self-awareness").
_PRINTED_CODE = re.compile(r"\d+[A-Za-z]*(?:\.\w+)*")
_SLUG_PATH = re.compile(r"[\w&-]+(?:/[\w&-]+)+")


def looks_like_code(text: str) -> bool:
    """Whether ``text`` is written as a code rather than a name: no fuzzy guess for it."""
    text = text.strip()
    return bool(_PRINTED_CODE.fullmatch(text) or _SLUG_PATH.fullmatch(text))


def _slug_code(text: str) -> str | None:
    """The slug code ``text`` spells, if it is code-like.

    Without spaces it may be a code in any case ("Reflection/Self-Awareness"); with
    spaces only an "Area/Name" path counts, never a bare name.
    """
    if " " in text and "/" not in text:
        return None
    parts = [slugify(part) for part in text.split("/")]
    return "/".join(parts) if all(parts) else None


def _no_spellings(item: Item) -> list[str]:
    return []


def _name_spellings(item: Item) -> list[str]:
    return [item.name]


def _alias_texts(item: Item) -> list[str]:
    return [a.text for a in item.aliases if a.kind != "statement"]


def _ambiguous_message(catalog: Catalog, framework: str, text: str, found: list[Item]) -> str:
    def where(item: Item) -> str:
        parent = catalog.parent_of(item)
        return f"{item.code} (in {parent.name})" if parent else f"{item.code} ({item.kind})"

    listed = ", ".join(where(i) for i in found)
    return f"{text!r} names {len(found)} items of {framework!r}: {listed}; give the code"


def suggestions(catalog: Catalog, framework: str, text: str, limit: int = 5) -> list[Item]:
    """The items whose code, name or alias reads closest to ``text``.

    None for a code the documents do not print (:func:`unprinted_code`): CKC 4.4 is no
    typo of 1.4 or 2.4, and offering those would send a person looking for one.
    """
    if unprinted_code(catalog, framework, text):
        return []
    ranked = spellings(catalog, framework).ranked(text)
    return _unique(item for _, item in ranked)[:limit]


def _unique(items: Iterable[Item]) -> list[Item]:
    seen: dict[tuple[str, str], Item] = {}
    for item in items:
        seen.setdefault(item.key, item)
    return list(seen.values())


def unknown_message(framework: str, text: str, near: list[Item]) -> str:
    message = f"no item {text!r} in framework {framework!r}"
    close = _unique(near)[:5]
    if close:
        message += "; did you mean " + ", ".join(_spoken(i) for i in close) + "?"
    return message


# A suggestion names its item in at most this many characters (CKC names are whole
# statements; five of them would make the one-line error unreadable).
_SPOKEN_NAME = 60


def _spoken(item: Item) -> str:
    if item.code == item.name:
        return item.code
    return f"{item.code} ({shorten(item.name, _SPOKEN_NAME)})"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, "…" marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


# -- one item and everything said about it ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """One alignment seen from an item: which way it points and what is at the other end.

    ``other`` is ``None`` for a no-match or a reference outside the other framework;
    ``alignment.note`` and ``alignment.printed_target`` then say what the source wrote.
    """

    crosswalk: Crosswalk
    direction: Direction
    other: Item | None
    alignment: Alignment

    @property
    def relation(self) -> Relation:
        return self.alignment.relation

    @property
    def strength(self) -> str:
        return self.alignment.strength

    @property
    def level(self) -> str:
        return self.alignment.level

    @property
    def evidence(self) -> str:
        return self.alignment.evidence

    @property
    def note(self) -> str:
        return self.alignment.note

    @property
    def provenance(self) -> Provenance | None:
        return self.alignment.provenance


@dataclass(frozen=True, slots=True)
class LinkGroup:
    """The links between the described item and one other framework."""

    framework: Framework
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Description:
    """An item, where it sits, and every alignment into and out of it."""

    item: Item
    parent: Item | None
    children: tuple[Item, ...]
    groups: tuple[LinkGroup, ...] = field(default=())

    @property
    def links(self) -> list[Link]:
        return [link for group in self.groups for link in group.links]


def describe(catalog: Catalog, item: Item) -> Description:
    """Everything the catalog knows about ``item``, links grouped by the other framework."""
    grouped: dict[str, list[Link]] = {}
    for alignment in catalog.outgoing.get(item.key, []):
        crosswalk = catalog.crosswalks[alignment.crosswalk]
        other = (
            catalog.items.get((crosswalk.target_framework, alignment.target_code))
            if alignment.target_code is not None
            else None
        )
        link = Link(crosswalk, "out", other, alignment)
        grouped.setdefault(crosswalk.target_framework, []).append(link)
    for alignment in catalog.incoming.get(item.key, []):
        crosswalk = catalog.crosswalks[alignment.crosswalk]
        other = catalog.items.get((crosswalk.source_framework, alignment.source_code))
        grouped.setdefault(crosswalk.source_framework, []).append(
            Link(crosswalk, "in", other, alignment)
        )
    groups = tuple(
        LinkGroup(catalog.frameworks[fid], tuple(links))
        for fid, links in grouped.items()
        if fid in catalog.frameworks
    )
    children = tuple(catalog.children.get((item.framework, item.code), []))
    return Description(item, catalog.parent_of(item), children, groups)
