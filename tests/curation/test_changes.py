"""Change sets on SQLite and PostgreSQL: review, conflicts, events, revert, preview."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from curation_helpers import person
from sqlalchemy import text

from crosswalk.catalog import Catalog, NotFound
from crosswalk.curation import ANONYMOUS, OPERATOR, Denied, changes, edits, history
from crosswalk.curation.changes import CurationError
from crosswalk.formats.exchange import export_all
from crosswalk.model import Dataset, Relation
from crosswalk.store import ConflictError, Repository, StoreError
from crosswalk.store.repository import change_of

CROSSWALK = "imh-wv-ckc-2015"
SCOPE = f"crosswalk:{CROSSWALK}"
OBSERVATION = "direct-service-skills/observation-listening"


def _one_link(catalog: Catalog, source: str = OBSERVATION, target: str = "1.2") -> str:
    return next(
        a.id
        for a in catalog.by_crosswalk[CROSSWALK]
        if a.source_code == source and a.target_code == target
    )


def _export(store: Repository, folder: Path) -> dict[str, str]:
    export_all(store.load_catalog(), "csv", folder)
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_propose_review_approve_leaves_one_event_per_object(store: Repository) -> None:
    editor = person(store, "edna", editor=SCOPE)
    reviewer = person(store, "rita", reviewer=SCOPE)
    published = store.load_catalog()
    link = _one_link(published)
    draft = changes.start(store, editor, "Observation is closer to 1.2", "Reread the source")
    changes.add(
        store,
        editor,
        draft.id,
        [
            edits.edit_alignment(published, link, relation="close", note="closer than related"),
            edits.add_alignment(
                published, CROSSWALK, OBSERVATION, "5.2", author=editor.name, relation="related"
            ),
        ],
    )
    # Nothing is published until approval.
    assert store.load_catalog().alignment(link).relation is Relation.RELATED
    changes.submit(store, editor, draft.id)
    revision = changes.approve(store, reviewer, draft.id, "Agreed")
    assert revision == published.revision + 1
    after = store.load_catalog()
    assert after.alignment(link).relation is Relation.CLOSE
    assert after.revision_of(after.alignment(link)) == 2
    events = history.of_scope(store, "crosswalk", CROSSWALK, limit=2)
    assert {(e.action, e.actor, e.change_set) for e in events} == {
        ("update", "rita", draft.id),
        ("add", "rita", draft.id),
    }
    updated = next(e for e in events if e.action == "update")
    assert history.changed_fields(updated) == ["relation", "note"]
    assert updated.before is not None and updated.before["relation"] == "related"
    status, _ = changes.get(store, editor, draft.id)
    assert (status.status, status.reviewer, status.comment) == ("approved", "rita", "Agreed")


def test_nobody_reviews_their_own_change_set(store: Repository) -> None:
    owner = person(store, "olga", owner=SCOPE)
    published = store.load_catalog()
    draft = changes.start(store, owner, "Mine")
    changes.add(store, owner, draft.id, [edits.remove_alignment(published, _one_link(published))])
    changes.submit(store, owner, draft.id)
    with pytest.raises(Denied, match="someone other than its author"):
        changes.approve(store, owner, draft.id)
    admin = person(store, "ada", "admin")
    changes.approve(store, admin, draft.id)


def test_two_editors_on_one_link_conflict_with_both_versions(store: Repository) -> None:
    first = person(store, "first", editor=SCOPE)
    second = person(store, "second", editor=SCOPE)
    reviewer = person(store, "rev", reviewer=SCOPE)
    seen = store.load_catalog()  # both open the same page
    link = _one_link(seen)
    drafts = []
    for editor, note in ((first, "first's note"), (second, "second's note")):
        draft = changes.start(store, editor, f"Note by {editor.name}")
        changes.add(store, editor, draft.id, [edits.edit_alignment(seen, link, note=note)])
        changes.submit(store, editor, draft.id)
        drafts.append(draft.id)
    changes.approve(store, reviewer, drafts[0])
    with pytest.raises(ConflictError) as raised:
        changes.approve(store, reviewer, drafts[1])
    clash = raised.value.clashes[0]
    assert (clash.kind, clash.key, clash.base, clash.current) == ("alignment", link, 1, 2)
    assert clash.stored is not None and clash.stored["note"] == "first's note"
    assert clash.proposed is not None and clash.proposed["note"] == "second's note"
    assert "someone changed it in the meantime" in str(raised.value)
    # Never a silent overwrite: the first edit stands, the second stays submitted.
    assert store.load_catalog().alignment(link).note == "first's note"
    status, _ = changes.get(store, second, drafts[1])
    assert status.status == "submitted"


def test_revert_restores_exactly_the_earlier_state(store: Repository, tmp_path: Path) -> None:
    editor = person(store, "ed", editor="framework:imh")
    admin = person(store, "ada", "admin")
    reviewer = person(store, "rev", "reviewer")
    before = _export(store, tmp_path / "before")
    published = store.load_catalog()
    operations = [
        *edits.retire_item(published, "imh", "direct-service-skills/safety"),
        edits.edit_item(published, "imh", "direct-service-skills/advocacy", name="Advocating"),
    ]
    draft = changes.start(store, editor, "Retire Safety, rename Advocacy")
    with pytest.raises(Denied):  # retiring removes the crosswalk's links: not ed's role
        changes.add(store, editor, draft.id, operations)
    draft = changes.start(store, admin, "Retire Safety, rename Advocacy")
    changes.add(store, admin, draft.id, operations)
    changes.submit(store, admin, draft.id)
    changes.approve(store, reviewer, draft.id)
    assert _export(store, tmp_path / "changed") != before
    undo = changes.revert(store, admin, draft.id)
    assert undo.status == "submitted" and undo.reverts == draft.id
    changes.approve(store, reviewer, undo.id)
    assert _export(store, tmp_path / "after") == before


def test_revert_of_a_stale_change_is_a_conflict(store: Repository) -> None:
    admin = person(store, "ada", "admin")
    reviewer = person(store, "rev", "reviewer")
    published = store.load_catalog()
    link = _one_link(published)
    draft = changes.start(store, admin, "note")
    changes.add(store, admin, draft.id, [edits.edit_alignment(published, link, note="one")])
    changes.submit(store, admin, draft.id)
    changes.approve(store, reviewer, draft.id)
    later = store.load_catalog()
    second = changes.start(store, admin, "note again")
    changes.add(store, admin, second.id, [edits.edit_alignment(later, link, note="two")])
    changes.submit(store, admin, second.id)
    changes.approve(store, reviewer, second.id)
    undo = changes.revert(store, admin, draft.id)
    with pytest.raises(ConflictError):
        changes.approve(store, reviewer, undo.id)
    assert store.load_catalog().alignment(link).note == "two"


def test_a_change_that_changes_nothing_moves_no_revision(store: Repository) -> None:
    admin = person(store, "ada", "admin")
    published = store.load_catalog()
    item = published.item("imh", OBSERVATION)
    draft = changes.start(store, admin, "Same name")
    changes.add(store, admin, draft.id, [edits.edit_item(published, "imh", item.code, name="X")])
    changes.add(
        store, admin, draft.id, [edits.edit_item(published, "imh", item.code, name=item.name)]
    )
    got, operations = changes.get(store, admin, draft.id)
    assert operations == []  # edited back: nothing left to propose
    with pytest.raises(CurationError, match="empty change set"):
        changes.submit(store, admin, draft.id)
    assert store.revision() == published.revision
    assert got.status == "draft"


def test_broken_references_are_refused_inside_the_transaction(store: Repository) -> None:
    admin = person(store, "ada", "admin")
    reviewer = person(store, "rev", "reviewer")
    published = store.load_catalog()
    # Draft 1 links to 5.2; draft 2 retires 5.2 (its own view had no link to it).
    one = changes.start(store, admin, "Link to 5.2")
    changes.add(
        store,
        admin,
        one.id,
        [edits.add_alignment(published, CROSSWALK, OBSERVATION, "5.2", author="ada")],
    )
    two = changes.start(store, admin, "Retire 5.2")
    changes.add(store, admin, two.id, edits.retire_item(published, "wv-ckc-2015", "5.2"))
    for draft in (one, two):
        changes.submit(store, admin, draft.id)
    changes.approve(store, reviewer, one.id)
    with pytest.raises(
        StoreError, match=r"5\.2 is removed but crosswalk imh-wv-ckc-2015 still links"
    ):
        changes.approve(store, reviewer, two.id)
    assert ("wv-ckc-2015", "5.2") in store.load_catalog().items


def test_events_are_append_only(store: Repository) -> None:
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as connection:
        connection.execute(text("UPDATE events SET actor = 'someone else'"))
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as connection:
        connection.execute(text("DELETE FROM events"))


def test_every_write_leaves_an_event(store: Repository) -> None:
    """History completeness: replaying the whole log from nothing gives exactly the
    stored data and revisions, after reviewed edits and an import by the operator."""
    admin = person(store, "ada", "admin")
    reviewer = person(store, "rev", "reviewer")
    published = store.load_catalog()
    draft = changes.start(store, admin, "A bit of everything")
    changes.add(
        store,
        admin,
        draft.id,
        [
            edits.add_item(published, "wv-ckc-2015", "1.11", name="New one", parent="1"),
            edits.edit_framework(published, "imh", title="IMH (revised)", status="draft"),
            edits.edit_crosswalk(published, CROSSWALK, version="2"),
            *edits.retire_item(published, "imh", "leading-people/supervision-mentorship"),
        ],
    )
    changes.submit(store, admin, draft.id)
    changes.approve(store, reviewer, draft.id)
    iecmhc = store.load_catalog().frameworks["iecmhc"]
    applied = store.save(Dataset([dataclasses.replace(iecmhc, notice="new notice")]))
    assert applied.revision is not None
    replayed = Catalog(Dataset()).updated([change_of(e) for e in store.events_since(0)])
    stored = store.load_catalog()
    assert replayed.dataset == stored.dataset
    assert replayed.revisions == stored.revisions
    assert [e.actor for e in store.events_since(applied.revision - 1)] == [OPERATOR.name]


def test_drafts_are_seen_only_by_those_who_work_on_them(store: Repository) -> None:
    editor = person(store, "ed", editor=SCOPE)
    stranger = person(store, "stranger", editor="framework:iecmhc")
    published = store.load_catalog()
    draft = changes.start(store, editor, "Private until approved")
    changes.add(store, editor, draft.id, [edits.remove_alignment(published, _one_link(published))])
    for outsider in (ANONYMOUS, stranger):
        with pytest.raises(NotFound):
            changes.get(store, outsider, draft.id)
        assert draft.id not in [c.id for c in changes.listed(store, outsider)]
    assert changes.get(store, editor, draft.id)[0].title == "Private until approved"


def test_preview_shows_the_change_without_writing(store: Repository) -> None:
    editor = person(store, "ed", editor=SCOPE)
    published = store.load_catalog()
    link = _one_link(published)
    draft = changes.start(store, editor, "Preview me")
    changes.add(store, editor, draft.id, [edits.remove_alignment(published, link)])
    _, operations = changes.get(store, editor, draft.id)
    preview = changes.preview(published, operations)
    assert link not in preview.alignments and link in published.alignments
    assert store.load_catalog().alignments.keys() == published.alignments.keys()
