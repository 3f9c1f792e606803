"""Queries on the real bundled data: the answers a user of the field expects."""

from __future__ import annotations

import pytest

from crosswalk.catalog import Catalog, NotFound
from crosswalk.query import coverage, find_item, gaps, map_codes, search
from crosswalk.sources.bundled import load_bundled


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(load_bundled())


def test_search_ranks_a_knowledge_area_named_so_above_statements(catalog: Catalog) -> None:
    hits = search(catalog, "observation")
    assert hits[0].item.code == "direct-service-skills/observation-listening"
    assert search(catalog, "reflective supervision")[0].item.name == "Reflective supervision"


def test_consultation_competency_reaches_ckc_through_imh(catalog: Catalog) -> None:
    found = map_codes(catalog, "iecmhc", "wv-ckc-2015", ["6B.2"])
    # 6B.2 → Developmental guidance (seed 002 line 53) → its 19 CKC codes (seed 000 line 70)
    assert len({m.target.code for m in found}) == 19
    assert all(m.via == ("imh",) for m in found)
    assert {h.target.code for m in found for h in m.path[:1]} == {
        "direct-service-skills/developmental-guidance"
    }


def test_ckc_codes_map_backwards_to_imh(catalog: Catalog) -> None:
    found = {m.target.code for m in map_codes(catalog, "wv-ckc-2015", "imh", ["5.6"])}
    assert found == {"direct-service-skills/life-skills"}  # 5.6 is printed only for Life Skills


def test_gaps_and_coverage(catalog: Catalog) -> None:
    found = gaps(catalog, "imh-wv-ckc-2015")
    assert [i.code for i in found.unlinked] == ["theoretical-foundations/adult-theory-practice"]
    assert "T&TA" in found.note(found.unlinked[0])
    assert len(found.no_match) == 2 and found.unreferenced == ()
    counted = coverage(catalog, "imh-wv-ckc-2015")
    assert counted.most_referenced[0].item.code == "7.5"


def test_a_knowledge_area_is_not_mistaken_for_the_area_of_the_same_name(
    catalog: Catalog,
) -> None:
    # The area "Research & Evaluation" has the code research-evaluation, the slug of the
    # knowledge area's name "Research & evaluation" (Theoretical Foundations).
    found = find_item(catalog, "imh", "Research & evaluation")
    assert found.code == "theoretical-foundations/research-evaluation"
    mapped = map_codes(catalog, "imh", "wv-ckc-2015", ["Research & evaluation"])
    assert [m.target.code for m in mapped] == ["3.1", "6.2", "6.4", "6.6", "7.5", "7.6"]
    with pytest.raises(NotFound, match="research-evaluation \\(area\\)"):
        find_item(catalog, "imh", "research & evaluation")


def test_mapped_targets_follow_the_target_tree(catalog: Catalog) -> None:
    found = map_codes(catalog, "wv-ckc-2015", "imh", ["2.1"])
    order = {item.key: n for n, item in enumerate(catalog.items_of("imh"))}
    assert [order[m.target.key] for m in found] == sorted(order[m.target.key] for m in found)
    assert found[0].target.code == "theoretical-foundations/pregnancy-and-early-parenthood"
