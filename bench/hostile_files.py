"""Hostile and garbage input files, made on demand: one set for the tests and the benches.

Each maker writes one file into ``folder`` and returns its path.  They are what a
reviewer (or an unlucky user) fed ``crosswalk import``, ``crosswalk readiness`` and the
readiness upload page; every one of them must be refused with one line (CLI) or a 4xx
(web) in well under 2 s, without the process growing by more than a few megabytes:

* :func:`shared_string_bomb` — a ~390 KB workbook whose shared-strings part holds one
  400 MB string (it drove the server to 24 GB);
* :func:`many_strings_bomb` — a ~100 KB workbook whose shared-strings part holds
  2.5 million tiny strings (openpyxl took 50 s over it);
* :func:`wide_sheet` — a ~1 MB workbook of 2,000 rows × 16,000 cells (over 10 minutes
  of CPU in openpyxl);
* :func:`sheet_bomb` — a ~130 KB workbook whose sheet holds 40 MB of one-letter text
  cells (1.2 million of them);
* :func:`many_parts` — a valid workbook plus 30,000 empty archive members (a
  central-directory bomb under the 5 MB upload limit);
* :func:`sparse_sheet` — a header and one cell at XFD1048576: a reader that fills the
  gap row by row and column by column has 17 billion cells to make;
* :func:`lying_sizes` — a string bomb whose zip directory says the strings are 100 bytes;
* :func:`billion_laughs`, :func:`external_entity` — XML with a DTD;
* :func:`formula_workbook` — a workbook to import whose one statement is a formula;
* :func:`deep_json` (``[`` × 100,000), :func:`huge_csv_field`, :func:`wide_csv`,
  :func:`long_csv` — the same limits for text formats;
* :func:`long_transcript` — 20,000 well-formed trainings (each row read is assessed);
* :func:`unknown_codes` — 462,000 distinct unknown codes in 154 rows (4.9 MB);
* :func:`garbage` (random bytes under any name) and :func:`plain_text` (``x.txt``).

The workbooks are built from raw XML parts (a library writing XLSX would refuse to make
them); the big ones are compressed as they are generated, so making the 400 MB bomb
takes a second or two and little memory.  Sizes are parameters so tests can use
smaller bombs (still well past every limit) than the benches.  Run
``python bench/hostile_files.py FOLDER`` to write the whole set with default sizes, and
add ``--measure`` to run ``crosswalk import --check`` and ``crosswalk readiness`` on
each, printing the exit status, seconds and peak RSS.  Tests import this module through
``tests/hostile.py``.
"""

from __future__ import annotations

import random
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
# A header both readers accept: a workbook's items sheet (framework, code; title is a
# synonym of name) and a transcript (a title and a codes column).
HEADER = ("framework", "code", "title", "codes")
MB = 1024 * 1024


def _content_types(shared_strings: bool) -> bytes:
    strings = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        if shared_strings
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        f"{strings}</Types>"
    ).encode()


def _package_parts(sheet_name: str, shared_strings: bool) -> dict[str, bytes]:
    strings = (
        f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        if shared_strings
        else ""
    )
    return {
        "[Content_Types].xml": _content_types(shared_strings),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
            f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f"{strings}</Relationships>"
        ).encode(),
    }


def raw_workbook(
    path: Path,
    sheet: Iterable[bytes],
    shared_strings: Iterable[bytes] | None = None,
    *,
    sheet_name: str = "Items",
) -> Path:
    """A one-sheet XLSX from raw XML chunks, compressed as they come (for any size)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in _package_parts(sheet_name, shared_strings is not None).items():
            archive.writestr(name, data)
        parts = {"xl/worksheets/sheet1.xml": sheet}
        if shared_strings is not None:
            parts["xl/sharedStrings.xml"] = shared_strings
        for name, chunks in parts.items():
            with archive.open(name, "w", force_zip64=True) as stream:
                for chunk in chunks:
                    stream.write(chunk)
    return path


def _sheet(rows: Iterable[bytes]) -> Iterator[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def _inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> bytes:
    cells = "".join(_inline(f"{'ABCD'[n]}1", name) for n, name in enumerate(HEADER))
    return f'<row r="1">{cells}</row>'.encode()


def _strings(chunks: Iterable[bytes], count: int) -> Iterator[bytes]:
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'
    ).encode()
    yield from chunks
    yield b"</sst>"


def shared_string_bomb(folder: Path, megabytes: int = 400, name: str = "string-bomb") -> Path:
    """One shared string of ``megabytes`` MB of "A" (400 MB → a ~390 KB file), used in A2."""

    def text() -> Iterator[bytes]:
        yield b"<si><t>"
        block = b"A" * MB
        for _ in range(megabytes):
            yield block
        yield b"</t></si>"

    rows = [_header_row(), b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
    return raw_workbook(folder / f"{name}.xlsx", _sheet(rows), _strings(text(), 1))


def many_strings_bomb(folder: Path, count: int = 2_500_000) -> Path:
    """``count`` shared strings of one letter each (2.5 M → a ~40 KB file)."""

    def strings() -> Iterator[bytes]:
        block = b"<si><t>a</t></si>" * 10_000
        for _ in range(count // 10_000):
            yield block

    rows = [_header_row(), b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
    return raw_workbook(folder / "strings-bomb.xlsx", _sheet(rows), _strings(strings(), count))


def wide_sheet(
    folder: Path, rows: int = 2_000, columns: int = 16_000, *, references: bool = False
) -> Path:
    """``rows`` × ``columns`` numeric cells (2,000 × 16,000 → a ~1 MB file).

    Without ``references`` the cells follow each other (allowed: a cell without ``r``
    is the one after the last) and the rows repeat, so the sheet compresses hundreds to
    one; with them (``B7``) it compresses like a real sheet, 5 to 20 to one.
    """

    def body() -> Iterator[bytes]:
        yield _header_row()
        for number in range(2, rows + 2):
            if references:
                cells = "".join(
                    f'<c r="{_letters(n)}{number}"><v>{n % 10}</v></c>'
                    for n in range(1, columns + 1)
                )
            else:
                cells = f"<c><v>{number % 10}</v></c>" * columns
            yield f'<row r="{number}">{cells}</row>'.encode()

    return raw_workbook(folder / "wide.xlsx", _sheet(body()))


def sheet_bomb(folder: Path, megabytes: int = 40) -> Path:
    """``megabytes`` MB of identical rows of one-letter text cells (40 → a ~130 KB file)."""
    row = ("<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 100 + "</row>").encode()

    def body() -> Iterator[bytes]:
        yield _header_row()
        for _ in range(megabytes * MB // len(row)):
            yield row

    return raw_workbook(folder / "sheet-bomb.xlsx", _sheet(body()))


def many_parts(folder: Path, parts: int = 30_000) -> Path:
    """A valid workbook plus ``parts`` empty archive members."""
    path = raw_workbook(folder / "many-parts.xlsx", _sheet([_header_row()]))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        for number in range(parts):
            archive.writestr(f"xl/media/padding{number}.bin", b"")
    return path


def _letters(column: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sparse_sheet(folder: Path) -> Path:
    """A header and one cell at XFD1048576, the last cell a worksheet can have."""
    rows = [_header_row(), b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>']
    return raw_workbook(folder / "sparse.xlsx", _sheet(rows))


def lying_sizes(folder: Path, megabytes: int = 64) -> Path:
    """A shared-string bomb whose zip directory says its strings part is 100 bytes long."""
    path = shared_string_bomb(folder, megabytes, name="lying")
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    entries = int.from_bytes(data[end + 10 : end + 12], "little")
    offset = int.from_bytes(data[end + 16 : end + 20], "little")
    for _ in range(entries):  # each central directory entry
        assert data[offset : offset + 4] == b"PK\x01\x02"
        name_length, extra_length, comment_length = (
            int.from_bytes(data[offset + n : offset + n + 2], "little") for n in (28, 30, 32)
        )
        name = bytes(data[offset + 46 : offset + 46 + name_length])
        if name == b"xl/sharedStrings.xml":  # the size is at +24, or in a zip64 extra
            if data[offset + 24 : offset + 28] == b"\xff\xff\xff\xff":
                _lie_in_zip64(data, offset + 46 + name_length, extra_length)
            else:
                data[offset + 24 : offset + 28] = (100).to_bytes(4, "little")
        offset += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(data))
    return path


def _lie_in_zip64(data: bytearray, start: int, length: int) -> None:
    """Set the uncompressed size in a zip64 extra field (id 1) to 100."""
    position = start
    while position + 4 <= start + length:
        kind = int.from_bytes(data[position : position + 2], "little")
        size = int.from_bytes(data[position + 2 : position + 4], "little")
        if kind == 1 and size >= 8:
            data[position + 4 : position + 12] = (100).to_bytes(8, "little")
        position += 4 + size


def _dtd_workbook(folder: Path, name: str, doctype: str, entity: str) -> Path:
    """A workbook whose shared-strings part starts with ``doctype`` and uses ``entity``."""
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
        f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&{entity};</t></si></sst>'
    ).encode()
    rows = [_header_row(), b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
    return raw_workbook(folder / name, _sheet(rows), [strings])


def billion_laughs(folder: Path) -> Path:
    """Ten levels of ten entities each: 10⁹ "lol"s if a parser expands them."""
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return _dtd_workbook(folder, "laughs.xlsx", f"<!DOCTYPE sst [{''.join(levels)}]>", "lol9")


def external_entity(folder: Path) -> Path:
    """An entity naming ``/etc/passwd``: a parser that resolves it leaks the file."""
    doctype = '<!DOCTYPE sst [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    return _dtd_workbook(folder, "external.xlsx", doctype, "secret")


def formula_workbook(folder: Path, formula: str = '=HYPERLINK("https://example.org","x")') -> Path:
    """A workbook importing a new framework ``demo`` whose item X2's statement is a formula.

    Made by openpyxl as a spreadsheet saves it, except that no spreadsheet has
    calculated the formula, so the cell holds no value: an importer reading values
    only takes an empty statement without a word.
    """
    from openpyxl import Workbook

    book = Workbook()
    frameworks = book.active
    assert frameworks is not None
    frameworks.title = "Frameworks"
    frameworks.append(["id", "title"])
    frameworks.append(["demo", "Demo framework"])
    items = book.create_sheet("Items")
    items.append(["framework", "code", "name", "statement"])
    items.append(["demo", "X1", "First", "A plain statement"])
    items.append(["demo", "X2", "Second", formula])
    path = folder / "formula.xlsx"
    book.save(path)
    return path


def deep_json(folder: Path, depth: int = 100_000) -> Path:
    """``[`` × ``depth``: a JSON parser that recurses runs out of stack."""
    path = folder / "deep.json"
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    return path


def huge_csv_field(folder: Path, megabytes: int = 50) -> Path:
    """``items.csv`` whose one statement is ``megabytes`` MB long."""
    path = folder / "items.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("framework,code,name,statement\nimh,X1,Item,")
        for _ in range(megabytes):
            stream.write("A" * MB)
        stream.write("\n")
    return path


def wide_csv(folder: Path, columns: int = 100_000) -> Path:
    """``items.csv`` with ``columns`` header fields."""
    path = folder / "items.csv"
    extra = ",".join(f"x{n}" for n in range(columns))
    path.write_text(f"framework,code,name,{extra}\nimh,X1,Item\n", encoding="utf-8")
    return path


def long_csv(folder: Path, rows: int = 2_000_000) -> Path:
    """``items.csv`` with ``rows`` one-character rows (2 M → 16 MB)."""
    path = folder / "items.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("framework,code\n")
        block = "a,b\n" * 10_000
        for _ in range(rows // 10_000):
            stream.write(block)
    return path


def long_transcript(folder: Path, rows: int = 20_000) -> Path:
    """A well-formed CSV transcript of ``rows`` trainings (20,000 → 1.2 MB): each row
    read is assessed, so rows, not bytes, are what it costs."""
    path = folder / "long-transcript.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("Title,Date,Hours,CKC Codes\n")
        for n in range(rows):
            stream.write(f'Training {n} on observation,2023-03-14,2,"2.1; 4.{n % 6 + 1}"\n')
    return path


def unknown_codes(folder: Path, rows: int = 154, per_row: int = 3_000) -> Path:
    """A transcript whose code cells each list ``per_row`` distinct codes no framework
    has (154 × 3,000 → 4.9 MB, within the upload limit): each code costs a lookup in
    every framework and, unbounded, a "did you mean" (53 s of CPU on the 20,000-item
    store before the code limit, the hint budget and the numbering index)."""
    path = folder / "unknown-codes.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("Title,Date,Clock Hours,Provider,Codes,Framework,Type\n")
        for n in range(rows):
            codes = ";".join(f"Z{n * per_row + i}.{i % 97}" for i in range(per_row))
            stream.write(f'Training {n},2023-02-11,3,WV,"{codes}",CKC,training\n')
    return path


def garbage(folder: Path, name: str = "garbage.bin", size: int = 64 * 1024) -> Path:
    """``size`` random bytes (seeded, so the same each run) under any name."""
    path = folder / name
    path.write_bytes(random.Random(name).randbytes(size))
    return path


def plain_text(folder: Path, name: str = "x.txt") -> Path:
    """A note someone meant to keep elsewhere."""
    path = folder / name
    path.write_text("Notes from the March training.\nBring the binder.\n", encoding="utf-8")
    return path


ALL = (
    shared_string_bomb,
    many_strings_bomb,
    sheet_bomb,
    many_parts,
    wide_sheet,
    sparse_sheet,
    lying_sizes,
    billion_laughs,
    external_entity,
    formula_workbook,
    deep_json,
    garbage,
    plain_text,
)


def write_all(folder: Path) -> list[Path]:
    """Every file above at its default (full) size; CSV files in a folder each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [make(folder) for make in ALL]
    for make_csv in (huge_csv_field, wide_csv, long_csv):
        sub = folder / make_csv.__name__
        sub.mkdir(exist_ok=True)
        paths.append(make_csv(sub))
    return paths


def measure(paths: list[Path], database: str) -> None:
    """Run ``crosswalk import --check`` and ``crosswalk readiness`` on each file.

    Prints the exit status, the wall time and the peak RSS of each run (the process,
    start-up included; ``os.wait4`` gives each child's own), the time the library
    itself took to read or refuse the file in this process (``library``), then the
    first line of what the command said.  ``crosswalk --version`` first, for the cost
    of starting the command at all.  Not run by the test suite.
    """
    import os
    import subprocess
    import time

    from crosswalk.formats.errors import ExchangeError
    from crosswalk.formats.exchange import detect_format, read_content
    from crosswalk.readiness import TranscriptError, read_transcript

    def library(name: str, path: Path) -> float:
        started = time.perf_counter()
        try:
            if name == "import":
                read_content(path, detect_format(path))
            else:
                read_transcript(path.read_bytes(), path.name)
        except (ExchangeError, TranscriptError):
            pass
        return time.perf_counter() - started

    crosswalk = Path(sys.executable).parent / "crosswalk"
    env = {**os.environ, "CROSSWALK_DATABASE_URL": database}
    subprocess.run([crosswalk, "frameworks"], env=env, capture_output=True, check=True)
    print(
        f"{'file':<28} {'command':<10} {'exit':>4} {'seconds':>7} {'peak RSS':>9} "
        f"{'library':>7}  says"
    )
    runs = [(Path("(start-up)"), "--version", ["--version"])]
    for path in paths:
        runs.append((path, "import", ["import", "--check", str(path)]))
        runs.append((path, "readiness", ["readiness", str(path), "--category", "IFS"]))
    measured = []
    for path, name, args in runs:  # all the commands first: a child forked after this
        started = time.perf_counter()  # process grew would start with its memory
        child = subprocess.Popen(
            [crosswalk, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        assert child.stderr is not None
        said = child.stderr.read().decode(errors="replace")
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        measured.append((path, name, os.waitstatus_to_exitcode(status), seconds, usage, said))
    for path, name, status, seconds, usage, said in measured:
        line = " ".join(said.split())[:90]
        shown = f"{path.parent.name}/{path.name}" if path.name == "items.csv" else path.name
        own = f"{library(name, path):>7.2f}" if path.exists() else f"{'':>7}"
        print(
            f"{shown:<28} {name:<10} {status:>4} {seconds:>7.2f} "
            f"{usage.ru_maxrss / 1024:>6.0f} MB {own}  {line}"
        )


def main() -> None:
    """``python bench/hostile_files.py FOLDER [--measure]``: write the set (and time it)."""
    import tempfile

    folder = Path(next((a for a in sys.argv[1:] if not a.startswith("--")), "hostile-files"))
    paths = write_all(folder)
    for path in paths:
        print(f"{path}  {path.stat().st_size:,} bytes")
    if "--measure" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            measure(paths, f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")


if __name__ == "__main__":
    main()
