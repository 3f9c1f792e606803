"""Releases, new editions and suggestions' negatives, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from curation_helpers import person

from crosswalk.catalog import NotFound
from crosswalk.curation import Denied, actor_of, changes, editions, edits, releases, suggestions
from crosswalk.curation.releases import PUBLISHED, ReleaseError
from crosswalk.formats import case, sssom
from crosswalk.formats.exchange import export_framework
from crosswalk.model import Alignment, Relation
from crosswalk.store import Repository
from crosswalk.suggest import Suggestion

CROSSWALK = "imh-wv-ckc-2015"
SCOPE = f"crosswalk:{CROSSWALK}"
OBSERVATION = "direct-service-skills/observation-listening"


def _approve(store: Repository, operations: list, title: str = "change") -> None:
    admin = person(store, f"admin{len(operations)}{title[:3]}", "admin")
    reviewer = person(store, f"rev{len(operations)}{title[:3]}", "reviewer")
    draft = changes.start(store, admin, title)
    changes.add(store, admin, draft.id, operations)
    changes.submit(store, admin, draft.id)
    changes.approve(store, reviewer, draft.id)


def test_the_first_load_is_a_release(store: Repository) -> None:
    (first,) = releases.listed(store)
    assert (first.name, first.title) == ("as-printed", "As printed in the source documents")
    assert ("crosswalk", CROSSWALK) in first.scopes and ("framework", "imh") in first.scopes


def test_a_release_stays_as_it_was_and_two_releases_compare(store: Repository) -> None:
    owner = person(store, "olga", owner=SCOPE)
    published = store.load_catalog()
    link = next(a for a in published.by_crosswalk[CROSSWALK] if a.target_code == "1.2")
    _approve(
        store,
        [
            edits.edit_alignment(published, link.id, relation="close"),
            edits.add_alignment(published, CROSSWALK, OBSERVATION, "5.2", author="olga"),
            edits.remove_alignment(
                published,
                next(a.id for a in published.by_crosswalk[CROSSWALK] if a.target_code == "7.6"),
            ),
        ],
    )
    release = releases.create(
        store, owner, "2025-spring", [("crosswalk", CROSSWALK)], title="Spring"
    )
    with pytest.raises(ReleaseError, match="exists already"):
        releases.create(store, owner, "2025-spring", [("crosswalk", CROSSWALK)])
    with pytest.raises(Denied):
        releases.create(store, owner, "other", [("crosswalk", "iecmhc-imh")])
    # The published data moves on; the release does not.
    later = store.load_catalog()
    _approve(store, [edits.edit_alignment(later, link.id, relation="exact")], "later")
    now = store.load_catalog()
    _, frozen = releases.find(store, release.name)
    shown = releases.release_catalog(now, frozen)
    assert shown.alignment(link.id).relation is Relation.CLOSE
    assert now.alignment(link.id).relation is Relation.EXACT
    first = releases.release_catalog(now, releases.find(store, "as-printed")[1])
    assert first.alignment(link.id).relation is Relation.RELATED

    comparison = releases.compare(store, now, "as-printed", "2025-spring", CROSSWALK)
    assert comparison.counts() == {"added": 1, "removed": 1, "changed": 1}
    rows = releases.comparison_rows(comparison)
    changed = next(r for r in rows if r["change"] == "changed")
    assert (changed["relation_before"], changed["relation_after"]) == ("related", "close")
    assert {r["change"]: r["target_code"] for r in rows}["added"] == "5.2"
    text = releases.comparison_sssom(comparison, CROSSWALK)
    body = [line for line in text.splitlines() if not line.startswith("#")]
    table = list(csv.DictReader(io.StringIO("\n".join(body)), delimiter="\t"))
    assert len(table) == 3
    assert any(r["comment"].startswith("removed in 2025-spring") for r in table)
    assert any(r["comment"].startswith("added in 2025-spring") for r in table)
    # SSSOM readers can read it back (our own reader, with its checks).
    crosswalk, alignments = sssom.loads(text, "diff.sssom.tsv", now)
    assert len(alignments) == 3 and crosswalk.id == CROSSWALK
    since = releases.compare(store, now, "2025-spring", PUBLISHED)
    assert [c.change for c in since.links] == ["changed"]
    with pytest.raises(NotFound, match="no release 'nope'"):
        releases.compare(store, now, "nope", PUBLISHED)


def _new_ckc(store: Repository, folder: Path) -> Path:
    """The CKC as a workbook, revised: 1.1 reworded, 2.4 renumbered 2.5, 5.4 dropped."""
    export_framework(store.load_catalog(), "wv-ckc-2015", "csv", folder)
    items = folder / "items.csv"
    rows = list(csv.DictReader(items.open(encoding="utf-8")))
    kept = []
    for row in rows:
        if row["code"] == "1.1":
            row["name"] = row["statement"] = row["name"].replace("multiple", "many")
        elif row["code"] == "2.4":
            row["code"] = "2.5"
        elif row["code"] == "5.4":
            continue
        kept.append(row)
    with items.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    (folder / "aliases.csv").unlink(missing_ok=True)
    return folder


def test_a_new_edition_carries_unchanged_links_and_lists_the_rest(
    store: Repository, tmp_path: Path
) -> None:
    owner = person(store, "olga", owner="framework:wv-ckc-2015", reviewer=SCOPE)
    reviewer = person(store, "rita", reviewer=SCOPE)
    folder = _new_ckc(store, tmp_path / "ckc-2024")
    before = store.load_catalog()
    edition = editions.start_edition(
        store, owner, "wv-ckc-2015", folder, new_id="wv-ckc-2024", version="2024"
    )
    after = store.load_catalog()
    framework = after.framework("wv-ckc-2024")
    assert framework.replaces == "wv-ckc-2015" and framework.version == "2024"
    how = {m.old.code: m.how for m in edition.matches if m.old is not None}
    assert (how["1.1"], how["2.4"], how["5.4"], how["1.2"]) == (
        "reworded",
        "renumbered",
        "gone",
        "same",
    )
    assert edition.crosswalks == (("imh-wv-ckc-2015", "imh-wv-ckc-2024"),)
    copy = after.by_crosswalk["imh-wv-ckc-2024"]
    old = before.by_crosswalk[CROSSWALK]
    unchanged = [a for a in old if a.target_code not in ("1.1", "2.4", "5.4")]
    assert len(copy) == len(unchanged) == edition.carried
    # The edition crosswalk says which item replaces which (CASE replacedBy).
    replaced = {a.source_code: a for a in after.by_crosswalk["wv-ckc-2015-to-wv-ckc-2024"]}
    assert replaced["2.4"].target_code == "2.5"
    assert replaced["2.4"].justification == "case:replacedBy"
    assert replaced["5.4"].relation is Relation.NO_MATCH
    package = case.framework_package(after, "wv-ckc-2015")  # exports carry replacedBy
    kinds = {a["associationType"] for a in package["CFAssociations"]}
    assert "replacedBy" in kinds
    # The links of changed items wait for a reviewer; those of the gone item are listed.
    assert edition.review is not None
    review, operations = changes.get(store, owner, edition.review)
    assert review.status == "submitted" and review.kind == "edition"
    targets = sorted(o.after["target_code"] for o in operations if o.after)
    assert targets == sorted(
        {"1.1": "1.1", "2.4": "2.5"}[a.target_code] for a in old if a.target_code in ("1.1", "2.4")
    )
    assert all("[check:" in o.after["note"] for o in operations if o.after)
    assert "5.4" in review.reason
    assert len(edition.not_carried) == sum(1 for a in old if a.target_code == "5.4")
    # The previous crosswalk's reviewer reviews its copy (the grants carried over).
    changes.approve(store, actor_of(store, reviewer.user), edition.review)
    assert len(store.load_catalog().by_crosswalk["imh-wv-ckc-2024"]) == len(copy) + len(targets)


def test_refused_suggestions_are_remembered(store: Repository) -> None:
    editor = person(store, "ed", editor=SCOPE)
    published = store.load_catalog()
    draft = changes.start(store, editor, "Suggested links")
    suggestion = Suggestion(
        source=published.items[("imh", OBSERVATION)],
        target=published.items[("wv-ckc-2015", "5.2")],
        score=0.72,
        rank=1,
        reason="shared words: observation",
        justification="semapv:LexicalMatching",
    )
    operation = suggestions.operation(published, CROSSWALK, suggestion, author="ed")
    changes.add(store, editor, draft.id, [operation])
    made = operation.record
    assert isinstance(made, Alignment)
    assert (made.confidence, made.justification, made.author, made.note) == (
        0.72,
        "semapv:LexicalMatching",
        "ed",
        "Suggested: shared words: observation",
    )
    _, operations = changes.get(store, editor, draft.id)
    assert [o.key for o in operations] == [made.id]
    assert suggestions.reject_suggestion(
        store, editor, CROSSWALK, OBSERVATION, "7.6", justification="semapv:LexicalMatching"
    )
    assert not suggestions.reject_suggestion(store, editor, CROSSWALK, OBSERVATION, "7.6")
    assert suggestions.rejected_pairs(store, CROSSWALK) == {(OBSERVATION, "7.6")}
