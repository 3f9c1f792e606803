"""A database on read-only storage is read, queried and served (issue 8, operations).

Before: ``crosswalk frameworks`` and ``crosswalk serve`` failed on a SQLite file that
could not be written ("attempt to write a readonly database"), because opening always
switched the file to WAL mode; an out-of-date schema on read-only storage failed with
the driver's words instead of saying what to do.  Now nothing is written that need not
be: no migration when the schema is current, no WAL switch, no seed on a filled store.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url
from storage_helpers import CLI, free_port, read_only
from test_repository import small_dataset
from typer.testing import CliRunner

from crosswalk.cli import app
from crosswalk.store import Cause, StoreError, head_revision, open_catalog, open_repository
from crosswalk.store.engine import create_engine, current_revision, upgrade

FRAMEWORKS = ["iecmhc", "imh", "wv-ckc-2015"]


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture(scope="module")
def bundled_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding the bundled data, closed (no -wal or -shm beside it)."""
    path = tmp_path_factory.mktemp("bundled") / "crosswalk.sqlite3"
    with open_repository(f"sqlite:///{path}"):
        pass
    assert sorted(p.name for p in path.parent.iterdir()) == ["crosswalk.sqlite3"]
    return path


@pytest.fixture(params=["wal", "delete"])
def read_only_file(
    bundled_file: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Path]:
    """A copy of the bundled database on storage this process cannot write: in WAL
    mode, as we write it, and in rollback-journal mode, as other tools may leave it."""
    folder = tmp_path / "shared"
    folder.mkdir()
    copy = folder / bundled_file.name
    shutil.copy(bundled_file, copy)
    if request.param != "wal":
        with sqlite3.connect(copy) as connection:
            connection.execute(f"PRAGMA journal_mode={request.param}")
        connection.close()
    with read_only(folder) as view:
        yield view / bundled_file.name


def test_a_database_on_read_only_storage_is_read_and_queried(read_only_file: Path) -> None:
    url = f"sqlite:///{read_only_file}"
    before = _digest(read_only_file.parent)
    assert sorted(open_catalog(url).frameworks) == FRAMEWORKS
    runner = CliRunner()
    for command in (["frameworks"], ["map", "--from", "iecmhc", "--to", "imh", "6B.2"]):
        result = runner.invoke(app, ["--database", url, *command])
        assert result.exit_code == 0, result.output
    assert _digest(read_only_file.parent) == before


def test_writing_to_read_only_storage_says_what_to_do(read_only_file: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{read_only_file}"
    folder = tmp_path / "export"
    result = CliRunner().invoke(
        app, ["--database", url, "export", "all", "-f", "csv", "-o", str(folder)]
    )
    assert result.exit_code == 0, result.output
    frameworks = folder / "frameworks.csv"
    frameworks.write_text(frameworks.read_text().replace("Infant Mental Health", "IMH"))
    result = CliRunner().invoke(app, ["--database", url, "import", str(frameworks)])
    said = " ".join(result.output.split())
    assert result.exit_code == 1
    assert "the database is read-only" in said and "use a writable copy" in said
    assert "fix the file" not in said and "Traceback" not in said


def test_crosswalk_serve_serves_a_read_only_database(read_only_file: Path) -> None:
    """The real command, as a server process, answering over HTTP."""
    port = free_port()
    url = f"sqlite:///{read_only_file}"
    server = subprocess.Popen(
        [*CLI, "--database", url, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        answer = None
        deadline = time.monotonic() + 60
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/frameworks", timeout=5)
            except httpx.TransportError:
                time.sleep(0.2)
        assert answer is not None, server.stdout.read() if server.poll() is not None else "slow"
        assert answer.status_code == 200
        assert sorted(f["id"] for f in answer.json()["items"]) == FRAMEWORKS
        page = httpx.get(f"http://127.0.0.1:{port}/frameworks/imh", timeout=10)
        assert page.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_user_who_cannot_write_reads_a_0444_file(bundled_file: Path) -> None:
    """What a non-root user meets: a 0444 file in a folder owned by someone else.

    Run as ``nobody`` in a forked child of this process (the interpreter may live
    where ``nobody`` cannot read, so nothing new may be imported after the fork: the
    same read runs once before it, as root, on a writable copy).
    """
    folder = Path(tempfile.mkdtemp(prefix="crosswalk-shared-", dir="/tmp"))
    try:
        folder.chmod(0o755)
        shutil.copy(bundled_file, folder / "crosswalk.sqlite3")
        (folder / "crosswalk.sqlite3").chmod(0o444)
        warm = folder.with_name(folder.name + "-warm.sqlite3")
        shutil.copy(bundled_file, warm)
        assert sorted(open_catalog(f"sqlite:///{warm}").frameworks) == FRAMEWORKS
        reader, writer = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            os.close(reader)
            try:
                os.setgid(65534)
                os.setuid(65534)
                catalog = open_catalog(f"sqlite:///{folder / 'crosswalk.sqlite3'}")
                os.write(writer, " ".join(sorted(catalog.frameworks)).encode())
            except BaseException as error:  # everything goes back to the parent
                os.write(writer, f"{type(error).__name__}: {error}".encode())
            finally:
                os._exit(0)
        os.close(writer)
        with os.fdopen(reader, "rb") as stream:
            said = stream.read().decode()
        os.waitpid(child, 0)
        assert said == " ".join(FRAMEWORKS)
        assert sorted(p.name for p in folder.iterdir()) == ["crosswalk.sqlite3"]
    finally:
        shutil.rmtree(folder)
        Path(f"{folder}-warm.sqlite3").unlink(missing_ok=True)


# -- read-only URLs, on both engines -----------------------------------------------


def _read_only_url(url: str, sqlite_option: str = "mode=ro") -> str:
    """``url`` opened read-only: a SQLite URI option, or a read-only PostgreSQL session."""
    address = make_url(url)
    if address.get_backend_name() == "sqlite":
        return f"sqlite:///file:{address.database}?{sqlite_option}&uri=true"
    options = address.query.get("options", "")
    assert isinstance(options, str)
    read_only_session = f"{options} -cdefault_transaction_read_only=on".strip()
    return address.update_query_dict({"options": read_only_session}).render_as_string(
        hide_password=False
    )


@pytest.mark.parametrize("sqlite_option", ["mode=ro", "immutable=1", "mode=ro&immutable=1"])
def test_a_read_only_url_is_read_without_writing(database_url: str, sqlite_option: str) -> None:
    with open_repository(database_url, seed=small_dataset) as repository:
        revision = repository.revision()
    catalog = open_catalog(_read_only_url(database_url, sqlite_option))
    assert catalog.dataset == small_dataset()
    with open_repository(database_url, seed=None) as repository:
        assert repository.revision() == revision


def test_an_out_of_date_read_only_database_says_what_to_do(database_url: str) -> None:
    upgrade(database_url, "0001")
    with pytest.raises(StoreError) as refused:
        open_repository(_read_only_url(database_url), seed=None)
    message, hint = str(refused.value), refused.value.hint
    assert refused.value.cause is Cause.READ_ONLY
    assert f"the database has schema 0001, this version needs {head_revision()}" in message
    assert "the database is read-only" in message
    assert "crosswalk db upgrade" in hint and "the crosswalk version that wrote it" in hint
    engine = create_engine(database_url)
    try:
        assert current_revision(engine) == "0001"
    finally:
        engine.dispose()


def test_the_cli_says_so_in_one_line(database_url: str) -> None:
    upgrade(database_url, "0001")
    result = CliRunner().invoke(app, ["--database", _read_only_url(database_url), "frameworks"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    said = " ".join(result.output.split())
    assert said.startswith("Error: ") and "Traceback" not in said, result.output
    assert "schema 0001" in said and "(try: upgrade it where it can be written" in said
    assert len(lines) == 1


def test_an_empty_read_only_database_is_not_seeded(database_url: str) -> None:
    upgrade(database_url)
    with pytest.raises(
        StoreError, match="cannot fill the empty database: the database is read-only"
    ):
        open_repository(_read_only_url(database_url))
