"""The workbook: a dataset as plain tables (a folder of CSV files, or one XLSX file).

This is the lossless, human-reviewable form of a dataset: the bundled data is
committed in it, coordinators edit it in a spreadsheet, and exporting then importing
gives back the same records.  Every value is text; empty means "none".

Files come back from people, not programs, so reading is forgiving where forgiveness
is safe (header case, spaces, common synonyms, blank rows, missing optional columns)
and strict where a guess could corrupt data (duplicate keys, unknown values): those
fail with the file, the row and the field named.  The XLSX form lives in
:mod:`crosswalk.formats.xlsx`; both share the tables defined here.

Lists (``sources``, ``tags`` …) are joined with ``;``.  A framework's ``extensions``
(exchange-format properties kept only to be given back, see
:class:`~crosswalk.model.Framework`) are one compact JSON object of text values,
``{"case:CFItemType:<uuid>":"Standard"}``, or empty; a framework row without
``status`` is ``published``, without ``updated`` of unknown date.  Rows written before
those columns existed may keep CASE document fields in ``sources`` as
``case:NAME=VALUE``; they are moved into the fields on reading
(:func:`~crosswalk.formats.case_links.with_legacy_sources`).
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from crosswalk import files
from crosswalk.formats.case_links import with_legacy_sources
from crosswalk.formats.cells import from_csv_cell
from crosswalk.formats.sheets import (
    ALIASES,
    ALIGNMENTS,
    CROSSWALKS,
    FRAMEWORKS,
    ITEMS,
    LIST_SEPARATOR,
    ROW_NUMBER,
    SHEETS,
    Sheet,
    WorkbookError,
    canonical,
    header_index,
    rows_from_records,
    strict_reader,
    strict_records,
)
from crosswalk.formats.tabular import write_csv
from crosswalk.formats.validate import Places, alignment_key
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
    "ROW_NUMBER",
    "SHEETS",
    "Sheet",
    "WorkbookError",
    "canonical",
    "header_index",
    "rows_from_records",
    "strict_reader",
    "strict_records",
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


def extensions_text(extensions: Sequence[tuple[str, str]]) -> str:
    """``Framework.extensions`` as one cell: a compact JSON object, or empty."""
    if not extensions:
        return ""
    return json.dumps(dict(extensions), ensure_ascii=False, separators=(",", ":"))


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as read, told apart from a JSON array."""


def parse_extensions(text: str, where: str) -> tuple[tuple[str, str], ...]:
    """Read back :func:`extensions_text`; anything else is refused, not guessed at."""
    if not text.strip():
        return ()

    def pairs(found: list[tuple[str, Any]]) -> _Pairs:
        names = [name for name, _ in found]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise WorkbookError(f"{where}, field extensions: {twice[0]!r} given twice")
        return _Pairs(found)

    try:
        value = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as error:
        raise WorkbookError(
            f"{where}, field extensions: not a JSON object ({error.msg}); "
            'expected e.g. {"case:CFItemType:<uuid>":"Standard"}'
        ) from None
    if not isinstance(value, _Pairs) or not all(isinstance(v, str) for _, v in value):
        raise WorkbookError(
            f"{where}, field extensions: expected a JSON object of text values, "
            'e.g. {"case:CFItemType:<uuid>":"Standard"}'
        )
    return tuple((name, v) for name, v in value)


def _framework_cells(framework: Framework) -> dict[str, str]:
    row = {c: _text(getattr(framework, c)) for c in FRAMEWORKS.columns if c != "extensions"}
    return row | {"extensions": extensions_text(framework.extensions)}


def tables(dataset: Dataset) -> dict[str, list[dict[str, str]]]:
    """The dataset as rows of text, sheet by sheet, in a deterministic order."""
    items = sorted(dataset.items, key=lambda i: (i.framework, i.position, i.code))
    return {
        "frameworks": [_framework_cells(f) for f in sorted(dataset.frameworks, key=lambda f: f.id)],
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


def csv_folder_paths(folder: Path) -> list[Path]:
    """The files :func:`write_csv_folder` writes into ``folder``, one per sheet."""
    return [folder / f"{sheet.name}.csv" for sheet in SHEETS]


def write_csv_folder(dataset: Dataset, folder: Path) -> list[Path]:
    """Write one CSV file per sheet; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = tables(dataset)
    paths = csv_folder_paths(folder)
    with files.together():
        for sheet, path in zip(SHEETS, paths, strict=True):
            files.write_text(path, csv_text(sheet, rows[sheet.name]))
    return paths


def csv_text(sheet: Sheet, rows: Iterable[Mapping[str, str]]) -> str:
    """One sheet as CSV, text a spreadsheet would run behind an apostrophe (undone on reading)."""
    buffer = io.StringIO()
    write_csv(rows, sheet.columns, buffer)
    return buffer.getvalue()


# -- rows → records ------------------------------------------------------------------


def read_csv_folder(folder: Path, places: Places | None = None) -> Dataset:
    """Read a folder of sheet files (``frameworks.csv`` …); absent sheets mean no rows."""
    return from_tables(csv_folder_tables(folder), str(folder), places)


def csv_folder_tables(folder: Path) -> dict[str, list[dict[str, str]]]:
    """The rows of each sheet file in ``folder``; a sheet without a file has no key.

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
    return rows


def read_csv(path: Path, sheet: Sheet) -> list[dict[str, str]]:
    """One sheet's rows, keyed by our column names whatever the file's headers said.

    The file is read record by record, so one past the limits is refused early.
    """
    with path.open(encoding="utf-8-sig", newline="") as stream:
        records = [[from_csv_cell(f) for f in r] for r in strict_records(str(path), stream)]
    if any("\0" in field for record in records for field in record):
        raise WorkbookError(f"{path}: not a CSV file (it contains binary data)")
    if not records:
        raise WorkbookError(f"{path}: empty file; expected a header row")
    return rows_from_records(str(path), sheet, records[0], records[1:])


def from_tables(
    rows: Mapping[str, list[dict[str, str]]],
    source: str = "workbook",
    places: Places | None = None,
) -> Dataset:
    """Build records from text rows; errors name the sheet, the row and the field.

    ``places`` (when given) receives where each record was, for the checks that run
    after parsing (:mod:`crosswalk.formats.validate`).
    """
    _refuse_duplicates(rows, source)
    places = {} if places is None else places
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
        places[("crosswalk", row["id"])] = f"crosswalks row {number}"
    frameworks = []
    for number, row in _numbered(rows.get("frameworks", [])):
        frameworks.append(_framework(row, f"{source}: frameworks row {number}"))
        places[("framework", row["id"])] = f"frameworks row {number}"
    return Dataset(
        frameworks=frameworks,
        items=_items(rows.get("items", []), aliases, source, places),
        crosswalks=crosswalks,
        alignments=_alignments(rows.get("alignments", []), source, places),
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


def _items(
    rows: list[dict[str, str]],
    aliases: dict[tuple[str, str], list[Alias]],
    source: str,
    places: Places,
) -> list[Item]:
    """Items in row order; a blank position means "after the previous row" (of its framework)."""
    items = []
    next_position: Counter[str] = Counter()
    for number, row in _numbered(rows):
        if not row["position"].strip():
            row = {**row, "position": str(next_position[row["framework"]])}
        item = _item(row, aliases, f"{source}: items row {number}")
        next_position[item.framework] = max(next_position[item.framework], item.position + 1)
        items.append(item)
        places[("item", *item.key)] = f"items row {number}"
    return items


def _alignments(rows: list[dict[str, str]], source: str, places: Places) -> list[Alignment]:
    """Alignments in row order; a blank position means "after the previous row"."""
    alignments: list[Alignment] = []
    next_position: Counter[str] = Counter()
    for number, row in _numbered(rows):
        where = f"{source}: alignments row {number}"
        if not row["position"].strip():
            row = {**row, "position": str(next_position[row["crosswalk"]])}
        alignment = _alignment(row, where)
        next_position[alignment.crosswalk] = max(
            next_position[alignment.crosswalk], alignment.position + 1
        )
        places[alignment_key(len(alignments))] = f"alignments row {number}"
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
    sources, status, updated, extensions = with_legacy_sources(
        _list(row["sources"]),
        row["status"].strip(),
        row["updated"].strip(),
        parse_extensions(row["extensions"], where),
    )
    if updated:
        try:
            datetime.fromisoformat(updated.replace("Z", "+00:00"))
        except ValueError:
            field = "updated" if row["updated"].strip() else "sources (case:lastChangeDateTime)"
            raise WorkbookError(
                f"{where}, field {field}: {updated!r} is not an ISO 8601 date-time "
                "(e.g. 2017-05-25T18:05:33Z)"
            ) from None
    return Framework(
        id=row["id"],
        title=row["title"],
        version=row["version"],
        publisher=row["publisher"],
        description=row["description"],
        notice=row["notice"],
        sources=sources,
        status=status,
        updated=updated,
        extensions=extensions,
        replaces=row.get("replaces", "").strip(),
    )


def _item(row: dict[str, str], aliases: dict[tuple[str, str], list[Alias]], where: str) -> Item:
    _require(row, ITEMS, where)
    return Item(
        framework=row["framework"],
        code=row["code"],
        name=row["name"],
        statement=row["statement"],
        kind=row["kind"] or "competency",
        parent=row["parent"] or None,
        position=_convert(where, "position", row["position"], int),
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
