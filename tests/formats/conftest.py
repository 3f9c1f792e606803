"""Shared pieces for the exchange tests: the interop fixtures and stores to import into.

The third-party files in ``../shared/interop`` are read in place (never copied into
the project); tests that need them skip when that folder is absent.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from exchange_helpers import interop

from crosswalk.catalog import Catalog
from crosswalk.sources.bundled import load_bundled
from crosswalk.store import open_repository


@pytest.fixture(scope="session")
def bundled() -> Catalog:
    return Catalog(load_bundled())


@pytest.fixture
def case_validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(interop("case-v1p1-cfpackage.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft201909Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture
def empty_url(database_url: str) -> str:
    """A migrated database holding nothing (no bundled seed)."""
    with open_repository(database_url, seed=None):
        pass
    return database_url


@pytest.fixture
def seeded_url(database_url: str) -> str:
    """A database holding the bundled dataset."""
    with open_repository(database_url):
        pass
    return database_url
