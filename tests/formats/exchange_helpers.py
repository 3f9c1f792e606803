"""Helpers for the exchange tests (importable; fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswalk.model import Dataset
from crosswalk.store import open_repository

INTEROP = Path(__file__).resolve().parents[3] / "shared" / "interop"


def interop(name: str) -> Path:
    """A third-party fixture read in place; skip when ../shared/interop is absent."""
    path = INTEROP / name
    if not path.exists():
        pytest.skip(f"interop fixture {name} not available (../shared/interop absent)")
    return path


def stored(url: str) -> tuple[Dataset, int]:
    """What the database holds, and its revision (to prove nothing was written)."""
    with open_repository(url, seed=None) as repository:
        return repository.load(), repository.revision()
