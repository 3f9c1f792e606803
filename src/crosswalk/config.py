"""Settings read from the environment, so one code base serves a laptop and a cluster.

A single URL decides where the data lives.  With nothing set, a SQLite file in the
user's data directory gives a zero set-up first run; a deployment points
``CROSSWALK_DATABASE_URL`` at PostgreSQL and keeps its app processes stateless, and
sets ``CROSSWALK_BASE_URL`` to the public address the web app is reached at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "crosswalk"
DATABASE_FILE = "crosswalk.sqlite3"

# Operators copy URLs from hosting dashboards and libpq docs, which never name a driver;
# SQLAlchemy would then pick psycopg2, which we do not ship.
_POSTGRES_PREFIXES = ("postgresql://", "postgres://")
_PSYCOPG_PREFIX = "postgresql+psycopg://"


def default_database_url() -> str:
    """A SQLite file in the per-user data directory, created on demand."""
    directory = Path(platformdirs.user_data_dir(APP_NAME))
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / DATABASE_FILE}"


def normalise_database_url(url: str) -> str:
    """Map a driver-less PostgreSQL URL to psycopg 3; leave every other URL alone."""
    url = url.strip()
    for prefix in _POSTGRES_PREFIXES:
        if url.startswith(prefix):
            return _PSYCOPG_PREFIX + url[len(prefix) :]
    return url


class Settings(BaseSettings):
    """Configuration from ``CROSSWALK_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="CROSSWALK_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    # The public address of the web app ("https://crosswalk.example.org"), used for the
    # absolute URIs it hands out (CASE).  Unset: each request's own address is used.
    base_url: str | None = None

    @field_validator("database_url")
    @classmethod
    def _use_psycopg(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("base_url")
    @classmethod
    def _absolute_base(cls, value: str | None) -> str | None:
        return normalise_base_url(value)


def normalise_base_url(value: str | None) -> str | None:
    """An absolute http(s) URL without a trailing slash, query or fragment; blank = None."""
    if value is None or not value.strip():
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base URL {value!r} must be absolute: http(s)://host[/path]")
    if parts.query or parts.fragment:
        raise ValueError(f"base URL {value!r} must not have a query or a fragment")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def get_settings() -> Settings:
    """Fresh settings on every call, so a changed environment (tests, CLI flags) is seen."""
    return Settings()
