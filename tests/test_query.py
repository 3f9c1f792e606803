"""The query layer on the hand-made fixture dataset (tests/fixtures.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosswalk.catalog import Catalog, NotFound
from crosswalk.model import Dataset, Framework, Item, code_sort_key, sort_codes
from crosswalk.query import (
    ALIGNMENT_COLUMNS,
    NoRoute,
    SourceFilter,
    alignment_rows,
    coverage,
    describe,
    find_item,
    gaps,
    map_codes,
    map_each,
    matrix,
    search,
    shortest_routes,
)
from crosswalk.query.lookup import shorten
from fixtures import sample_catalog, sample_dataset

OBSERVATION = "direct-service-skills/observation-listening"
SELF_AWARENESS = "reflection/self-awareness"
THERAPEUTIC = "theoretical-foundations/relationship-focused-therapeutic-practice"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return sample_catalog()


# -- code ordering ---------------------------------------------------------------------


def test_one_point_nine_sorts_before_one_point_ten() -> None:
    assert sort_codes(["1.10", "1.9", "1.2", "10.1", "2.1"]) == [
        "1.2",
        "1.9",
        "1.10",
        "2.1",
        "10.1",
    ]
    assert sort_codes(["6B.1", "6A.2", "6A.10", "6A.1"]) == ["6A.1", "6A.2", "6A.10", "6B.1"]


@given(st.lists(st.lists(st.integers(0, 999), min_size=1, max_size=4), min_size=2, max_size=30))
def test_numeric_codes_sort_like_integer_tuples(parts: list[list[int]]) -> None:
    codes = [".".join(map(str, p)) for p in parts]
    assert [code_sort_key(c) for c in sorted(codes, key=code_sort_key)] == sorted(
        code_sort_key(c) for c in codes
    )
    by_key = sorted(codes, key=code_sort_key)
    assert [tuple(int(x) for x in c.split(".")) for c in by_key] == sorted(tuple(p) for p in parts)


@given(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99))
def test_ordering_is_numeric_not_textual(area: int, a: int, b: int) -> None:
    assert (code_sort_key(f"{area}.{a}") < code_sort_key(f"{area}.{b}")) == (a < b)


# -- find_item -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1.10", "1.10"),  # exact code
        ("DIRECT-SERVICE-SKILLS/OBSERVATION-LISTENING", OBSERVATION),  # code, any case
        ("Direct Service Skills/Observation & listening", OBSERVATION),  # area/name as slug
        ("observation & listening", OBSERVATION),  # name
        ("Self Awareness", SELF_AWARENESS),  # alias from seed 002
        ("Relationship-Focused, Therapeutic Practice (MHS)", THERAPEUTIC),  # alias + tag
        ("Observaton & listenin", OBSERVATION),  # fuzzy, one clear winner
    ],
)
def test_find_item_reads_codes_names_aliases_and_typos(
    catalog: Catalog, text: str, code: str
) -> None:
    framework = "wv-ckc-2015" if text[0].isdigit() else "imh"
    assert find_item(catalog, framework, text).code == code


def test_find_item_prefers_exact_code_over_name(catalog: Catalog) -> None:
    # "6A.1" is the code and the name of an IECMHC item; also fine case-insensitively.
    assert find_item(catalog, "iecmhc", "6a.1").code == "6A.1"


def test_ambiguous_name_lists_both_items(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="2 items") as raised:
        find_item(catalog, "imh", "Advocacy")
    assert "direct-service-skills/advocacy" in str(raised.value)
    assert "leading-people/advocacy" in str(raised.value)


def test_unknown_item_suggests_the_closest(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="did you mean") as raised:
        find_item(catalog, "imh", "observation", fuzzy=False)
    assert OBSERVATION in str(raised.value)


def test_nothing_close_gives_no_suggestion(catalog: Catalog) -> None:
    with pytest.raises(NotFound) as raised:
        find_item(catalog, "imh", "zzzzqqqq")
    assert "did you mean" not in str(raised.value)


def test_unknown_framework(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="unknown framework 'ckc'"):
        find_item(catalog, "ckc", "1.1")


# -- describe --------------------------------------------------------------------------


def test_describe_groups_links_by_other_framework(catalog: Catalog) -> None:
    item = find_item(catalog, "imh", OBSERVATION)
    described = describe(catalog, item)
    assert described.parent is not None and described.parent.name == "Direct Service Skills"
    groups = {g.framework.id: g.links for g in described.groups}
    assert [link.other.code for link in groups["wv-ckc-2015"] if link.other] == [
        "1.2",
        "1.3",
        "2.1",
    ]
    assert all(link.direction == "out" for link in groups["wv-ckc-2015"])
    (incoming,) = groups["iecmhc"]
    assert incoming.direction == "in" and incoming.other is not None
    assert incoming.other.code == "6B.2"
    assert incoming.strength == "Important"
    assert incoming.evidence == "Observes carefully"
    assert incoming.provenance is not None and incoming.provenance.document == "seed 002"


def test_describe_keeps_no_match_with_its_note(catalog: Catalog) -> None:
    item = find_item(
        catalog, "imh", "direct-service-skills/parent-infant-relationship-based-therapies"
    )
    (link,) = describe(catalog, item).links
    assert link.other is None
    assert str(link.relation) == "noMatch"
    assert "community resources" in link.note


def test_describe_area_lists_children(catalog: Catalog) -> None:
    described = describe(catalog, find_item(catalog, "imh", "Reflection"))
    assert [c.code for c in described.children] == [SELF_AWARENESS]
    assert described.links == []


# -- map -------------------------------------------------------------------------------


def test_map_direct(catalog: Catalog) -> None:
    results = map_codes(catalog, "imh", "wv-ckc-2015", ["Developmental guidance"])
    assert [m.target.code for m in results] == ["1.1", "1.2", "1.3", "1.9", "1.10"]
    assert all(m.code == "Developmental guidance" and len(m.path) == 1 for m in results)
    assert results[0].path[0].direction == "forward"


def test_map_reads_a_crosswalk_backwards(catalog: Catalog) -> None:
    results = map_codes(catalog, "wv-ckc-2015", "imh", ["6.6"])
    assert {m.target.code for m in results} == {
        "direct-service-skills/advocacy",
        SELF_AWARENESS,
        "leading-people/advocacy",
    }
    assert all(m.path[0].direction == "backward" for m in results)


def test_map_chains_through_imh(catalog: Catalog) -> None:
    results = map_codes(catalog, "iecmhc", "wv-ckc-2015", ["6B.2"])
    assert {m.target.code for m in results} == {"1.2", "1.3", "2.1", "6.6"}
    for m in results:
        assert m.via == ("imh",)
        assert [h.crosswalk.id for h in m.path] == ["iecmhc-imh", "imh-wv-ckc-2015"]
        assert m.path[0].target == m.path[1].source
    through = {m.target.code: m.path[0].target.code for m in results}
    assert through["6.6"] == SELF_AWARENESS


def test_map_chains_backwards(catalog: Catalog) -> None:
    results = map_codes(catalog, "wv-ckc-2015", "iecmhc", ["1.2"])
    assert {m.target.code for m in results} == {"6A.1", "6B.2"}
    assert all([h.direction for h in m.path] == ["backward", "backward"] for m in results)


def test_map_keeps_distinct_paths_and_drops_duplicates(catalog: Catalog) -> None:
    # 6A.2 cites the same IMH item twice: one path per target, not two.
    results = map_codes(catalog, "iecmhc", "wv-ckc-2015", ["6A.2", "6A.2"])
    assert [m.target.code for m in results] == ["1.1", "1.3", "2.1"]
    # CKC 1.1 reached from two different IMH items: two distinct paths are both kept.
    results = map_codes(catalog, "wv-ckc-2015", "imh", ["1.1"])
    assert len({m.target.code for m in results}) == len(results) == 5


def test_map_no_match_rows_lead_nowhere(catalog: Catalog) -> None:
    assert map_codes(catalog, "imh", "wv-ckc-2015", ["Supportive counseling"]) == []


def test_map_unknown_code_suggests(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="did you mean"):
        map_codes(catalog, "wv-ckc-2015", "imh", ["1.11"])


def test_map_without_route(catalog: Catalog) -> None:
    data = sample_dataset()
    data.frameworks.append(Framework("lonely", "A framework no crosswalk touches"))
    with pytest.raises(NoRoute, match="no crosswalk connects"):
        map_codes(Catalog(data), "imh", "lonely", ["Reflection"])
    with pytest.raises(NoRoute, match="both source and target"):
        map_codes(catalog, "imh", "imh", ["Reflection"])


def test_shortest_routes(catalog: Catalog) -> None:
    (route,) = shortest_routes(catalog, "iecmhc", "wv-ckc-2015")
    assert [(c.id, way) for c, way in route] == [
        ("iecmhc-imh", "forward"),
        ("imh-wv-ckc-2015", "forward"),
    ]


# -- gaps, coverage, matrix ------------------------------------------------------------


def test_gaps_separate_silence_from_no_match(catalog: Catalog) -> None:
    found = gaps(catalog, "imh-wv-ckc-2015")
    # A row that cites only "T&TA Competencies" links to no CKC item: a gap, with its note.
    assert [i.code for i in found.unlinked] == [
        "theoretical-foundations/adult-theory-practice",
        "leading-people/supervision-mentorship",
    ]
    assert found.note(found.unlinked[0]) == "T&TA Competencies"
    assert found.note(found.unlinked[1]) == ""
    assert [n.item.name for n in found.no_match] == [
        "Supportive counseling",
        "Parent-infant/very young child relationship-based therapies and practice",
    ]
    assert found.no_match[0].note == "" and "community" in found.no_match[1].note
    assert [i.code for i in found.unreferenced] == ["5.2"]


def test_gaps_of_the_other_crosswalk(catalog: Catalog) -> None:
    found = gaps(catalog, "iecmhc-imh")
    assert [i.code for i in found.unlinked] == ["6C.1"]
    assert found.no_match == ()
    assert "direct-service-skills/safety" in {i.code for i in found.unreferenced}


def test_unknown_crosswalk(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="unknown crosswalk"):
        gaps(catalog, "imh-ckc")


def test_coverage_counts(catalog: Catalog) -> None:
    found = coverage(catalog, "imh-wv-ckc-2015")
    by_area = {a.area.name if a.area else "": a for a in found.source_areas}
    dss = by_area["Direct Service Skills"]
    assert (dss.items, dss.linked, dss.no_match, dss.links) == (6, 4, 2, 15)
    targets = {a.area.code if a.area else "": a for a in found.target_areas}
    assert (targets["5"].items, targets["5"].referenced, targets["5"].links) == (2, 1, 2)
    assert found.most_referenced[0].item.code == "1.1"
    assert found.most_referenced[0].links == 5
    assert all(u.links == 1 for u in found.least_referenced[:4])


def test_matrix_rows_and_columns_grouped_by_area(catalog: Catalog) -> None:
    grid = matrix(catalog, "iecmhc-imh")
    assert [g.area.code if g.area else None for g in grid.columns] == [
        "theoretical-foundations",
        "direct-service-skills",
        "reflection",
        "leading-people",
    ]
    assert [i.code for i in grid.row_items] == ["6A.1", "6A.2", "6B.2", "6C.1", "6D.3"]
    assert grid.count("6A.2", THERAPEUTIC) == 2
    assert grid.count("6C.1", THERAPEUTIC) == 0
    assert grid.max_count == 2


def test_matrix_keeps_target_less_rows_aside(catalog: Catalog) -> None:
    grid = matrix(catalog, "imh-wv-ckc-2015")
    assert [i.code for i in grid.column_items][:5] == ["1.1", "1.2", "1.3", "1.9", "1.10"]
    elsewhere = grid.elsewhere["theoretical-foundations/adult-theory-practice"]
    assert elsewhere[0].printed_target == "T&TA Competencies"
    assert grid.elsewhere["direct-service-skills/supportive-counseling"][0].is_no_match


# -- search ----------------------------------------------------------------------------


def test_search_ranks_names_above_statements(catalog: Catalog) -> None:
    hits = search(catalog, "safety")
    assert hits[0].item.code == "direct-service-skills/safety" and hits[0].field == "name"
    statement_hits = [h for h in hits if h.field == "statement"]
    assert statement_hits and all(h.score < hits[0].score for h in statement_hits)


def test_search_phrase_beats_all_words_beats_some(catalog: Catalog) -> None:
    hits = search(catalog, "social and emotional skills")
    assert hits[0].item.code == "1.3"
    assert set(hits[0].matched) == {"social", "emotional", "skills"}
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    phrase = search(catalog, "dual language learners")[0]
    words = search(catalog, "learners dual language")[0]
    assert phrase.item.code == words.item.code == "1.9" and phrase.score > words.score


def test_search_reports_matched_words_as_spelled(catalog: Catalog) -> None:
    (hit,) = search(catalog, "self awareness", framework="imh")[:1]
    assert hit.item.code == SELF_AWARENESS
    assert {w.lower() for w in hit.matched} == {"self", "awareness"}


def test_search_prefix_and_filters(catalog: Catalog) -> None:
    assert any(h.item.code == "1.2" for h in search(catalog, "assess"))
    assert all(
        h.item.framework == "iecmhc" for h in search(catalog, "families", framework="iecmhc")
    )
    assert len(search(catalog, "the", limit=3)) <= 3
    assert search(catalog, "   ") == []
    assert search(catalog, "1.10")[0].item.code == "1.10"


# -- alignment rows --------------------------------------------------------------------


def test_alignment_rows_columns_and_values(catalog: Catalog) -> None:
    rows = alignment_rows(catalog, "iecmhc-imh")
    assert all(tuple(r) == ALIGNMENT_COLUMNS for r in rows)
    first = rows[0]
    assert first["source_code"] == "6A.1"
    assert first["source_parent"] == "Classroom- and Home-Focused Consultation"
    assert first["target_code"] == "direct-service-skills/developmental-guidance"
    assert first["target_name"] == "Developmental guidance"
    assert first["strength"] == "Essential" and first["relation"] == "related"
    assert first["provenance"].startswith("seed 002, lines")


def test_alignment_rows_no_match_has_empty_target(catalog: Catalog) -> None:
    rows = alignment_rows(catalog, "imh-wv-ckc-2015")
    no_match = [r for r in rows if r["relation"] == "noMatch"]
    assert len(no_match) == 2
    assert all(r["target_code"] == "" and r["target_name"] == "" for r in no_match)
    program = next(r for r in rows if r["source_code"] == "leading-people/program-evaluation")
    assert program["source_tags"] == "IMHM;Policy"


# -- QA fixes: lookup never swaps items, map answers in order and in part ---------------


@pytest.fixture(scope="module")
def research() -> Catalog:
    """The fixture plus the bundled data's trap: an area whose slug code equals the slug
    of a knowledge area's name ("Research & Evaluation" vs "Research & evaluation")."""
    data = sample_dataset()
    data.items += [
        Item(
            "imh",
            "theoretical-foundations/research-evaluation",
            "Research & evaluation",
            "Understands research and evaluation methods",
            kind="knowledge-area",
            parent="theoretical-foundations",
            position=18,
        ),
        Item("imh", "research-evaluation", "Research & Evaluation", kind="area", position=10),
    ]
    return Catalog(data)


def test_a_name_is_not_read_as_the_slug_code_of_an_area(research: Catalog) -> None:
    found = find_item(research, "imh", "Research & evaluation")
    assert found.code == "theoretical-foundations/research-evaluation"
    assert find_item(research, "imh", "Research & Evaluation").code == "research-evaluation"
    assert find_item(research, "imh", "research-evaluation").code == "research-evaluation"
    with pytest.raises(NotFound, match="names 2 items"):
        map_codes(research, "imh", "wv-ckc-2015", ["research & evaluation"])


def test_an_ambiguous_name_lists_each_code_and_area(research: Catalog) -> None:
    with pytest.raises(NotFound, match="names 2 items") as raised:
        find_item(research, "imh", "research & evaluation")
    message = str(raised.value)
    assert "theoretical-foundations/research-evaluation (in Theoretical Foundations)" in message
    assert "research-evaluation (area)" in message


def test_a_mistyped_code_is_never_swapped_for_another(catalog: Catalog) -> None:
    for typo in ("1.11", "2.10", "6.60"):
        with pytest.raises(NotFound, match="did you mean"):
            find_item(catalog, "wv-ckc-2015", typo)
    with pytest.raises(NotFound, match="did you mean"):
        find_item(catalog, "imh", "reflection/self-awarenes")
    assert find_item(catalog, "imh", "Self-awarenes").code == SELF_AWARENESS  # names: fuzzy


def test_map_lists_inputs_in_order_and_targets_in_tree_order(catalog: Catalog) -> None:
    results = map_codes(catalog, "iecmhc", "wv-ckc-2015", ["6B.2"])
    assert [m.target.code for m in results] == ["1.2", "1.3", "2.1", "6.6"]
    results = map_codes(catalog, "wv-ckc-2015", "imh", ["6.6", "1.2"])
    assert [(m.code, m.target.code) for m in results] == [
        ("6.6", "direct-service-skills/advocacy"),
        ("6.6", SELF_AWARENESS),
        ("6.6", "leading-people/advocacy"),
        ("1.2", OBSERVATION),
        ("1.2", "direct-service-skills/developmental-guidance"),
    ]


def test_map_each_answers_in_part(catalog: Catalog) -> None:
    answer = map_each(
        catalog, "imh", "wv-ckc-2015", ["Self-awareness", "Supportive counseling", "nope/x"]
    )
    assert [(m.code, m.target.code) for m in answer.mappings] == [("Self-awareness", "6.6")]
    (unknown,) = answer.unknown
    assert unknown.code == "nope/x" and "no item 'nope/x'" in unknown.reason
    (unmatched,) = answer.unmatched
    assert unmatched.code == "Supportive counseling"
    assert unmatched.item.code == "direct-service-skills/supportive-counseling"


def test_map_each_reads_codes_as_transcripts_write_them(catalog: Catalog) -> None:
    answer = map_each(catalog, "wv-ckc-2015", "imh", ["CKC 6.6", "1.9; 1.11", "7.6,IMH 1.2"])
    assert [m.code for m in answer.mappings] == ["CKC 6.6"] * 3 + ["1.9", "7.6"]
    assert [u.code for u in answer.unknown] == ["1.11", "IMH 1.2"]
    assert [i.code for i in answer.unknown[0].suggestions][:2] == ["1.1", "1.10"]
    assert answer.unknown[1].reason == "'IMH 1.2' is a code of imh, not of wv-ckc-2015"
    with pytest.raises(NoRoute):
        map_each(catalog, "imh", "imh", ["Reflection"])


def test_views_restricted_to_some_source_items(catalog: Catalog) -> None:
    def imhs(item: Item) -> bool:
        return "IMHS" in item.tags

    only = SourceFilter(imhs)
    found = gaps(catalog, "imh-wv-ckc-2015", sources=only)
    assert found.unlinked == ()
    assert len(found.no_match) == 2  # both no-match items are IMHS items
    # 6.6 is cited only by items without the IMHS tag.
    assert "6.6" in {i.code for i in found.unreferenced}
    counted = coverage(catalog, "imh-wv-ckc-2015", sources=only)
    assert sum(a.items for a in counted.source_areas) == 4
    assert [a.area.code for a in counted.source_areas if a.area] == [
        "theoretical-foundations",
        "direct-service-skills",
    ]
    assert sum(a.links for a in counted.target_areas) == 3 + 5
    grid = matrix(catalog, "imh-wv-ckc-2015", sources=only)
    assert len(grid.row_items) == 4 and len(grid.column_items) == 11
    assert set(grid.elsewhere) == {
        "direct-service-skills/supportive-counseling",
        "direct-service-skills/parent-infant-relationship-based-therapies",
    }


# Issue 2's columns of the alignment export: their order and positions are fixed.
ISSUE_2_COLUMNS = (
    *("crosswalk", "source_framework", "source_code", "source_name", "source_parent"),
    *("source_tags", "target_framework", "target_code", "target_name", "relation"),
    *("strength", "evidence", "note", "provenance"),
)


def test_alignment_rows_keep_issue_2_columns_and_add_the_level_last() -> None:
    rows = alignment_rows(sample_catalog(), "iecmhc-imh")
    assert (*ISSUE_2_COLUMNS, "level") == ALIGNMENT_COLUMNS
    assert all(tuple(r) == ALIGNMENT_COLUMNS for r in rows)
    assert [r["level"] for r in rows if r["source_code"] in ("6A.1", "6D.3")] == ["MHS", "MHM"]


def test_did_you_mean_names_each_suggestion_briefly(catalog: Catalog) -> None:
    """Review: five whole CKC statements made the one-line error unreadable."""
    with pytest.raises(NotFound) as raised:
        find_item(catalog, "wv-ckc-2015", "1.11")
    message = str(raised.value)
    long_name = next(i.name for i in catalog.items_of("wv-ckc-2015") if i.code == "1.1")
    assert len(long_name) > 60 and long_name not in message
    assert "did you mean 1.1 (Understands typical and atypical development" in message
    named = [part.split(" (", 1)[1] for part in message.split("did you mean ")[1].split("), ")]
    assert all(len(name.rstrip(")?")) <= 60 for name in named)


def test_shorten_cuts_at_a_word_and_marks_the_cut() -> None:
    assert shorten("short", 60) == "short"
    assert shorten("one two three four", 10) == "one two…"
    assert shorten("x" * 80, 60) == "x" * 59 + "…"


def test_unused_helpers_are_gone() -> None:
    """Review: Dataset.extend had no caller and Catalog.of was only Catalog(...)."""
    assert not hasattr(Dataset, "extend") and not hasattr(Catalog, "of")


def test_search_finds_what_an_item_cites_outside_every_framework(catalog: Catalog) -> None:
    (hit,) = search(catalog, "T&TA")
    assert hit.item.code == "theoretical-foundations/adult-theory-practice"
    assert hit.field == "cites" and hit.text == "T&TA Competencies"
