"""Import and export in one place: the functions the CLI and the web app call.

Every import follows the same path whatever the format: check the file's size and
kind, parse it into a :class:`~crosswalk.model.Dataset`, check its references against
what the database holds, work out what would be added, changed and removed, and —
unless it is a dry run — write it as one change set (approved at once, or proposed
for review), which is one transaction and refuses changes to objects someone else
changed since the checks read them.  Any problem raises :class:`ExchangeError`
before the write, so the database is left exactly as it was.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from crosswalk.catalog import Catalog
from crosswalk.formats import case, sssom, workbook, xlsx
from crosswalk.formats.case_import import read_packages
from crosswalk.formats.diff import Change, diff, kept
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.validate import Places, complete
from crosswalk.model import Dataset

FORMATS = ("case", "sssom", "csv", "xlsx")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MAX_BYTES_VARIABLE = "CROSSWALK_MAX_IMPORT_BYTES"
Progress = Callable[[str], None]


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


def show_bytes(size: int) -> str:
    """``200 MB`` for 200 × 2²⁰ bytes: sizes in the binary units the limit is set in."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            amount = size / scale
            return f"{amount:.0f} {unit}" if amount.is_integer() else f"{amount:.1f} {unit}"
    return f"{size} bytes"


# -- reading ---------------------------------------------------------------------------


def detect_format(path: Path, format: str | None = None) -> str:
    """The format to read ``path`` as, checked against what the file really contains.

    A file whose content contradicts its extension (a ``.json`` that is a ZIP, an
    ``.xlsx`` that is text) is refused with both facts named, rather than misread.
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
    head = _head(path)
    sniffed = _sniff(head)
    by_name = {".json": "case", ".xlsx": "xlsx", ".csv": "csv", ".tsv": "sssom"}.get(
        path.suffix.lower()
    )
    wanted = format or by_name or sniffed
    if wanted is None:
        raise ExchangeError(f"{path}: cannot tell the format; pass --format {'|'.join(FORMATS)}")
    kind = {"case": "json", "xlsx": "zip", "csv": "text", "sssom": "text"}[wanted]
    if sniffed is not None and kind != {"case": "json", "xlsx": "zip"}.get(sniffed, "text"):
        raise ExchangeError(
            f"{path}: not a {wanted.upper()} file: its content looks like "
            f"{ {'case': 'JSON', 'xlsx': 'a ZIP/XLSX archive'}.get(sniffed, 'text') }"
        )
    return wanted


def _head(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(4096)


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return "case"
    if not stripped:
        return None
    return "text"


def read_dataset(path: Path, format: str, store: Catalog) -> Parsed:
    """Parse ``path`` into the records it describes (nothing is written)."""
    places: Places = {}
    if format in ("csv", "xlsx"):
        rows = _workbook_tables(path, format)
        dataset = workbook.from_tables(rows, str(path), places)
        return Parsed(dataset, [], places, aliases_given=workbook.ALIASES.name in rows)
    if format == "sssom":
        crosswalk, alignments = sssom.loads(_text(path), str(path), store, places)
        return Parsed(Dataset(crosswalks=[crosswalk], alignments=alignments), [], places)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    dataset, warnings = read_packages([(str(f), _json(f)) for f in files], store, places)
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
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ExchangeError(
            f"{path}: malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None


# -- importing -------------------------------------------------------------------------


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
    """
    from crosswalk.store import StoreError, load_bundled, open_repository
    from crosswalk.store.plans import plan
    from crosswalk.store.repository import OPERATOR

    path = Path(path)
    say = progress or (lambda _stage: None)
    check_size(path)
    chosen = detect_format(path, format)
    seeding = load_bundled if seed and not check else None
    with open_repository(url, seed=seeding) as repository:
        say("reading the database")
        store = repository.load_catalog()
        if check and seed and not store.frameworks:
            store = Catalog(load_bundled())
        before = store.dataset
        say(f"reading {path.name}")
        parsed = read_dataset(path, chosen, store)
        say("checking references")
        incoming = complete(parsed.dataset, before, str(path), parsed.places)
        kept_lines = kept(before, incoming)
        if not parsed.aliases_given:
            kept_lines += keep_stored_aliases(incoming, before)
        report = ImportReport(path, chosen, diff(before, incoming), parsed.warnings, kept_lines)
        if not check:
            say("writing")
            operations = plan(store, incoming, whole=False)
            title = f"Import of {path.name}"
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
                    report.written = True
            except StoreError as error:
                raise ExchangeError(f"{path}: {error}") from None
    return report


# -- exporting -------------------------------------------------------------------------


def export_framework(catalog: Catalog, framework_id: str, format: str, out: Path) -> list[Path]:
    """Write one framework (``case``: with its outgoing crosswalks) to ``out``."""
    catalog.framework(framework_id)
    if format == "case":
        return [_write(out, case.dumps(case.framework_package(catalog, framework_id)))]
    return _workbook(workbook.subset(catalog.dataset, frameworks=[framework_id]), format, out)


def export_crosswalk(catalog: Catalog, crosswalk_id: str, format: str, out: Path) -> list[Path]:
    """Write one crosswalk with its alignments to ``out``."""
    catalog.crosswalk(crosswalk_id)
    if format == "case":
        return [_write(out, case.dumps(case.crosswalk_package(catalog, crosswalk_id)))]
    if format == "sssom":
        return [_write(out, sssom.dumps(catalog, crosswalk_id))]
    return _workbook(workbook.subset(catalog.dataset, crosswalks=[crosswalk_id]), format, out)


def export_all(
    catalog: Catalog, format: str, out: Path, progress: Progress | None = None
) -> list[Path]:
    """Everything: a CSV folder, one XLSX, or (CASE) a folder with a package per framework."""
    if format == "case":
        written = []
        for framework_id in sorted(catalog.frameworks):
            if progress:
                progress(framework_id)
            text = case.dumps(case.framework_package(catalog, framework_id))
            written.append(_write(out / f"{framework_id}.json", text))
        return written
    if format == "sssom":
        raise ExchangeError("SSSOM holds one crosswalk; use: crosswalk export crosswalk ID")
    return _workbook(catalog.dataset, format, out)


def _workbook(dataset: Dataset, format: str, out: Path) -> list[Path]:
    if format == "csv":
        return workbook.write_csv_folder(dataset, out)
    if format == "xlsx":
        return [xlsx.write_xlsx(dataset, out)]
    raise ExchangeError(f"format {format!r} does not fit here; use csv, xlsx or case")


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
