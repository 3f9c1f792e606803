"""Import and export in one place: the functions the CLI and the web app call.

Every import follows the same path whatever the format: check the file's size and
kind, read its content within the limits (:mod:`crosswalk.formats.limits`) — before
the database is even opened, so a hostile file costs nothing there — parse it into a
:class:`~crosswalk.model.Dataset`, check its references against what the database
holds, work out what would be added, changed and removed, and — unless it is a dry
run — write it as one change set (approved at once, or proposed for review), which is
one transaction and refuses changes to objects someone else changed since the checks
read them.  Any problem raises :class:`ExchangeError` before the write, so the
database is left exactly as it was.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from crosswalk import files
from crosswalk.bulk import collector_paused
from crosswalk.catalog import Catalog
from crosswalk.formats import case, opensalt, opensalt_write, sssom, workbook, xlsx
from crosswalk.formats.case_import import read_packages
from crosswalk.formats.diff import Change, diff, kept
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.limits import DATASET, load_json, show_bytes
from crosswalk.formats.validate import Places, complete
from crosswalk.model import Dataset

FORMATS = ("case", "sssom", "csv", "xlsx")
DEFAULT_MAX_BYTES = DATASET.file_bytes
MAX_BYTES_VARIABLE = "CROSSWALK_MAX_IMPORT_BYTES"
Progress = Callable[[str], None]
MayWrite = Callable[[list[Path]], None]


@dataclass
class ImportReport:
    """What an import found and did: per-record changes, warnings, whether it wrote.

    ``kept`` names the frameworks and crosswalks in the file whose stored items or
    alignments stay, because the file gives none of them.
    """

    path: Path
    format: str
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # "framework imh: items kept: …"
    written: bool = False
    # The change set the import made: approved (written) or proposed for review.
    change_set: int | None = None

    def counts(self) -> dict[tuple[str, str], int]:
        """``{("item", "added"): 12, …}`` for a summary table."""
        return dict(Counter((c.record, c.action) for c in self.changes))

    def summary(self) -> str:
        counts = self.counts()
        if not counts:
            return "no changes"
        return ", ".join(
            f"{n} {record}{'' if n == 1 else 's'} {action}"
            for (record, action), n in sorted(counts.items())
        )


@dataclass
class Parsed:
    """What a file describes, the warnings reading it gave, and where each record was.

    ``places`` maps a record key (see :mod:`crosswalk.formats.validate`) to where a
    person finds it in the file (``items row 7``, ``CFAssociations[3] (…)``).
    """

    dataset: Dataset
    warnings: list[str] = field(default_factory=list)
    places: Places = field(default_factory=dict)
    # False when a workbook has no aliases table at all (not even an empty one): the
    # items it gives then keep their stored aliases (see :func:`keep_stored_aliases`).
    aliases_given: bool = True


def max_bytes() -> int:
    """The import size limit: ``CROSSWALK_MAX_IMPORT_BYTES`` (bytes) or 200 MB.

    A value that is not a positive whole number of bytes is an error, not ignored: a
    limit someone set on purpose must not silently become the default.
    """
    value = os.environ.get(MAX_BYTES_VARIABLE)
    if value is None or not value.strip():
        return DEFAULT_MAX_BYTES
    text = value.strip().replace("_", "")
    if not text.isdigit() or int(text) <= 0:
        raise ExchangeError(
            f"{MAX_BYTES_VARIABLE}={value!r} is not a positive number of bytes "
            f"(e.g. {DEFAULT_MAX_BYTES} for {show_bytes(DEFAULT_MAX_BYTES)})"
        )
    return int(text)


# -- reading ---------------------------------------------------------------------------


def detect_format(path: Path, format: str | None = None) -> str:
    """The format to read ``path`` as, checked against what the file really contains.

    A file whose content contradicts its extension (a ``.json`` that is a ZIP, an
    ``.xlsx`` that is text or random bytes) is refused with what it does look like, and
    so is a file that is none of the formats (``notes.txt``, a photo).
    """
    if format is not None and format not in FORMATS:
        raise ExchangeError(f"{path}: unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if path.is_dir():
        if format in (None, "csv") and any(path.glob("*.csv")):
            return "csv"
        if format in (None, "case") and any(path.glob("*.json")):
            return "case"
        raise ExchangeError(f"{path}: folder holds no {format or 'CSV or JSON'} files")
    if not path.is_file():
        raise ExchangeError(f"{path}: no such file")
    kind = _sniff(_head(path))
    by_name = {".json": "case", ".xlsx": "xlsx", ".csv": "csv", ".tsv": "sssom"}.get(
        path.suffix.lower()
    )
    wanted = format or by_name or {"zip": "xlsx", "json": "case"}.get(kind)
    if wanted is None:
        if kind == "text":
            raise ExchangeError(
                f"{path}: cannot tell the format of a text file named {path.name!r}; name it "
                "like a workbook table (items.csv …) or an SSSOM file (.sssom.tsv), or pass "
                "--format csv|sssom"
            )
        raise ExchangeError(f"{path}: not a file to import: it is {_KINDS[kind]}; {_ACCEPTED}")
    fits = {"case": ("json",), "xlsx": ("zip",), "csv": ("text",), "sssom": ("text",)}[wanted]
    if kind not in (*fits, "empty"):
        raise ExchangeError(
            f"{path}: not {_NAMES[wanted]}: it is {_KINDS[kind]}; {_ACCEPTED}"
            if kind in ("binary", "pdf", "xls")
            else f"{path}: not {_NAMES[wanted]}: it is {_KINDS[kind]}; check the file, or "
            f"pass --format {'|'.join(FORMATS)}"
        )
    return wanted


_NAMES = {
    "case": "a CASE JSON file",
    "xlsx": "an XLSX workbook",
    "csv": "a CSV file",
    "sssom": "an SSSOM TSV file",
}
_KINDS = {
    "zip": "a ZIP archive (an XLSX workbook?)",
    "json": "JSON",
    "text": "text",
    "binary": "binary data, not text, JSON or a workbook",
    "pdf": "a PDF",
    "xls": "an old Excel .xls workbook (or another old Office file); save it as .xlsx",
    "empty": "empty",
}
_ACCEPTED = (
    "crosswalk import reads CASE packages (.json), SSSOM mappings (.sssom.tsv), "
    "workbooks (.xlsx) and workbook tables (.csv, or a folder of them)"
)


def _head(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(4096)


def _sniff(head: bytes) -> str:
    """What the first bytes look like: zip, json, text, binary, pdf, xls or empty."""
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16: the reader says to save it as UTF-8
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return "empty"
    if b"\0" in head or sum(b < 32 and b not in b"\t\n\r\f" for b in head) > len(head) // 10:
        return "binary"
    return "json" if stripped[:1] in (b"{", b"[") else "text"


@dataclass
class Content:
    """A file's content, read within the limits before the database is opened."""

    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # csv, xlsx
    text: str = ""  # sssom
    documents: list[tuple[str, Any]] = field(default_factory=list)  # case: (file, JSON)
    packages: list[tuple[str, Any]] = field(default_factory=list)  # OpenSALT: as CFPackages


def read_content(path: Path, format: str) -> Content:
    """What ``path`` holds, as tables, text or JSON documents; nothing is interpreted yet.

    OpenSALT's spreadsheets (found by their content) are read as the CASE packages they
    describe.
    """
    if format in ("csv", "xlsx") and opensalt.is_opensalt(path, format):
        return Content(packages=opensalt.read(path, format))
    if format in ("csv", "xlsx"):
        return Content(tables=_workbook_tables(path, format))
    if format == "sssom":
        return Content(text=_text(path))
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    return Content(documents=[(str(f), _json(f)) for f in files])


def read_dataset(path: Path, format: str, store: Catalog, content: Content | None = None) -> Parsed:
    """Parse ``path`` (or its ``content``, already read) into the records it describes."""
    places: Places = {}
    content = read_content(path, format) if content is None else content
    if content.packages:
        dataset, warnings = read_packages(content.packages, store, places)
        return Parsed(dataset, warnings, places)
    if format in ("csv", "xlsx"):
        rows = content.tables
        dataset = workbook.from_tables(rows, str(path), places)
        return Parsed(dataset, [], places, aliases_given=workbook.ALIASES.name in rows)
    if format == "sssom":
        crosswalk, alignments = sssom.loads(content.text, str(path), store, places)
        return Parsed(Dataset(crosswalks=[crosswalk], alignments=alignments), [], places)
    dataset, warnings = read_packages(content.documents, store, places)
    return Parsed(dataset, warnings, places)


def _workbook_tables(path: Path, format: str) -> dict[str, list[dict[str, str]]]:
    if format == "xlsx":
        return xlsx.xlsx_tables(path)
    if path.is_dir():
        return workbook.csv_folder_tables(path)
    sheet = {s.name: s for s in workbook.SHEETS}.get(workbook.canonical(path.stem))
    if sheet is None:
        names = ", ".join(f"{s.name}.csv" for s in workbook.SHEETS)
        raise ExchangeError(f"{path}: a single CSV file must be named like one of {names}")
    return {sheet.name: workbook.read_csv(path, sheet)}


def keep_stored_aliases(incoming: Dataset, stored: Dataset) -> list[str]:
    """Give the items of a file without an aliases table their stored aliases.

    A workbook's items carry no aliases; those are the aliases table's rows.  When the
    file has no such table (``items.csv`` alone), replacing an item must not drop its
    aliases, so each item the file gives that is stored keeps the stored ones.  (An
    aliases table that is there but empty does mean "no aliases".)  Returns one line
    per framework concerned, for the report.
    """
    aliases = {i.key: i.aliases for i in stored.items if i.aliases}
    kept: Counter[str] = Counter()
    for index, item in enumerate(incoming.items):
        stored_aliases = aliases.get(item.key)
        if stored_aliases and not item.aliases:
            incoming.items[index] = replace(item, aliases=stored_aliases)
            kept[item.framework] += 1
    return [
        f"framework {framework}: aliases kept: no aliases table in the file "
        f"({count} item{'' if count == 1 else 's'} with stored aliases)"
        for framework, count in sorted(kept.items())
    ]


def check_size(path: Path) -> None:
    """Refuse a file (or folder) over the limit before reading a byte of it."""
    files = list(path.iterdir()) if path.is_dir() else [path]
    size = sum(f.stat().st_size for f in files if f.is_file())
    limit = max_bytes()
    if size > limit:
        raise ExchangeError(
            f"{path}: {show_bytes(size)} is over the import limit of {show_bytes(limit)} "
            f"(set {MAX_BYTES_VARIABLE} to raise it)"
        )


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExchangeError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8"
        ) from None


def _json(path: Path) -> Any:
    text = _text(path)
    try:
        return load_json(str(path), text, DATASET)
    except json.JSONDecodeError as error:
        raise ExchangeError(
            f"{path}: malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None


# -- importing -------------------------------------------------------------------------


@collector_paused()
def import_file(
    path: Path | str,
    format: str | None = None,
    check: bool = False,
    *,
    url: str | None = None,
    seed: bool = True,
    progress: Progress | None = None,
    propose: bool = False,
    actor: str | None = None,
    title: str | None = None,
) -> ImportReport:
    """Import ``path`` into the database at ``url`` (default: the configured one).

    With ``check`` nothing is written: the report says what would be added, changed
    and removed.  Otherwise the records are written as one change set, in one
    transaction, leaving an event per changed object: approved at once (an import by
    the operator or an admin), or with ``propose`` left submitted for a reviewer.
    ``actor`` is who the change set is recorded under (default: the command line).
    ``seed`` keeps the rule that a new database starts with the bundled dataset; pass
    ``False`` to import into a database left empty.  A dry run on an empty database
    seeds nothing: it compares the file with the bundled dataset (what a real import
    would first load), or with nothing when ``seed`` is ``False``.

    Each change is based on the revision of the object it changes as the checks read
    it: if someone changes one of those objects before the import writes, the import
    is refused as a conflict (nothing is written); changes to other objects meanwhile
    are kept, and the import's references are checked again inside its transaction.
    A file that changes nothing writes nothing (``report.written`` is false, no change
    set is kept) and moves no revision.  Bad data raises :class:`ExchangeError`; a
    storage that cannot take the write (full, read-only, locked) or a conflict raises
    :class:`~crosswalk.store.StoreError` with its cause.  ``title`` names the change
    set (default: ``Import of <file name>``).
    """
    from crosswalk.store import Cause, StoreError, load_bundled, open_repository
    from crosswalk.store.plans import plan
    from crosswalk.store.repository import OPERATOR

    path = Path(path)
    say = progress or (lambda _stage: None)
    check_size(path)
    chosen = detect_format(path, format)
    say(f"reading {path.name}")
    content = read_content(path, chosen)
    seeding = load_bundled if seed and not check else None
    with open_repository(url, seed=seeding) as repository:
        say("reading the database")
        store = repository.load_catalog()
        if check and seed and not store.frameworks:
            store = Catalog(load_bundled())
        before = store.dataset
        parsed = read_dataset(path, chosen, store, content)
        del content  # the file's parsed text: not needed while the change set is written
        say("checking references")
        incoming = complete(parsed.dataset, before, str(path), parsed.places)
        kept_lines = kept(before, incoming)
        if not parsed.aliases_given:
            kept_lines += keep_stored_aliases(incoming, before)
        report = ImportReport(path, chosen, diff(before, incoming), parsed.warnings, kept_lines)
        operations = [] if check else plan(store, incoming, whole=False)
        if operations:  # a file that changes nothing writes and proposes nothing
            say("writing")
            title = title or f"Import of {path.name}"
            try:
                if propose:
                    from crosswalk.curation.changes import propose_operations

                    report.change_set = propose_operations(
                        repository, operations, title=title, author=actor or OPERATOR
                    )
                else:
                    applied = repository.apply(
                        operations, title=title, kind="import", actor=actor or OPERATOR
                    )
                    report.change_set = applied.change_set
                    report.written = applied.revision is not None
            except StoreError as error:
                if error.cause is not Cause.DATA:
                    raise  # the storage's problem or a lost race, not the file's
                raise ExchangeError(f"{path}: {error}") from None
    return report


# -- exporting -------------------------------------------------------------------------


def _any(_paths: list[Path]) -> None:
    """Write anywhere (the default; the CLI passes its rule for files that exist)."""


def export_framework(
    catalog: Catalog, framework_id: str, format: str, out: Path, *, may_write: MayWrite = _any
) -> list[Path]:
    """Write one framework (``case``: with its outgoing crosswalks) to ``out``.

    ``may_write`` gets every path about to be written before any is, and raises to
    stop the export (the CLI's rule: nothing over an existing file without --force).
    """
    catalog.framework(framework_id)
    may_write(_targets(format, out))
    if format == "case":
        return [_write_package(out, case.framework_parts(catalog, framework_id))]
    if format == "opensalt":
        return [opensalt_write.write(catalog, out, framework=framework_id)]
    return _workbook(workbook.subset(catalog.dataset, frameworks=[framework_id]), format, out)


def export_crosswalk(
    catalog: Catalog, crosswalk_id: str, format: str, out: Path, *, may_write: MayWrite = _any
) -> list[Path]:
    """Write one crosswalk with its alignments to ``out`` (``may_write``: as above)."""
    catalog.crosswalk(crosswalk_id)
    may_write(_targets(format, out))
    if format == "case":
        return [_write(out, case.dumps(case.crosswalk_package(catalog, crosswalk_id)))]
    if format == "sssom":
        return [_write(out, sssom.dumps(catalog, crosswalk_id))]
    if format == "opensalt":
        return [opensalt_write.write(catalog, out, crosswalk=crosswalk_id)]
    return _workbook(workbook.subset(catalog.dataset, crosswalks=[crosswalk_id]), format, out)


def export_all(
    catalog: Catalog,
    format: str,
    out: Path,
    progress: Progress | None = None,
    *,
    may_write: MayWrite = _any,
) -> list[Path]:
    """Everything: a CSV folder, one XLSX, or (CASE) a folder with a package per framework."""
    if format == "case":
        may_write([out / f"{framework_id}.json" for framework_id in sorted(catalog.frameworks)])
        written = []
        with files.together():  # a package per framework: all of them, or none
            for framework_id in sorted(catalog.frameworks):
                if progress:
                    progress(framework_id)
                parts = case.framework_parts(catalog, framework_id)
                written.append(_write_package(out / f"{framework_id}.json", parts))
        return written
    if format == "sssom":
        raise ExchangeError("SSSOM holds one crosswalk; use: crosswalk export crosswalk ID")
    may_write(_targets(format, out))
    return _workbook(catalog.dataset, format, out)


def _targets(format: str, out: Path) -> list[Path]:
    """The files an export in ``format`` to ``out`` writes: a folder's tables, or ``out``."""
    return workbook.csv_folder_paths(out) if format == "csv" else [out]


def _workbook(dataset: Dataset, format: str, out: Path) -> list[Path]:
    if format == "csv":
        return workbook.write_csv_folder(dataset, out)
    if format == "xlsx":
        return [xlsx.write_xlsx(dataset, out)]
    raise ExchangeError(f"format {format!r} does not fit here; use csv, xlsx or case")


def _write_package(path: Path, parts: case.Parts) -> Path:
    """A CASE package written as it is built: a large framework is never held whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with files.replacing_binary(path) as stream:
        case.write_package(parts, stream)
    return path


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return files.write_text(path, text)
