"""“What does my training cover?” and the suggestion API: one library call per route.

The model's work (embedding a text, ranking a pair) runs in the thread pool, never on
the event loop, and at most :data:`CONCURRENT` suggestion requests run at once per
process, so a burst cannot take every core.  Everything a request can ask for is
bounded: the text's length (and the request body's), the number of suggestions, and
the costly leave-one-out ranking to one item per request.  Nothing a visitor types is
stored: free text is embedded in memory only.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import Callable
from typing import Annotated, Literal, TypeVar
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from crosswalk.catalog import Catalog
from crosswalk.model import Framework
from crosswalk.suggest import (
    MAX_TEXT,
    Mode,
    SuggestError,
    Suggestion,
    suggest_pair,
    suggest_text,
)
from crosswalk.web.deps import CatalogDep, invalid_parameter
from crosswalk.web.rendering import render, short_title
from crosswalk.web.schemas.common import ErrorOut
from crosswalk.web.schemas.suggest import PairSuggestionsOut, TextQuery, TextSuggestionsOut

T = TypeVar("T")

CONCURRENT = 2
MAX_API_TOP = 20
PAGE_TOP = 5
# A form or JSON body holding MAX_TEXT characters, percent-encoded, with room to spare.
MAX_BODY_BYTES = 16 * MAX_TEXT
NOT_STORED = "What you type is matched in memory and not stored."

router = APIRouter()
# One semaphore per event loop (a test suite starts several loops in one process).
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)

Top = Annotated[int, Query(ge=1, le=MAX_API_TOP, description=f"Suggestions (1–{MAX_API_TOP})")]


async def _off_loop(work: Callable[[], T]) -> T:
    """Run the model's work in the thread pool, a few at a time."""
    slots = _slots.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(CONCURRENT))
    async with slots:
        return await run_in_threadpool(work)


# -- the page ---------------------------------------------------------------------------


@router.get("/suggest", include_in_schema=False)
async def training_page(
    request: Request, catalog: CatalogDep, text: Annotated[str, Query(max_length=MAX_TEXT)] = ""
) -> Response:
    return await _page(request, catalog, text)


@router.post("/suggest", include_in_schema=False)
async def training_page_post(request: Request, catalog: CatalogDep) -> Response:
    body = await _bounded_body(request)
    fields = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=4)
    text = fields.get("text", [""])[0]
    if len(text) > MAX_TEXT:
        return await _page(request, catalog, "", error=_too_long(text), status=422)
    return await _page(request, catalog, text)


async def _page(
    request: Request, catalog: Catalog, text: str, *, error: str = "", status: int = 200
) -> Response:
    # Frameworks that crosswalks map into first (what a training is tagged with), then
    # the others; each by title.
    targets = {c.target_framework for c in catalog.crosswalks.values()}
    frameworks = sorted(catalog.frameworks.values(), key=lambda f: (f.id not in targets, f.title))
    sections: list[tuple[Framework, list[Suggestion]]] = []
    if text.strip() and not error:

        def each_framework() -> list[tuple[Framework, list[Suggestion]]]:
            return [(f, suggest_text(catalog, f.id, text, top=PAGE_TOP)) for f in frameworks]

        try:
            sections = await _off_loop(each_framework)
        except SuggestError as problem:
            error, status = str(problem), 422
    return render(
        request,
        "suggest.html",
        {
            "title": "What does my training cover?",
            "text": text,
            "max_text": MAX_TEXT,
            "sections": sections,
            "error": error,
            "not_stored": NOT_STORED,
            "short_title": short_title,
        },
        status_code=status,
    )


def _too_long(text: str) -> str:
    return f"The text is {len(text)} characters long; at most {MAX_TEXT} are read. Shorten it."


async def _bounded_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise invalid_parameter(
            "text", f"the request is larger than {MAX_BODY_BYTES} bytes", "body"
        )
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise invalid_parameter(
                "text", f"the request is larger than {MAX_BODY_BYTES} bytes", "body"
            )
    return bytes(body)


# -- the API ----------------------------------------------------------------------------

API_RESPONSES: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorOut, "description": "Unknown framework or item"},
    422: {"model": ErrorOut, "description": "A parameter is wrong; errors[] names it"},
}


@router.get(
    "/api/suggest/text",
    tags=["suggestions"],
    summary="Items of a framework a text (a training) most likely covers",
    responses=API_RESPONSES,
)
async def text_suggestions(
    catalog: CatalogDep,
    to: Annotated[str, Query(description="Framework whose items are suggested")],
    text: Annotated[
        str, Query(min_length=1, max_length=MAX_TEXT, description="Title and description")
    ],
    top: Top = 10,
) -> TextSuggestionsOut:
    """Suggestions for review, not alignments: each with a score, a SEMAPV
    justification and a reason (matched words, similar linked items)."""
    return await _text(catalog, TextQuery(to=to, text=text, top=top))


@router.post(
    "/api/suggest/text",
    tags=["suggestions"],
    summary="The same, with the text in a JSON body",
    responses=API_RESPONSES,
)
async def text_suggestions_post(request: Request, catalog: CatalogDep) -> TextSuggestionsOut:
    """Body: ``{"to": "wv-ckc-2015", "text": "…", "top": 10}`` (at most 4,000 characters)."""
    body = await _bounded_body(request)
    try:
        query = TextQuery.model_validate(json.loads(body or b"null"))
    except json.JSONDecodeError as error:
        raise invalid_parameter("body", f"not JSON: {error.msg}", "body") from None
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][-1]) if first.get("loc") else "body"
        raise invalid_parameter(name, str(first.get("msg", "invalid")), "body") from None
    return await _text(catalog, query)


async def _text(catalog: Catalog, query: TextQuery) -> TextSuggestionsOut:
    catalog.framework(query.to)
    try:
        found = await _off_loop(lambda: suggest_text(catalog, query.to, query.text, top=query.top))
    except SuggestError as error:
        raise invalid_parameter("text", str(error)) from None
    return TextSuggestionsOut.of(query.to, found)


@router.get(
    "/api/suggest/pair",
    tags=["suggestions"],
    summary="Target items suggested for each source item of a framework pair",
    responses=API_RESPONSES,
)
async def pair_suggestions(
    catalog: CatalogDep,
    source: Annotated[str, Query(alias="from", description="Framework to suggest links from")],
    to: Annotated[str, Query(description="Framework whose items are suggested")],
    item: Annotated[str | None, Query(description="Only this source item (code or name)")] = None,
    mode: Annotated[
        Literal["complete", "blind", "leave-one-out"],
        Query(description="complete: skip links already made; blind / leave-one-out: see docs"),
    ] = "complete",
    top: Top = 5,
) -> PairSuggestionsOut:
    """``leave-one-out`` ranks from a catalog per item, so it needs ``item``."""
    chosen = Mode(mode)
    if chosen is Mode.LEAVE_ONE_OUT and item is None:
        raise invalid_parameter("item", "leave-one-out ranks one item per request: give item")
    try:
        rankings = await _off_loop(
            lambda: suggest_pair(catalog, source, to, item=item, mode=chosen, top=top)
        )
    except SuggestError as error:
        raise invalid_parameter("to", str(error)) from None
    return PairSuggestionsOut.of(source, to, chosen, rankings)
