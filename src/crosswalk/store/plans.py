"""The operations that turn what is stored into what a file or a seed describes.

Imports, the first load and ``Repository.replace`` all write through change sets, so
each of them first works out, object by object, what to add, update and remove —
each update and removal based on the revision that was read.  Two scopes:

* ``whole``: the store should hold exactly the given dataset;
* otherwise (an import): every framework and crosswalk given is added or updated; the
  items of a framework are replaced only when some are given, the alignments of a
  crosswalk only when some are given; everything else stays as stored.

Alignments are matched to the stored ones by id when the file carries it, otherwise
by what they link (source, target, and the order of repeats), so re-importing an
edited export keeps each link's identity and history instead of replacing them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from crosswalk.catalog import Catalog
from crosswalk.model import Alignment, Dataset, with_ids
from crosswalk.states import Record, key_of
from crosswalk.store.changes import Operation


def plan(stored: Catalog, incoming: Dataset, *, whole: bool) -> list[Operation]:
    """Operations from ``stored`` (with its revisions) to ``incoming``."""
    operations: list[Operation] = []
    operations += _records(stored, stored.frameworks.values(), incoming.frameworks, whole)
    operations += _records(stored, stored.crosswalks.values(), incoming.crosswalks, whole)
    framework_ids = {i.framework for i in incoming.items}
    crosswalk_ids = {a.crosswalk for a in incoming.alignments}
    if whole:
        framework_ids |= set(stored.frameworks)
        crosswalk_ids |= set(stored.crosswalks)
    operations += _records(
        stored,
        (i for i in stored.dataset.items if i.framework in framework_ids),
        incoming.items,
        remove=True,
    )
    operations += _alignments(stored, crosswalk_ids, incoming.alignments)
    return operations


def _records(
    stored: Catalog, before: Iterable[Record], after: Sequence[Record], remove: bool
) -> list[Operation]:
    old = {key_of(r): r for r in before}
    operations: list[Operation] = []
    for record in after:
        key = key_of(record)
        earlier = old.pop(key, None)
        if earlier is None:
            operations.append(Operation.add(record))
        elif earlier != record:
            operations.append(Operation.update(earlier, record, stored.revision_of(earlier)))
    if remove:
        operations += [Operation.remove(r, stored.revision_of(r)) for r in old.values()]
    return operations


def _alignments(
    stored: Catalog, crosswalk_ids: set[str], incoming: Sequence[Alignment]
) -> list[Operation]:
    given: dict[str, list[Alignment]] = defaultdict(list)
    for alignment in incoming:
        given[alignment.crosswalk].append(alignment)
    live = {a.id for links in stored.by_crosswalk.values() for a in links}
    operations: list[Operation] = []
    added: list[Alignment] = []
    for crosswalk_id in sorted(crosswalk_ids):
        old = list(stored.by_crosswalk.get(crosswalk_id, []))
        pairs, new, gone = match(old, given.get(crosswalk_id, []))
        for earlier, later in pairs:
            later = replace(later, id=earlier.id)
            if earlier != later:
                operations.append(Operation.update(earlier, later, stored.revision_of(earlier)))
        added += new
        operations += [Operation.remove(a, stored.revision_of(a)) for a in gone]
    operations += [Operation.add(a) for a in with_ids(added, taken=live)]
    return operations


def match(
    old: Sequence[Alignment], new: Sequence[Alignment]
) -> tuple[list[tuple[Alignment, Alignment]], list[Alignment], list[Alignment]]:
    """Pair ``new`` alignments with ``old`` ones: by id, then by the link they make
    (repeats of one link in the order they come).  Returns the pairs, the new ones
    left unpaired and the old ones left unpaired."""
    by_id = {a.id: a for a in old if a.id}
    pairs: list[tuple[Alignment, Alignment]] = []
    unpaired: list[Alignment] = []
    for alignment in new:
        earlier = by_id.pop(alignment.id, None) if alignment.id else None
        if earlier is not None:
            pairs.append((earlier, alignment))
        else:
            unpaired.append(alignment)
    waiting: dict[Any, list[Alignment]] = defaultdict(list)
    for alignment in old:
        if alignment.id in by_id or not alignment.id:
            waiting[_link(alignment)].append(alignment)
    new_left: list[Alignment] = []
    for alignment in unpaired:
        queue = waiting.get(_link(alignment))
        if queue:
            pairs.append((queue.pop(0), alignment))
        else:
            new_left.append(alignment)
    old_left = [a for queue in waiting.values() for a in queue]
    return pairs, new_left, old_left


def _link(alignment: Alignment) -> tuple[str, str | None]:
    return (alignment.source_code, alignment.target_code)
