"""Each data page's table as a file: CSV, XLSX or JSON (``?format=…`` on the page URL).

A coordinator takes the numbers into a spreadsheet or a report; the rows here are
the same as the page shows, flat, with stable column names.  XLSX cells are written as
text, so free text that starts with "=" stays text instead of becoming a formula; only
numeric columns (rank, score) are written as numbers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any

from fastapi import Response
from openpyxl import Workbook

from crosswalk.lint import Finding
from crosswalk.model import Item, Provenance
from crosswalk.query import Description, Mapping, SearchHit
from crosswalk.web.views import Chain

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
Row = dict[str, Any]


def _prov(value: Provenance | None) -> str:
    return str(value) if value else ""


def download(rows: list[Row], columns: Sequence[str], fmt: str, name: str) -> Response:
    """``rows`` as a file called ``name``.``fmt``, offered as an attachment."""
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, indent=2).encode()
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        body = ("\ufeff" + buffer.getvalue()).encode()  # BOM: Excel then reads UTF-8
    else:
        body = _xlsx(rows, columns, name)
    filename = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") + "." + fmt
    return Response(
        body,
        media_type=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def _xlsx_value(value: object) -> object:
    """Numbers (rank, score) stay numbers, so a spreadsheet can sort and sum them."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return _cell(value)


def _xlsx(rows: list[Row], columns: Sequence[str], name: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = re.sub(r"[^A-Za-z0-9 _-]+", " ", name)[:31] or "data"
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_xlsx_value(row.get(c)) for c in columns])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if not isinstance(cell.value, int | float):
                cell.data_type = "s"  # never a formula, whatever the text
    sheet.freeze_panes = "A2"
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
            "provenance": _prov(i.provenance),
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
                "relation": str(a.relation),
                "strength": a.strength,
                "level": a.level,
                "evidence": a.evidence,
                "note": a.note,
                "provenance": _prov(a.provenance),
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
                "provenance": "; ".join(_prov(h.alignment.provenance) for h in chain.hops),
            }
        )
    return rows


MAP_COLUMNS = ("input", "source_code", "source_name", "target_code", "target_name", "via", "path")


def path_text(mapping: Mapping) -> str:
    steps = [mapping.source.label]
    for hop in mapping.path:
        steps.append(("← " if hop.direction == "backward" else "→ ") + hop.target.label)
    return " ".join(steps)


def map_rows(mappings: list[Mapping]) -> list[Row]:
    return [
        {
            "input": m.code,
            "source_code": m.source.code,
            "source_name": m.source.name,
            "target_code": m.target.code,
            "target_name": m.target.name,
            "via": list(m.via),
            "path": path_text(m),
        }
        for m in mappings
    ]


SEARCH_COLUMNS = ("rank", "framework", "code", "name", "score", "field", "text", "matched")


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
        }
        for rank, h in enumerate(hits, start=1)
    ]


LINT_COLUMNS = ("check", "severity", "scope", "codes", "message", "provenance")


def lint_rows(findings: list[Finding]) -> list[Row]:
    return [
        {
            "check": f.check,
            "severity": f.severity,
            "scope": f.scope,
            "codes": list(f.codes),
            "message": f.message,
            "provenance": [str(p) for p in f.provenance],
        }
        for f in findings
    ]
