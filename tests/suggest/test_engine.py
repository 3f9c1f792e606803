"""Suggestions for a pair, an item and free text, on the bundled data."""

from __future__ import annotations

import csv
import logging
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from crosswalk.catalog import Catalog, NotFound
from crosswalk.formats import sssom
from crosswalk.model import Dataset, Framework, Relation, Status
from crosswalk.suggest import (
    MAX_TEXT,
    Mode,
    SuggestError,
    flatten,
    suggest_pair,
    suggest_text,
    to_sssom,
)
from crosswalk.suggest.embeddings import Embeddings
from crosswalk.suggest.suggestion import COMPOSITE, SEMAPV, Suggestion, justification
from crosswalk.suggest.views import oriented_links

OBSERVATION = "direct-service-skills/observation-listening"


def test_complete_mode_suggests_only_links_not_yet_made(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    (ranking,) = suggest_pair(
        bundled, "imh", "wv-ckc-2015", item="Observation & listening", top=None,
        embeddings=embeddings,
    )  # fmt: skip
    made = set(oriented_links(bundled, "imh", "wv-ckc-2015")[OBSERVATION])
    suggested = [s.target.code for s in ranking.suggestions]
    assert made and not made & set(suggested)
    assert len(suggested) == 45 - len(made)
    assert [s.rank for s in ranking.suggestions] == list(range(1, len(suggested) + 1))
    scores = [s.score for s in ranking.suggestions]
    assert scores == sorted(scores, reverse=True) and all(0 < x < 1 for x in scores)
    assert ranking.fusion.fitted_on == len(oriented_links(bundled, "imh", "wv-ckc-2015"))


def test_rejected_pairs_are_never_suggested(bundled: Catalog, embeddings: Embeddings) -> None:
    first = suggest_pair(bundled, "iecmhc", "imh", item="6B.2", top=3, embeddings=embeddings)
    best = first[0].suggestions[0]
    again = suggest_pair(
        bundled, "iecmhc", "imh", item="6B.2", top=3, rejected=[best.pair()], embeddings=embeddings
    )
    assert best.target.code not in [s.target.code for s in again[0].suggestions]
    assert again[0].suggestions[0].target == first[0].suggestions[1].target


def test_blind_and_leave_one_out_rank_every_target(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    for mode in (Mode.BLIND, Mode.LEAVE_ONE_OUT):
        (ranking,) = suggest_pair(
            bundled, "iecmhc", "imh", item="6A.1", mode=mode, top=None, embeddings=embeddings
        )
        assert len(ranking.suggestions) == 64  # linked targets included: they are the check


def test_a_suggestion_is_one_call_away_from_a_proposed_alignment(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    (ranking,) = suggest_pair(bundled, "iecmhc", "imh", item="6C.3", top=1, embeddings=embeddings)
    suggestion = ranking.suggestions[0]
    alignment = suggestion.to_alignment("iecmhc-imh", author="editor")
    assert alignment.status is Status.PROPOSED
    assert alignment.relation is Relation.RELATED
    assert alignment.confidence == round(suggestion.score, 4)
    assert alignment.justification == suggestion.justification
    assert alignment.justification.startswith("semapv:")
    assert (alignment.source_code, alignment.target_code) == suggestion.pair()
    assert alignment.note == suggestion.reason


def test_chains_through_a_third_framework_are_evidence_with_their_path(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    (ranking,) = suggest_pair(bundled, "iecmhc", "wv-ckc-2015", item="6B.2", top=45,
                              embeddings=embeddings)  # fmt: skip
    chained = [s for s in ranking.suggestions if "through" in s.reason]
    assert chained
    assert "‘Developmental guidance’ (iecmhc-imh → imh-wv-ckc-2015)" in chained[0].reason
    # Every CKC code imh-wv-ckc-2015 links from 6B.2's IMH areas carries the chain signal.
    reached = {
        ckc
        for imh in oriented_links(bundled, "iecmhc", "imh")["6B.2"]
        for ckc in oriented_links(bundled, "imh", "wv-ckc-2015").get(imh, {})
    }
    assert {s.target.code for s in chained} == reached
    assert any(s.justification == SEMAPV["chain"] for s in chained) or all(
        dict(s.signals)["chain"] > 0 for s in chained
    )


def test_reasons_name_the_words_that_matched(bundled: Catalog, embeddings: Embeddings) -> None:
    (ranking,) = suggest_pair(bundled, "imh", "wv-ckc-2015", item="Screening & assessment",
                              mode=Mode.BLIND, top=45, embeddings=embeddings)  # fmt: skip
    by_code = {s.target.code: s for s in ranking.suggestions}
    assert "assessment" in by_code["3.2"].reason  # "Practices appropriate child assessment"


def test_bad_requests_say_what_to_change(bundled: Catalog, embeddings: Embeddings) -> None:
    with pytest.raises(SuggestError, match="both source and target"):
        suggest_pair(bundled, "imh", "imh", embeddings=embeddings)
    with pytest.raises(SuggestError, match="top must be between"):
        suggest_pair(bundled, "imh", "iecmhc", top=0, embeddings=embeddings)
    with pytest.raises(NotFound, match="group of items"):
        suggest_pair(bundled, "imh", "iecmhc", item="Reflection", embeddings=embeddings)
    with pytest.raises(NotFound, match="unknown framework"):
        suggest_pair(bundled, "imh", "nope", embeddings=embeddings)


def test_a_training_description_finds_its_knowledge_area(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    found = suggest_text(
        bundled,
        "imh",
        "Reflective supervision for home visitors: using the supervisory relationship to "
        "reflect on the feelings that the work stirs up",
        top=5,
        embeddings=embeddings,
    )
    assert found[0].target.code == "direct-service-skills/reflective-supervision"
    assert "shared words: supervision" in found[0].reason
    assert all(s.source is None and s.source_code == "" for s in found)
    ckc = suggest_text(bundled, "wv-ckc-2015", "Food safety and nutrition for infants",
                       top=3, embeddings=embeddings)  # fmt: skip
    assert ckc[0].target.code == "5.5"
    with pytest.raises(ValueError, match="no source item"):
        found[0].to_alignment("anything")


def test_free_text_reasons_cite_similar_linked_items(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    found = suggest_text(bundled, "wv-ckc-2015", "Keeping infants safe from household hazards",
                         top=10, embeddings=embeddings)  # fmt: skip
    assert any("linked to it by imh-wv-ckc-2015" in s.reason for s in found)


def test_free_text_is_bounded(bundled: Catalog, embeddings: Embeddings) -> None:
    with pytest.raises(SuggestError, match="give a training"):
        suggest_text(bundled, "imh", "   ", embeddings=embeddings)
    with pytest.raises(SuggestError, match=f"at most {MAX_TEXT}"):
        suggest_text(bundled, "imh", "x" * (MAX_TEXT + 1), embeddings=embeddings)
    with pytest.raises(SuggestError, match="top must be"):
        suggest_text(bundled, "imh", "play", top=101, embeddings=embeddings)


def test_justification_names_the_signal_that_carried_the_score() -> None:
    assert justification({"semantic": 2.0, "lexical": 0.1}) == SEMAPV["semantic"]
    assert justification({"semantic": 1.0, "lexical": 0.9}) == COMPOSITE
    assert justification({"popularity": 1.0, "siblings": 1.0}) == "semapv:StructuralMatching"
    assert justification({"semantic": -1.0}) == COMPOSITE


def test_suggestions_export_as_sssom_with_confidence_and_justification(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    rankings = suggest_pair(bundled, "iecmhc", "wv-ckc-2015", top=2, embeddings=embeddings)
    suggestions: list[Suggestion] = flatten(rankings)
    text = to_sssom(bundled, "iecmhc", "wv-ckc-2015", suggestions, Mode.COMPLETE)
    crosswalk, alignments = sssom.loads(text, "suggestions.sssom.tsv", bundled)
    assert crosswalk.source_framework == "iecmhc" and crosswalk.status == "draft"
    assert len(alignments) == len(suggestions) == 24
    for alignment, suggestion in zip(alignments, suggestions, strict=True):
        assert alignment.status is Status.PROPOSED
        assert alignment.confidence == round(suggestion.score, 4)
        assert alignment.justification == suggestion.justification
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    header = rows[0]
    assert rows[1][header.index("mapping_justification")].startswith("semapv:")


def test_a_framework_without_items_gets_no_suggestions_and_no_warnings(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    data = bundled.dataset
    empty = Catalog(
        Dataset([*data.frameworks, Framework("empty", "Empty")], data.items, data.crosswalks,
                data.alignments)
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rankings = suggest_pair(empty, "iecmhc", "empty", top=3, embeddings=embeddings)
        assert rankings and all(not r.suggestions for r in rankings)
        assert suggest_pair(empty, "empty", "imh", embeddings=embeddings) == []
        assert suggest_text(empty, "empty", "play", embeddings=embeddings) == []


def test_suggestions_as_sssom_pass_sssom_py(
    bundled: Catalog, embeddings: Embeddings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The field's reference implementation reads the file: validate with no error, and
    parse keeps every row with its confidence and justification."""
    sssom_cli = pytest.importorskip("sssom.cli")
    rankings = suggest_pair(bundled, "imh", "wv-ckc-2015", top=3, embeddings=embeddings)
    path = tmp_path / "suggested.sssom.tsv"
    path.write_text(
        to_sssom(bundled, "imh", "wv-ckc-2015", flatten(rankings), Mode.COMPLETE), encoding="utf-8"
    )
    runner = CliRunner()
    with caplog.at_level(logging.ERROR):
        checked = runner.invoke(sssom_cli.main, ["validate", str(path)], catch_exceptions=False)
    assert checked.exit_code == 0, checked.output
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    parsed = tmp_path / "parsed.tsv"
    done = runner.invoke(sssom_cli.main, ["parse", str(path), "-o", str(parsed)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(
        (line for line in parsed.read_text().splitlines() if not line.startswith("#")),
        delimiter="\t",
    ))  # fmt: skip
    assert len(rows) == 64 * 3
    assert all(r["mapping_justification"].startswith("semapv:") for r in rows)
    assert all(0 < float(r["confidence"]) <= 1 for r in rows)
