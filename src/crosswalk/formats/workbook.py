"""The workbook: a dataset as plain tables (a folder of CSV files, or one XLSX file).

This is the lossless, human-reviewable form of a dataset: the bundled data is
committed in it, coordinators edit it in a spreadsheet, and exporting then importing
gives back the same records.  Every value is text; empty means "none".

Files come back from people, not programs, so reading is forgiving where forgiveness
is safe (header case, spaces, common synonyms, blank rows, missing optional columns)
and strict where a guess could corrupt data (duplicate keys, unknown values): those
fail with the file, the row and the field named.  The XLSX form lives in
:mod:`crosswalk.formats.xlsx`; both share the tables defined here.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from crosswalk.formats.sheets import (
    ALIASES,
    ALIGNMENTS,
    CROSSWALKS,
    FRAMEWORKS,
    ITEMS,
    LIST_SEPARATOR,
    SHEETS,
    Sheet,
    WorkbookError,
)
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

__all__ = [
    "ALIASES",
    "ALIGNMENTS",
    "CROSSWALKS",
    "FRAMEWORKS",
    "ITEMS",
    "LIST_SEPARATOR",
    "SHEETS",
    "Sheet",
    "WorkbookError",
]


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


def subset(
    dataset: Dataset, frameworks: Iterable[str] = (), crosswalks: Iterable[str] = ()
) -> Dataset:
    """The named frameworks (with their items) and crosswalks (with their alignments).

    What ``crosswalk export framework|crosswalk`` writes: importing it back touches
    exactly these records and nothing else.
    """
    framework_ids, crosswalk_ids = set(frameworks), set(crosswalks)
    return Dataset(
        frameworks=[f for f in dataset.frameworks if f.id in framework_ids],
        items=[i for i in dataset.items if i.framework in framework_ids],
        crosswalks=[c for c in dataset.crosswalks if c.id in crosswalk_ids],
        alignments=[a for a in dataset.alignments if a.crosswalk in crosswalk_ids],
    )


def write_csv_folder(dataset: Dataset, folder: Path) -> list[Path]:
    """Write one CSV file per sheet; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    rows = tables(dataset)
    for sheet in SHEETS:
        path = folder / f"{sheet.name}.csv"
        path.write_text(csv_text(sheet, rows[sheet.name]), encoding="utf-8")
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
    """Read a folder of sheet files (``frameworks.csv`` …); absent sheets mean no rows.

    File names are matched like headers (``Items.csv``, ``ITEMS.csv``); a folder with
    none of the five is refused rather than read as empty.
    """
    if not folder.is_dir():
        raise WorkbookError(f"{folder}: not a folder of CSV files")
    files = {canonical(path.stem): path for path in folder.glob("*.csv")}
    rows: dict[str, list[dict[str, str]]] = {}
    for sheet in SHEETS:
        path = files.get(sheet.name)
        if path is not None:
            rows[sheet.name] = read_csv(path, sheet)
    if not rows:
        names = ", ".join(f"{s.name}.csv" for s in SHEETS)
        raise WorkbookError(f"{folder}: no workbook tables found (expected some of {names})")
    return from_tables(rows, source=str(folder))


def read_csv(path: Path, sheet: Sheet) -> list[dict[str, str]]:
    """One sheet's rows, keyed by our column names whatever the file's headers said."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise WorkbookError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); save it as CSV UTF-8"
        ) from None
    if "\0" in text:
        raise WorkbookError(f"{path}: not a CSV file (it contains binary data)")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise WorkbookError(f"{path}: malformed CSV: {error}") from None
    if not records:
        raise WorkbookError(f"{path}: empty file; expected a header row")
    return rows_from_records(str(path), sheet, records[0], records[1:])


def canonical(header: str) -> str:
    """``"Source Code"``, ``"source-code"`` and ``" SOURCE_CODE "`` all become ``source_code``."""
    return re.sub(r"[\s\-./]+", "_", header.strip().lower()).strip("_")


def rows_from_records(
    source: str, sheet: Sheet, header: Sequence[str], records: Iterable[Sequence[str]]
) -> list[dict[str, str]]:
    """Map a header row and its records onto ``sheet``'s columns, tolerantly.

    Headers are matched after :func:`canonical` and through the sheet's synonyms;
    unknown columns are ignored, missing optional ones read as empty, blank rows are
    skipped, and a missing required column or a row longer than its header is an error.
    """
    synonyms = dict(sheet.synonyms)
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        key = canonical(name)
        key = key if key in sheet.columns else synonyms.get(key, key)
        if key in sheet.columns:
            if key in index:
                raise WorkbookError(f"{source}: column {name!r} given twice (as {key})")
            index[key] = position
    missing = [c for c in sheet.required if c not in index]
    if missing:
        raise WorkbookError(
            f"{source}: missing column(s) {', '.join(missing)} in the {sheet.name} header"
        )
    rows = []
    for number, record in enumerate(records, 2):
        cells = list(record)
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise WorkbookError(
                f"{source}: row {number}: {len(cells)} cells but only {len(header)} headers "
                "(an unquoted comma?)"
            )
        row = {c: (cells[i] if i < len(cells) else "") for c, i in index.items()}
        row = {c: row.get(c, "") for c in sheet.columns}
        row[ROW_NUMBER] = str(number)
        rows.append(row)
    return rows


# Carried through the rows so messages can name the line a person sees in the file.
ROW_NUMBER = "__row__"


def from_tables(rows: Mapping[str, list[dict[str, str]]], source: str = "workbook") -> Dataset:
    """Build records from text rows; errors name the sheet, the row and the field."""
    _refuse_duplicates(rows, source)
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
    crosswalks = []
    for number, row in _numbered(rows.get("crosswalks", [])):
        _require(row, CROSSWALKS, f"{source}: crosswalks row {number}")
        crosswalks.append(Crosswalk(**{c: row[c] for c in CROSSWALKS.columns}))
    return Dataset(
        frameworks=[
            _framework(row, f"{source}: frameworks row {number}")
            for number, row in _numbered(rows.get("frameworks", []))
        ],
        items=[
            _item(row, aliases, f"{source}: items row {number}")
            for number, row in _numbered(rows.get("items", []))
        ],
        crosswalks=crosswalks,
        alignments=_alignments(rows.get("alignments", []), source),
    )


def _refuse_duplicates(rows: Mapping[str, list[dict[str, str]]], source: str) -> None:
    """Two rows with one key would silently overwrite each other: name both rows."""
    keys: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("frameworks", ("id",)),
        ("items", ("framework", "code")),
        ("crosswalks", ("id",)),
        ("alignments", ("crosswalk", "position")),
    )
    for sheet, columns in keys:
        seen: dict[tuple[str, ...], int] = {}
        for number, row in _numbered(rows.get(sheet, [])):
            key = tuple(row[c] for c in columns)
            if sheet == "alignments" and not row["position"].strip():
                continue
            if key in seen:
                shown = ", ".join(f"{c}={v!r}" for c, v in zip(columns, key, strict=True))
                raise WorkbookError(
                    f"{source}: {sheet} row {number}: duplicate identifier ({shown}), "
                    f"already on row {seen[key]}"
                )
            seen[key] = number


def _alignments(rows: list[dict[str, str]], source: str) -> list[Alignment]:
    """Alignments in row order; a blank position means "after the previous row"."""
    alignments = []
    next_position: Counter[str] = Counter()
    for number, row in _numbered(rows):
        where = f"{source}: alignments row {number}"
        if not row["position"].strip():
            row = {**row, "position": str(next_position[row["crosswalk"]])}
        alignment = _alignment(row, where)
        next_position[alignment.crosswalk] = max(
            next_position[alignment.crosswalk], alignment.position + 1
        )
        alignments.append(alignment)
    return alignments


def _require(row: Mapping[str, str], sheet: Sheet, where: str) -> None:
    for column in sheet.required:
        if not row[column].strip():
            raise WorkbookError(f"{where}, field {column}: empty")


def _numbered(rows: list[dict[str, str]]) -> Iterable[tuple[int, dict[str, str]]]:
    """Rows with the line number a spreadsheet user sees (row 1 is the header)."""
    return ((int(row.get(ROW_NUMBER) or number), row) for number, row in enumerate(rows, 2))


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


def _framework(row: dict[str, str], where: str) -> Framework:
    _require(row, FRAMEWORKS, where)
    fields = {c: row[c] for c in FRAMEWORKS.columns if c != "sources"}
    return Framework(**fields, sources=_list(row["sources"]))


def _item(row: dict[str, str], aliases: dict[tuple[str, str], list[Alias]], where: str) -> Item:
    _require(row, ITEMS, where)
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
    _require(row, ALIGNMENTS, where)
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
