"""The bundled dataset as shipped: the curated tables in ``crosswalk/data/bundled``."""

from __future__ import annotations

from crosswalk.formats.workbook import read_csv_folder
from crosswalk.model import Dataset
from crosswalk.sources.build import BUNDLED


def load_bundled() -> Dataset:
    """Read the committed tables (fast, no parsing): what a new database starts with."""
    return read_csv_folder(BUNDLED)
