"""The bundled dataset as shipped: the curated tables in ``crosswalk/data/bundled``,
and what the bundled sources say about themselves (documents, errata reasons)."""

from __future__ import annotations

from functools import cache

from crosswalk.formats.workbook import read_csv_folder
from crosswalk.model import Dataset
from crosswalk.sources.build import BUNDLED, DATA
from crosswalk.sources.documents import documents
from crosswalk.sources.errata import load_errata


def load_bundled() -> Dataset:
    """Read the committed tables (fast, no parsing): what a new database starts with."""
    return read_csv_folder(BUNDLED)


@cache
def errata_reasons() -> dict[str, str]:
    """Why the bundled data corrects its sources, by erratum id (the ids bundled items
    carry in ``Item.errata``); empty when the errata file cannot be read.

    Look up only ids an item carries: an id the bundled errata do not define (imported
    data, a typo) has no reason, rather than a borrowed one.
    """
    try:
        errata = load_errata(DATA / "errata.toml")
    except (OSError, ValueError):
        return {}
    reasons = {edit.id: edit.reason for edit in errata.edits}
    return reasons | {resolution.id: resolution.reason for resolution in errata.resolutions}


def source_documents() -> dict[str, str]:
    """The label of each bundled source document ("seed 000") and what it is."""
    return {label: document.title for label, document in documents().items()}
