"""Each data page's table as a file: CSV, XLSX or JSON (``?format=…`` on the page URL).

A coordinator takes the numbers into a spreadsheet or a report; the rows here are
the same as the page shows, flat, with stable column names.  XLSX cells are written as
text (:func:`crosswalk.formats.cells.text_cell`), so free text that starts with "="
stays text instead of becoming a formula; only numeric columns (rank, score) are
written as numbers.  CSV and the map and lint rows are the library's, shared with
the CLI (:mod:`crosswalk.formats.tabular`, :mod:`crosswalk.query.rows`); the routes
import those rows from :mod:`crosswalk.query` themselves.

However large the data, a download is bounded in memory: CSV and JSON are streamed a
batch of rows at a time, and XLSX is written row by row by a write-only workbook and
holds at most :data:`MAX_XLSX_ROWS` rows (a larger one is a 422 that points at CSV).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import Response
from fastapi.responses import StreamingResponse
from openpyxl import Workbook

from crosswalk.formats.cells import text_cell
from crosswalk.formats.tabular import cell_text, write_csv
from crosswalk.model import Item
from crosswalk.query import Chain, Description, SearchHit, alignment_fields
from crosswalk.web.deps import invalid_parameter

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
Row = dict[str, Any]
# Rows written per piece of a streamed download.
BATCH_ROWS = 1_000
# Rows of an XLSX download at most: openpyxl writes some 5,000 rows a second, so such a
# file takes a few seconds to build (in the thread pool); CSV streams any number.
MAX_XLSX_ROWS = 10_000


def download(rows: Sequence[Row], columns: Sequence[str], fmt: str, name: str) -> Response:
    """``rows`` as a file called ``name``.``fmt``, offered as an attachment."""
    filename = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") + "." + fmt
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "xlsx":
        if len(rows) > MAX_XLSX_ROWS:
            raise invalid_parameter(
                "format",
                f"an Excel download holds at most {MAX_XLSX_ROWS:,} rows and this one has "
                f"{len(rows):,}; choose format=csv, which streams any number",
            )
        return Response(_xlsx(rows, columns, name), media_type=FORMATS[fmt], headers=headers)
    body = _json_chunks(rows) if fmt == "json" else _csv_chunks(rows, columns)
    return StreamingResponse(body, media_type=FORMATS[fmt], headers=headers)


def _batches(rows: Sequence[Row]) -> Iterator[Sequence[Row]]:
    for start in range(0, len(rows), BATCH_ROWS):
        yield rows[start : start + BATCH_ROWS]


def _csv_chunks(rows: Sequence[Row], columns: Sequence[str]) -> Iterator[bytes]:
    """The CSV file in pieces, each written by the one CSV writer (its header once)."""
    buffer = io.StringIO()
    write_csv([], columns, buffer, line_end="\r\n")
    header = buffer.getvalue()
    yield ("\ufeff" + header).encode()  # BOM: Excel then reads UTF-8
    for batch in _batches(rows):
        buffer = io.StringIO()
        write_csv(batch, columns, buffer, line_end="\r\n")
        yield buffer.getvalue()[len(header) :].encode()


def _json_chunks(rows: Sequence[Row]) -> Iterator[bytes]:
    """A JSON array laid out as ``json.dumps(rows, indent=2)`` would, in pieces."""
    if not rows:
        yield b"[]"
        return
    yield b"[\n"
    for number, batch in enumerate(_batches(rows)):
        text = ",\n".join(
            "  " + json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            for row in batch
        )
        yield ((",\n" if number else "") + text).encode()
    yield b"\n]"


def _xlsx_value(sheet: Any, value: object) -> object:
    """Numbers (rank, score) stay numbers, so a spreadsheet can sort and sum them; the
    rest is a text cell, never a formula, whatever the text starts with."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return text_cell(sheet, cell_text(value))


def _xlsx(rows: Sequence[Row], columns: Sequence[str], name: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(re.sub(r"[^A-Za-z0-9 _-]+", " ", name)[:31] or "data")
    sheet.freeze_panes = "A2"
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_xlsx_value(sheet, row.get(c)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- the rows of each page -------------------------------------------------------------

FRAMEWORK_COLUMNS = (
    "framework",
    "code",
    "name",
    "kind",
    "parent",
    "tags",
    "statement",
    "provenance",
)


def framework_rows(items: list[Item]) -> list[Row]:
    return [
        {
            "framework": i.framework,
            "code": i.code,
            "name": i.name,
            "kind": i.kind,
            "parent": i.parent or "",
            "tags": list(i.tags),
            "statement": i.statement,
            "provenance": str(i.provenance or ""),
        }
        for i in items
    ]


ITEM_COLUMNS = (
    "direction",
    "crosswalk",
    "via",
    "framework",
    "code",
    "name",
    "relation",
    "strength",
    "level",
    "evidence",
    "note",
    "provenance",
)


def item_rows(description: Description, further: list[Chain]) -> list[Row]:
    """The item's own links, then the chains (``via`` names the item in between)."""
    rows: list[Row] = []
    for link in description.links:
        a = link.alignment
        rows.append(
            {
                "direction": link.direction,
                "crosswalk": link.crosswalk.id,
                "via": "",
                "framework": link.other.framework if link.other else "",
                "code": link.other.code if link.other else "",
                "name": link.other.name if link.other else a.printed_target,
                **alignment_fields(a),
                "provenance": str(a.provenance or ""),
            }
        )
    for chain in further:
        last = chain.hops[-1].alignment
        rows.append(
            {
                "direction": "chain",
                "crosswalk": " + ".join(h.crosswalk.id for h in chain.hops),
                "via": f"{chain.via.framework}:{chain.via.code}",
                "framework": chain.target.framework,
                "code": chain.target.code,
                "name": chain.target.name,
                "relation": str(last.relation),
                "strength": "; ".join(
                    h.alignment.strength for h in chain.hops if h.alignment.strength
                ),
                "level": "; ".join(h.alignment.level for h in chain.hops if h.alignment.level),
                "evidence": "",
                "note": "",
                "provenance": "; ".join(str(h.alignment.provenance or "") for h in chain.hops),
            }
        )
    return rows


SEARCH_COLUMNS = (
    "rank", "framework", "code", "name", "score", "field", "text", "matched", "corrected"
)  # fmt: skip


def search_rows(hits: list[SearchHit]) -> list[Row]:
    return [
        {
            "rank": rank,
            "framework": h.item.framework,
            "code": h.item.code,
            "name": h.item.name,
            "score": h.score,
            "field": h.field,
            "text": h.text,
            "matched": list(h.matched),
            "corrected": h.corrected,
        }
        for rank, h in enumerate(hits, start=1)
    ]
