"""An indexed, read-only view of a dataset: what the query layer works on.

The store loads a :class:`~crosswalk.model.Dataset` once; the catalog indexes it so that
lookups by code, by name, by crosswalk and by either end of an alignment are
dictionary reads.  Queries see model objects only, never database sessions.

A catalog never changes.  When the store changes, :meth:`Catalog.updated` makes the
next one from this one and the changed objects alone: the indexes are shared except
for the few entries the change touches, so a small edit to a large dataset costs
little, and the result equals a catalog built afresh from the new data (a test holds
them to that).  The same call previews a change set (its operations applied to the
published catalog) without writing anything.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from crosswalk.model import (
    Alignment,
    Crosswalk,
    Dataset,
    Framework,
    Item,
    alignment_order,
    code_sort_key,
    item_order,
)
from crosswalk.states import Record, key_of, kind_of, split_item_key

T = TypeVar("T")


class NotFound(LookupError):
    """An unknown framework, item or crosswalk; the message says what to try instead."""


@dataclass(frozen=True, slots=True)
class Change:
    """One object's new state: ``record`` None for a removal; ``version`` its revision."""

    kind: str
    key: str
    record: Record | None
    version: int
    at: str = ""  # when it was written (the event's time), "" when unknown


# Larger changes rebuild the indexes from the new dataset (it is as fast by then).
_INCREMENTAL_LIMIT = 2000


@dataclass
class Catalog:
    dataset: Dataset
    # Each object's stored revision, by (kind, key) of crosswalk.states; empty for a
    # catalog not read from a store.  ``revision`` is the store's, 0 when unknown.
    revisions: dict[tuple[str, str], int] = field(default_factory=dict)
    revision: int = 0
    # When each store revision was written (from the event log), for the real change
    # times of exports (CASE lastChangeDateTime); empty when not read from a store.
    written: dict[int, str] = field(default_factory=dict)
    frameworks: dict[str, Framework] = field(init=False)
    crosswalks: dict[str, Crosswalk] = field(init=False)
    items: dict[tuple[str, str], Item] = field(init=False)
    alignments: dict[str, Alignment] = field(init=False)  # by id, those that have one
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
        self.alignments = {a.id: a for a in data.alignments if a.id}
        children: dict[Any, list[Item]] = defaultdict(list)
        for item in sorted(data.items, key=lambda i: (i.position, code_sort_key(i.code))):
            children[(item.framework, item.parent)].append(item)
        by_crosswalk: dict[Any, list[Alignment]] = defaultdict(list)
        outgoing: dict[Any, list[Alignment]] = defaultdict(list)
        incoming: dict[Any, list[Alignment]] = defaultdict(list)
        for alignment in sorted(data.alignments, key=alignment_order):
            crosswalk = self.crosswalks[alignment.crosswalk]
            by_crosswalk[crosswalk.id].append(alignment)
            outgoing[(crosswalk.source_framework, alignment.source_code)].append(alignment)
            if alignment.target_code is not None:
                key = (crosswalk.target_framework, alignment.target_code)
                incoming[key].append(alignment)
        # Plain dicts from here on: one catalog is shared by every request and thread,
        # and a defaultdict would grow (and race) on each lookup of a missing key.
        self.children = dict(children)
        self.by_crosswalk = dict(by_crosswalk)
        self.outgoing = dict(outgoing)
        self.incoming = dict(incoming)
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

    def alignment(self, alignment_id: str) -> Alignment:
        try:
            return self.alignments[alignment_id]
        except KeyError:
            raise NotFound(f"no alignment {alignment_id!r}") from None

    def revision_of(self, record: Record) -> int:
        """The stored revision of ``record`` (the base of an edit to it)."""
        try:
            return self.revisions[(kind_of(record), key_of(record))]
        except KeyError:
            raise NotFound(f"{kind_of(record)} {key_of(record)} is not stored") from None

    def changed_at(self, record: Record) -> str | None:
        """When ``record`` last changed in the store, or None if it is as first loaded
        (the bundled data, or the first import, says no more than its own date)."""
        if not self.written or (isinstance(record, Alignment) and not record.id):
            return None
        revision = self.revisions.get((kind_of(record), key_of(record)))
        if revision is None or revision <= self.derived("first load", lambda: min(self.written)):
            return None
        return self.written.get(revision)

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

    # -- the next catalog ---------------------------------------------------------------

    def updated(self, changes: Sequence[Change], revision: int | None = None) -> Catalog:
        """A new catalog with ``changes`` applied (this one is left as it is)."""
        data = _changed_dataset(self, changes)
        revisions = dict(self.revisions)
        for change in changes:
            if change.record is None:
                revisions.pop((change.kind, change.key), None)
            else:
                revisions[(change.kind, change.key)] = change.version
        revision = self.revision if revision is None else revision
        written = dict(self.written)
        for change in changes:
            if change.at:
                written.setdefault(change.version, change.at)
        moved_ends = any(
            change.kind == "crosswalk"
            and isinstance(change.record, Crosswalk)
            and change.key in self.crosswalks
            and _ends(self.crosswalks[change.key]) != _ends(change.record)
            for change in changes
        )
        if len(changes) > _INCREMENTAL_LIMIT or moved_ends:
            return Catalog(data, revisions, revision, written)
        return _Reindex(self, data, revisions, revision, written).apply(changes)


def _ends(crosswalk: Crosswalk) -> tuple[str, str]:
    return (crosswalk.source_framework, crosswalk.target_framework)


def _changed_dataset(catalog: Catalog, changes: Sequence[Change]) -> Dataset:
    """The dataset with the changes applied, in the order a fresh load gives."""
    last: dict[tuple[str, str], Record | None] = {}
    for change in changes:
        last[(change.kind, change.key)] = change.record
    by_kind: dict[str, dict[str, Record | None]] = defaultdict(dict)
    for (kind, key), record in last.items():
        by_kind[kind][key] = record
    old = catalog.dataset
    frameworks = {f.id: f for f in old.frameworks} | by_kind["framework"]
    crosswalks = {c.id: c for c in old.crosswalks} | by_kind["crosswalk"]
    items = {key: catalog.items.get(split_item_key(key)) for key in by_kind["item"]}
    alignments = {key: catalog.alignments.get(key) for key in by_kind["alignment"]}
    return Dataset(
        frameworks=sorted(
            (f for f in frameworks.values() if isinstance(f, Framework)), key=lambda f: f.id
        ),
        crosswalks=sorted(
            (c for c in crosswalks.values() if isinstance(c, Crosswalk)), key=lambda c: c.id
        ),
        items=_merged(old.items, items, by_kind["item"], item_order),
        alignments=_merged(old.alignments, alignments, by_kind["alignment"], alignment_order),
    )


def _merged(
    records: list[Any],
    before: dict[str, Any],
    after: dict[str, Record | None],
    order: Any,
) -> list[Any]:
    """``records`` (sorted by ``order``) with each old record taken out and its new one
    put in its place: a copy of the list and a binary search per change."""
    if not after:
        return records
    if len(after) > _INCREMENTAL_LIMIT:
        kept = [r for r in records if key_of(r) not in after]
        return sorted(kept + [r for r in after.values() if r is not None], key=order)
    merged = list(records)
    for key, old in before.items():
        if old is None:
            continue
        at = bisect.bisect_left(merged, order(old), key=order)
        while merged[at] is not old and key_of(merged[at]) != key:
            at += 1  # records tied in order (no ids): find this very one
        del merged[at]
    for record in after.values():
        if record is not None:
            bisect.insort(merged, record, key=order)
    return merged


class _Reindex:
    """Copies of the catalog's indexes, copying a list only when a change touches it."""

    def __init__(
        self,
        old: Catalog,
        data: Dataset,
        revisions: dict[tuple[str, str], int],
        revision: int,
        written: dict[int, str],
    ) -> None:
        self.old = old
        self.new = object.__new__(Catalog)
        self.new.dataset = data
        self.new.revisions = revisions
        self.new.revision = revision
        self.new.written = written
        self.new.frameworks = {f.id: f for f in data.frameworks}
        self.new.crosswalks = {c.id: c for c in data.crosswalks}
        self.new.items = dict(old.items)
        self.new.alignments = dict(old.alignments)
        self.new.children = dict(old.children)
        self.new.by_crosswalk = dict(old.by_crosswalk)
        self.new.outgoing = dict(old.outgoing)
        self.new.incoming = dict(old.incoming)
        # Derived indexes (tree order, spellings …) are built again on first use.
        self.new._derived = {}
        self.new._derived_lock = threading.RLock()
        self.touched: dict[tuple[str, Any], list[Any]] = {}

    def _list(self, index: str, key: Any) -> list[Any]:
        if (index, key) not in self.touched:
            mapping: dict[Any, list[Any]] = getattr(self.new, index)
            mapping[key] = list(mapping.get(key, []))
            self.touched[(index, key)] = mapping[key]
        return self.touched[(index, key)]

    def apply(self, changes: Sequence[Change]) -> Catalog:
        for change in changes:
            if change.kind == "item":
                self._item(change)
            elif change.kind == "alignment":
                self._alignment(change)
        for (index, key), values in self.touched.items():
            if not values:
                mapping: dict[Any, list[Any]] = getattr(self.new, index)
                del mapping[key]
        return self.new

    # Each index list stays sorted: a record leaves and joins it by binary search.

    def _take(self, index: str, key: Any, record: Any, order: Any) -> None:
        values = self._list(index, key)
        at = bisect.bisect_left(values, order(record), key=order)
        while at < len(values) and values[at] is not record:
            at += 1
        if at < len(values):
            del values[at]

    def _put(self, index: str, key: Any, record: Any, order: Any) -> None:
        bisect.insort(self._list(index, key), record, key=order)

    def _item(self, change: Change) -> None:
        old = self.new.items.pop(split_item_key(change.key), None)
        if old is not None:
            self._take("children", (old.framework, old.parent), old, _sibling_order)
        if isinstance(change.record, Item):
            item = change.record
            self.new.items[item.key] = item
            self._put("children", (item.framework, item.parent), item, _sibling_order)

    def _alignment(self, change: Change) -> None:
        old = self.new.alignments.pop(change.key, None)
        if old is not None:
            for index, key in self._places(old):
                self._take(index, key, old, alignment_order)
        if isinstance(change.record, Alignment):
            alignment = change.record
            self.new.alignments[alignment.id] = alignment
            for index, key in self._places(alignment):
                self._put(index, key, alignment, alignment_order)

    def _places(self, alignment: Alignment) -> list[tuple[str, Any]]:
        crosswalk = (
            self.new.crosswalks.get(alignment.crosswalk) or self.old.crosswalks[alignment.crosswalk]
        )
        places: list[tuple[str, Any]] = [
            ("by_crosswalk", crosswalk.id),
            ("outgoing", (crosswalk.source_framework, alignment.source_code)),
        ]
        if alignment.target_code is not None:
            places.append(("incoming", (crosswalk.target_framework, alignment.target_code)))
        return places


def _sibling_order(item: Item) -> tuple[Any, ...]:
    """The order of an item among its siblings (as ``Catalog.children`` keeps them)."""
    return (item.position, code_sort_key(item.code), item.code)
