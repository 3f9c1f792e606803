"""Hostile input on the web: uploads get a 400 with the reason, downloads no formulas.

Before, a workbook with a DTD gave a 500, and a 390 KB one holding a 400 MB string took
the server to 24 GB.  The files are ``bench/hostile_files.py``'s (smaller here, still
past the transcript limits).  And every ``?format=csv`` download echoed formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webpage import FORMULA, Page, csrf_token

from crosswalk.formats.cells import looks_like_formula
from hostile import files

CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "string bomb": (
        lambda f: files.shared_string_bomb(f, megabytes=20),
        "(limit: 16 MB for one part of a workbook)",
    ),
    "wide sheet": (
        lambda f: files.wide_sheet(f, rows=20, columns=300),
        "(limit: 256 columns)",
    ),
    "sparse sheet": (files.sparse_sheet, "(limit: 100,000 rows)"),
    "billion laughs": (files.billion_laughs, "declares an XML document type"),
    "external entity": (files.external_entity, "declares an XML document type"),
    "random bytes": (lambda f: files.garbage(f, "t.xlsx"), "not an XLSX workbook"),
}


@pytest.mark.parametrize("case_name", list(CASES))
def test_hostile_uploads_get_a_400_naming_the_limit(
    case_name: str, client: TestClient, tmp_path: Path
) -> None:
    make, words = CASES[case_name]
    path = make(tmp_path)
    response = client.post(
        "/readiness",
        files={"transcript": (path.name, path.read_bytes(), "application/octet-stream")},
        data={"category": "IFS", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 400
    shown = Page(response.text).words
    assert path.name in shown and words in shown, shown


ITEM = "/frameworks/imh/items/direct-service-skills/observation-listening"
DOWNLOADS = [
    "/frameworks/imh",
    ITEM,
    "/search?q=observation",
    "/crosswalks/iecmhc-imh?source=6C.2",
    "/crosswalks/iecmhc-imh",
    "/crosswalks/iecmhc-imh/links?sort=-target",
    "/lint",
]


@pytest.mark.parametrize("url", DOWNLOADS)
def test_csv_downloads_keep_formulas_as_text(hostile_client: TestClient, url: str) -> None:
    """The hostile data puts a HYPERLINK formula in a statement (conftest)."""
    sep = "&" if "?" in url else "?"
    response = hostile_client.get(f"{url}{sep}format=csv")
    assert response.status_code == 200
    cells = [c for r in csv.reader(io.StringIO(response.text.lstrip("\ufeff"))) for c in r]
    assert [c for c in cells if looks_like_formula(c)] == []
    if url == "/frameworks/imh":  # its statement column
        assert any(c.startswith("'" + FORMULA) for c in cells)
