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
from html.parser import HTMLParser
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from crosswalk.model import Dataset
from crosswalk.sources.bundled import load_bundled
from crosswalk.store import open_repository
from crosswalk.web.app import create_app

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","click")'


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


class Page(HTMLParser):
    """A parsed page: elements with their attributes and text, for structural checks."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, []))
        if tag not in {"meta", "link", "input", "br", "img", "hr"}:
            self._open.append(len(self.elements) - 1)

    def handle_endtag(self, tag: str) -> None:
        for position in range(len(self._open) - 1, -1, -1):
            if self.elements[self._open[position]][0] == tag:
                del self._open[position:]
                break

    def handle_data(self, data: str) -> None:
        for index in self._open:
            self.elements[index][2].append(data)

    def find(self, tag: str, **attrs: str) -> list[tuple[dict[str, str], str]]:
        """(attributes, text) of every ``tag`` whose attributes include ``attrs``."""
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [
            (a, " ".join("".join(text).split()))
            for t, a, text in self.elements
            if t == tag and all(a.get(k) == v for k, v in wanted.items())
        ]

    def texts(self, tag: str, **attrs: str) -> list[str]:
        return [text for _, text in self.find(tag, **attrs)]

    def hrefs(self) -> list[str]:
        return [a["href"] for a, _ in self.find("a") if "href" in a]


def parse(html: str) -> Page:
    return Page(html)


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
