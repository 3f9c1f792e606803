"""An XLSX file as what it is underneath: a zip archive of XML parts, read within bounds.

A few kilobytes of zip can unzip to gigabytes, so :class:`XmlArchive` first checks
what the archive's directory declares — how many parts, how large each is unzipped,
how far each is compressed — and refuses before unzipping a byte; then, since a
directory can lie, it counts the bytes really unzipped as they come.  Each part is
parsed by the standard library's expat in chunks, through handlers (no tree is
built), so memory stays bounded whatever the part holds; a caller that stops asking
for chunks stops the unzipping there.

Any document type declaration is refused, as defusedxml's ``forbid_dtd`` does: a
workbook never needs one, and entities are how an XML bomb (billion laughs) expands
and how an external entity reads a local file.  Limits are
:mod:`crosswalk.formats.limits`'.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.parsers import expat

from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.limits import MB, Limits, Tally, over, show_bytes

CHUNK = 64 * 1024
# A part this small cannot hurt whatever its compression ratio.
_RATIO_FLOOR = 1 * MB


class XlsxError(ExchangeError):
    """Not a workbook we can read: not a zip archive, damaged, or holding an XML DTD."""


class XmlArchive:
    """The parts of one zip archive, each unzipped and parsed on demand within ``limits``."""

    def __init__(self, source: bytes | Path, name: str, limits: Limits, tally: Tally) -> None:
        self.name = name
        self.limits = limits
        self.tally = tally
        self._unzipped = 0
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise XlsxError(f"{name}: not an XLSX workbook ({reason(error)})") from None
        self.names = set(self._zip.namelist())
        try:
            self._check_directory()
        except BaseException:
            self._zip.close()
            raise

    def close(self) -> None:
        self._zip.close()

    def _check_directory(self) -> None:
        """Refuse on what the zip directory declares, before unzipping a byte."""
        parts = self._zip.infolist()
        if len(parts) > self.limits.parts:
            limit = f"{self.limits.parts:,} files"
            raise over(self.name, f"{len(parts):,} files in the archive", limit)
        total = 0
        for part in parts:
            size = part.file_size
            if size > self.limits.part_bytes:
                raise over(self.name, f"{part.filename} unzips to {show_bytes(size)}", self._part)
            if size > _RATIO_FLOOR and size > self.limits.ratio * max(part.compress_size, 1):
                ratio = size // max(part.compress_size, 1)
                raise over(
                    self.name,
                    f"{part.filename} is compressed {ratio:,} to 1, as a zip bomb is",
                    f"{self.limits.ratio} to 1",
                )
            total += size
        if total > self.limits.workbook_bytes:
            raise over(self.name, f"the workbook unzips to {show_bytes(total)}", self._whole)

    @property
    def _part(self) -> str:
        return f"{show_bytes(self.limits.part_bytes)} for one part of a workbook"

    @property
    def _whole(self) -> str:
        return f"{show_bytes(self.limits.workbook_bytes)} for a whole workbook"

    def _chunks(self, part: str) -> Iterator[bytes]:
        """The bytes of ``part`` as unzipped, counted against the limits as they come."""
        read = 0
        try:
            with self._zip.open(part) as stream:
                while chunk := stream.read(CHUNK):
                    read += len(chunk)
                    self._unzipped += len(chunk)
                    if read > self.limits.part_bytes:
                        raise over(self.name, f"{part} unzips to more than it declares", self._part)
                    if self._unzipped > self.limits.workbook_bytes:
                        what = "the workbook unzips to more than it declares"
                        raise over(self.name, what, self._whole)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
            raise XlsxError(f"{self.name}: not a readable XLSX workbook ({reason(e)})") from None

    def steps(self, part: str, handler: Handler) -> Iterator[None]:
        """Feed ``part`` through expat to ``handler``, yielding after each chunk."""
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self._refuse_dtd(part)
        parser.EntityDeclHandler = self._refuse_dtd(part)
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        try:
            for chunk in self._chunks(part):
                parser.Parse(chunk, False)
                yield
            parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise XlsxError(
                f"{self.name}: not a readable XLSX workbook ({part}: bad XML at line "
                f"{error.lineno}: {expat.ErrorString(error.code)})"
            ) from None
        yield

    def parse(self, part: str, handler: Handler) -> None:
        """The whole of ``part`` through ``handler``."""
        for _ in self.steps(part, handler):
            pass

    def elements(self, part: str, wanted: set[str]) -> list[tuple[str, dict[str, str]]]:
        """``(parent/name, attributes)`` of the elements of ``part`` named in ``wanted``.

        ``wanted`` holds ``"sheets/sheet"``-style keys of local names; attribute names
        are local too (``id`` for ``r:id``).  Each element found counts as a cell.
        """
        collector = _Elements(self, part, wanted)
        self.parse(part, collector)
        return collector.found

    def _refuse_dtd(self, part: str) -> Callable[..., None]:
        def refuse(*_: object) -> None:
            raise XlsxError(
                f"{self.name}: {part} declares an XML document type (<!DOCTYPE …>), which no "
                "workbook needs and which can expand into gigabytes or read local files; "
                "save the workbook again from your spreadsheet"
            )

        return refuse


class Handler:
    """What a part is parsed into, by expat's callbacks (no tree is built).

    Element names come as expat gives them, ``namespace}local`` (``local`` without a
    namespace).  Each handler counts its own depth — the callbacks run per element, so
    they are kept to one call each — and calls :meth:`too_deep` past the limit: expat
    keeps every open element, and a part of ``<a><a><a>…`` would fill the memory.
    """

    def __init__(self, archive: XmlArchive, part: str) -> None:
        self.archive, self.part = archive, part
        self.depth = 0
        self.max_depth = archive.limits.xml_depth

    def start(self, name: str, attributes: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, name: str) -> None:
        raise NotImplementedError

    def text(self, data: str) -> None:
        """Character data; ignored unless a handler wants it."""

    def too_deep(self) -> None:
        limit = f"{self.max_depth} levels"
        raise over(self.archive.name, f"{self.part}: elements nested too deeply", limit)


class _Elements(Handler):
    def __init__(self, archive: XmlArchive, part: str, wanted: set[str]) -> None:
        super().__init__(archive, part)
        self.wanted = wanted
        self.found: list[tuple[str, dict[str, str]]] = []
        self.path = [""]

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            self.too_deep()
        name = local(name)
        key = f"{self.path[-1]}/{name}"
        self.path.append(name)
        if key in self.wanted:
            self.archive.tally.count(1, self.part)
            self.found.append((key, {local(k): v for k, v in attributes.items()}))

    def end(self, name: str) -> None:
        self.depth -= 1
        self.path.pop()


def part_path(base: str, target: str) -> str:
    """The archive path of a relationship's target, relative to ``base`` unless absolute."""
    if not target:
        return ""
    path = target if target.startswith("/") else posixpath.join(base, target)
    return posixpath.normpath(path).lstrip("/")


def local(name: str) -> str:
    """``row`` for ``namespace}row``."""
    return name.rpartition("}")[2]


def reason(error: BaseException) -> str:
    """An exception as a short phrase for a one-line message."""
    text = " ".join(str(error).split())[:120]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
