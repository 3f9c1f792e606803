"""A catalog brought up to date by events equals one built afresh (no database here)."""

from __future__ import annotations

import dataclasses
import random

import pytest

from crosswalk.catalog import Catalog, Change
from crosswalk.model import (
    Alignment,
    Dataset,
    Item,
    Relation,
    alignment_order,
    item_order,
    with_ids,
)
from crosswalk.sources.bundled import load_bundled
from crosswalk.states import key_of, kind_of, restore, state


def _bundled() -> Catalog:
    """The bundled data in the order the store loads it."""
    data = load_bundled()
    data.alignments = sorted(with_ids(data.alignments), key=alignment_order)
    data.items.sort(key=item_order)
    return Catalog(data)


def _fresh(catalog: Catalog) -> Catalog:
    return Catalog(catalog.dataset, catalog.revisions, catalog.revision)


def _same(a: Catalog, b: Catalog) -> None:
    for name in (
        "dataset",
        "frameworks",
        "crosswalks",
        "items",
        "alignments",
        "children",
        "by_crosswalk",
        "outgoing",
        "incoming",
    ):
        assert getattr(a, name) == getattr(b, name), name
    # Equal alignments compare equal whatever their ids: compare the orders by id too.
    assert [x.id for x in a.dataset.alignments] == [x.id for x in b.dataset.alignments]
    for key, links in a.outgoing.items():
        assert [x.id for x in links] == [x.id for x in b.outgoing[key]], key


def test_every_kind_of_record_survives_its_json_state() -> None:
    catalog = _bundled()
    records = [
        *catalog.dataset.frameworks,
        *catalog.dataset.crosswalks,
        *catalog.dataset.items,
        *catalog.dataset.alignments,
    ]
    for record in records:
        again = restore(kind_of(record), state(record))
        assert again == record and key_of(again) == key_of(record)
    link = catalog.dataset.alignments[0]
    assert restore("alignment", state(link)).id == link.id


@pytest.mark.parametrize("seed", range(12))
def test_random_changes_applied_incrementally_equal_a_fresh_catalog(seed: int) -> None:
    rng = random.Random(seed)
    catalog = _bundled()
    for _ in range(4):
        changes: list[Change] = []
        alignments = list(catalog.alignments.values())
        leaves = [i for i in catalog.dataset.items if catalog.is_leaf(i)]
        for link in rng.sample(alignments, 3):  # edit: move, relation, position
            crosswalk = catalog.crosswalks[link.crosswalk]
            targets = [
                i for i in catalog.dataset.items if i.framework == crosswalk.target_framework
            ]
            moved = dataclasses.replace(
                link,
                target_code=rng.choice(targets).code,
                relation=Relation.CLOSE,
                position=rng.randrange(0, 50),
            )
            changes.append(Change("alignment", link.id, moved, 2))
        gone = rng.choice([a for a in alignments if a.id not in {c.key for c in changes}])
        changes.append(Change("alignment", gone.id, None, 2))
        crosswalk = rng.choice(sorted(catalog.crosswalks.values(), key=lambda c: c.id))
        source = rng.choice(catalog.source_items(crosswalk))
        new = Alignment(
            crosswalk.id,
            source.code,
            None,
            Relation.NO_MATCH,
            position=3,
            id=f"00000000-0000-4000-8000-{rng.randrange(10**12):012d}",
        )
        changes.append(Change("alignment", new.id, new, 1))
        item = rng.choice(leaves)
        renamed = dataclasses.replace(
            item, name=item.name + " (revised)", position=item.position + 7
        )
        changes.append(Change("item", key_of(item), renamed, 2))
        added = Item(item.framework, f"new-{seed}-{rng.random()}", "Added", parent=item.parent)
        changes.append(Change("item", key_of(added), added, 1))
        updated = catalog.updated(changes, revision=catalog.revision + 1)
        data = updated.dataset
        assert data.items == sorted(data.items, key=item_order)
        assert [a.id for a in data.alignments] == [
            a.id for a in sorted(data.alignments, key=alignment_order)
        ]
        _same(updated, _fresh(updated))
        assert gone.id not in updated.alignments and gone.id in catalog.alignments
        catalog = Catalog(Dataset(data.frameworks, data.items, data.crosswalks, data.alignments))
