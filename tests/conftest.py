"""Fixtures shared by the whole suite: where the database lives during a test.

Storage code must behave the same on SQLite and PostgreSQL, so ``database_url`` runs a
test once per engine.  PostgreSQL is used when reachable (each test in a schema of its
own, dropped afterwards, so parallel and earlier runs never collide); CI sets
``CROSSWALK_REQUIRE_POSTGRES=1`` so that an unreachable server fails the run instead of
silently skipping half of it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from chromium import launched
from crosswalk.config import normalise_database_url

DEFAULT_TEST_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(autouse=True)
def _isolated_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never let a test read or write the user's real database."""
    monkeypatch.setenv("CROSSWALK_DATABASE_URL", f"sqlite:///{tmp_path / 'default.sqlite3'}")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The URL of a reachable PostgreSQL server, or skip (fail when it is required)."""
    url = normalise_database_url(
        os.environ.get("CROSSWALK_TEST_POSTGRES_URL", DEFAULT_TEST_POSTGRES_URL)
    )
    engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        reason = f"PostgreSQL unreachable at {url}: {str(error.orig).strip()}"
        if os.environ.get("CROSSWALK_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason} (CROSSWALK_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(reason)
    finally:
        engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each engine, as a URL any code under test can open."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crosswalk.sqlite3'}"
        return
    base: str = request.getfixturevalue("postgres_url")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = sqlalchemy.create_engine(base)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            # A connection leaked by a test must not hang the whole run.
            connection.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module (:mod:`chromium`): launching takes a second."""
    with launched() as chromium:
        yield chromium
