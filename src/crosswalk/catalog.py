"""An indexed, read-only view of a dataset: what the query layer works on.

The store loads a :class:`~crosswalk.model.Dataset` once; the catalog indexes it so that
lookups by code, by name, by crosswalk and by either end of an alignment are
dictionary reads.  Queries see model objects only, never database sessions.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from crosswalk.model import Alignment, Crosswalk, Dataset, Framework, Item, code_sort_key

T = TypeVar("T")


class NotFound(LookupError):
    """An unknown framework, item or crosswalk; the message says what to try instead."""


@dataclass
class Catalog:
    dataset: Dataset
    frameworks: dict[str, Framework] = field(init=False)
    crosswalks: dict[str, Crosswalk] = field(init=False)
    items: dict[tuple[str, str], Item] = field(init=False)
    children: dict[tuple[str, str | None], list[Item]] = field(init=False)
    by_crosswalk: dict[str, list[Alignment]] = field(init=False)
    outgoing: dict[tuple[str, str], list[Alignment]] = field(init=False)
    incoming: dict[tuple[str, str], list[Alignment]] = field(init=False)
    _derived: dict[Hashable, Any] = field(init=False, repr=False, compare=False)
    _derived_lock: threading.RLock = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        data = self.dataset
        self.frameworks = {f.id: f for f in data.frameworks}
        self.crosswalks = {c.id: c for c in data.crosswalks}
        self.items = {i.key: i for i in data.items}
        self.children = defaultdict(list)
        for item in sorted(data.items, key=lambda i: (i.position, code_sort_key(i.code))):
            self.children[(item.framework, item.parent)].append(item)
        self.by_crosswalk = defaultdict(list)
        self.outgoing = defaultdict(list)
        self.incoming = defaultdict(list)
        for alignment in sorted(data.alignments, key=lambda a: (a.crosswalk, a.position)):
            crosswalk = self.crosswalks[alignment.crosswalk]
            self.by_crosswalk[crosswalk.id].append(alignment)
            self.outgoing[(crosswalk.source_framework, alignment.source_code)].append(alignment)
            if alignment.target_code is not None:
                key = (crosswalk.target_framework, alignment.target_code)
                self.incoming[key].append(alignment)
        # Plain dicts from here on: one catalog is shared by every request and thread,
        # and a defaultdict would grow (and race) on each lookup of a missing key.
        self.children = dict(self.children)
        self.by_crosswalk = dict(self.by_crosswalk)
        self.outgoing = dict(self.outgoing)
        self.incoming = dict(self.incoming)
        self._derived = {}
        self._derived_lock = threading.RLock()

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """An index derived from this catalog (e.g. one framework's spellings), built on
        first use, once even when threads ask together, and kept as long as the catalog."""
        with self._derived_lock:
            if key not in self._derived:
                self._derived[key] = build()
            return self._derived[key]  # type: ignore[no-any-return]

    # -- lookups that fail with a helpful message -------------------------------------

    def framework(self, framework_id: str) -> Framework:
        try:
            return self.frameworks[framework_id]
        except KeyError:
            known = ", ".join(sorted(self.frameworks))
            raise NotFound(f"unknown framework {framework_id!r}; known: {known}") from None

    def crosswalk(self, crosswalk_id: str) -> Crosswalk:
        try:
            return self.crosswalks[crosswalk_id]
        except KeyError:
            known = ", ".join(sorted(self.crosswalks))
            raise NotFound(f"unknown crosswalk {crosswalk_id!r}; known: {known}") from None

    def item(self, framework_id: str, code: str) -> Item:
        self.framework(framework_id)
        try:
            return self.items[(framework_id, code)]
        except KeyError:
            raise NotFound(f"no item {code!r} in framework {framework_id!r}") from None

    def items_of(self, framework_id: str) -> list[Item]:
        """All items of a framework in tree order (parents before their children); the
        order is worked out once per catalog, each caller gets a list of its own."""
        return list(self.derived(("tree order", framework_id), lambda: self._walk(framework_id)))

    def _walk(self, framework_id: str) -> tuple[Item, ...]:
        ordered: list[Item] = []
        pending = list(reversed(self.children.get((framework_id, None), [])))
        while pending:  # depth first, without recursion: a deep tree is no error
            item = pending.pop()
            ordered.append(item)
            pending += reversed(self.children.get((framework_id, item.code), []))
        return tuple(ordered)

    def source_items(self, crosswalk: Crosswalk) -> list[Item]:
        """The items a crosswalk maps from: leaves of the source framework."""
        return [i for i in self.items_of(crosswalk.source_framework) if self.is_leaf(i)]

    def is_leaf(self, item: Item) -> bool:
        return not self.children.get((item.framework, item.code))

    def parent_of(self, item: Item) -> Item | None:
        return self.items.get((item.framework, item.parent)) if item.parent else None

    def crosswalks_between(self, a: str, b: str) -> list[Crosswalk]:
        return [
            c
            for c in self.crosswalks.values()
            if {c.source_framework, c.target_framework} == {a, b}
        ]
