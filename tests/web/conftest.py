"""Web tests drive the real app over HTTP on a real SQLite database.

``client`` serves the bundled dataset: the app seeds the temporary database on its
first request, exactly as it does for a new user.  ``hostile_client`` serves the same
data with free text replaced by markup and formulas, to prove everything is escaped.
``live_server`` runs uvicorn on a free loopback port for the browser tests.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webpage import FORMULA, HOSTILE

from crosswalk.model import Dataset
from crosswalk.sources.bundled import load_bundled
from crosswalk.store import open_repository
from crosswalk.web.app import create_app
from live import serving


@pytest.fixture
def database_file(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'web.sqlite3'}"


@pytest.fixture
def client(database_file: str) -> Iterator[TestClient]:
    with TestClient(create_app(database_file)) as test_client:
        yield test_client


def hostile_dataset() -> Dataset:
    """The bundled data with markup in names, statements, evidence and notes."""
    data = load_bundled()
    items = [
        dataclasses.replace(i, name=f"{i.name} {HOSTILE}", statement=f"{FORMULA} {HOSTILE}")
        if i.code == "direct-service-skills/observation-listening"
        else i
        for i in data.items
    ]
    alignments = [
        dataclasses.replace(a, evidence=f"{HOSTILE} evidence", note=f"{HOSTILE} note")
        if a.source_code == "6C.2"
        else a
        for a in data.alignments
    ]
    return Dataset(data.frameworks, items, data.crosswalks, alignments)


@pytest.fixture
def hostile_client(database_file: str) -> Iterator[TestClient]:
    open_repository(database_file, seed=hostile_dataset).close()
    with TestClient(create_app(database_file)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, on a database of its own."""
    with serving(
        create_app(f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite3'}")
    ) as url:
        yield url
