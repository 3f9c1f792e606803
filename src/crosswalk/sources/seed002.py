"""Parser for seed 002: IECMHC domain 6 competencies → IMH knowledge areas.

The document repeats a five-line block for every link: the competency (code and
statement), "Essential or important?", the IMH area of expertise ("IECMHC Endorsement
Competency"), the knowledge/skill area with an optional MHS/MHM tag, and the "As
Demonstrated by" evidence.  A competency linked to two knowledge areas is printed
twice.  A legend on MHS/MHM is repeated between groups; the lines before the first
block describe the domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosswalk.sources.errata import SourceLine
from crosswalk.sources.seed000 import SeedFormatError
from crosswalk.sources.text import clean

COMPETENCY = re.compile(r"^(?P<code>6[A-Z]\.\d+)\.?\s+(?P<statement>.+)$")
FIELDS = {
    "strength": "Essential or important?:",
    "area": "IECMHC Endorsement Competency:",
    "name": "Knowledge/Skill Area:",
    "evidence": "As Demonstrated by/Other Work Experience (and Interview):",
}
LEGEND = "Unless otherwise noted"
TAG = re.compile(r"\s*\((?P<tag>MHS|MHM)\)\s*$")


@dataclass(frozen=True, slots=True)
class Block:
    code: str
    statement: str
    strength: str
    area: str
    name: str
    evidence: str
    first_line: int
    last_line: int
    area_line: int

    @property
    def level(self) -> str:
        """The MHS/MHM tag of the link: on the knowledge area, else on the area."""
        for text in (self.name, self.area):
            tagged = TAG.search(text)
            if tagged:
                return tagged["tag"]
        return ""


@dataclass(frozen=True, slots=True)
class Document:
    preamble: tuple[tuple[int, str], ...]
    legend: str
    blocks: tuple[Block, ...]


def strip_tag(text: str) -> str:
    return TAG.sub("", text).strip()


def parse(lines: list[SourceLine]) -> Document:
    preamble: list[tuple[int, str]] = []
    legend = ""
    blocks: list[Block] = []
    current: dict[str, str] = {}
    start = area_line = 0

    def close(last_line: int) -> None:
        if not current:
            return
        missing = [f for f in ("code", *FIELDS) if f not in current]
        if missing:
            raise SeedFormatError(f"line {start}: block {current.get('code')} lacks {missing}")
        blocks.append(Block(first_line=start, last_line=last_line, area_line=area_line, **current))
        current.clear()

    previous = 0
    for line in lines:
        text = clean(line.text)
        if not text:
            continue
        competency = COMPETENCY.match(text)
        if competency:
            close(previous)
            start = line.number
            current.update(code=competency["code"], statement=competency["statement"])
        elif text.startswith(LEGEND):
            close(previous)
            legend = text
        elif current:
            field = next((f for f, label in FIELDS.items() if text.startswith(label)), None)
            if field is None:
                raise SeedFormatError(
                    f"line {line.number}: expected one of {list(FIELDS.values())}"
                )
            if field in current:
                raise SeedFormatError(f"line {line.number}: '{FIELDS[field]}' twice in one block")
            current[field] = text[len(FIELDS[field]) :].strip()
            if field == "area":
                area_line = line.number
        elif not blocks:
            preamble.append((line.number, text))
        else:
            raise SeedFormatError(f"line {line.number}: text outside a competency block")
        previous = line.number
    close(previous)
    return Document(tuple(preamble), legend, tuple(blocks))
