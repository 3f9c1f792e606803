"""History tabs are complete: an item's shows its own changes and those of its links,
removed links included (and a retired item's links); a framework's and a crosswalk's
show their metadata changes; a change set's shows what it changed, and nothing else.
Every kind of write is made once and looked for on each page, the API and the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from webpage import parse

from crosswalk.catalog import Catalog
from crosswalk.cli import app as cli
from crosswalk.curation import actor_of, changes, edits, people
from crosswalk.states import item_key
from crosswalk.store import Repository, open_repository
from crosswalk.web.app import create_app

CROSSWALK = "imh-wv-ckc-2015"
KEPT = "direct-service-skills/observation-listening"  # edited, one link removed, one added
RETIRED = "leading-people/program-evaluation"  # cited by IECMHC and citing CKC
PASSWORD = "a long enough password"


@dataclass
class Written:
    url: str
    removed_link: str  # from KEPT
    added_link: str  # from KEPT
    retired_links: list[str]  # RETIRED's, removed with it
    edits: int  # the change set with the edits
    retirement: int  # the change set that retired RETIRED


def _approve(store: Repository, operations: list[object], title: str) -> int:
    ada = actor_of(store, people.find_user(store, "ada"))
    rita = actor_of(store, people.find_user(store, "rita"))
    draft = changes.start(store, ada, title)
    changes.add(store, ada, draft.id, operations)  # type: ignore[arg-type]
    changes.submit(store, ada, draft.id)
    changes.approve(store, rita, draft.id)
    return draft.id


def _links(catalog: Catalog, code: str) -> list[str]:
    key = ("imh", code)
    return [a.id for a in catalog.outgoing.get(key, []) + catalog.incoming.get(key, [])]


@pytest.fixture
def written(database_url: str) -> Iterator[Written]:
    with open_repository(database_url) as store:
        people.add_user(store, "ada", PASSWORD, "admin")
        people.add_user(store, "rita", PASSWORD, "reviewer")
        catalog = store.load_catalog()
        removed = next(a for a in catalog.outgoing[("imh", KEPT)] if a.crosswalk == CROSSWALK)
        added = edits.add_alignment(catalog, CROSSWALK, KEPT, "7.6", author="ada")
        first = _approve(
            store,
            [
                edits.edit_item(catalog, "imh", KEPT, name="Observing and listening"),
                edits.remove_alignment(catalog, removed.id),
                added,
                edits.edit_framework(catalog, "imh", title="IMH Competency Guidelines (2026)"),
                edits.edit_crosswalk(catalog, CROSSWALK, version="2026"),
            ],
            "Edits of every kind",
        )
        retired_links = _links(catalog, RETIRED)
        second = _approve(store, list(edits.retire_item(catalog, "imh", RETIRED)), "Retire one")
        yield Written(database_url, removed.id, added.key, retired_links, first, second)


def test_history_pages_show_every_change_made(written: Written) -> None:
    client = TestClient(create_app(written.url))
    api = client.get(f"/api/history?item=imh:{KEPT}").json()
    seen = {(e["kind"], e["key"], e["action"]) for e in api}
    assert ("item", item_key("imh", KEPT), "update") in seen
    assert ("alignment", written.removed_link, "remove") in seen  # gone from the catalog
    assert ("alignment", written.removed_link, "add") in seen  # and how it came
    assert ("alignment", written.added_link, "add") in seen

    retired = client.get(f"/api/history?item=imh:{RETIRED}").json()
    assert ("item", "remove") in {(e["kind"], e["action"]) for e in retired}
    removed = {e["key"] for e in retired if e["kind"] == "alignment" and e["action"] == "remove"}
    assert removed == set(written.retired_links) and removed

    page = parse(client.get(f"/history?item=imh:{KEPT}").text)
    marks = page.texts("span", **{"class": "mark mark-removed"})
    assert len(marks) == 1  # the removed link, on the item's own tab
    assert len(page.texts("span", **{"class": "mark mark-added"})) >= 2  # the new link's add
    words = parse(client.get(f"/history?item=imh:{RETIRED}").text).words
    assert words.count("removed alignment") == len(written.retired_links)

    framework = parse(client.get("/history?framework=imh").text).words
    assert "IMH Competency Guidelines (2026)" in framework
    crosswalk = client.get(f"/api/history?crosswalk={CROSSWALK}&limit=20").json()
    assert {"version"} in [set(e["fields"]) for e in crosswalk if e["kind"] == "crosswalk"]

    own = client.get(f"/api/history?change_set={written.retirement}").json()
    assert {e["change_set"] for e in own} == {written.retirement}
    assert len(own) == 1 + len(written.retired_links)
    tab = parse(client.get(f"/history?change_set={written.retirement}").text)
    assert tab.texts("h1") == [f"History of change set {written.retirement}"]
    assert len(tab.texts("time")) == len(own)


def test_the_cli_item_history_has_its_removed_links(written: Written) -> None:
    result = CliRunner().invoke(
        cli, ["--database", written.url, "history", f"imh:{KEPT}", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"remove", "update", "add"} <= {r["action"] for r in rows}
