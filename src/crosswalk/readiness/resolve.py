"""Resolving a transcript's codes and mapping them to IMH knowledge areas.

A code is looked up strictly (code, name or alias — never a fuzzy guess, which could
credit a training with an area it does not cover) in the framework the transcript
names, or, when it names none, in whichever single framework knows it.  Mapping goes
through :func:`crosswalk.query.map_codes`, so chains of crosswalks work and each hit
keeps its path.  Answers are remembered: transcripts repeat the same few codes.

A code that leads nowhere says why, with a problem kind of its own, so the report can
account for every code it was given (see :class:`Resolved`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from crosswalk.catalog import Catalog, NotFound
from crosswalk.model import Alignment, Item, slugify
from crosswalk.query import Hop, NoRoute, find_item, map_codes, suggestions, unprinted_code
from crosswalk.query.text import normalise, strip_tag
from crosswalk.readiness.cells import CodeRef, framework_named
from crosswalk.readiness.transcript import TranscriptRow

# The framework whose knowledge areas the Endorsement® asks applicants to cover.
TARGET_FRAMEWORK = "imh"
# Unknown codes of one transcript that get a "did you mean": each compares the code with
# every spelling of the frameworks (milliseconds), and an upload of a few hundred
# kilobytes held 3,000 distinct unknown codes, 14 s of CPU.  The rest are named
# unknown without the guess.
MAX_HINTS = 50


@dataclass(frozen=True, slots=True)
class Route:
    """One way from a code's item to a knowledge area, as the crosswalks walk it."""

    path: tuple[Item, ...]  # from the code's item to the knowledge area
    crosswalks: tuple[str, ...]  # the crosswalk walked at each step
    levels: tuple[str, ...]  # the level noted on each link ("", "MHS", "MHM")
    strength: str = ""  # the last link's Essential/Important, if it says

    @property
    def key(self) -> tuple[str, ...]:
        """The items and crosswalks walked, as text: one key per distinct path."""
        return (*(f"{i.framework} {i.code}" for i in self.path), *self.crosswalks)

    @property
    def source(self) -> Item:
        return self.path[0]

    @property
    def area(self) -> Item:
        return self.path[-1]


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where one written code leads; with no routes, the problem ``kind`` and why."""

    routes: tuple[Route, ...] = ()
    kind: str = ""  # unknown-code, unknown-framework, not-printed, no-correspondence
    message: str = ""


@dataclass(frozen=True, slots=True)
class _Lookup:
    item: Item | None
    kind: str = ""
    message: str = ""


class CodeResolver:
    """Codes → knowledge areas, remembering every answer (transcripts repeat codes)."""

    def __init__(self, catalog: Catalog, framework: str | None) -> None:
        self.catalog = catalog
        self.framework = framework
        self._items: dict[tuple[str | None, str], _Lookup] = {}
        self._mapped: dict[tuple[str, str], Resolved] = {}
        self._hints = 0

    def resolve(self, ref: CodeRef, row: TranscriptRow) -> Resolved:
        """Where ``ref`` leads, or why nowhere.

        A framework named by a prefix is binding; one suggested by the row, the column
        or ``--framework`` is tried first, then the code is recognised by itself — so an
        IMH knowledge-area name in a "CKC" column still counts, while an unknown code
        keeps the suggested framework's "did you mean".
        """
        framework = ref.framework or framework_named(row.framework_text)
        framework = framework or ref.column_framework or self.framework
        if framework is not None and framework not in self.catalog.frameworks:
            known = ", ".join(sorted(self.catalog.frameworks))
            message = f"unknown framework {framework!r} for {ref.text!r}; known: {known}"
            return Resolved(kind="unknown-framework", message=message)
        found = self.item(framework, ref.code)
        if found.item is None and ref.framework is None and framework is not None:
            anywhere = self.item(None, ref.code)
            found = anywhere if anywhere.item is not None else found
        if found.item is None and "," in ref.code:
            parts = [self.item(framework, p.strip()) for p in ref.code.split(",") if p.strip()]
            if all(part.item is not None for part in parts):
                routes = [r for part in parts if part.item for r in self.mapped(part.item).routes]
                return Resolved(tuple(routes))
        if found.item is None:
            return Resolved(kind=found.kind, message=f"code {ref.text!r}: {found.message}")
        mapped = self.mapped(found.item)
        if mapped.routes:
            return mapped
        return Resolved(kind=mapped.kind, message=f"code {ref.text!r}: {mapped.message}")

    def item(self, framework: str | None, code: str) -> _Lookup:
        key = (framework, code.lower())
        if key not in self._items:
            self._items[key] = self._find(framework, code)
        return self._items[key]

    def _find(self, framework: str | None, code: str) -> _Lookup:
        if framework is not None:
            found = self._strict(framework, code)
            if len(found) == 1:
                return _Lookup(found[0])
            if found:
                codes = ", ".join(i.code for i in found)
                message = f"{code!r} names {len(found)} items of {framework!r}: {codes}"
                return _Lookup(None, "unknown-code", message)
            unprinted = unprinted_code(self.catalog, framework, code)
            if unprinted:
                return _Lookup(None, "not-printed", unprinted)
            if not self._hint():
                return _Lookup(None, "unknown-code", f"no item {code!r} in framework {framework!r}")
            try:  # not found: ask the lookup for its "did you mean"
                return _Lookup(find_item(self.catalog, framework, code, fuzzy=False))
            except NotFound as error:
                return _Lookup(None, "unknown-code", str(error))
        found_in = {fw: self._strict(fw, code) for fw in sorted(self.catalog.frameworks)}
        matches = [items[0] for items in found_in.values() if len(items) == 1]
        leaves = [m for m in matches if self.catalog.is_leaf(m)]
        if len(matches) == 1 or len(leaves) == 1:
            return _Lookup((leaves or matches)[0])
        if matches:
            where = ", ".join(f"{m.framework} {m.code}" for m in matches)
            message = (
                f"could be {where}; name the framework with a prefix (CKC 2.1) "
                "or a Framework column"
            )
            return _Lookup(None, "unknown-code", message)
        for fw, items in found_in.items():
            if items:
                codes = ", ".join(i.code for i in items)
                return _Lookup(
                    None, "unknown-code", f"{code!r} names {len(items)} items of {fw!r}: {codes}"
                )
        gaps = [
            gap
            for fw in sorted(self.catalog.frameworks)
            if (gap := unprinted_code(self.catalog, fw, code))
        ]
        if len(gaps) == 1:
            return _Lookup(None, "not-printed", gaps[0])
        if not self._hint():
            return _Lookup(None, "unknown-code", "not a code or name in any framework")
        near = [
            f"{item.code} ({item.framework})"
            for candidate in sorted(self.catalog.frameworks)
            for item in suggestions(self.catalog, candidate, code, limit=3)
        ][:4]
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        return _Lookup(None, "unknown-code", f"not a code or name in any framework{hint}")

    def _hint(self) -> bool:
        """Whether one more "did you mean" is within :data:`MAX_HINTS`."""
        self._hints += 1
        return self._hints <= MAX_HINTS

    def _strict(self, framework: str, text: str) -> list[Item]:
        """The items ``text`` designates exactly, as :func:`find_item` without ``fuzzy``.

        Indexed once per framework and catalog (kept with the catalog, so each upload
        does not index a 20,000-item framework again), because recognising a code by
        itself asks every framework and the lookup's helpful "did you mean" is too slow
        to compute for each of thousands of rows.
        """
        index = self.catalog.derived(
            ("readiness strict index", framework), lambda: _strict_index(self.catalog, framework)
        )
        wanted = text.strip()
        keys = (
            {wanted.lower(), "/".join(slugify(part) for part in wanted.split("/"))},
            {normalise(wanted), normalise(strip_tag(wanted))} - {""},
        )
        for by_key, candidates in zip(index, (*keys, keys[1]), strict=True):
            found = {i.key: i for key in candidates for i in by_key.get(key, [])}
            if found:
                return list(found.values())
        return []

    def mapped(self, item: Item) -> Resolved:
        """Every route from ``item`` to a knowledge area (remembered per item)."""
        if item.key not in self._mapped:
            self._mapped[item.key] = self._map(item)
        return self._mapped[item.key]

    def _map(self, item: Item) -> Resolved:
        if item.framework == TARGET_FRAMEWORK:
            if not self.catalog.is_leaf(item):
                message = "names an area of expertise; list its knowledge areas instead"
                return Resolved(kind="no-correspondence", message=message)
            return Resolved((Route((item,), (), ()),))
        try:
            mappings = map_codes(self.catalog, item.framework, TARGET_FRAMEWORK, [item.code])
        except NoRoute as error:
            return Resolved(kind="no-correspondence", message=str(error))
        routes = tuple(
            dict.fromkeys(
                Route(
                    (m.source, *(h.target for h in m.path)),
                    tuple(h.crosswalk.id for h in m.path),
                    tuple(a.level for a in links),
                    links[-1].strength,
                )
                for m in mappings
                for links in product(*(self._links(hop) for hop in m.path))
            )
        )
        if not routes:
            message = f"the crosswalks link {item.framework} {item.code} to no IMH knowledge area"
            return Resolved(kind="no-correspondence", message=message)
        return Resolved(routes)

    def _links(self, hop: Hop) -> list[Alignment]:
        """Every alignment stating ``hop``'s pair in its crosswalk, not only the first.

        Seed 002 lists 6A.2 → Relationship focused therapeutic practice twice, unnoted
        and MHM: the mapping reports the pair once, but each link's level decides for
        which categories it counts.
        """
        crosswalk = hop.crosswalk.id
        if hop.direction == "forward":
            found = [
                a
                for a in self.catalog.outgoing.get(hop.source.key, [])
                if a.crosswalk == crosswalk and a.target_code == hop.target.code
            ]
        else:
            found = [
                a
                for a in self.catalog.incoming.get(hop.source.key, [])
                if a.crosswalk == crosswalk and a.source_code == hop.target.code
            ]
        return found or [hop.alignment]


_Index = tuple[dict[str, list[Item]], dict[str, list[Item]], dict[str, list[Item]]]


def _strict_index(catalog: Catalog, framework: str) -> _Index:
    """Codes, names and aliases of a framework's items, in the forms people type them."""
    codes: dict[str, list[Item]] = {}
    names: dict[str, list[Item]] = {}
    aliases: dict[str, list[Item]] = {}
    for item in catalog.items_of(framework):
        codes.setdefault(item.code.lower(), []).append(item)
        for key in {normalise(item.name), normalise(strip_tag(item.name))} - {""}:
            names.setdefault(key, []).append(item)
        for alias in item.aliases:
            if alias.kind == "statement":
                continue
            for key in {normalise(alias.text), normalise(strip_tag(alias.text))} - {""}:
                aliases.setdefault(key, []).append(item)
    return codes, names, aliases
