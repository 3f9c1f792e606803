"""Where the database is, from the environment or the user data directory."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from crosswalk import config


def test_database_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSWALK_DATABASE_URL", "sqlite:////srv/crosswalk.sqlite3")
    assert config.get_settings().database_url == "sqlite:////srv/crosswalk.sqlite3"


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_plain_postgres_url_uses_psycopg(monkeypatch: pytest.MonkeyPatch, scheme: str) -> None:
    monkeypatch.setenv("CROSSWALK_DATABASE_URL", f"{scheme}://u:p@db:5432/crosswalk")
    assert config.get_settings().database_url == "postgresql+psycopg://u:p@db:5432/crosswalk"


def test_explicit_driver_is_kept() -> None:
    url = "postgresql+psycopg://u@db/x"
    assert config.normalise_database_url(url) == url


def test_default_is_sqlite_in_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CROSSWALK_DATABASE_URL")
    data_dir = tmp_path / "data" / "crosswalk"
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app: str(data_dir))
    url = config.get_settings().database_url
    assert url == f"sqlite:///{data_dir / 'crosswalk.sqlite3'}"
    assert data_dir.is_dir()
