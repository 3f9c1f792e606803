"""The rows and the CSV the CLI and the web downloads share (query.rows, formats.tabular)."""

from __future__ import annotations

import asyncio
import csv
import io
from functools import partial
from typing import Any

import pytest

from crosswalk.catalog import Catalog, NotFound
from crosswalk.cli import output, records
from crosswalk.formats.tabular import cell_text, write_csv
from crosswalk.lint import lint
from crosswalk.model import Item
from crosswalk.query import (
    LINT_COLUMNS,
    MAP_COLUMNS,
    crosswalk_counts,
    lint_rows,
    map_codes,
    map_rows,
    path_text,
)
from crosswalk.readiness import report as readiness_report
from crosswalk.readiness.resolve import Route
from crosswalk.readiness.results import Evidence
from crosswalk.web import downloads
from fixtures import sample_catalog

ADVOCATES = "6.6 Advocates for children, families, and the early childhood profession"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return sample_catalog()


# -- cells and CSV ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("", ""),
        ("=SUM(A1)", "=SUM(A1)"),
        (3, "3"),
        (0.5, "0.5"),
        (False, "False"),
        (["a", "b"], "a; b"),
        (("a", None, 2), "a; ; 2"),
        (["a", ["b", "c"]], "a; b; c"),
        ([], ""),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_csv_header_even_without_rows() -> None:
    stream = io.StringIO()
    write_csv([], ("a", "b"), stream)
    assert stream.getvalue() == "a,b\n"


def test_csv_columns_in_order_missing_values_empty_lists_joined() -> None:
    stream = io.StringIO()
    rows = [{"b": ["x", "y"], "a": 'say "hi", twice', "ignored": 1}, {"a": None}]
    write_csv(rows, ("a", "b"), stream, line_end="\r\n")
    assert stream.getvalue() == 'a,b\r\n"say ""hi"", twice",x; y\r\n,\r\n'
    assert list(csv.reader(io.StringIO(stream.getvalue()))) == [
        ["a", "b"],
        ['say "hi", twice', "x; y"],
        ["", ""],
    ]


async def _streamed(response: Any) -> bytes:
    return b"".join([chunk async for chunk in response.body_iterator])


def test_the_cli_and_the_web_write_csv_with_the_library() -> None:
    assert output.write_csv is write_csv and output.cell_text is cell_text
    rows = [{"check": "c", "codes": ["1.1", "1.2"], "provenance": None}]
    response = downloads.download(rows * 2_500, ("check", "codes", "provenance"), "csv", "x")
    cli = io.StringIO()
    output.write_csv(rows * 2_500, ("check", "codes", "provenance"), cli)
    # The same cells; the download adds a BOM and CRLF for spreadsheets, and streams
    # the rows in batches (the header once).
    body = asyncio.run(_streamed(response))
    assert body.decode("utf-8-sig") == cli.getvalue().replace("\n", "\r\n")


def test_web_xlsx_cells_are_text_numbers_stay_numbers() -> None:
    from openpyxl import load_workbook

    rows = [{"rank": 1, "text": '=HYPERLINK("http://evil.example","click")', "tags": ["a", "b"]}]
    response = downloads.download(rows, ("rank", "text", "tags"), "xlsx", "x")
    sheet = load_workbook(io.BytesIO(response.body)).active
    assert sheet is not None
    rank, text, tags = sheet[2]
    assert rank.value == 1 and rank.data_type == "n"
    assert text.value == rows[0]["text"] and text.data_type == "s"
    assert tags.value == "a; b"


# -- paths -----------------------------------------------------------------------------


def test_path_text_of_hops_forward_and_backward(catalog: Catalog) -> None:
    forward = map_codes(catalog, "iecmhc", "wv-ckc-2015", ["6B.2"])[0]
    assert path_text(forward.path).startswith("6B.2 → Observation & listening → 1.2 Applies")
    backward = map_codes(catalog, "wv-ckc-2015", "imh", ["6.6"])
    assert [path_text(m.path) for m in backward] == [
        f"{ADVOCATES} ← Advocacy",
        f"{ADVOCATES} ← Self-awareness",
        f"{ADVOCATES} ← Advocacy",
    ]


def test_path_text_names_items_as_asked(catalog: Catalog) -> None:
    # The CLI's rule: the printed code, else the name, with the code for a repeated name.
    name = partial(records.short, repeated=records.repeated_names(catalog))
    backward = map_codes(catalog, "wv-ckc-2015", "imh", ["6.6"])
    assert [path_text(m.path, name) for m in backward] == [
        "6.6 ← Advocacy (direct-service-skills/advocacy)",
        "6.6 ← Self-awareness",
        "6.6 ← Advocacy (leading-people/advocacy)",
    ]


def test_path_text_of_items() -> None:
    a, b, c = (Item("f", code, f"Name {code}") for code in ("1", "2", "3"))
    assert path_text([]) == ""
    assert path_text([a]) == "1 Name 1"
    assert path_text([a, b, c], lambda i: i.code) == "1 → 2 → 3"


def test_readiness_paths_use_the_library_rule(catalog: Catalog) -> None:
    ckc = catalog.item("wv-ckc-2015", "1.2")
    imh = catalog.item("imh", "direct-service-skills/observation-listening")
    evidence = Evidence(
        row=1,
        training=1,
        title="T",
        date="",
        hours=1.0,
        code="1.2",
        framework="wv-ckc-2015",
        route=Route((ckc, imh), ("imh-wv-ckc-2015",), ("",)),
        breadth=5,
        specific=True,
    )
    # Codes as a registry prints them ("CKC 1.2"), knowledge areas by name.
    assert readiness_report.path_text(evidence) == "CKC 1.2 → Observation & listening"


# -- map and lint rows -----------------------------------------------------------------


def test_map_rows(catalog: Catalog) -> None:
    rows = map_rows(map_codes(catalog, "iecmhc", "wv-ckc-2015", ["6B.2"]))
    assert rows and all(tuple(r) == MAP_COLUMNS for r in rows)
    first = rows[0]
    assert (first["input"], first["source_code"], first["target_code"]) == ("6B.2", "6B.2", "1.2")
    assert first["via"] == ["imh"]
    assert first["path"].startswith("6B.2 → Observation & listening → 1.2 ")


def test_map_rows_path_rule_is_a_parameter(catalog: Catalog) -> None:
    mappings = map_codes(catalog, "wv-ckc-2015", "imh", ["6.6"])
    rows = map_rows(mappings, lambda i: i.code)
    assert rows[0]["path"] == "6.6 ← direct-service-skills/advocacy"


def test_lint_rows(catalog: Catalog) -> None:
    findings = lint(catalog)
    rows = lint_rows(findings)
    assert len(rows) == len(findings) and all(tuple(r) == LINT_COLUMNS for r in rows)
    first = rows[0]
    assert first["check"] == findings[0].check
    assert first["codes"] == list(findings[0].codes)
    assert first["provenance"] == ["seed 000, line 105"]


# -- counts ----------------------------------------------------------------------------


def test_crosswalk_counts(catalog: Catalog) -> None:
    counts = crosswalk_counts(catalog, "imh-wv-ckc-2015")
    alignments = catalog.by_crosswalk["imh-wv-ckc-2015"]
    assert counts.alignments == len(alignments) == 26
    assert counts.no_match == sum(1 for a in alignments if a.is_no_match) == 2
    assert counts.links == counts.alignments - counts.no_match == 24
    assert counts.source_items == 13
    assert crosswalk_counts(catalog, "iecmhc-imh").no_match == 0


def test_crosswalk_counts_of_an_unknown_crosswalk(catalog: Catalog) -> None:
    with pytest.raises(NotFound):
        crosswalk_counts(catalog, "nope")
