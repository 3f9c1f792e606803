"""OpenSALT's three-sheet XLSX written from our CASE export (read: :mod:`.opensalt`).

The workbook is made from the CFPackage the CASE export builds, so what a round trip
keeps is exactly what the CASE mapping keeps and the layout has room for.  Every cell
is text formatted as text (a code ``1.10`` stays ``1.10``; a formula-looking statement
stays text), and the document properties carry a fixed date, so the same data gives
the same file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from crosswalk import files
from crosswalk.catalog import Catalog
from crosswalk.formats import case
from crosswalk.formats.cells import TEXT_FORMAT, text_cell
from crosswalk.formats.opensalt import (
    ASSOCIATION,
    ASSOCIATION_COLUMNS,
    DOC,
    DOC_COLUMNS,
    ITEM,
    ITEM_COLUMNS,
    type_label,
)


def write(
    catalog: Catalog, out: Path, *, framework: str | None = None, crosswalk: str | None = None
) -> Path:
    """A framework (with its outgoing crosswalks), or one crosswalk, as OpenSALT's XLSX."""
    package = (
        case.framework_package(catalog, framework)
        if framework is not None
        else case.crosswalk_package(catalog, str(crosswalk))
    )
    workbook = Workbook(write_only=True)
    workbook.properties.created = workbook.properties.modified = datetime.datetime(2000, 1, 1)
    _sheet(workbook, DOC, DOC_COLUMNS, [_doc_row(package)])
    _sheet(workbook, ITEM, ITEM_COLUMNS, _item_rows(package))
    _sheet(workbook, ASSOCIATION, ASSOCIATION_COLUMNS, _association_rows(package))
    out.parent.mkdir(parents=True, exist_ok=True)
    files.save_workbook(workbook, out)
    return out


def _sheet(
    workbook: Any, title: str, columns: tuple[str, ...], rows: Iterable[Mapping[str, Any]]
) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([text_cell(sheet, c) for c in columns])
    for row in rows:
        sheet.append(
            [text_cell(sheet, row.get(c) or None, number_format=TEXT_FORMAT) for c in columns]
        )


def _doc_row(package: Mapping[str, Any]) -> dict[str, Any]:
    document = package["CFDocument"]
    row = {k: document.get(k) for k in DOC_COLUMNS if isinstance(document.get(k), str)}
    row["lastChangeDate"] = document.get("lastChangeDateTime", "").replace("T", " ", 1)[:19]
    row["subject"] = ", ".join(document.get("subject", []))
    licenses = {d["identifier"]: d for d in package.get("CFDefinitions", {}).get("CFLicenses", [])}
    link = document.get("licenseURI") or {}
    license_ = licenses.get(link.get("identifier"), {})
    row["licenseTitle"] = license_.get("title") or link.get("title")
    row["licenseText"] = license_.get("licenseText")
    return row


def _item_rows(package: Mapping[str, Any]) -> list[dict[str, Any]]:
    levels = _smart_levels(package)
    rows = []
    for item in package["CFItems"]:
        row = {k: item.get(k) for k in ITEM_COLUMNS if isinstance(item.get(k), str)}
        row["smartLevel"] = levels.get(item["identifier"], "")
        row["conceptKeywords"] = ", ".join(item.get("conceptKeywords", []))
        row["educationLevel"] = ",".join(item.get("educationLevel", []))
        rows.append(row)
    return rows


def _smart_levels(package: Mapping[str, Any]) -> dict[str, str]:
    """OpenSALT's outline numbers (1, 1.1, 1.2.1 …) from the isChildOf tree."""
    children: dict[str, list[tuple[int, str]]] = {}
    for a in package["CFAssociations"]:
        if a["associationType"] == "isChildOf":
            parent = a["destinationNodeURI"]["identifier"]
            children.setdefault(parent, []).append(
                (a.get("sequenceNumber", 0), a["originNodeURI"]["identifier"])
            )
    levels: dict[str, str] = {}

    def walk(node: str, prefix: str) -> None:
        for n, (_, child) in enumerate(sorted(children.get(node, [])), 1):
            if child not in levels:
                levels[child] = f"{prefix}{n}"
                walk(child, f"{levels[child]}.")

    walk(package["CFDocument"]["identifier"], "")
    return levels


def _association_rows(package: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for a in package["CFAssociations"]:
        group = a.get("CFAssociationGroupingURI") or {}
        origin, destination = a["originNodeURI"], a["destinationNodeURI"]
        rows.append(
            {
                "identifier": a["identifier"],
                "originNodeIdentifier": origin["identifier"],
                "originNodeHumanCodingScheme": origin.get("title"),
                "associationType": type_label(a["associationType"]),
                "destinationNodeHumanCodingScheme": destination.get("title"),
                "destinationNodeIdentifier": destination["identifier"],
                "associationGroupIdentifier": group.get("identifier"),
                "associationGroupName": group.get("title"),
            }
        )
    return rows
