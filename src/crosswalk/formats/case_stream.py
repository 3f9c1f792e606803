"""A CASE package as a stream: built in parts, written one record at a time.

A 20,000-item framework is a 70 MB package; holding it as one object costs hundreds of
megabytes.  :class:`Parts` holds the package's small pieces (document, definitions)
and iterators over its items and associations; :func:`write_package` writes them as
they come, and tells where each record landed, which the REST API uses to serve single
records from the written file (:mod:`crosswalk.formats.case_index`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import GeneratorType
from typing import Any, BinaryIO

from crosswalk.bulk import collector_paused


@dataclass
class Parts:
    """A package in pieces: its items and associations are produced one at a time as
    they are written, so a 20,000-item framework never sits in memory as one object."""

    document: dict[str, Any]
    items: Iterable[dict[str, Any]]
    associations: Iterable[dict[str, Any]]
    definitions: dict[str, Any]
    rubrics: list[Any] = field(default_factory=list)

    def sections(self) -> Iterator[tuple[str, Any]]:
        """``(name, value)`` in the package's key order; lists may be iterators."""
        yield "CFDocument", self.document
        yield "CFItems", self.items
        yield "CFAssociations", self.associations
        yield "CFDefinitions", self.definitions
        if self.rubrics:
            yield "CFRubrics", self.rubrics

    def materialise(self) -> dict[str, Any]:
        return {
            name: list(value) if name in ("CFItems", "CFAssociations") else value
            for name, value in self.sections()
        }


def dumps(package: dict[str, Any]) -> str:
    """The file text of a package (see :func:`write_package`)."""
    stream = io.BytesIO()
    write_package(Parts(**_parts_of(package)), stream)
    return stream.getvalue().decode("utf-8")


def _parts_of(package: dict[str, Any]) -> dict[str, Any]:
    return {
        "document": package["CFDocument"],
        "items": package.get("CFItems", []),
        "associations": package.get("CFAssociations", []),
        "definitions": package.get("CFDefinitions", {}),
        "rubrics": package.get("CFRubrics", []),
    }


Written = Callable[[str, dict[str, Any], int, int], None]


@collector_paused()
def write_package(parts: Parts, stream: BinaryIO, written: Written | None = None) -> None:
    """Write a package as JSON, one record per line, stable key order, UTF-8 kept readable.

    One compact object per line diffs well and lets ``json`` use its C encoder
    (``indent`` falls back to pure Python, four times slower on a large package).
    ``written(section, record, offset, length)`` is told where each item and
    association record landed (the REST API serves records from those byte ranges).
    """
    stream.write(b"{\n")
    first = True
    for name, value in parts.sections():
        stream.write((b"" if first else b",\n") + f"  {json.dumps(name)}: ".encode())
        first = False
        if not isinstance(value, list | Iterator | GeneratorType):
            stream.write(_json(value))
            continue
        count = 0
        for record in value:
            stream.write(b"[\n    " if count == 0 else b",\n    ")
            data = _json(record)
            if written is not None:
                written(name, record, stream.tell(), len(data))
            stream.write(data)
            count += 1
        stream.write(b"\n  ]" if count else b"[]")
    stream.write(b"\n}\n")


# One encoder for every record: ``json.dumps`` with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _json(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")
