"""The workbook: a dataset as plain tables (a folder of CSV files).

This is the lossless, human-reviewable form of a dataset: the bundled data is
committed in it, coordinators edit it in a spreadsheet, and exporting then importing
gives back the same records.  Every value is text; empty means "none".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosswalk.model import (
    Alias,
    Alignment,
    Crosswalk,
    Dataset,
    Framework,
    Item,
    Provenance,
    Relation,
    Status,
)

LIST_SEPARATOR = ";"


class WorkbookError(ValueError):
    """Bad input; the message names the file, the row and the field."""


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    columns: tuple[str, ...]


FRAMEWORKS = Sheet(
    "frameworks", ("id", "title", "version", "publisher", "description", "notice", "sources")
)
ITEMS = Sheet(
    "items",
    (
        "framework",
        "code",
        "name",
        "statement",
        "kind",
        "parent",
        "position",
        "tags",
        "provenance",
        "errata",
    ),
)
ALIASES = Sheet("aliases", ("framework", "code", "kind", "text", "provenance", "note"))
CROSSWALKS = Sheet(
    "crosswalks",
    (
        "id",
        "title",
        "source_framework",
        "target_framework",
        "version",
        "publisher",
        "description",
        "source_document",
        "status",
    ),
)
ALIGNMENTS = Sheet(
    "alignments",
    (
        "crosswalk",
        "position",
        "source_code",
        "target_code",
        "relation",
        "strength",
        "level",
        "evidence",
        "note",
        "printed_target",
        "provenance",
        "confidence",
        "justification",
        "status",
        "author",
        "created",
    ),
)
SHEETS = (FRAMEWORKS, ITEMS, ALIASES, CROSSWALKS, ALIGNMENTS)


# -- records → rows ------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def tables(dataset: Dataset) -> dict[str, list[dict[str, str]]]:
    """The dataset as rows of text, sheet by sheet, in a deterministic order."""
    items = sorted(dataset.items, key=lambda i: (i.framework, i.position, i.code))
    return {
        "frameworks": [
            {c: _text(getattr(f, c)) for c in FRAMEWORKS.columns}
            for f in sorted(dataset.frameworks, key=lambda f: f.id)
        ],
        "items": [{c: _text(getattr(i, c)) for c in ITEMS.columns} for i in items],
        "aliases": [
            {"framework": i.framework, "code": i.code}
            | {c: _text(getattr(a, c)) for c in ("kind", "text", "provenance", "note")}
            for i in items
            for a in i.aliases
        ],
        "crosswalks": [
            {c: _text(getattr(x, c)) for c in CROSSWALKS.columns}
            for x in sorted(dataset.crosswalks, key=lambda x: x.id)
        ],
        "alignments": [
            {c: _text(getattr(a, c)) for c in ALIGNMENTS.columns}
            for a in sorted(dataset.alignments, key=lambda a: (a.crosswalk, a.position))
        ],
    }


def write_csv_folder(dataset: Dataset, folder: Path) -> list[Path]:
    """Write one CSV file per sheet; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet in SHEETS:
        path = folder / f"{sheet.name}.csv"
        path.write_text(csv_text(sheet, tables(dataset)[sheet.name]), encoding="utf-8")
        written.append(path)
    return written


def csv_text(sheet: Sheet, rows: Iterable[Mapping[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=sheet.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


# -- rows → records ------------------------------------------------------------------


def read_csv_folder(folder: Path) -> Dataset:
    """Read a folder written by :func:`write_csv_folder` (aliases.csv is optional)."""
    if not folder.is_dir():
        raise WorkbookError(f"{folder}: not a folder of CSV files")
    rows: dict[str, list[dict[str, str]]] = {}
    for sheet in SHEETS:
        path = folder / f"{sheet.name}.csv"
        if not path.exists():
            if sheet is ALIASES:
                rows[sheet.name] = []
                continue
            raise WorkbookError(f"{path}: missing; a workbook folder needs {sheet.name}.csv")
        rows[sheet.name] = read_csv(path, sheet)
    return from_tables(rows, source=str(folder))


def read_csv(path: Path, sheet: Sheet) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise WorkbookError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); save it as CSV UTF-8"
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in sheet.columns if c not in (reader.fieldnames or [])]
    if missing:
        raise WorkbookError(f"{path}: missing column(s) {', '.join(missing)}")
    return [{c: (row.get(c) or "") for c in sheet.columns} for row in reader]


def from_tables(rows: Mapping[str, list[dict[str, str]]], source: str = "workbook") -> Dataset:
    """Build records from text rows; errors name the sheet, the row and the field."""
    aliases: dict[tuple[str, str], list[Alias]] = {}
    for number, row in _numbered(rows.get("aliases", [])):
        where = f"{source}: aliases row {number}"
        alias = Alias(
            text=row["text"],
            kind=row["kind"] or "name",
            provenance=_provenance(row["provenance"], where),
            note=row["note"],
        )
        aliases.setdefault((row["framework"], row["code"]), []).append(alias)
    return Dataset(
        frameworks=[_framework(row) for _, row in _numbered(rows.get("frameworks", []))],
        items=[
            _item(row, aliases, f"{source}: items row {number}")
            for number, row in _numbered(rows.get("items", []))
        ],
        crosswalks=[Crosswalk(**row) for _, row in _numbered(rows.get("crosswalks", []))],
        alignments=[
            _alignment(row, f"{source}: alignments row {number}")
            for number, row in _numbered(rows.get("alignments", []))
        ],
    )


def _numbered(rows: list[dict[str, str]]) -> Iterable[tuple[int, dict[str, str]]]:
    # Row 1 is the header, as a spreadsheet user counts.
    return ((number, row) for number, row in enumerate(rows, 2))


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(LIST_SEPARATOR) if part.strip())


def _provenance(text: str, where: str) -> Provenance | None:
    try:
        return Provenance.parse(text)
    except ValueError as error:
        raise WorkbookError(f"{where}, field provenance: {error}") from None


def _convert(where: str, name: str, value: str, convert: Callable[[str], Any]) -> Any:
    try:
        return convert(value)
    except ValueError:
        raise WorkbookError(f"{where}, field {name}: {value!r} is not valid") from None


def _framework(row: dict[str, str]) -> Framework:
    fields = {k: v for k, v in row.items() if k != "sources"}
    return Framework(**fields, sources=_list(row["sources"]))


def _item(row: dict[str, str], aliases: dict[tuple[str, str], list[Alias]], where: str) -> Item:
    for required in ("framework", "code"):
        if not row[required]:
            raise WorkbookError(f"{where}, field {required}: empty")
    return Item(
        framework=row["framework"],
        code=row["code"],
        name=row["name"],
        statement=row["statement"],
        kind=row["kind"] or "competency",
        parent=row["parent"] or None,
        position=_convert(where, "position", row["position"] or "0", int),
        tags=_list(row["tags"]),
        aliases=tuple(aliases.get((row["framework"], row["code"]), ())),
        provenance=_provenance(row["provenance"], where),
        errata=_list(row["errata"]),
    )


def _alignment(row: dict[str, str], where: str) -> Alignment:
    for required in ("crosswalk", "source_code"):
        if not row[required]:
            raise WorkbookError(f"{where}, field {required}: empty")
    return Alignment(
        crosswalk=row["crosswalk"],
        source_code=row["source_code"],
        target_code=row["target_code"] or None,
        relation=_convert(where, "relation", row["relation"] or "related", Relation),
        strength=row["strength"],
        level=row["level"],
        evidence=row["evidence"],
        note=row["note"],
        printed_target=row["printed_target"],
        provenance=_provenance(row["provenance"], where),
        position=_convert(where, "position", row["position"] or "0", int),
        confidence=_convert(where, "confidence", row["confidence"] or "1.0", float),
        justification=row["justification"] or "manual",
        status=_convert(where, "status", row["status"] or "accepted", Status),
        author=row["author"],
        created=row["created"],
    )
