"""The hint follows the cause: the file, a lost race, or the storage (issue 8).

Before: every refused import ended "(try: fix the file, or crosswalk import --check
FILE)", also when another import had come first or another program held the lock.
Bad data still gets that hint; a lost race says to run it again; a lock says what
holds it.  (Full disk and read-only storage: test_full_disk.py, test_read_only.py.)
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from typer.testing import CliRunner

from crosswalk.catalog import Catalog
from crosswalk.cli import app
from crosswalk.formats import exchange
from crosswalk.formats.exchange import export_all
from crosswalk.model import Dataset
from crosswalk.sources.bundled import load_bundled
from crosswalk.store import Cause, open_repository


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return Catalog(load_bundled())


@pytest.fixture
def seeded(database_url: str) -> str:
    with open_repository(database_url):
        pass
    return database_url


@pytest.fixture
def retitled(bundled: Catalog, tmp_path: Path) -> Path:
    """frameworks.csv with one title changed: an import that has something to write."""
    folder = tmp_path / "export"
    export_all(bundled, "csv", folder)
    frameworks = folder / "frameworks.csv"
    frameworks.write_text(frameworks.read_text().replace("Infant Mental Health", "IMH"))
    return frameworks


def _import(url: str, path: Path) -> str:
    result = CliRunner().invoke(app, ["--database", url, "import", str(path)])
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert said.startswith("Error: ") and "Traceback" not in said
    return said


def test_bad_data_is_the_file_to_fix(seeded: str, retitled: Path) -> None:
    retitled.write_text(retitled.read_text() + "imh,duplicate of imh,,,,,\n")
    said = _import(seeded, retitled)
    assert "(try: fix the file, or crosswalk import --check FILE)" in said


def test_a_lost_race_is_to_run_again(
    seeded: str, retitled: Path, bundled: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone changes the framework the file changes after the import read it (a
    change to another object meanwhile is no race: the import keeps it)."""
    read_dataset = exchange.read_dataset
    imh = next(f for f in bundled.dataset.frameworks if f.id == "imh")

    def read_while_someone_writes(*args: Any) -> Any:
        with open_repository(seeded, seed=None) as other:
            other.save(Dataset([dataclasses.replace(imh, title="another writer's title")]))
        return read_dataset(*args)

    monkeypatch.setattr(exchange, "read_dataset", read_while_someone_writes)
    said = _import(seeded, retitled)
    assert "framework imh was edited at revision 1 but is at revision 2 now" in said
    assert "nothing was changed" in said and said.endswith("(try: run it again)")


@contextmanager
def _locked(url: str) -> Iterator[str]:
    """Another program holds the write lock; yields a URL that gives up waiting soon."""
    address = make_url(url)
    if address.get_backend_name() == "sqlite":
        holder = sqlite3.connect(str(address.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield address.update_query_dict({"timeout": "0.2"}).render_as_string(False)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = sqlalchemy.create_engine(address)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("SELECT revision FROM store_meta FOR UPDATE")
            options = f"{address.query.get('options', '')} -clock_timeout=200".strip()
            yield address.update_query_dict({"options": options}).render_as_string(False)
    finally:
        engine.dispose()


def test_a_lock_held_by_another_program_is_to_wait_for(seeded: str, retitled: Path) -> None:
    with _locked(seeded) as impatient:
        said = _import(impatient, retitled)
    assert "nothing was changed: the database is locked by another program" in said
    assert said.endswith("(try: another program is using the database; run it again when done)")
    with open_repository(seeded, seed=None) as repository:
        imh = next(f for f in repository.load().frameworks if f.id == "imh")
    assert "IMH" not in imh.title


@pytest.mark.parametrize(
    ("error", "cause"),
    [
        (psycopg.errors.DiskFull("could not extend file"), Cause.FULL),
        (psycopg.errors.ReadOnlySqlTransaction("read-only transaction"), Cause.READ_ONLY),
        (psycopg.errors.SerializationFailure("could not serialize"), Cause.CONFLICT),
        (psycopg.errors.LockNotAvailable("lock timeout"), Cause.LOCKED),
        (psycopg.errors.QueryCanceled("statement timeout"), Cause.LOCKED),
        (psycopg.errors.AdminShutdown("terminating connection"), Cause.UNREACHABLE),
        (psycopg.OperationalError("connection refused"), Cause.UNREACHABLE),
        (psycopg.errors.UniqueViolation("duplicate key"), Cause.DATA),
        (psycopg.errors.InsufficientResources("out of memory"), Cause.STORAGE),
    ],
)
def test_postgresql_causes_are_read_from_the_sqlstate(error: Exception, cause: Cause) -> None:
    """The causes a test server cannot easily be driven into, from psycopg's own errors."""
    from crosswalk.store.errors import cause_of

    assert cause_of(OperationalError("INSERT …", {}, error)) is cause


def test_sqlite_causes_are_read_from_the_result_name(tmp_path: Path) -> None:
    from crosswalk.store.errors import cause_of

    connection = sqlite3.connect(tmp_path / "x.sqlite3")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    connection.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.IntegrityError) as duplicate:
        connection.execute("INSERT INTO t VALUES (1)")
    assert cause_of(DBAPIError("INSERT …", {}, duplicate.value)) is Cause.DATA
