"""Level filters on a crosswalk whose links carry their own level (IECMHC → IMH).

Every expectation below was worked out by hand from the source document, seed 002
(``src/crosswalk/data/sources/002_23138a9850aa3d8a.txt``), not from the code.  Each
five-line block there is one link; line 3 of the document says an untagged link is
Family Specialist, "MHS" Mental Health Specialist, "MHM" Mental Health Mentor, and the
tag is printed after the knowledge area's name ("Knowledge/Skill Area: … (MHM)"):

===== ======================================================= ===== ==========
lines IECMHC → IMH knowledge area                              tag   level
===== ======================================================= ===== ==========
4–8   6A.1 → Developmental Guidance                            MHS   IMHS
9–13  6A.2 → Relationship-Focused, Therapeutic Practice        –     FS
14–18 6A.2 → Relationship-Focused, Therapeutic Practice        MHM   IMHM
19–23 6A.3 → Family Relationships & Dynamics                   –     FS
24–28 6A.3 → Responding with Empathy                           –     FS
29–33 6A.4 → Solving Problems                                  –     FS
34–38 6A.4 → Consulting                                        MHM   IMHM
40–44 6B.1 → Developmental Guidance                            MHS   IMHS
45–49 6B.1 → Cultural Humility                                 MHS   IMHS
50–54 6B.2 → Developmental Guidance                            MHS   IMHS
56–60 6C.1 → Developmental Guidance                            MHM   IMHM
61–65 6C.2 → Observation & Listening                           MHM   IMHM
66–70 6C.2 → Collaborating                                     –     FS
71–75 6C.3 → Self Awareness                                    MHM   IMHM
76–80 6C.3 → Developing Talent                                 MHM   IMHM
82–86 6D.1 → Program Evaluation                                MHM   IMHM
87–91 6D.2 → Developmental Guidance                            MHS   IMHS
92–96 6D.2 → Intervention/Treatment Planning                   MHS   IMHS
97–101 6D.3 → Developing Talent                                MHM   IMHM
===== ======================================================= ===== ==========

So, counting rows of this table: FS 5 links from 4 competencies (6A.2, 6A.3, 6A.4,
6C.2) to 5 knowledge areas; IMHS 6 links from 4 competencies (6A.1, 6B.1, 6B.2, 6D.2);
IMHM 8 links from 7 competencies (6A.2, 6A.4, 6C.1, 6C.2, 6C.3, 6D.1, 6D.3).  The
bug counted every link of a competency that had one link at the level (FS: 8 links,
IMHM: 11).
"""

from __future__ import annotations

import pytest

from crosswalk.catalog import Catalog
from crosswalk.levels import scope_levels
from crosswalk.query import SourceFilter, coverage, gaps, matrix, source_filter
from crosswalk.sources.bundled import load_bundled

CROSSWALK = "iecmhc-imh"

# Read off the table above.
FS_LINKS = {
    ("6A.2", "theoretical-foundations/relationship-focused-therapeutic-practice"),
    ("6A.3", "theoretical-foundations/family-relationships-dynamics"),
    ("6A.3", "direct-service-skills/responding-with-empathy"),
    ("6A.4", "thinking/solving-problems"),
    ("6C.2", "working-with-others/collaborating"),
}
EXPECTED = {
    # scope: (links, competencies with a link, distinct knowledge areas cited)
    "FS": (5, {"6A.2", "6A.3", "6A.4", "6C.2"}, 5),
    "IMHS": (6, {"6A.1", "6B.1", "6B.2", "6D.2"}, 3),  # Dev. guidance, Cultural humility, ITP
    "IMHM": (8, {"6A.2", "6A.4", "6C.1", "6C.2", "6C.3", "6D.1", "6D.3"}, 7),
    "upto-IMHS": (11, {"6A.2", "6A.3", "6A.4", "6C.2", "6A.1", "6B.1", "6B.2", "6D.2"}, 8),
}
# IMHM's 8 links cite 7 areas: Relationship focused therapeutic practice, Consulting,
# Developmental guidance, Observation & listening, Self-awareness, Developing talent
# (twice: 6C.3 and 6D.3) and Program evaluation.
IMH_LEAVES = 64  # the knowledge areas of seed 000 (bundled items.csv: 74 items, 10 areas)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(load_bundled())


def _scoped(catalog: Catalog, scope: str) -> SourceFilter | None:
    return source_filter(catalog, CROSSWALK, scope_levels(scope))


@pytest.mark.parametrize("scope", list(EXPECTED))
def test_coverage_counts_only_the_links_at_the_level(catalog: Catalog, scope: str) -> None:
    links, items, areas = EXPECTED[scope]
    counted = coverage(catalog, CROSSWALK, sources=_scoped(catalog, scope))
    assert sum(a.links for a in counted.source_areas) == links
    assert sum(a.linked for a in counted.source_areas) == len(items)
    assert sum(a.links for a in counted.target_areas) == links
    assert sum(a.referenced for a in counted.target_areas) == areas


def test_family_specialist_gaps_name_the_areas_only_mhm_links_cite(catalog: Catalog) -> None:
    found = gaps(catalog, CROSSWALK, sources=_scoped(catalog, "FS"))
    never = {i.code for i in found.unreferenced}
    # Cited at FS by the five untagged links only.
    assert len(never) == IMH_LEAVES - 5
    assert never.isdisjoint(target for _, target in FS_LINKS)
    # Cited only by MHM links (6C.2 lines 61–65, 6A.4 lines 34–38): never at FS.
    assert "direct-service-skills/observation-listening" in never
    assert "working-with-others/consulting" in never
    # 6A.2 cites Relationship focused therapeutic practice twice: untagged (lines 9–13)
    # and MHM (lines 14–18); the untagged link keeps it cited at FS.
    assert "theoretical-foundations/relationship-focused-therapeutic-practice" not in never
    assert found.unlinked == () and found.no_match == ()


def test_the_matrix_of_a_level_holds_only_its_links(catalog: Catalog) -> None:
    grid = matrix(catalog, CROSSWALK, sources=_scoped(catalog, "FS"))
    cells = {pair for pair, cell in grid.cells.items() for _ in cell}
    assert cells == FS_LINKS
    assert [i.code for i in grid.row_items] == ["6A.2", "6A.3", "6A.4", "6C.2"]


def test_items_without_own_level_tags_keep_every_link_of_their_level(catalog: Catalog) -> None:
    # IMH → CKC links carry no tag: each takes its knowledge area's level, so the
    # filter keeps every link of the IMHS knowledge areas and no others.
    keep = source_filter(catalog, "imh-wv-ckc-2015", scope_levels("IMHS"))
    assert keep is not None
    imhs = {i.code for i in catalog.items_of("imh") if "IMHS" in i.tags and catalog.is_leaf(i)}
    counted = coverage(catalog, "imh-wv-ckc-2015", sources=keep)
    expected = sum(
        1
        for a in catalog.by_crosswalk["imh-wv-ckc-2015"]
        if a.source_code in imhs and a.target_code is not None
    )
    assert sum(a.links for a in counted.source_areas) == expected
