"""Resolving a transcript's codes and mapping them to IMH knowledge areas.

A code is looked up strictly (code, name or alias — never a fuzzy guess, which could
credit a training with an area it does not cover) in the framework the transcript
names, or, when it names none, in whichever single framework knows it.  Mapping goes
through :func:`crosswalk.query.map_codes`, so chains of crosswalks work and each hit
keeps its path.  Answers are remembered: transcripts repeat the same few codes.
"""

from __future__ import annotations

from crosswalk.catalog import Catalog, NotFound
from crosswalk.model import Item, slugify
from crosswalk.query import NoRoute, find_item, map_codes, suggestions
from crosswalk.query.text import normalise, strip_tag
from crosswalk.readiness.cells import CodeRef, framework_named
from crosswalk.readiness.transcript import TranscriptRow

# The framework whose knowledge areas the Endorsement® asks applicants to cover.
TARGET_FRAMEWORK = "imh"

# A hit: the items from the transcript's code to the knowledge area, the crosswalks
# walked, the framework the code was read in, and the level noted on each link walked
# ("" unnoted, "MHS", "MHM" — the seed 002 legend of the IECMHC crosswalk).
Found = tuple[tuple[Item, ...], tuple[str, ...], str, tuple[str, ...]]


class CodeResolver:
    """Codes → knowledge areas, remembering every answer (transcripts repeat codes)."""

    def __init__(self, catalog: Catalog, framework: str | None) -> None:
        self.catalog = catalog
        self.framework = framework
        self._items: dict[tuple[str | None, str], tuple[Item | None, str]] = {}
        self._mapped: dict[tuple[str, str], tuple[list[Found], str]] = {}
        self._index: dict[str, _Index] = {}

    def areas(self, ref: CodeRef, row: TranscriptRow) -> tuple[list[Found], list[tuple[str, str]]]:
        """The knowledge areas ``ref`` reaches, and the problems met on the way.

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
            return [], [("unknown-framework", message)]
        item, trouble = self.item(framework, ref.code)
        if item is None and ref.framework is None and framework is not None:
            item = self.item(None, ref.code)[0]
        if item is None and "," in ref.code:
            parts = [p.strip() for p in ref.code.split(",") if p.strip()]
            resolved = [self.item(framework, p) for p in parts]
            if all(part is not None for part, _ in resolved):
                results: list[Found] = []
                for part, _ in resolved:
                    assert part is not None
                    results += self.mapped(part)[0]
                return results, []
        if item is None:
            return [], [("unknown-code", f"code {ref.text!r}: {trouble}")]
        found, note = self.mapped(item)
        return found, ([("no-correspondence", f"code {ref.text!r}: {note}")] if note else [])

    def item(self, framework: str | None, code: str) -> tuple[Item | None, str]:
        key = (framework, code.lower())
        if key not in self._items:
            self._items[key] = self._find(framework, code)
        return self._items[key]

    def _find(self, framework: str | None, code: str) -> tuple[Item | None, str]:
        if framework is not None:
            found = self._strict(framework, code)
            if len(found) == 1:
                return found[0], ""
            if found:
                codes = ", ".join(i.code for i in found)
                return None, f"{code!r} names {len(found)} items of {framework!r}: {codes}"
            try:  # not found: ask the lookup for its "did you mean"
                return find_item(self.catalog, framework, code, fuzzy=False), ""
            except NotFound as error:
                return None, str(error)
        found_in = {fw: self._strict(fw, code) for fw in sorted(self.catalog.frameworks)}
        matches = [items[0] for items in found_in.values() if len(items) == 1]
        leaves = [m for m in matches if self.catalog.is_leaf(m)]
        if len(matches) == 1 or len(leaves) == 1:
            return (leaves or matches)[0], ""
        if matches:
            where = ", ".join(f"{m.framework} {m.code}" for m in matches)
            return None, (
                f"could be {where}; name the framework with a prefix (CKC 2.1) "
                "or a Framework column"
            )
        for fw, items in found_in.items():
            if items:
                codes = ", ".join(i.code for i in items)
                return None, f"{code!r} names {len(items)} items of {fw!r}: {codes}"
        near = [
            f"{item.code} ({item.framework})"
            for candidate in sorted(self.catalog.frameworks)
            for item in suggestions(self.catalog, candidate, code, limit=3)
        ][:4]
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        return None, f"not a code or name in any framework{hint}"

    def _strict(self, framework: str, text: str) -> list[Item]:
        """The items ``text`` designates exactly, as :func:`find_item` without ``fuzzy``.

        Indexed once per framework, because recognising a code by itself asks every
        framework and the lookup's helpful "did you mean" is too slow to compute for
        each of thousands of rows.
        """
        if framework not in self._index:
            self._index[framework] = _strict_index(self.catalog, framework)
        wanted = text.strip()
        keys = (
            {wanted.lower(), "/".join(slugify(part) for part in wanted.split("/"))},
            {normalise(wanted), normalise(strip_tag(wanted))} - {""},
        )
        for by_key, candidates in zip(self._index[framework], (*keys, keys[1]), strict=True):
            found = {i.key: i for key in candidates for i in by_key.get(key, [])}
            if found:
                return list(found.values())
        return []

    def mapped(self, item: Item) -> tuple[list[Found], str]:
        if item.key not in self._mapped:
            self._mapped[item.key] = self._map(item)
        return self._mapped[item.key]

    def _map(self, item: Item) -> tuple[list[Found], str]:
        if item.framework == TARGET_FRAMEWORK:
            if not self.catalog.is_leaf(item):
                return [], "names an area of expertise; list its knowledge areas instead"
            return [((item,), (), item.framework, ())], ""
        try:
            mappings = map_codes(self.catalog, item.framework, TARGET_FRAMEWORK, [item.code])
        except NoRoute as error:
            return [], str(error)
        found = [
            (
                (m.source, *(h.target for h in m.path)),
                tuple(h.crosswalk.id for h in m.path),
                item.framework,
                tuple(h.alignment.level for h in m.path),
            )
            for m in mappings
        ]
        if not found:
            return [], f"the crosswalks link {item.framework} {item.code} to no IMH knowledge area"
        return found, ""


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
