"""The source documents as printed, so that every link can be checked against its lines.

``/sources/{key}?lines=9-13#L9`` shows a bundled document line by line, the cited
lines highlighted (the ``#L9`` anchor scrolls to the first), and on each line an
erratum changes, the printed text beside our reading with the reason.  Every
provenance on the other pages links here (:func:`crosswalk.web.views.source_url`).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from crosswalk.catalog import NotFound
from crosswalk.sources.documents import documents, source_text
from crosswalk.web.deps import invalid_parameter
from crosswalk.web.rendering import render

router = APIRouter(include_in_schema=False)

_LINES = re.compile(r"(\d{1,6})(?:\s*[-–]\s*(\d{1,6}))?")


@router.get("/sources")
def sources_page(request: Request) -> Response:
    listed = [(d, source_text(d.key)) for d in documents().values()]
    return render(request, "sources.html", {"title": "Source documents", "listed": listed})


@router.get("/sources/{key}")
def source_page(
    request: Request,
    key: str,
    lines: Annotated[
        str | None, Query(max_length=20, description="Lines to highlight: 29, or 9-13")
    ] = None,
) -> Response:
    text = source_text(key)
    if text is None:
        known = ", ".join(f"{d.key} ({d.title})" for d in documents().values())
        raise NotFound(f"we have no source document {key!r}; the documents are {known}")
    first, last = _line_range(lines, len(text.lines))
    return render(
        request,
        "source.html",
        {
            "title": text.document.title,
            "text": text,
            "first": first,
            "last": last,
            "corrected": [line for line in text.lines if line.corrected],
        },
    )


def _line_range(value: str | None, count: int) -> tuple[int, int]:
    """The lines asked for, (0, 0) for none; 422 for text that is not lines of it."""
    if value is None or not value.strip():
        return 0, 0
    match = _LINES.fullmatch(value.strip())
    if match is None:
        raise invalid_parameter("lines", f"{value!r} is not a line or a range such as 9-13")
    first = int(match[1])
    last = int(match[2] or first)
    if not 1 <= first <= last <= count:
        raise invalid_parameter(
            "lines", f"the document has lines 1–{count}; {value!r} is not in it"
        )
    return first, last
