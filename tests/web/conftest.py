"""Web tests drive the real app over HTTP on a real SQLite database.

``client`` serves the bundled dataset: the app seeds the temporary database on its
first request, exactly as it does for a new user.  ``hostile_client`` serves the same
data with free text replaced by markup and formulas, to prove everything is escaped.
``live_server`` runs uvicorn on a free loopback port for the browser tests.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from webpage import FORMULA, HOSTILE

from crosswalk.model import Dataset
from crosswalk.sources.bundled import load_bundled
from crosswalk.store import open_repository
from crosswalk.web.app import create_app


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, on a database of its own."""
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite3'}"
    port = _free_port()
    config = uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
