"""Parser for seed 000: IMH knowledge areas → WV 2015 CKC competencies.

The document is a three-column table (area of expertise | knowledge area and its
description | CKC codes with their statements) extracted to text: cells are separated
by tabs when the extractor kept them, rows continue over several lines and page
breaks, and one region lists codes as markdown bullets.  After errata
(:mod:`crosswalk.sources.errata`) the rules below read every row:

* a line has up to three cells: ``area \\t knowledge area \\t codes``; a single cell
  is a codes cell when it opens with a code, a bullet or a codes phrase;
* a knowledge-area cell is ``Name (TAG) Description`` where the description opens
  with a verb ("Demonstrates …"); a cell with only a description continues the
  current row when that row has none yet (or the text continues a sentence),
  otherwise it is a row whose name is not printed, which errata must name;
* a codes cell is a run of ``N.N – statement``; text before its first code
  continues the previous statement.  "Found no corresponding competencies" is an
  explicit no-match, "T&TA Competencies" a reference outside the CKC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crosswalk.sources.errata import SourceLine
from crosswalk.sources.text import CODE_TOKEN, clean

# Verbs that open a knowledge-area description in this document.
DESCRIPTION_OPENERS = frozenset(
    [
        "Demonstrates",
        "Supports",
        "Identifies",
        "Develops",
        "Promotes",
        "Facilitates",
        "Remains",
        "Enrolls",
        "Uses",
        "Regularly",
        "Recognizes",
        "Models",
        "Coaches",
        "Establishes",
        "Assists",
        "Generates",
        "Effectively",
        "Contributes",
        "Works",
        "Provides",
        "Partners",
        "Assigns",
        "Understands",
    ]
)
LEVEL_TAG = re.compile(r"^(?P<name>.+?)\s*\((?P<tag>IMHS|IMHM)\)\s*(?P<rest>.*)$")
TRACK = re.compile(r"\((Clinical|Policy|Research/Faculty)(?: and (Policy))?\)")
NO_MATCH = re.compile(r"Found no corresponding competencies\.?", re.IGNORECASE)
OUTSIDE_REFERENCE = re.compile(r"T&TA [Cc]ompetencies")
BULLET = re.compile(r"^-\s+")
CODE_ENTRY = re.compile(rf"(?P<code>{CODE_TOKEN.pattern})\s*[-–]?\s*")


class SeedFormatError(ValueError):
    """The document does not read as expected; the message names the line."""


@dataclass(slots=True)
class PrintedCode:
    code: str
    statement: str
    line: int


@dataclass(slots=True)
class Reference:
    """A target-less statement in the codes column: no-match or outside reference."""

    no_match: bool
    printed: str
    note: str
    line: int


@dataclass(slots=True)
class Row:
    area: str
    name: str
    tag: str
    first_line: int
    last_line: int
    description: str = ""
    codes: list[PrintedCode] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    errata: list[str] = field(default_factory=list)

    @property
    def tracks(self) -> list[str]:
        found: list[str] = []
        for match in TRACK.finditer(self.description):
            found += [t for t in match.groups() if t and t not in found]
        return found

    def touch(self, line: SourceLine) -> None:
        self.last_line = max(self.last_line, line.number)
        self.errata += [e for e in line.errata if e not in self.errata]


@dataclass(slots=True)
class Document:
    preamble: str
    rows: list[Row]


def parse(lines: list[SourceLine]) -> Document:
    """Read the rows of the table, in document order."""
    preamble: list[str] = []
    rows: list[Row] = []
    area = ""
    in_table = False
    for line in lines:
        if not line.text.strip():
            continue
        if not in_table:
            if "Knowledge Areas" in line.text and "CKC" in line.text:
                in_table = True
            else:
                preamble.append(clean(line.text))
            continue
        area_cell, item_cell, codes_cell = _cells(line.text)
        if area_cell:
            area = area_cell
        if item_cell:
            _read_item(item_cell, area, line, rows)
        if codes_cell:
            if not rows:
                raise SeedFormatError(f"line {line.number}: codes before any knowledge area")
            _read_codes(codes_cell, rows[-1], line)
            rows[-1].touch(line)
    return Document(" ".join(preamble), rows)


def _cells(text: str) -> tuple[str, str, str]:
    cells = text.split("\t")
    if len(cells) >= 3:
        return clean(cells[0]), clean(cells[1]), clean(" ".join(cells[2:]))
    if len(cells) == 2:
        return "", clean(cells[0]), clean(cells[1])
    single = clean(text)
    if _is_codes(text):
        return "", "", single
    return "", single, ""


def _is_codes(text: str) -> bool:
    stripped = BULLET.sub("", text.strip()).replace("**", "")
    return bool(
        CODE_TOKEN.match(stripped) or NO_MATCH.match(stripped) or OUTSIDE_REFERENCE.match(stripped)
    )


def _split_item(cell: str) -> tuple[str, str, str]:
    """``Name (TAG) Description`` → (name, tag, description); any part may be empty."""
    tagged = LEVEL_TAG.match(cell)
    if tagged:
        return tagged["name"], tagged["tag"], tagged["rest"]
    words = cell.split(" ")
    for index, word in enumerate(words):
        if word in DESCRIPTION_OPENERS:
            return " ".join(words[:index]), "", " ".join(words[index:])
    if cell[:1].isupper():
        return cell, "", ""
    return "", "", cell


def _read_item(cell: str, area: str, line: SourceLine, rows: list[Row]) -> None:
    name, tag, description = _split_item(cell)
    if name:
        row = Row(area, name, tag, line.number, line.number, description)
        row.touch(line)
        rows.append(row)
        return
    if not rows:
        raise SeedFormatError(f"line {line.number}: a description before any knowledge area")
    current = rows[-1]
    if not current.description:
        current.description = description
    elif description[:1].islower():
        current.description = f"{current.description} {description}"
    else:
        raise SeedFormatError(
            f"line {line.number}: a knowledge area whose name is not printed "
            f"({description[:50]!r}…); give it a name with a 'name' erratum"
        )
    current.touch(line)


def _read_codes(cell: str, row: Row, line: SourceLine) -> None:
    cell = BULLET.sub("", cell)
    references: list[Reference] = []
    for pattern, no_match in ((NO_MATCH, True), (OUTSIDE_REFERENCE, False)):
        found = pattern.search(cell)
        if found:
            note = cell[found.end() :].strip() if no_match else ""
            references.append(Reference(no_match, found.group(0), note, line.number))
            cell = cell[: found.start()] + (cell[found.end() :] if not no_match else "")
    entries = list(CODE_ENTRY.finditer(cell))
    lead = cell[: entries[0].start()] if entries else cell
    if lead.strip():
        if not row.codes:
            raise SeedFormatError(f"line {line.number}: text {lead[:40]!r} continues no code")
        last = row.codes[-1]
        last.statement = clean(f"{last.statement} {lead}")
    ends = [e.start() for e in entries[1:]] + [len(cell)] if entries else []
    for entry, end in zip(entries, ends, strict=True):
        statement = clean(cell[entry.end() : end])
        row.codes.append(PrintedCode(entry["code"], statement, line.number))
    row.references += references
