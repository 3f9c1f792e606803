"""The evaluation modes cannot see what they hide.

Each test plants a link, or changes a text, only in the part a mode hides, and checks
the mode's ranking is exactly the same as without it; a companion assertion shows the
plant does matter when the mode may see it, so these tests can fail.
"""

from __future__ import annotations

import dataclasses

from crosswalk.catalog import Catalog
from crosswalk.model import Alignment, Dataset
from crosswalk.suggest import Mode, Ranking, suggest_pair
from crosswalk.suggest.embeddings import Embeddings
from crosswalk.suggest.engine import fitted_fusion
from crosswalk.suggest.features import pair_features
from crosswalk.suggest.views import oriented_links, without_item_links, without_pair

SOURCE = "direct-service-skills/observation-listening"
PLANTED = "1.6"  # gross and fine motor development: not linked to it by the humans


def planted(catalog: Catalog, *alignments: Alignment) -> Catalog:
    data = catalog.dataset
    return Catalog(
        Dataset(data.frameworks, data.items, data.crosswalks, [*data.alignments, *alignments])
    )


def link(source: str, target: str, position: int, **fields: object) -> Alignment:
    return Alignment("imh-wv-ckc-2015", source, target, position=10_000 + position, **fields)  # type: ignore[arg-type]


def scores(rankings: list[Ranking]) -> dict[tuple[str, str], float]:
    return {s.pair(): s.score for r in rankings for s in r.suggestions}


def test_blind_rankings_ignore_every_link_of_the_hidden_crosswalk(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    extra = planted(bundled, link(SOURCE, PLANTED, 0), link("reflection/curiosity", PLANTED, 1))
    run = {"mode": Mode.BLIND, "top": None, "embeddings": embeddings}
    before = scores(suggest_pair(bundled, "imh", "wv-ckc-2015", **run))  # type: ignore[arg-type]
    after = scores(suggest_pair(extra, "imh", "wv-ckc-2015", **run))  # type: ignore[arg-type]
    assert after == before
    # Seen in complete mode, the same plants change the ranking.
    seen = scores(suggest_pair(extra, "imh", "wv-ckc-2015", top=None, embeddings=embeddings))
    assert seen != scores(
        suggest_pair(bundled, "imh", "wv-ckc-2015", top=None, embeddings=embeddings)
    )


def test_blind_rankings_ignore_the_hidden_crosswalks_evidence_texts(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    data = bundled.dataset
    rewritten = [
        dataclasses.replace(a, evidence="Demonstrates ability to run a classroom routine")
        if a.crosswalk == "iecmhc-imh"
        else a
        for a in data.alignments
    ]
    changed = Catalog(Dataset(data.frameworks, data.items, data.crosswalks, rewritten))
    run = {"mode": Mode.BLIND, "top": None, "embeddings": embeddings}
    assert scores(suggest_pair(changed, "iecmhc", "imh", **run)) == scores(  # type: ignore[arg-type]
        suggest_pair(bundled, "iecmhc", "imh", **run)  # type: ignore[arg-type]
    )
    # Not hidden when ranking IMH → CKC blind: there, the evidence is fair and used.
    run_ckc = {"mode": Mode.BLIND, "top": None, "embeddings": embeddings}
    assert scores(suggest_pair(changed, "imh", "wv-ckc-2015", **run_ckc)) != scores(  # type: ignore[arg-type]
        suggest_pair(bundled, "imh", "wv-ckc-2015", **run_ckc)  # type: ignore[arg-type]
    )


def test_a_link_only_in_the_held_out_part_does_not_raise_its_own_score(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    extra = planted(bundled, link(SOURCE, PLANTED, 0))
    run = {"item": SOURCE, "mode": Mode.LEAVE_ONE_OUT, "top": None, "embeddings": embeddings}
    before = scores(suggest_pair(bundled, "imh", "wv-ckc-2015", **run))  # type: ignore[arg-type]
    after = scores(suggest_pair(extra, "imh", "wv-ckc-2015", **run))  # type: ignore[arg-type]
    assert after == before
    # Another item's planted link is fair game in leave-one-out mode: it moves 1.6 up.
    neighbour = planted(bundled, link("direct-service-skills/screening-assessment", PLANTED, 0))
    moved = scores(suggest_pair(neighbour, "imh", "wv-ckc-2015", **run))  # type: ignore[arg-type]
    assert moved[(SOURCE, PLANTED)] > before[(SOURCE, PLANTED)]


def test_leave_one_out_ranks_as_if_the_items_links_did_not_exist(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    item = bundled.items[("imh", SOURCE)]
    stripped = without_item_links(bundled, "imh", "wv-ckc-2015", item)
    assert oriented_links(stripped, "imh", "wv-ckc-2015").get(SOURCE) is None
    run = {"item": SOURCE, "mode": Mode.LEAVE_ONE_OUT, "top": None, "embeddings": embeddings}
    assert scores(suggest_pair(stripped, "imh", "wv-ckc-2015", **run)) == scores(  # type: ignore[arg-type]
        suggest_pair(bundled, "imh", "wv-ckc-2015", **run)  # type: ignore[arg-type]
    )


def test_held_out_items_are_not_in_the_fitted_weights(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    linked = len(oriented_links(bundled, "imh", "wv-ckc-2015"))
    item = bundled.items[("imh", SOURCE)]
    view = without_item_links(bundled, "imh", "wv-ckc-2015", item)
    fusion = fitted_fusion(pair_features(view, "imh", "wv-ckc-2015", embeddings))
    assert fusion.fitted_on == linked - 1
    blind = pair_features(
        without_pair(bundled, "imh", "wv-ckc-2015"), "imh", "wv-ckc-2015", embeddings
    )
    assert fitted_fusion(blind).fitted_on == 0  # nothing to fit on: fixed weights


def test_link_signals_never_count_the_items_own_links(
    bundled: Catalog, embeddings: Embeddings
) -> None:
    features = pair_features(bundled, "imh", "wv-ckc-2015", embeddings)
    row = features.row(SOURCE)
    own = sorted(features.known[SOURCE])[0]  # a target the item itself links to
    column = [t.code for t in features.targets].index(own)
    counts = features.popularity_counts
    assert counts is not None
    assert counts[row, column] == features.labels()[:, column].sum() - 1
    nearest, _ = features.nearest[(row, column)]
    assert nearest.code != SOURCE


def test_without_pair_hides_crosswalks_stored_either_way(bundled: Catalog) -> None:
    assert not without_pair(bundled, "wv-ckc-2015", "imh").crosswalks_between("imh", "wv-ckc-2015")
    assert without_pair(bundled, "wv-ckc-2015", "imh").crosswalks_between("iecmhc", "imh")
