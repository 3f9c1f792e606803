"""The metrics and intervals of bench/suggest.py, and the evaluation on real crosswalks."""

from __future__ import annotations

import pytest

from crosswalk.catalog import Catalog
from crosswalk.suggest import METRICS, Mode, evaluate
from crosswalk.suggest.embeddings import Embeddings
from crosswalk.suggest.evaluate import bootstrap, item_metrics


def test_metrics_of_a_hand_checked_ranking() -> None:
    ranked = ["a", "x", "b", "y", "z", "c", "q", "r", "s", "t", "u"]
    m = item_metrics(ranked, {"a", "b", "c"})
    assert m["MAP"] == pytest.approx((1 / 1 + 2 / 3 + 3 / 6) / 3)
    assert m["R-precision"] == pytest.approx(2 / 3)
    assert m["P@5"] == pytest.approx(2 / 5)
    assert m["Recall@10"] == 1.0
    ideal = 1 + 1 / 1.584962500721156 + 1 / 2
    gain = 1 + 1 / 2 + 1 / 2.807354922057604
    assert m["nDCG@10"] == pytest.approx(gain / ideal)
    assert item_metrics(["a", "b"], {"a"})["MAP"] == 1.0


def test_bootstrap_interval_brackets_the_mean() -> None:
    estimate = bootstrap([0.1, 0.5, 0.9, 0.3])
    assert estimate.mean == pytest.approx(0.45)
    assert estimate.low < estimate.mean < estimate.high
    assert bootstrap([0.5] * 10).low == bootstrap([0.5] * 10).high == 0.5


def test_complete_mode_is_not_an_evaluation(bundled: Catalog, embeddings: Embeddings) -> None:
    with pytest.raises(ValueError, match="sees the answers"):
        evaluate(bundled, "iecmhc", "imh", Mode.COMPLETE, embeddings=embeddings)


def test_a_pair_without_human_links_cannot_be_evaluated(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    with pytest.raises(ValueError, match="nothing to score against"):
        evaluate(bundled, "iecmhc", "wv-ckc-2015", Mode.BLIND, embeddings=embeddings)


def test_blind_iecmhc_to_imh_beats_chance(bundled: Catalog, embeddings: Embeddings) -> None:
    result = evaluate(bundled, "iecmhc", "imh", Mode.BLIND, embeddings=embeddings)
    assert (result.items, result.links) == (12, 18)
    assert set(result.results["fused"].metrics) == set(METRICS)
    fused, chance = result.results["fused"].metrics, result.results["random"].metrics
    assert fused["Recall@10"].mean > chance["Recall@10"].mean
    # With no links to learn from, the link signals are silent: they score like chance.
    assert result.results["popularity"].metrics["MAP"] == chance["MAP"]


def test_leave_one_out_uses_the_other_items_links(bundled: Catalog, embeddings: Embeddings) -> None:
    result = evaluate(bundled, "wv-ckc-2015", "imh", Mode.LEAVE_ONE_OUT, embeddings=embeddings)
    fused, chance = result.results["fused"].metrics["MAP"], result.results["random"].metrics["MAP"]
    assert fused.low > chance.high
    assert result.results["siblings"].metrics["MAP"].mean > chance.mean
