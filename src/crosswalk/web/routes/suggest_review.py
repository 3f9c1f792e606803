"""Reviewing suggestions: a crosswalk's suggested links, paged, with Accept and Reject.

Editors of a crosswalk (those who may propose changes to it) see, for each source item,
its best suggestions with a score and a reason, and decide: *Accept* adds the link to a
draft change set — reviewed and published like any other change — and *Reject* records
a negative, so the pair is never suggested again.  The same forms appear on an item's
page (:func:`item_suggestions`).  Forms are plain posts (CSRF-checked, no JavaScript)
that redirect back to where they were sent from.  What an accepted link carries (score,
justification, reason) is worked out again from the stored data, never read from the
form.  The model's work runs a few requests at a time, like the other suggestion routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Annotated
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from crosswalk.catalog import Catalog
from crosswalk.curation import changes, suggestions
from crosswalk.curation.permissions import Action, Actor, Denied, may, require
from crosswalk.model import Crosswalk, Item
from crosswalk.store import Repository
from crosswalk.suggest import ModelUnavailable, Ranking
from crosswalk.web.auth import PageActor, RepositoryDep
from crosswalk.web.deps import CatalogDep, catalog_store, stored_id
from crosswalk.web.forms import FormFields
from crosswalk.web.limits import MAX_ROW_ID
from crosswalk.web.rendering import render
from crosswalk.web.routes.suggest import few_at_a_time

router = APIRouter(include_in_schema=False)

PER_PAGE = 10  # source items per page of the review page
PER_ITEM = 3  # suggestions shown per source item
MAX_PAGE = 1000

# What each SEMAPV justification means, in a reader's words.
JUSTIFICATION_WORDS = {
    "semapv:SemanticSimilarityThresholdMatching": "similar meaning",
    "semapv:LexicalMatching": "shared words",
    "semapv:MappingChaining": "a chain through another crosswalk",
    "semapv:StructuralMatching": "the links already made",
    "semapv:CompositeMatching": "several signals together",
}


@dataclass(frozen=True)
class Review:
    """What the forms of one page need: the crosswalk, the pairs open change sets
    propose already, the draft accepted links go to, and where to come back to."""

    crosswalk: Crosswalk
    pending: dict[tuple[str, str], int]
    change_set: changes.ChangeSet | None
    back: str


@router.get("/crosswalks/{crosswalk_id}/suggestions")
def review_page(
    request: Request,
    crosswalk_id: str,
    actor: PageActor,
    store: RepositoryDep,
    catalog: CatalogDep,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    change_set: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
) -> Response:
    crosswalk = catalog.crosswalk(crosswalk_id)
    _may_review(actor, crosswalk)
    problem = ""
    rankings: list[Ranking] = []
    try:
        rankings = few_at_a_time(
            lambda: suggestions.for_review(
                store,
                catalog,
                crosswalk.source_framework,
                crosswalk.target_framework,
                top=PER_ITEM,
            )
        )
    except ModelUnavailable as error:
        problem = str(error)
    pages = max(1, -(-len(rankings) // PER_PAGE))
    page = min(page, pages)
    shown = rankings[(page - 1) * PER_PAGE : page * PER_PAGE]
    review = _review(request, store, actor, crosswalk, change_set)
    drafts = _drafts(store, actor)
    response = render(
        request,
        "suggestions.html",
        {
            "title": f"Suggested links: {crosswalk.title}",
            "crosswalk": crosswalk,
            "rankings": shown,
            "review": review,
            "drafts": drafts,
            "page": page,
            "pages": pages,
            "problem": problem,
            "justification_words": JUSTIFICATION_WORDS,
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/crosswalks/{crosswalk_id}/suggestions/accept")
def accept(
    request: Request, crosswalk_id: str, actor: PageActor, store: RepositoryDep, form: FormFields
) -> Response:
    catalog = catalog_store(request).snapshot(latest=True).catalog
    chosen = form.get("change_set", "")
    made = few_at_a_time(
        lambda: suggestions.accept(
            store,
            actor,
            catalog,
            crosswalk_id,
            form.get("source", ""),
            form.get("target", ""),
            change_set_id=stored_id(chosen),
        )
    )
    return _back(form.get("next", ""), crosswalk_id, made.id)


@router.post("/crosswalks/{crosswalk_id}/suggestions/reject")
def reject(
    request: Request, crosswalk_id: str, actor: PageActor, store: RepositoryDep, form: FormFields
) -> Response:
    catalog = catalog_store(request).snapshot(latest=True).catalog
    suggestions.reject_suggestion(
        store,
        actor,
        crosswalk_id,
        form.get("source", ""),
        form.get("target", ""),
        justification=form.get("justification", "")[:100],
        note=form.get("note", ""),
        catalog=catalog,
    )
    chosen = form.get("change_set", "")
    return _back(form.get("next", ""), crosswalk_id, stored_id(chosen))


def item_suggestions(
    request: Request, store: Repository, actor: Actor, catalog: Catalog, item: Item
) -> tuple[list[tuple[Review, Ranking]], str]:
    """For an item's page: its best suggestions in each crosswalk from its framework
    that ``actor`` may propose changes to (none for others, for groups of items, and
    for releases and previews); and the problem, if the model could not run."""
    if "release" in request.query_params or "preview" in request.query_params:
        return [], ""
    if not actor.signed_in or not catalog.is_leaf(item):
        return [], ""
    crosswalks = [
        c
        for c in catalog.crosswalks.values()
        if c.source_framework == item.framework and may(actor, Action.PROPOSE, ("crosswalk", c.id))
    ]
    chosen = request.query_params.get("change_set", "")
    draft = stored_id(chosen)

    def ranked(crosswalk: Crosswalk) -> Ranking:
        (ranking,) = suggestions.for_review(
            store,
            catalog,
            crosswalk.source_framework,
            crosswalk.target_framework,
            item=item.code,
            top=PER_ITEM,
        )
        return ranking

    found = []
    try:
        for crosswalk in crosswalks:
            ranking = few_at_a_time(partial(ranked, crosswalk))
            found.append((_review(request, store, actor, crosswalk, draft), ranking))
    except ModelUnavailable as error:
        return found, str(error)
    return found, ""


def _may_review(actor: Actor, crosswalk: Crosswalk) -> None:
    if not actor.signed_in:
        raise Denied("sign in to review suggested links", signed_in=False)
    require(actor, Action.PROPOSE, [("crosswalk", crosswalk.id)])


def _drafts(store: Repository, actor: Actor) -> list[changes.ChangeSet]:
    return [c for c in changes.listed(store, actor, ["draft"]) if c.author == actor.name]


def _review(
    request: Request,
    store: Repository,
    actor: Actor,
    crosswalk: Crosswalk,
    change_set: int | None,
) -> Review:
    """The page's review state; ``change_set`` counts only when it is one of the
    actor's drafts (otherwise accepted links start a new one)."""
    draft = next((c for c in _drafts(store, actor) if c.id == change_set), None)
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "change_set"]
    back = request.url.path + (f"?{urlencode(query)}" if query else "")
    return Review(crosswalk, suggestions.pending(store, crosswalk.id), draft, back)


def _back(target: str, crosswalk_id: str, change_set: int | None) -> Response:
    """Back to the page the form was on (a path of this site only), keeping the
    draft accepted links go to."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or "\\" in target:
        parts = urlsplit(f"/crosswalks/{crosswalk_id}/suggestions")
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "change_set"]
    if change_set is not None:
        query.append(("change_set", str(change_set)))
    address = urlunsplit(("", "", parts.path, urlencode(query), parts.fragment))
    return RedirectResponse(address, status_code=303)
