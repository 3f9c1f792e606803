"""Writing files whole or not at all.

Every file the product writes (exports, reports, templates, suggestions, matrices)
goes through :func:`replacing`: the content is written to a temporary file beside the
target and moved over it with ``os.replace`` only once it is complete.  An error, a
full disk, Ctrl-C or a kill in the middle therefore never leaves a truncated file, and
never destroys the file that was there before (``--force`` replaces it only when the
new one is whole).  An export of several files (a CSV folder, a CASE package per
framework) writes them :func:`together`: none is replaced unless all are whole.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol, TextIO, cast

# The process's umask, so a new file gets the permissions a plain open() would give it
# (mkstemp makes it private).  Read once: os.umask can only be read by setting it.
_UMASK = os.umask(0o022)
os.umask(_UMASK)

# Per thread, files written and waiting to be moved into place by the ``together``
# blocks open (the innermost last).
_Pending = list[tuple[str, Path]]
_local = threading.local()


def _open_blocks() -> list[_Pending]:
    if not hasattr(_local, "blocks"):
        _local.blocks = []
    blocks: list[_Pending] = _local.blocks
    return blocks


@contextmanager
def replacing(path: Path) -> Iterator[TextIO]:
    """A text stream (UTF-8, newlines as written) whose content becomes ``path`` when
    the ``with`` block ends without an error."""
    with _replacing(path, "w") as stream:
        yield cast(TextIO, stream)


@contextmanager
def replacing_binary(path: Path) -> Iterator[BinaryIO]:
    """:func:`replacing` for bytes (a CASE package written as it is built)."""
    with _replacing(path, "wb") as stream:
        yield cast(BinaryIO, stream)


@contextmanager
def together() -> Iterator[None]:
    """Files written inside the block replace their targets only when all are whole."""
    pending: _Pending = []
    _open_blocks().append(pending)
    try:
        yield
    except BaseException:
        for temporary, _ in pending:
            with suppress(OSError):
                os.unlink(temporary)
        raise
    finally:
        _open_blocks().remove(pending)
    for temporary, path in pending:
        os.replace(temporary, path)


def write_text(path: Path, text: str) -> Path:
    """``path`` holds ``text`` (UTF-8), or, after an error, what it held before."""
    with replacing(path) as stream:
        stream.write(text)
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    """``path`` holds ``data``, or, after an error, what it held before."""
    with replacing_binary(path) as stream:
        stream.write(data)
    return path


class Workbook(Protocol):
    def save(self, filename: Any) -> None: ...


def save_workbook(workbook: Workbook, path: Path) -> Path:
    """An openpyxl workbook saved to ``path`` whole.  It is zipped in memory first: a
    zip archive that fails half-way would otherwise be closed later by the garbage
    collector, on a file already gone."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return write_bytes(path, buffer.getvalue())


@contextmanager
def _replacing(path: Path, mode: str) -> Iterator[IO[Any]]:
    path = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
    except OSError as error:  # no such folder, no permission: name the file meant
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        with suppress(OSError):  # a file system without modes keeps mkstemp's
            os.chmod(temporary, _permissions(path))
        text = "b" not in mode
        with open(
            handle, mode, encoding="utf-8" if text else None, newline="" if text else None
        ) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException as error:
        with suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError) and error.filename is None:
            # A write that failed (a full disk) names no file: name the one meant.
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise
    if _open_blocks():
        _open_blocks()[-1].append((temporary, path))
    else:
        os.replace(temporary, path)


def _permissions(path: Path) -> int:
    """The mode the file has (when replacing one), else what ``open`` would give it."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK
