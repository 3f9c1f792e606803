"""Run the CLI in-process twice: on the fixture catalog and on the real bundled data.

Commands get their catalog through one seam, ``crosswalk.cli.session.open_catalog``.
The ``fixture`` run replaces it with the hand-made catalog (fast, independent of the
store); the ``bundled`` run leaves it alone, so the same tests drive the real store,
seeded with the bundled dataset into a temporary SQLite file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests/fixtures.py

from crosswalk.catalog import Catalog
from crosswalk.cli import app, session
from fixtures import Invoke, sample_catalog


@pytest.fixture(params=["fixture", "bundled"])
def opened(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The database URLs the commands asked for, in order (not recorded on real data)."""
    urls: list[str | None] = []
    if request.param == "fixture":
        fixture = sample_catalog()

        def open_fixture(url: str | None) -> Catalog:
            urls.append(url)
            return fixture

        monkeypatch.setattr(session, "open_catalog", open_fixture)
    return urls


@pytest.fixture
def cli(opened: list[str | None]) -> Invoke:
    """``cli("map", "--from", …)`` → the click Result (stdout and stderr kept apart)."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke
