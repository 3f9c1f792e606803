"""A read-only database with curation (issue 12 on issue 8's read-only storage).

Reading must not write: the app catches up with another process's writes through a
read-only connection, anonymous readers cost no write at all, and a bearer token's
"last used" bookkeeping is skipped rather than failing the read.  Signing in needs a
write (the failure counter, the session), so on a read-only database it is refused
with a page that says so.  Each test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import re

from fastapi.testclient import TestClient
from test_read_only import _read_only_url

from crosswalk.curation import people
from crosswalk.model import Dataset
from crosswalk.store import open_repository
from crosswalk.web.app import create_app

PASSWORD = "a long enough password"


def test_a_read_only_app_reads_and_catches_up_without_writing(database_url: str) -> None:
    with open_repository(database_url) as store:
        people.add_user(store, "ada", PASSWORD, "admin")
        token = people.create_token(store, "ada")[1]
        events = store.count_events_since(0)
    with TestClient(create_app(_read_only_url(database_url))) as reader:
        reader.app.state.catalog_store.check_interval = 0  # type: ignore[attr-defined]
        assert reader.get("/frameworks/imh").status_code == 200
        assert reader.get("/changes").status_code == 200  # the approved ones, for anyone
        answer = reader.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200 and answer.json()["name"] == "ada"
        with open_repository(database_url, seed=None) as writer:  # another process writes
            imh = writer.load_catalog().framework("imh")
            writer.save(Dataset([dataclasses.replace(imh, title="IMH, retitled")]))
        page = reader.get("/frameworks/imh").text
        assert "IMH, retitled" in page
        history = reader.get("/api/history", params={"framework": "imh", "limit": 1}).json()
        assert history[0]["after"]["title"] == "IMH, retitled"
    with open_repository(database_url, seed=None) as store:
        assert store.count_events_since(0) == events + 1  # the other process's only


def test_signing_in_to_a_read_only_database_says_why_it_cannot(database_url: str) -> None:
    with open_repository(database_url) as store:
        people.add_user(store, "ada", PASSWORD, "admin")
    with TestClient(create_app(_read_only_url(database_url))) as reader:
        form = reader.get("/login").text
        found = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert found is not None
        answer = reader.post(
            "/login", data={"name": "ada", "password": PASSWORD, "csrf_token": found[1]}
        )
        assert answer.status_code == 503
        said = " ".join(answer.text.split())
        assert "the database is read-only" in said and "use a writable copy" in said
        assert "crosswalk_session" not in answer.headers.get("set-cookie", "")
