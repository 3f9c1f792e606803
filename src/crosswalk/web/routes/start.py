"""Where the home page's two forms lead: look up a code, compare two frameworks.

A person who types "2.1" wants CKC 2.1's page, not a list of results; one who picks two
frameworks wants the crosswalk between them.  Both answer with a redirect to that page
when there is exactly one, and otherwise with the page that helps choose: the items
the text could mean, a search, or the map between frameworks no one crosswalk joins.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from crosswalk.model import Item
from crosswalk.query import locate, looks_like_code
from crosswalk.web.deps import CatalogDep, invalid_parameter
from crosswalk.web.rendering import render
from crosswalk.web.views import item_url

router = APIRouter(include_in_schema=False)


@router.get("/lookup")
def lookup(
    request: Request,
    catalog: CatalogDep,
    code: Annotated[str, Query(max_length=200, description="A code, name or words")] = "",
    framework: Annotated[str | None, Query(description="Only this framework")] = None,
) -> Response:
    framework = framework or None
    if framework is not None and framework not in catalog.frameworks:
        raise invalid_parameter("framework", f"we have no framework called {framework!r}")
    if not code.strip():
        return RedirectResponse("/#lookup", status_code=303)
    found = locate(catalog, code, framework)
    if len(found) == 1:
        return RedirectResponse(item_url(found[0]), status_code=303)
    if not found and framework and looks_like_code(code):
        # A code of that framework that names nothing: its page says why, with the
        # codes it may have meant (or what the documents say about an unprinted code).
        return RedirectResponse(item_url(Item(framework, code.strip(), "")), status_code=303)
    if not found:  # words, a misspelling: the search says what it can
        query = [("q", code.strip())] + ([("framework", framework)] if framework else [])
        return RedirectResponse(f"/search?{urlencode(query)}", status_code=303)
    return render(
        request,
        "lookup.html",
        {
            "title": "Which one did you mean?",
            "text": code.strip(),
            "choices": [(i, catalog.parent_of(i), item_url(i)) for i in found],
            "frameworks": catalog.frameworks,
        },
        status_code=300,
    )


@router.get("/compare")
def compare(
    catalog: CatalogDep,
    source: Annotated[str, Query(alias="from", description="One framework")],
    target: Annotated[str, Query(alias="to", description="The other framework")],
) -> Response:
    for name, value in (("from", source), ("to", target)):
        if value not in catalog.frameworks:
            known = ", ".join(sorted(catalog.frameworks))
            raise invalid_parameter(name, f"we have no framework called {value!r}; choose {known}")
    if source == target:
        raise invalid_parameter("to", "choose two different frameworks to compare")
    between = catalog.crosswalks_between(source, target)
    if len(between) == 1:
        return RedirectResponse(f"/crosswalks/{between[0].id}", status_code=303)
    # No single crosswalk: the map page reads codes across the crosswalks that connect them.
    return RedirectResponse(
        f"/map?{urlencode([('from', source), ('to', target)])}", status_code=303
    )
