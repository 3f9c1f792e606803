"""Hostile files, made on demand: small on disk, enormous or dangerous when read.

Plain functions that each write one file to ``path`` and return it, for
``bench/hostile.py`` and for tests that want the real thing rather than a mock.  The
workbooks are valid ZIP archives with just enough OOXML for openpyxl to open them;
each part is streamed through the compressor, so making a 400 MB string costs a few
seconds and little memory.  A sheet is named ``items`` and its first row holds both a
transcript's and an items table's headings, so the same file reaches the readiness
reader and ``crosswalk import``.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADINGS = ("Title", "Date", "Clock Hours", "Provider", "Codes", "framework", "code", "name")
MB = 1024 * 1024


def xlsx_shared_string_bomb(path: Path, megabytes: int = 400) -> Path:
    """About 390 KB on disk: the shared-strings part holds one string of 400 MB."""
    chunk = "A" * MB

    def strings() -> Iterator[str]:
        yield f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'
        for _ in range(megabytes):
            yield chunk
        yield "</t></si></sst>"

    cell = '<c r="A2" t="s"><v>0</v></c>'
    return _workbook(path, _sheet([_heading_row(), f'<row r="2">{cell}</row>']), strings())


def xlsx_sheet_bomb(path: Path, megabytes: int = 40) -> Path:
    """About 130 KB on disk: 40 MB of identical rows, 1.2 million cells of text."""
    cells = "".join('<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(100))
    row = f"<row>{cells}</row>"
    rows = (megabytes * MB) // len(row)
    return _workbook(path, _sheet([_heading_row(), *(row for _ in range(rows))]))


def xlsx_dimension_bomb(path: Path) -> Path:
    """A few KB that claim the whole grid: 1,048,576 rows × 16,384 columns.

    A reader that pads rows to the declared dimension, or fills the gap up to the last
    row, builds 17 billion empty cells from two real ones.
    """
    last = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return _workbook(path, _sheet([_heading_row(), last], dimension="A1:XFD1048576"))


def xlsx_many_cells(path: Path, rows: int = 2_000, columns: int = 16_000) -> Path:
    """About 2 MB on disk: 2,000 rows of 16,000 cells (32 million) of one-digit numbers."""
    bodies = [
        "".join(f"<c><v>{(shift + column) % 10}</v></c>" for column in range(columns))
        for shift in range(10)
    ]
    lines = (f'<row r="{n}">{bodies[n % 10]}</row>' for n in range(2, rows + 2))
    return _workbook(path, _sheet([_heading_row(), *lines]))


def xlsx_dtd(path: Path, kind: str) -> Path:
    """A workbook whose sheet declares a DTD: ``billion-laughs`` (entities nested ten
    deep, 10⁹ copies of "lol") or ``external-entity`` (a cell that is /etc/passwd)."""
    if kind == "billion-laughs":
        entities = ['<!ENTITY lol0 "lol">'] + [
            f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
        ]
        reference = "&lol9;"
    elif kind == "external-entity":
        entities = ['<!ENTITY xxe SYSTEM "file:///etc/passwd">']
        reference = "&xxe;"
    else:
        raise ValueError(f"unknown DTD kind {kind!r}: billion-laughs or external-entity")
    doctype = f"<!DOCTYPE worksheet [{''.join(entities)}]>"
    cell = f'<c r="A2" t="inlineStr"><is><t>{reference}</t></is></c>'
    return _workbook(path, _sheet([_heading_row(), f'<row r="2">{cell}</row>'], doctype=doctype))


def xlsx_many_parts(path: Path, parts: int = 30_000) -> Path:
    """A valid workbook plus 30,000 empty archive members (a central-directory bomb that
    still fits under a 5 MB upload limit)."""
    _workbook(path, _sheet([_heading_row()]))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        for number in range(parts):
            archive.writestr(f"xl/media/padding{number}.bin", b"")
    return path


def nested_json(path: Path, depth: int = 100_000) -> Path:
    """``[[[[…`` a hundred thousand deep: a recursive parser's stack, not its memory."""
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    return path


def random_bytes(path: Path, size: int = 64 * 1024) -> Path:
    """Noise under whatever name ``path`` has (``.xlsx``, ``.json``, ``.csv``)."""
    path.write_bytes(os.urandom(size))
    return path


# -- the OOXML around the hostile part --------------------------------------------------


def _heading_row() -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in HEADINGS)
    return f'<row r="1">{cells}</row>'


def _sheet(rows: Iterable[str], *, doctype: str = "", dimension: str = "") -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="{MAIN}">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield from rows
    yield "</sheetData></worksheet>"


def _workbook(path: Path, sheet: Iterable[str], strings: Iterable[str] | None = None) -> Path:
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{_TYPE}package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEET_TYPE}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_SHEET_TYPE}.worksheet+xml"/>'
        + (
            '<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{_SHEET_TYPE}.sharedStrings+xml"/>'
            if strings is not None
            else ""
        )
        + "</Types>"
    )
    root = (
        f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
        f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    book = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        '<sheet name="items" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    links = (
        f'<Relationships xmlns="{PACKAGE}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        + (
            f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
            if strings is not None
            else ""
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", root)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", links)
        _stream(archive, "xl/worksheets/sheet1.xml", sheet)
        if strings is not None:
            _stream(archive, "xl/sharedStrings.xml", strings)
    return path


_TYPE = "application/vnd.openxmlformats-"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _stream(archive: zipfile.ZipFile, name: str, pieces: Iterable[str]) -> None:
    """Write a member piece by piece (never whole in memory), ZIP64 in case it is huge."""
    with archive.open(name, "w", force_zip64=True) as member:
        buffer: list[str] = []
        size = 0
        for piece in pieces:
            buffer.append(piece)
            size += len(piece)
            if size >= MB:
                member.write("".join(buffer).encode("utf-8"))
                buffer, size = [], 0
        member.write("".join(buffer).encode("utf-8"))
