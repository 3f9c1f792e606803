"""Two people at once, and a process killed in the middle of an approval.

* Two reviewers approve, at the same moment over HTTP, two change sets that edit the
  same link from the same revision: one is published, the other is refused with 409
  and both versions; the link has exactly one update in the log.
* An approval killed with SIGKILL part-way leaves the store as it was (the change set
  still waiting, no event, the data equal to a replay of the log), and the next
  approval goes through.

Both on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from crosswalk.catalog import Catalog
from crosswalk.curation import OPERATOR, actor_of, changes, edits, history, people
from crosswalk.model import Dataset
from crosswalk.store import Repository, open_repository
from crosswalk.store.repository import change_of
from crosswalk.web.app import create_app
from live import serving

PASSWORD = "a long enough password"
CROSSWALK = "imh-wv-ckc-2015"


@pytest.fixture
def bundled(database_url: str) -> Iterator[Repository]:
    """The bundled data, an editor on everything and two reviewers."""
    with open_repository(database_url) as store:
        people.add_user(store, "edna", PASSWORD, "editor")
        for name in ("rita", "remy"):
            people.add_user(store, name, PASSWORD, "reviewer")
        yield store


def _as(store: Repository, name: str) -> Any:
    return actor_of(store, people.find_user(store, name))


def _submitted(store: Repository, operations: list[Any], title: str) -> int:
    edna = _as(store, "edna")
    draft = changes.start(store, edna, title)
    changes.add(store, edna, draft.id, operations)
    changes.submit(store, edna, draft.id)
    return draft.id


def _at_once(url: str, posts: dict[str, tuple[str, str]]) -> dict[str, httpx.Response]:
    """POST each ``(path, token)`` from a client of its own, all released together."""
    start = threading.Barrier(len(posts))
    answers: dict[str, httpx.Response] = {}

    def post(name: str, path: str, token: str) -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            start.wait()
            answers[name] = client.post(path, headers={"Authorization": f"Bearer {token}"})

    threads = [threading.Thread(target=post, args=(n, *p)) for n, p in posts.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_two_reviewers_approving_the_same_link_at_once(bundled: Repository) -> None:
    store = bundled
    reviewers = ("rita", "remy")
    tokens = {n: people.create_token(store, n)[1] for n in reviewers}
    with serving(create_app(store.engine.url.render_as_string(hide_password=False))) as url:
        for round_ in range(3):  # a few rounds: the two requests really overlap
            catalog = store.load_catalog()
            link = catalog.by_crosswalk[CROSSWALK][round_]
            drafts = {
                name: _submitted(
                    store, [edits.edit_alignment(catalog, link.id, note=f"{name} {round_}")], name
                )
                for name in reviewers
            }
            answers = _at_once(
                url, {n: (f"/api/change-sets/{drafts[n]}/approve", tokens[n]) for n in reviewers}
            )
            codes = sorted(a.status_code for a in answers.values())
            assert codes == [200, 409], {n: a.text[:300] for n, a in answers.items()}
            (refused,) = [a.json() for a in answers.values() if a.status_code == 409]
            (clash,) = refused["conflicts"]
            winner = store.load_catalog().alignment(link.id).note
            assert clash["stored"]["note"] == winner and clash["proposed"]["note"] != winner
            updates = [
                e for e in history.of_object(store, "alignment", link.id) if e.action == "update"
            ]
            assert len(updates) == 1 and updates[0].after is not None
            assert updates[0].after["note"] == winner


APPROVE = """
import sys
from crosswalk.curation import OPERATOR, changes
from crosswalk.store import open_repository
with open_repository(sys.argv[1], seed=None) as store:
    print("approving", flush=True)
    changes.approve(store, OPERATOR, int(sys.argv[2]))
    print("approved", flush=True)
"""


def _consistent(store: Repository) -> Catalog:
    """The stored data equals a replay of the whole event log, revisions included."""
    stored = store.load_catalog()
    replayed = Catalog(Dataset()).updated([change_of(e) for e in store.events_since(0)])
    assert replayed.dataset == stored.dataset
    assert replayed.revisions == stored.revisions
    return stored


def test_an_approval_killed_part_way_leaves_the_store_as_it_was(bundled: Repository) -> None:
    store = bundled
    url = store.engine.url.render_as_string(hide_password=False)
    interrupted = 0
    for attempt, delay in enumerate((0.0, 0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3)):
        catalog = _consistent(store)
        operations = [
            edits.edit_alignment(catalog, a, note=f"attempt {attempt}") for a in catalog.alignments
        ]
        change_set = _submitted(store, operations, f"everything, attempt {attempt}")
        child = subprocess.Popen(
            [sys.executable, "-c", APPROVE, url, str(change_set)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "approving"
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        after = _consistent(store)
        found, _ = changes.get(store, OPERATOR, change_set)
        events = history.of_change_set(store, change_set)
        if found.status == "submitted":  # killed before the commit: nothing of it is there
            interrupted += 1
            assert events == [] and after.revision == catalog.revision
            assert after.dataset == catalog.dataset
            changes.approve(store, _as(store, "rita"), change_set)  # and it can be approved
        else:  # it committed first: all of it is there
            assert found.status == "approved" and len(events) == len(operations)
        assert {a.note for a in store.load_catalog().alignments.values()} == {f"attempt {attempt}"}
    assert interrupted, "no kill landed before the approval committed"
