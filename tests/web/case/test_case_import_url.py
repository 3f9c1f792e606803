"""``crosswalk import URL``: a peer reads our CFPackages from a real HTTP server.

Our own app runs under uvicorn on a free port (with its public address configured, so
its URIs resolve); the command imports each framework's package from it into an empty
database, and the result equals what the server holds.  Timeouts and the size limit
are exercised against a server that misbehaves.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner

from crosswalk.catalog import Catalog
from crosswalk.cli import app
from crosswalk.formats.case_fetch import fetch, import_url
from crosswalk.formats.errors import ExchangeError
from crosswalk.sources.bundled import load_bundled
from crosswalk.store import open_repository
from crosswalk.web.app import create_app

ROOT = "/ims/case/v1p1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def case_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = f"sqlite:///{tmp_path_factory.mktemp('peer') / 'server.sqlite3'}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(
        create_app(database, base_url=base), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _read(url: str) -> Catalog:
    with open_repository(url, seed=None) as repository:
        return Catalog(repository.load())


def test_import_url_reads_every_package(case_server: str, tmp_path: Path):
    target = f"sqlite:///{tmp_path / 'peer.sqlite3'}"
    open_repository(target, seed=None).close()
    documents = json.loads(fetch(f"{case_server}{ROOT}/CFDocuments"))["CFDocuments"]
    for document in documents:  # the document URL: followed to its package
        report = import_url(document["uri"], database_url=target, seed=False)
        assert report.written and report.changes
    catalog, bundled = _read(target), Catalog(load_bundled())
    assert set(catalog.frameworks) == set(bundled.frameworks)
    assert sorted(catalog.dataset.items, key=lambda i: i.key) == sorted(
        bundled.dataset.items, key=lambda i: i.key
    )
    assert sorted(catalog.dataset.alignments, key=lambda a: (a.crosswalk, a.position)) == sorted(
        bundled.dataset.alignments, key=lambda a: (a.crosswalk, a.position)
    )
    again = import_url(documents[0]["CFPackageURI"]["uri"], database_url=target)
    assert not again.changes
    url = documents[0]["CFPackageURI"]["uri"]
    result = CliRunner().invoke(app, ["--database", target, "import", url])
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split("\n"))
    assert f"Nothing to write: the database already holds {url} as case: no changes" in said


def test_errors_name_the_url(case_server: str, tmp_path: Path):
    target = f"sqlite:///{tmp_path / 'peer.sqlite3'}"
    missing = f"{case_server}{ROOT}/CFPackages/00000000-0000-4000-8000-000000000000"
    with pytest.raises(ExchangeError, match="answered 404"):
        import_url(missing, database_url=target)
    with pytest.raises(ExchangeError, match="only http"):
        import_url("file:///etc/passwd", database_url=target)
    result = CliRunner().invoke(app, ["--database", target, "import", missing])
    assert result.exit_code == 1 and missing in result.output


class _Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/trickled-headers":  # a header byte every 0.1 s, never done
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            for _ in range(300):
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.1)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if self.path == "/big":
            self.send_header("Content-Length", str(10**9))
        self.end_headers()
        if self.path == "/trickled":  # a byte every 0.1 s: each read is "in time"
            self.wfile.flush()
            for _ in range(300):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/endless":
            for _ in range(200):
                self.wfile.write(b" " * 1024)
                time.sleep(0.02)
        else:
            time.sleep(3)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def bad_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_size_limit_and_timeout(bad_server: str):
    with pytest.raises(ExchangeError, match="over the import limit"):
        fetch(f"{bad_server}/big", limit=1000)
    with pytest.raises(ExchangeError, match="over the import limit"):
        fetch(f"{bad_server}/endless", limit=50_000)
    with pytest.raises(ExchangeError, match=r"cannot read it|within"):
        fetch(f"{bad_server}/slow", timeout=0.5)


@pytest.mark.parametrize("path", ["/trickled", "/trickled-headers"])
def test_a_server_that_trickles_is_cut_at_the_deadline(bad_server: str, path: str) -> None:
    """A byte every 0.1 s never trips a socket's read timeout: the deadline is for the
    whole transfer, headers included."""
    began = time.perf_counter()
    with pytest.raises(ExchangeError, match="no complete answer within 1 s"):
        fetch(bad_server + path, timeout=1.0)
    assert time.perf_counter() - began < 3
