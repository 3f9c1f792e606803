"""The bundled source documents as printed, line by line, with how we read each line.

Every alignment and item names the lines it was read from ("seed 002, lines 9–13"),
so that anyone can check it against the original.  This module gives those lines back:
the document's title (from ``data/catalogue.toml``), its text exactly as shipped, and,
on each line an erratum changes, the printed text beside our reading and the reason
(``data/errata.toml``), as well as the citations on that line resolved by hand.

Only the bundled documents are known here; provenance naming any other document
(imported data) has no source view.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from crosswalk.model import Provenance
from crosswalk.sources.build import DATA
from crosswalk.sources.errata import Edit, Errata, Resolution, apply_errata, load_errata


@dataclass(frozen=True, slots=True)
class Document:
    """A bundled source document: its key in the catalogue, the label provenance uses
    ("seed 000"), its full and short titles and its file."""

    key: str
    label: str
    title: str
    short_title: str
    file: str


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a document: as printed, and how we read it where errata apply.

    ``reading`` is empty when the line is read as printed; an erratum may also split a
    line into several rows (a page break that merged two rows).  ``resolutions`` are the
    citations on the line whose spelling matched no item, each with the item meant.
    """

    number: int
    printed: str
    reading: tuple[str, ...] = ()
    corrections: tuple[Edit, ...] = ()
    resolutions: tuple[Resolution, ...] = ()

    @property
    def corrected(self) -> bool:
        return bool(self.corrections or self.resolutions)


@dataclass(frozen=True, slots=True)
class SourceText:
    document: Document
    lines: tuple[Line, ...]


@cache
def documents() -> dict[str, Document]:
    """The bundled documents by label ("seed 000"); empty when the catalogue is unreadable."""
    try:
        catalogue = tomllib.loads((DATA / "catalogue.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found: dict[str, Document] = {}
    for key, entry in catalogue.get("documents", {}).items():
        title = entry["title"]
        found[entry["label"]] = Document(
            key, entry["label"], title, entry.get("short_title", title), entry["file"]
        )
    return found


def document_by_key(key: str) -> Document | None:
    return next((d for d in documents().values() if d.key == key), None)


def document_of(provenance: Provenance | str | None) -> Document | None:
    """The bundled document a provenance names, if it is one of ours."""
    if provenance is None:
        return None
    if isinstance(provenance, str):
        try:
            provenance = Provenance.parse(provenance)
        except ValueError:
            return None
        if provenance is None:
            return None
    return documents().get(provenance.document)


@cache
def source_text(key: str) -> SourceText | None:
    """The document ``key`` ("000") line by line, with errata and resolutions on their
    lines; None for a document we do not ship."""
    document = document_by_key(key)
    if document is None:
        return None
    printed = (DATA / "sources" / document.file).read_text(encoding="utf-8").split("\n")
    if printed and printed[-1] == "":
        printed.pop()  # the newline that ends the file ends the last line, no more
    errata = _errata()
    edits = errata.for_document(key) if errata else []
    read = apply_errata(printed, edits, document.label) if errata else []
    readings: dict[int, list[str]] = {}
    for row in read:
        if row.errata:
            readings.setdefault(row.number, []).append(row.text)
    lines = tuple(
        Line(
            number,
            text,
            tuple(readings.get(number, ())),
            tuple(e for e in edits if e.line == number),
            tuple(
                r
                for r in (errata.resolutions if errata else ())
                if (r.document, r.line) == (key, number)
            ),
        )
        for number, text in enumerate(printed, start=1)
    )
    return SourceText(document, lines)


def erratum_line(erratum_id: str) -> tuple[Document, int] | None:
    """The document and line an erratum (or a resolution) corrects."""
    errata = _errata()
    if errata is None:
        return None
    entries: list[Edit | Resolution] = [*errata.edits, *errata.resolutions]
    for entry in entries:
        if entry.id == erratum_id:
            document = document_by_key(entry.document)
            return (document, entry.line) if document else None
    return None


@cache
def _errata() -> Errata | None:
    try:
        return load_errata(DATA / "errata.toml")
    except (OSError, ValueError):
        return None
