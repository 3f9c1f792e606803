"""Errata: every correction of a source document that a parser cannot derive.

The seed documents are text extracted from PDF tables: rows split over pages,
overprinted layers, letters clipped at the page edge, names that were never printed.
Instead of teaching the parsers each accident, the accidents are corrected here, one
erratum at a time, each naming its document, line and reason.  The parsers then read
regular text.  Every erratum is checked against its kind, so that a correction can
restructure or repair what is printed but never invent a competency code:

* ``restructure`` moves printed words (tabs, row breaks); the words stay the same.
* ``drop`` removes printed text that is not data (overprint, a header remnant).
* ``reconstruct`` restores clipped letters; it may not add a code.
* ``name`` gives a name to a row whose name is not printed.

``resolve`` entries say which item a differently spelled citation refers to.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any

from crosswalk.sources.text import CODE_TOKEN

KINDS = ("restructure", "drop", "reconstruct", "name")


class ErrataError(ValueError):
    """An erratum that does not apply, or that would do more than its kind allows."""


@dataclass(frozen=True, slots=True)
class Edit:
    id: str
    document: str
    line: int
    kind: str
    find: str
    replace: str
    reason: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Resolution:
    """A citation (area and name as printed) resolved to an item code, with a reason."""

    id: str
    document: str
    line: int
    area: str
    name: str
    item: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A line of a source document after errata: its original number is kept."""

    number: int
    text: str
    errata: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Errata:
    edits: tuple[Edit, ...]
    resolutions: tuple[Resolution, ...]
    path: Path

    def for_document(self, document: str) -> list[Edit]:
        return [e for e in self.edits if e.document == document]

    def reason(self, erratum_id: str) -> str:
        entries: list[Edit | Resolution] = [*self.edits, *self.resolutions]
        for entry in entries:
            if entry.id == erratum_id:
                return entry.reason
        raise KeyError(erratum_id)


def load_errata(path: Path) -> Errata:
    """Read and check the errata file; errors name the file and the entry."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ErrataError(f"{path}: {error}") from None
    edits = [
        Edit(**_fields(Edit, entry, f"{path}: [[edit]] #{n}"))
        for n, entry in enumerate(raw.get("edit", []), 1)
    ]
    for edit in edits:
        _check_edit(edit, path)
    resolutions = [
        Resolution(**_fields(Resolution, entry, f"{path}: [[resolve]] #{n}"))
        for n, entry in enumerate(raw.get("resolve", []), 1)
    ]
    ids = Counter([e.id for e in edits] + [r.id for r in resolutions])
    duplicates = [i for i, n in ids.items() if n > 1]
    if duplicates:
        raise ErrataError(f"{path}: duplicate erratum ids {duplicates}")
    return Errata(tuple(edits), tuple(resolutions), path)


def _fields(kind: type, entry: dict[str, Any], where: str) -> dict[str, Any]:
    """The entry's fields, or an error naming what is missing or unknown."""
    known = {f.name: f for f in fields(kind)}
    required = [n for n, f in known.items() if f.default is MISSING]
    missing = [n for n in required if n not in entry]
    unknown = [n for n in entry if n not in known]
    if missing or unknown:
        problems = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"unknown {', '.join(unknown)}"] if unknown else []
        )
        label = f" ({entry['id']})" if "id" in entry else ""
        raise ErrataError(f"{where}{label}: {'; '.join(problems)}")
    return entry


def _words(text: str) -> Counter[str]:
    return Counter(text.split())


def _check_edit(edit: Edit, path: Path) -> None:
    where = f"{path}: erratum {edit.id} ({edit.document} line {edit.line})"
    if edit.kind not in KINDS:
        raise ErrataError(f"{where}: unknown kind {edit.kind!r}; use one of {KINDS}")
    if not edit.reason.strip():
        raise ErrataError(f"{where}: every erratum needs a reason")
    if edit.kind == "restructure" and _words(edit.find) != _words(edit.replace):
        raise ErrataError(f"{where}: a restructure may move words, not change them")
    if edit.kind == "drop" and edit.replace:
        raise ErrataError(f"{where}: a drop removes text; leave 'replace' empty")
    if edit.kind == "name" and (
        not edit.name or edit.replace.replace(edit.name, "", 1).split() != edit.find.split()
    ):
        raise ErrataError(f"{where}: a name erratum inserts its 'name' and nothing else")
    added = Counter(CODE_TOKEN.findall(edit.replace)) - Counter(CODE_TOKEN.findall(edit.find))
    if added:
        raise ErrataError(f"{where}: adds code(s) {sorted(added)} that are not printed")


def apply_errata(lines: list[str], edits: list[Edit], document: str) -> list[SourceLine]:
    """Apply edits line by line; a replacement may split a line into several rows."""
    by_line: dict[int, list[Edit]] = {}
    for edit in edits:
        if not 1 <= edit.line <= len(lines):
            raise ErrataError(f"erratum {edit.id}: {document} has no line {edit.line}")
        by_line.setdefault(edit.line, []).append(edit)
    result: list[SourceLine] = []
    for number, text in enumerate(lines, 1):
        applied: list[str] = []
        for edit in by_line.get(number, []):
            if edit.find not in text:
                raise ErrataError(
                    f"erratum {edit.id}: {document} line {number} does not contain "
                    f"{_preview(edit.find)}; the source or the erratum has changed"
                )
            text = text.replace(edit.find, edit.replace, 1)
            applied.append(edit.id)
        for part in text.split("\n"):
            result.append(SourceLine(number, part, tuple(applied)))
    return result


def _preview(text: str, width: int = 60) -> str:
    text = re.sub(r"\s+", " ", text)
    return repr(text if len(text) <= width else text[:width] + "…")
