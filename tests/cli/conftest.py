"""Run the CLI in-process on the fixture catalog (or, on request, on the real data).

Commands get their catalog through one seam, ``crosswalk.cli.session.open_catalog``;
these tests replace it with the hand-made fixture so they are fast and independent of
the store.  Set ``CROSSWALK_CLI_REAL_DATA=1`` to leave the seam alone and run the same
tests against the bundled dataset through the real store.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests/fixtures.py

from crosswalk.catalog import Catalog
from crosswalk.cli import app, session
from fixtures import sample_catalog

REAL_DATA = os.environ.get("CROSSWALK_CLI_REAL_DATA") == "1"

Invoke = Callable[..., Result]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The database URLs the commands asked for, in order."""
    urls: list[str | None] = []
    if not REAL_DATA:
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
