"""OpenSALT's spreadsheets: how frameworks are bulk-authored for CASE servers.

Two layouts, both read by their content (not their file name):

* the XLSX workbook with sheets ``CF Doc`` (one row: the document), ``CF Item`` (one
  row per item) and ``CF Association`` (one row per association, types spelt "Is
  Child Of", "Exact Match Of" …), which we also write;
* the CSV with one row per item and one column per association type ("Is Child Of",
  "IsPartOf", "IsRelatedTo" …), each cell naming the other end by its human coding
  scheme, identifier or URL; the file has no document row, so its framework is named
  after the file.

Both are CASE in tabular form, so both are turned into a CFPackage and read by the
CASE importer (:mod:`crosswalk.formats.case_import`): hierarchy, crosswalks, ends
outside the file and kept fields behave exactly as for a package.
"""

from __future__ import annotations

import csv
import datetime
import re
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crosswalk.formats.case_links import ASSOCIATION_TYPES
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.limits import DATASET
from crosswalk.formats.sheets import canonical, strict_records
from crosswalk.formats.xlsx_reader import XlsxFile
from crosswalk.model import CROSSWALK_NAMESPACE, slugify

DOC, ITEM, ASSOCIATION = "CF Doc", "CF Item", "CF Association"
DOC_COLUMNS = (
    "identifier", "creator", "title", "lastChangeDate", "officialSourceURL", "publisher",
    "description", "subject", "language", "version", "adoptionStatus", "statusStartDate",
    "statusEndDate", "licenseTitle", "licenseText", "notes",
)  # fmt: skip
ITEM_COLUMNS = (
    "identifier", "fullStatement", "humanCodingScheme", "smartLevel", "listEnumeration",
    "abbreviatedStatement", "conceptKeywords", "notes", "language", "educationLevel",
    "CFItemType", "license", "statement",
)  # fmt: skip
ASSOCIATION_COLUMNS = (
    "identifier", "originNodeIdentifier", "originNodeHumanCodingScheme", "associationType",
    "destinationNodeHumanCodingScheme", "destinationNodeIdentifier",
    "associationGroupIdentifier", "associationGroupName",
)  # fmt: skip
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# "Is Child Of", "IsPartOf", "exact match of" → the CASE type; ext: types as they are.
_TYPES = {canonical(t).replace("_", ""): t for t in ASSOCIATION_TYPES}


def association_type(text: str) -> str | None:
    if text.strip().startswith("ext:"):
        return text.strip()
    return _TYPES.get(canonical(text).replace("_", ""))


def type_label(kind: str) -> str:
    """``isChildOf`` → ``Is Child Of``, as OpenSALT writes it."""
    if kind.startswith("ext:"):
        return kind
    return " ".join(w.capitalize() for w in re.findall(r"[a-z]+|[A-Z][a-z]*", kind))


# -- detection ---------------------------------------------------------------------------


def is_opensalt(path: Path, format: str) -> bool:
    """Whether ``path`` (already known to be XLSX or CSV) is in an OpenSALT layout."""
    if format == "xlsx":
        try:
            with zipfile.ZipFile(path) as archive, archive.open("xl/workbook.xml") as part:
                # The sheet list is near the start; never inflate more than this of it.
                workbook = part.read(200_000).decode("utf-8", "replace")
        except (zipfile.BadZipFile, KeyError, OSError):
            return False
        names = set(re.findall(r'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', workbook))
        return {DOC, ITEM} <= names
    if format == "csv" and path.is_file():
        with path.open("rb") as stream:
            head = stream.read(4096).decode("utf-8-sig", "replace").splitlines()
        header = {canonical(h) for h in (next(csv.reader(head[:1]), []) if head else [])}
        return {"fullstatement", "is_child_of"} <= header or {
            "fullstatement",
            "human_coding_scheme",
        } <= header
    return False


# -- reading -----------------------------------------------------------------------------


def read(path: Path, format: str) -> list[tuple[str, dict[str, Any]]]:
    """``[(source, CFPackage)]`` for the CASE importer."""
    if format == "xlsx":
        return [(str(path), _package_from_workbook(path))]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExchangeError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8"
        ) from None
    return [(str(path), _package_from_csv(path, text))]


def _workbook_rows(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The three sheets' rows as header → value, read within the import limits."""
    found: dict[str, list[dict[str, Any]]] = {}
    with XlsxFile(path, str(path), DATASET) as workbook:
        for name in (DOC, ITEM, ASSOCIATION):
            if name not in workbook.sheets:
                found[name] = []
                continue
            rows = list(workbook.rows(name))
            header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else ())]
            found[name] = [
                {h: v for h, v in zip(header, row, strict=False) if h and v not in (None, "")}
                for row in rows[1:]
                if any(v not in (None, "") for v in row)
            ]
    return found


def _text(value: Any, where: str, *, code: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if code and not value.is_integer():
            raise ExchangeError(
                f"{where}: {value!r} is a number; 1.10 and 1.1 differ — format the column "
                "as text and type the code again"
            )
        return str(int(value)) if value.is_integer() else str(value)
    return str(value).strip()


def _time(text: str) -> str:
    """``2019-02-05 20:56:58`` → ``2019-02-05T20:56:58`` (ISO 8601)."""
    return text.replace(" ", "T", 1) if re.fullmatch(r"\d{4}-\d\d-\d\d \d.*", text) else text


def _list(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def _package_from_workbook(path: Path) -> dict[str, Any]:
    rows = _workbook_rows(path)
    if len(rows[DOC]) != 1:
        raise ExchangeError(
            f"{path} sheet {DOC}: expected one document row, found {len(rows[DOC])}"
        )
    doc = {k: _text(v, f"{path} sheet {DOC} row 2, field {k}") for k, v in rows[DOC][0].items()}
    document: dict[str, Any] = {
        k: doc[k]
        for k in ("identifier", "creator", "title", "officialSourceURL", "publisher",
                  "description", "language", "version", "adoptionStatus", "notes")
        if doc.get(k)
    }  # fmt: skip
    document["lastChangeDateTime"] = _time(doc.get("lastChangeDate", ""))
    if not document["lastChangeDateTime"]:
        del document["lastChangeDateTime"]
    for name in ("statusStartDate", "statusEndDate"):
        if doc.get(name):
            document[name] = doc[name][:10]
    if doc.get("subject"):
        document["subject"] = _list(doc["subject"])
    definitions: dict[str, Any] = {}
    if doc.get("licenseTitle") or doc.get("licenseText"):
        license_id = str(
            uuid.uuid5(CROSSWALK_NAMESPACE, f"opensalt-license:{doc.get('identifier')}")
        )
        title = doc.get("licenseTitle") or "License"
        document["licenseURI"] = {
            "title": title,
            "identifier": license_id,
            "uri": f"urn:uuid:{license_id}",
        }
        definitions["CFLicenses"] = [
            {
                "identifier": license_id,
                "uri": f"urn:uuid:{license_id}",
                "title": title,
                "licenseText": doc.get("licenseText", ""),
                "lastChangeDateTime": document.get("lastChangeDateTime", "2000-01-01T00:00:00"),
            }
        ]
    items = []
    codes: dict[str, str] = {}
    for number, row in enumerate(rows[ITEM], 2):
        where = f"{path} sheet {ITEM} row {number}"
        cells = {
            k: _text(v, f"{where}, field {k}", code=k == "humanCodingScheme")
            for k, v in row.items()
        }
        record: dict[str, Any] = {
            k: cells[k]
            for k in ("identifier", "fullStatement", "humanCodingScheme", "listEnumeration",
                      "abbreviatedStatement", "notes", "language", "CFItemType")
            if cells.get(k)
        }  # fmt: skip
        if cells.get("conceptKeywords"):
            record["conceptKeywords"] = _list(cells["conceptKeywords"])
        if cells.get("educationLevel"):
            record["educationLevel"] = _list(cells["educationLevel"])
        items.append(record)
        if record.get("humanCodingScheme") and record.get("identifier"):
            codes[record["identifier"].lower()] = record["humanCodingScheme"]
    associations = []
    groupings: dict[str, dict[str, Any]] = {}
    for number, row in enumerate(rows[ASSOCIATION], 2):
        where = f"{path} sheet {ASSOCIATION} row {number}"
        cells = {k: _text(v, f"{where}, field {k}") for k, v in row.items()}
        kind = association_type(cells.get("associationType", ""))
        if kind is None:
            raise ExchangeError(
                f"{where}, field associationType: {cells.get('associationType', '')!r} is not a "
                f"CASE association type ({', '.join(type_label(t) for t in ASSOCIATION_TYPES)})"
            )
        record = {
            "identifier": cells.get("identifier", ""),
            "associationType": kind,
            "originNodeURI": _end(cells, "origin"),
            "destinationNodeURI": _end(cells, "destination"),
            "sequenceNumber": number - 2,
        }
        group = cells.get("associationGroupIdentifier", "")
        if group:
            name = cells.get("associationGroupName") or group
            link = {"title": name, "identifier": group, "uri": f"urn:uuid:{group}"}
            groupings[group] = {"identifier": group, "uri": link["uri"], "title": name}
            record["CFAssociationGroupingURI"] = link
        associations.append(record)
    if groupings:
        definitions["CFAssociationGroupings"] = list(groupings.values())
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": definitions,
    }


def _end(cells: Mapping[str, str], end: str) -> dict[str, str]:
    identifier = cells.get(f"{end}NodeIdentifier", "")
    code = cells.get(f"{end}NodeHumanCodingScheme", "")
    return {
        "title": code or end.capitalize(),
        "identifier": identifier,
        "uri": f"urn:uuid:{identifier}",
    }


def _package_from_csv(path: Path, text: str) -> dict[str, Any]:
    """One row per item; the framework is named after the file (the CSV has no document)."""
    records = strict_records(str(path), text)
    if not records:
        raise ExchangeError(f"{path}: empty file")
    header = [canonical(h) for h in records[0]]
    rows = [
        (number, dict(zip(header, record, strict=False)))
        for number, record in enumerate(records[1:], 2)
        if any(cell.strip() for cell in record)
    ]
    title = path.stem.replace("_", " ").replace("-", " ").strip() or "OpenSALT import"
    document_id = str(uuid.uuid5(CROSSWALK_NAMESPACE, f"opensalt-csv:{slugify(title)}"))
    items: list[tuple[int, dict[str, str], dict[str, Any]]] = []
    by_name: dict[str, dict[str, Any]] = {}
    for number, row in rows:
        given = row.get("identifier", "").strip()
        identifier = (
            given if _UUID.fullmatch(given) else _uuid(document_id, given or f"row {number}")
        )
        statement = row.get("fullstatement", "").strip()
        if not statement:
            raise ExchangeError(f"{path}: row {number}, field fullStatement: required, empty")
        record: dict[str, Any] = {"identifier": identifier, "fullStatement": statement}
        for column, field in (("human_coding_scheme", "humanCodingScheme"),
                              ("abbreviated_statement", "abbreviatedStatement"),
                              ("notes", "notes"), ("language", "language"),
                              ("cfitemtype", "CFItemType")):  # fmt: skip
            if row.get(column, "").strip():
                record[field] = row[column].strip()
        if row.get("conceptkeywords", "").strip():
            record["conceptKeywords"] = _list(row["conceptkeywords"])
        items.append((number, row, record))
        for name in (given, record.get("humanCodingScheme", "")):
            if name:
                by_name.setdefault(name, record)
    associations = []
    document_link = {"title": title, "identifier": document_id, "uri": f"urn:uuid:{document_id}"}
    for number, row, record in items:
        origin = _link(record)
        parents = [p for p in _list(row.get("is_child_of", "")) if p]
        parent = by_name.get(parents[0]) if parents else None
        if parents and parent is None:
            raise ExchangeError(
                f"{path}: row {number}, field Is Child Of: {parents[0]!r} is no item of the file"
            )
        sequence = row.get("sequencenumber", "").strip()
        associations.append(
            {
                "identifier": _uuid(document_id, f"{record['identifier']} isChildOf"),
                "associationType": "isChildOf",
                "originNodeURI": origin,
                "destinationNodeURI": _link(parent) if parent else document_link,
                **({"sequenceNumber": int(sequence)} if sequence.isdigit() else {}),
            }
        )
        for column, value in row.items():
            kind = association_type(column)
            if kind in (None, "isChildOf"):
                continue
            for target in _list(value):
                end = by_name.get(target)
                destination = _link(end) if end else _outside(document_id, target)
                associations.append(
                    {
                        "identifier": _uuid(document_id, f"{record['identifier']} {kind} {target}"),
                        "associationType": kind,
                        "originNodeURI": origin,
                        "destinationNodeURI": destination,
                    }
                )
    return {
        "CFDocument": {"identifier": document_id, "title": title, "creator": "OpenSALT CSV"},
        "CFItems": [record for _, _, record in items],
        "CFAssociations": associations,
    }


def _uuid(document_id: str, key: str) -> str:
    return str(uuid.uuid5(uuid.UUID(document_id), key))


def _link(record: Mapping[str, Any]) -> dict[str, str]:
    identifier = str(record["identifier"])
    title = str(record.get("humanCodingScheme") or record["fullStatement"])[:200]
    return {"title": title, "identifier": identifier, "uri": f"urn:uuid:{identifier}"}


def _outside(document_id: str, target: str) -> dict[str, str]:
    """An end outside the file: a URL keeps itself as URI, a code is its title."""
    identifier = target if _UUID.fullmatch(target) else _uuid(document_id, f"outside {target}")
    uri = target if re.match(r"https?://", target) else f"urn:uuid:{identifier}"
    return {"title": target, "identifier": identifier, "uri": uri}
