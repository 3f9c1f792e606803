"""What a matrix cell says, and which marks a grid uses, checked against the sources.

Seed 002 (IECMHC → IMH) marks each link Essential or Important and tags some MHS or
MHM; it lists 6A.2 → Relationship-focused therapeutic practice twice (an untagged
Important link and an MHM one).  Seed 000 (IMH → CKC) states neither strength nor
level on any link, and never lists a pair twice.
"""

from __future__ import annotations

import pytest

from crosswalk.catalog import Catalog
from crosswalk.levels import IMHM, IMHS
from crosswalk.model import Alignment, Relation
from crosswalk.query import cell_meaning, matrix, matrix_key
from crosswalk.query.table import TableQuery, link_rows, link_table
from crosswalk.sources.bundled import load_bundled

PRACTICE = "theoretical-foundations/relationship-focused-therapeutic-practice"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(load_bundled())


def test_a_cell_of_two_links_says_both_levels_and_its_strongest_strength(
    catalog: Catalog,
) -> None:
    grid = matrix(catalog, "iecmhc-imh")
    meaning = cell_meaning(grid.cells[("6A.2", PRACTICE)])
    assert meaning.links == 2
    assert meaning.strength == "Important"
    assert meaning.levels == (IMHM,)  # the other link has no tag of its own
    guidance = grid.cells[("6B.2", "direct-service-skills/developmental-guidance")]
    assert cell_meaning(guidance).strength == "Essential"
    assert cell_meaning(guidance).levels == (IMHS,)


def test_the_key_of_each_bundled_crosswalk(catalog: Catalog) -> None:
    consultation = matrix_key(matrix(catalog, "iecmhc-imh"))
    assert consultation.strengths == ("Essential", "Important")
    assert not consultation.unstated
    assert consultation.levels == (IMHS, IMHM) and consultation.untagged
    assert consultation.relations == () and consultation.most_links == 2
    ckc = matrix_key(matrix(catalog, "imh-wv-ckc-2015"))
    assert ckc.strengths == () and ckc.unstated
    assert ckc.levels == () and not ckc.untagged
    assert ckc.most_links == 1


def test_strength_order_and_telling_relations() -> None:
    def link(strength: str, relation: Relation = Relation.RELATED) -> Alignment:
        return Alignment("x", "a", "b", relation=relation, strength=strength)

    meaning = cell_meaning([link("Useful", Relation.CLOSE), link("Important"), link("")])
    assert meaning.strength == "Important"  # a known strength outranks another
    assert meaning.relations == (Relation.CLOSE,)
    assert cell_meaning([link("Useful"), link("Helpful")]).strength == "Helpful"


def test_the_table_counts_facets_under_the_other_filters(catalog: Catalog) -> None:
    rows = link_rows(catalog, "iecmhc-imh")
    table = link_table(rows, TableQuery({"strength": ("Essential",)}))
    assert len(table.matching) == 4 and table.total == 19
    strengths = {v.value: v.count for f in table.facets if f.name == "strength" for v in f.values}
    assert strengths == {"Important": 15, "Essential": 4}
    levels = {v.value: v.count for f in table.facets if f.name == "level" for v in f.values}
    assert sum(levels.values()) == 4  # counted among the Essential links only
    paged = link_table(rows, TableQuery(size=5, page=9))
    assert paged.page == paged.pages == 4 and len(paged.rows) == 4
