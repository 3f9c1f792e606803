"""``crosswalk serve`` starts uvicorn on the app factory with the chosen database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from crosswalk.cli import app


def test_serve_passes_host_port_and_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    calls: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.append((target, kw)))
    result = CliRunner().invoke(
        app, ["serve", "--host", "0.0.0.0", "--port", "8123", "--database", url]
    )
    assert result.exit_code == 0, result.output
    target, options = calls[0]
    assert target == "crosswalk.web.app:create_app" and options["factory"] is True
    assert options["host"] == "0.0.0.0" and options["port"] == 8123
    import os

    assert os.environ["CROSSWALK_DATABASE_URL"] == url
    assert "http://0.0.0.0:8123" in result.output


def test_serve_rejects_a_bad_port() -> None:
    result = CliRunner().invoke(app, ["serve", "--port", "99999"])
    assert result.exit_code != 0
