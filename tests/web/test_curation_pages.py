"""The curation pages over HTTP: sign in, edit in forms, review, history, releases,
previews with marks, conflicts with both versions, and CSRF on every form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from webpage import csrf_token, on_event_loop, parse

from crosswalk.curation import people
from crosswalk.formats.exchange import export_framework
from crosswalk.model import RELATION_DEFINITIONS
from crosswalk.store import open_repository
from crosswalk.web.app import create_app
from crosswalk.web.limits import MAX_EDITION_BYTES

CROSSWALK = "imh-wv-ckc-2015"
ITEM = "/frameworks/imh/items/direct-service-skills/observation-listening"
PASSWORD = "a long enough password"


@pytest.fixture
def site(database_url: str) -> Iterator[str]:
    with open_repository(database_url) as store:
        people.add_user(store, "ada", PASSWORD, "admin")
        for name, role in (("edna", "editor"), ("erik", "editor"), ("rita", "reviewer")):
            people.add_user(store, name, PASSWORD)
            people.grant(store, name, role, "crosswalk", CROSSWALK)
        people.grant(store, "edna", "editor", "framework", "imh")
    yield database_url


def browser(url: str, name: str | None = None) -> TestClient:
    """A client of its own (its own cookies), signed in as ``name``."""
    client = TestClient(create_app(url), follow_redirects=False)
    client.__enter__()
    client.app.state.catalog_store.check_interval = 0  # type: ignore[attr-defined]
    if name is not None:
        token = csrf_token(client, "/login")
        answer = client.post(
            "/login", data={"name": name, "password": PASSWORD, "csrf_token": token, "next": "/"}
        )
        assert answer.status_code == 303, answer.text
        cookie = answer.headers["set-cookie"]
        assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    return client


def _link_id(client: TestClient, target: str = "1.2") -> str:
    """The id of a link, from the edit link the item page offers a signed-in editor."""
    page = client.get(ITEM).text
    rows = re.findall(
        r'<tr id="link-wv-ckc-2015-([0-9-]+)">.*?/edit/alignment\?id=([0-9a-f-]+)', page, re.S
    )
    assert rows, "the item page offers an edit link per link"
    return next(i for code, i in rows if code == target.replace(".", "-"))


def _propose_note(client: TestClient, link: str, note: str, title: str) -> int:
    form = client.get(f"/edit/alignment?id={link}").text
    base = re.search(r'name="base" value="(\d+)"', form)
    assert base is not None
    answer = client.post(
        "/edit/alignment",
        data={
            "csrf_token": csrf_token(client, f"/edit/alignment?id={link}"),
            "action": "edit",
            "id": link,
            "crosswalk": CROSSWALK,
            "base": base[1],
            "relation": "close",
            "note": note,
            "target_code": "1.2",
            "change_set": "new",
            "title": title,
        },
    )
    assert answer.status_code == 303, answer.text
    return int(answer.headers["location"].split("/")[2].split("#")[0])


def test_propose_review_publish_in_forms(site: str) -> None:
    edna, rita, reader = browser(site, "edna"), browser(site, "rita"), browser(site)
    link = _link_id(edna)
    form = parse(edna.get(f"/edit/alignment?id={link}").text)
    for relation, definition in RELATION_DEFINITIONS.items():  # shown where people choose
        assert f"{relation.value} {definition}" in form.words
    change_set = _propose_note(edna, link, "closer than related", "1.2 is closer")
    page = edna.get(f"/changes/{change_set}").text
    assert "closer than related" in page and "Submit for review" in page
    # The preview marks the change; the published page does not have it.
    preview = edna.get(f"{ITEM}?preview={change_set}").text
    assert "changed in this preview" in preview and "Preview of" in preview
    assert "closer than related" not in reader.get(ITEM).text
    assert reader.get(f"/changes/{change_set}").status_code == 404  # a draft is private
    assert reader.get(f"{ITEM}?preview={change_set}").status_code == 404
    token = csrf_token(edna, f"/changes/{change_set}")
    assert edna.post(f"/changes/{change_set}/submit", data={"csrf_token": token}).status_code == 303
    token = csrf_token(rita, f"/changes/{change_set}")
    approved = rita.post(
        f"/changes/{change_set}/approve", data={"csrf_token": token, "comment": "yes"}
    )
    assert approved.status_code == 303
    published = reader.get(ITEM).text
    assert "closer than related" in published and "by rita" in published
    history = reader.get(f"/history?crosswalk={CROSSWALK}").text
    assert "rita" in history and f"change set {change_set}" in history
    assert reader.get("/history.csv").text.count("\n") > 500  # the initial load, and this


def test_two_editors_at_once_get_a_conflict_with_both_versions(site: str) -> None:
    edna, erik, rita = browser(site, "edna"), browser(site, "erik"), browser(site, "rita")
    link = _link_id(edna)
    first_form = edna.get(f"/edit/alignment?id={link}").text
    second_form = erik.get(f"/edit/alignment?id={link}").text  # both read revision 1
    assert 'name="base" value="1"' in first_form and 'name="base" value="1"' in second_form
    first = _propose_note(edna, link, "edna's note", "edna")
    for client, change_set in ((edna, first),):
        client.post(
            f"/changes/{change_set}/submit", data={"csrf_token": csrf_token(client, "/changes")}
        )
    rita.post(f"/changes/{first}/approve", data={"csrf_token": csrf_token(rita, "/changes")})
    # erik sends the form he read before edna's change was published
    answer = erik.post(
        "/edit/alignment",
        data={
            "csrf_token": csrf_token(erik, "/changes"),
            "action": "edit",
            "id": link,
            "base": "1",
            "relation": "close",
            "note": "erik's note",
            "target_code": "1.2",
            "change_set": "new",
            "title": "erik",
        },
    )
    assert answer.status_code == 409
    page = parse(answer.text)
    assert "edna's note" in page.words and "erik's note" in page.words
    assert "Saved meanwhile (revision 2)" in page.words


def test_every_form_needs_its_csrf_token(site: str) -> None:
    edna = browser(site, "edna")
    link = _link_id(edna)
    forged = edna.post(
        "/edit/alignment",
        data={"action": "remove", "id": link, "change_set": "new", "title": "forged"},
    )
    assert forged.status_code == 403 and "another site" in forged.text
    assert edna.post("/changes", data={"title": "x", "csrf_token": "wrong"}).status_code == 403
    assert edna.post("/logout", data={"csrf_token": ""}).status_code == 403
    anonymous = browser(site)
    assert anonymous.post("/login", data={"name": "edna", "password": PASSWORD}).status_code == 403
    # Still signed in, nothing proposed.
    assert "Drafts (0)" in parse(edna.get("/changes").text).words


def test_signing_in_and_out(site: str) -> None:
    client = browser(site)
    token = csrf_token(client, "/login")
    wrong = client.post(
        "/login", data={"name": "edna", "password": "wrong password", "csrf_token": token}
    )
    unknown = client.post(
        "/login", data={"name": "nobody", "password": "wrong password", "csrf_token": token}
    )
    assert wrong.status_code == unknown.status_code == 400
    assert parse(wrong.text).texts("div", role="alert") == parse(unknown.text).texts(
        "div", role="alert"
    )
    away = client.post(
        "/login",
        data={
            "name": "edna",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "https://evil.example/",
        },
    )
    assert away.headers["location"] == "/changes"  # never sent to another site
    assert "edna" in client.get("/changes").text
    client.post("/logout", data={"csrf_token": csrf_token(client, "/changes")})
    assert "Sign in" in client.get("/").text


def test_revert_and_releases_in_pages(site: str) -> None:
    ada, rita, reader = browser(site, "ada"), browser(site, "rita"), browser(site)
    before = reader.get(f"/crosswalks/{CROSSWALK}?format=csv").text
    link = _link_id(ada)
    answer = ada.post(
        "/edit/alignment",
        data={
            "csrf_token": csrf_token(ada, "/changes"),
            "action": "remove",
            "id": link,
            "base": "1",
            "change_set": "new",
            "title": "remove 1.2",
        },
    )
    change_set = int(answer.headers["location"].split("/")[2].split("#")[0])
    preview = ada.get(f"/crosswalks/{CROSSWALK}?preview={change_set}").text
    assert "removed in this preview" in preview
    ada.post(f"/changes/{change_set}/submit", data={"csrf_token": csrf_token(ada, "/changes")})
    rita.post(f"/changes/{change_set}/approve", data={"csrf_token": csrf_token(rita, "/changes")})
    assert reader.get(f"/crosswalks/{CROSSWALK}?format=csv").text != before
    made = ada.post(
        "/releases",
        data={
            "csrf_token": csrf_token(ada, "/releases"),
            "name": "after-removal",
            "title": "After",
            "scope-1": f"crosswalk:{CROSSWALK}",
        },
    )
    assert made.status_code == 303
    diff = reader.get(f"/releases/compare?from=as-printed&to=after-removal&crosswalk={CROSSWALK}")
    assert "0 links added, 1 removed, 0 changed" in " ".join(parse(diff.text).words.split())
    csv_file = reader.get(
        f"/releases/compare?from=as-printed&to=after-removal&crosswalk={CROSSWALK}&format=csv"
    )
    assert csv_file.text.startswith("crosswalk,change,alignment")
    old = reader.get(f"/crosswalks/{CROSSWALK}?format=csv&release=as-printed").text
    assert old == before
    undo = ada.post(
        f"/changes/{change_set}/revert", data={"csrf_token": csrf_token(ada, "/changes")}
    )
    undo_id = int(undo.headers["location"].split("/")[2])
    rita.post(f"/changes/{undo_id}/approve", data={"csrf_token": csrf_token(rita, "/changes")})
    assert reader.get(f"/crosswalks/{CROSSWALK}?format=csv").text == before


def test_a_new_edition_is_read_off_the_event_loop_and_within_its_limit(
    site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edition upload is received on the event loop (it is an upload); reading the
    workbook and planning the edition run in the thread pool.  A file past the body
    limit is refused before it is read."""
    from crosswalk.curation import editions

    calls: list[bool] = []
    original = editions.start_edition

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(on_event_loop())
        return original(*args, **kwargs)

    monkeypatch.setattr(editions, "start_edition", spy)
    with open_repository(site) as store:
        export_framework(store.load_catalog(), "wv-ckc-2015", "xlsx", tmp_path / "ckc.xlsx")
    ada = browser(site, "ada")
    fields = {
        "csrf_token": csrf_token(ada, "/editions/new"),
        "previous": "wv-ckc-2015",
        "new_id": "wv-ckc-next",
        "version": "next",
    }
    workbook = (tmp_path / "ckc.xlsx").read_bytes()
    files = {"file": ("ckc.xlsx", workbook, "application/octet-stream")}
    answer = ada.post("/editions", data=fields, files=files)
    assert answer.status_code == 200, answer.text[:300]
    assert calls == [False]
    too_large = {"file": ("ckc.xlsx", b"x" * (MAX_EDITION_BYTES + 1), "application/octet-stream")}
    refused = ada.post("/editions", data=fields, files=too_large)
    assert refused.status_code == 413 and calls == [False]
