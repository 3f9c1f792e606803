"""Fixtures for curation: a store seeded with the small sample dataset, and people.

Every test runs on SQLite and PostgreSQL (``database_url``).  Passwords are hashed
with argon2 for real; a handful of accounts per test keeps that quick enough.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests/fixtures.py

from crosswalk.store import Repository, open_repository
from fixtures import sample_dataset


@pytest.fixture
def store(database_url: str) -> Iterator[Repository]:
    with open_repository(database_url, seed=sample_dataset) as repository:
        yield repository
