"""“What does my training cover?” and the suggestion API: one library call per route.

Every route is a plain function, so the model's work (embedding a text, ranking a pair)
runs in the thread pool, never on the event loop, and it is costly work: it takes a
slot of :data:`~crosswalk.web.busy.COSTLY`, so a burst cannot take every core (503
with ``Retry-After`` beyond the few that run and wait).  Everything a request can ask
for is bounded: the text's length (the request body's by the app's limits), the number
of suggestions, and the costly leave-one-out ranking to one item per request.  Nothing
a visitor types is stored: free text is embedded in memory only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from crosswalk.catalog import Catalog
from crosswalk.curation import suggestions
from crosswalk.model import Framework
from crosswalk.suggest import (
    MAX_ITEMS,
    MAX_TEXT,
    Mode,
    SuggestError,
    Suggestion,
    suggest_text,
    suggestible,
)
from crosswalk.web.auth import RepositoryDep
from crosswalk.web.busy import BUSY_RESPONSE, COSTLY
from crosswalk.web.deps import CatalogDep, invalid_parameter, reading_parameters
from crosswalk.web.rendering import render, short_title
from crosswalk.web.schemas.common import ErrorOut
from crosswalk.web.schemas.suggest import PairSuggestionsOut, TextQuery, TextSuggestionsOut

T = TypeVar("T")

MAX_API_TOP = 20
PAGE_TOP = 5
NOT_STORED = "What you type is matched in memory and not stored."

router = APIRouter()

Top = Annotated[int, Query(ge=1, le=MAX_API_TOP, description=f"Suggestions (1–{MAX_API_TOP})")]


def few_at_a_time(work: Callable[[], T]) -> T:
    """The model's work, in a slot of the costly-work gate (or 503 at once)."""
    with COSTLY.slot("suggestion"):
        return work()


# -- the page ---------------------------------------------------------------------------


@router.get("/suggest", include_in_schema=False)
def training_page(
    request: Request, catalog: CatalogDep, text: Annotated[str, Query(max_length=MAX_TEXT)] = ""
) -> Response:
    return _page(request, catalog, text)


@router.post("/suggest", include_in_schema=False)
def training_page_post(
    request: Request, catalog: CatalogDep, text: Annotated[str, Form()] = ""
) -> Response:
    if len(text) > MAX_TEXT:
        return _page(request, catalog, "", error=_too_long(text), status=422)
    return _page(request, catalog, text)


def _page(
    request: Request, catalog: Catalog, text: str, *, error: str = "", status: int = 200
) -> Response:
    # Frameworks that crosswalks map into first (what a training is tagged with), then
    # the others; each by title.
    targets = {c.target_framework for c in catalog.crosswalks.values()}
    frameworks = sorted(catalog.frameworks.values(), key=lambda f: (f.id not in targets, f.title))
    too_large = [f for f in frameworks if not suggestible(catalog, f.id)]
    frameworks = [f for f in frameworks if f not in too_large]
    sections: list[tuple[Framework, list[Suggestion]]] = []
    if text.strip() and not error:

        def each_framework() -> list[tuple[Framework, list[Suggestion]]]:
            return [(f, suggest_text(catalog, f.id, text, top=PAGE_TOP)) for f in frameworks]

        try:
            sections = few_at_a_time(each_framework)
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
            "too_large": too_large,
            "max_items": MAX_ITEMS,
            "error": error,
            "not_stored": NOT_STORED,
            "short_title": short_title,
        },
        status_code=status,
    )


def _too_long(text: str) -> str:
    return f"The text is {len(text)} characters long; at most {MAX_TEXT} are read. Shorten it."


# -- the API ----------------------------------------------------------------------------

API_RESPONSES: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorOut, "description": "Unknown framework or item"},
    414: {
        "model": ErrorOut,
        "description": "The address is longer than the site reads (a long text: send it with POST)",
    },
    422: {"model": ErrorOut, "description": "A parameter is wrong; errors[] names it"},
    **BUSY_RESPONSE,
}


@router.get(
    "/api/suggest/text",
    tags=["suggestions"],
    dependencies=[Depends(reading_parameters)],
    summary="Items of a framework a text (a training) most likely covers",
    responses=API_RESPONSES,
)
def text_suggestions(
    catalog: CatalogDep,
    to: Annotated[str, Query(description="Framework whose items are suggested")],
    text: Annotated[
        str, Query(min_length=1, max_length=MAX_TEXT, description="Title and description")
    ],
    top: Top = 10,
) -> TextSuggestionsOut:
    """Suggestions for review, not alignments: each with a score, a SEMAPV
    justification and a reason (matched words, similar linked items)."""
    return _text(catalog, TextQuery(to=to, text=text, top=top))


@router.post(
    "/api/suggest/text",
    tags=["suggestions"],
    dependencies=[Depends(reading_parameters)],
    summary="The same, with the text in a JSON body",
    responses={
        **API_RESPONSES,
        400: {"model": ErrorOut, "description": "The body cannot be read (not UTF-8 JSON)"},
    },
)
def text_suggestions_post(query: TextQuery, catalog: CatalogDep) -> TextSuggestionsOut:
    """Body: ``{"to": "wv-ckc-2015", "text": "…", "top": 10}`` (at most 4,000 characters)."""
    return _text(catalog, query)


def _text(catalog: Catalog, query: TextQuery) -> TextSuggestionsOut:
    catalog.framework(query.to)
    try:
        found = few_at_a_time(lambda: suggest_text(catalog, query.to, query.text, top=query.top))
    except SuggestError as error:
        raise invalid_parameter("text", str(error)) from None
    return TextSuggestionsOut.of(query.to, found)


@router.get(
    "/api/suggest/pair",
    tags=["suggestions"],
    dependencies=[Depends(reading_parameters)],
    summary="Target items suggested for each source item of a framework pair",
    responses=API_RESPONSES,
)
def pair_suggestions(
    catalog: CatalogDep,
    store: RepositoryDep,
    source: Annotated[str, Query(alias="from", description="Framework to suggest links from")],
    to: Annotated[str, Query(description="Framework whose items are suggested")],
    item: Annotated[str | None, Query(description="Only this source item (code or name)")] = None,
    mode: Annotated[
        Literal["complete", "blind", "leave-one-out"],
        Query(description="complete: skip links already made; blind / leave-one-out: see docs"),
    ] = "complete",
    top: Top = 5,
) -> PairSuggestionsOut:
    """``leave-one-out`` ranks from a catalog per item, so it needs ``item``.  Links a
    reviewer rejected for a crosswalk between the two frameworks are never suggested."""
    catalog.framework(source)
    catalog.framework(to)
    chosen = Mode(mode)
    if chosen is Mode.LEAVE_ONE_OUT and item is None:
        raise invalid_parameter("item", "leave-one-out ranks one item per request: give item")
    try:
        rankings = few_at_a_time(
            lambda: suggestions.for_review(
                store, catalog, source, to, item=item, mode=chosen, top=top
            )
        )
    except SuggestError as error:
        raise invalid_parameter("to", str(error)) from None
    return PairSuggestionsOut.of(source, to, chosen, rankings)
