"""Pages for browsing: home, a framework's tree, one item, search and the lint report.

Each handler asks the library one question and renders the answer; ``?format=csv``
(or ``xlsx``, ``json``) on a data page returns the same rows as a file instead.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from crosswalk.catalog import Catalog, NotFound
from crosswalk.curation.history import makers
from crosswalk.lint import CHECKS, Finding, lint, summary
from crosswalk.model import Framework, Item
from crosswalk.query import (
    LINT_COLUMNS,
    chains,
    chains_by_target,
    crosswalk_counts,
    describe,
    find_item,
    framework_tree,
    lint_rows,
    search,
    suggestions,
)
from crosswalk.sources.documents import documents
from crosswalk.web import downloads
from crosswalk.web.auth import PageActor
from crosswalk.web.curation_views import removed_links
from crosswalk.web.deps import CatalogDep, SnapshotDep, catalog_store
from crosswalk.web.limits import LIST_LIMIT, MAX_CHAINS
from crosswalk.web.rendering import render, short_title
from crosswalk.web.routes.suggest_review import JUSTIFICATION_WORDS, item_suggestions
from crosswalk.web.views import item_url, link_anchors, named_items, selected_children

router = APIRouter(include_in_schema=False)

Format = Annotated[
    Literal["csv", "xlsx", "json"] | None,
    Query(description="Download the page's data as csv, xlsx or json"),
]


@router.get("/")
def home(request: Request, catalog: CatalogDep) -> Response:
    counts = Counter(i.framework for i in catalog.dataset.items)
    leaves = Counter(i.framework for i in catalog.dataset.items if catalog.is_leaf(i))
    crosswalks = [
        {"crosswalk": c, "counts": crosswalk_counts(catalog, c.id)}
        for c in sorted(catalog.crosswalks.values(), key=lambda c: c.id)
    ]
    return render(
        request,
        "home.html",
        {
            "title": "Competency crosswalk",
            "frameworks": sorted(catalog.frameworks.values(), key=lambda f: f.id),
            "counts": counts,
            "leaves": leaves,
            "crosswalks": crosswalks,
        },
    )


@router.get("/favicon.ico")
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/frameworks")
def frameworks() -> Response:
    return RedirectResponse("/#frameworks", status_code=307)


# A page of the tree beside a framework or an item (1-based); past the last: the last.
TreePage = Annotated[
    int, Query(ge=1, le=100_000, description="Page of the list the tree opens here")
]


@router.get("/frameworks/{framework_id}")
def framework_page(
    request: Request,
    framework_id: str,
    catalog: CatalogDep,
    format: Format = None,
    page: TreePage = 1,
) -> Response:
    framework = catalog.framework(framework_id)
    if format:
        rows = downloads.framework_rows(catalog.items_of(framework.id))
        return downloads.download(rows, downloads.FRAMEWORK_COLUMNS, format, framework.id)
    crosswalks = [
        c
        for c in sorted(catalog.crosswalks.values(), key=lambda c: c.id)
        if framework.id in (c.source_framework, c.target_framework)
    ]
    tree = framework_tree(catalog, framework.id, page=page)
    return render(
        request,
        "framework.html",
        {
            "title": framework.title,
            "framework": framework,
            "item": None,
            "tree": tree,
            "crosswalks": crosswalks,
            "leaves": sum(1 for i in catalog.items_of(framework.id) if catalog.is_leaf(i)),
        },
    )


@router.get("/frameworks/{framework_id}/items/{code:path}")
def item_page(
    request: Request,
    framework_id: str,
    code: str,
    catalog: CatalogDep,
    actor: PageActor,
    format: Format = None,
    page: TreePage = 1,
) -> Response:
    if code.endswith("/") and code.strip("/"):
        return without_trailing_slash(request)
    framework = catalog.framework(framework_id)
    item = catalog.items.get((framework.id, code))
    if item is None:
        # A name or alias ("Self Awareness") leads to the item's own address; a name
        # several items share ("Advocacy") asks which one; nothing fits: 404.
        query = f"?format={format}" if format else ""
        try:
            found = find_item(catalog, framework.id, code, fuzzy=False)
        except NotFound as error:
            return _no_single_item(request, catalog, framework, code, query, str(error))
        return RedirectResponse(item_url(found) + query, status_code=308)
    description = describe(catalog, item)
    further = chains(catalog, item, limit=MAX_CHAINS)
    if format:
        rows = downloads.item_rows(description, further)
        name = f"{item.framework}-{item.code}"
        return downloads.download(rows, downloads.ITEM_COLUMNS, format, name)
    tree = framework_tree(catalog, framework.id, item, page=page)
    shown = [link for group in description.groups for link in group.links[:LIST_LIMIT]]
    ids = [link.alignment.id for link in shown if link.alignment.id]
    store = catalog_store(request).repository()
    made = makers(store, ids)
    suggested, suggest_problem = item_suggestions(request, store, actor, catalog, item)
    return render(
        request,
        "item.html",
        {
            "title": _item_title(item, framework),
            "framework": framework,
            "item": item,
            "description": description,
            "anchors": link_anchors(description.links),
            "chains": chains_by_target(further),
            "chains_cut": len(further) >= MAX_CHAINS,
            "chains_limit": MAX_CHAINS,
            "list_limit": LIST_LIMIT,
            "frameworks": catalog.frameworks,
            "ancestors": _ancestors(catalog, item),
            "tree": tree,
            "children": selected_children(tree),
            "made": made,  # who made each link, when (curation)
            "removed": removed_links(request, catalog, framework.id, item.code),
            "sources_of": [
                c for c in catalog.crosswalks.values() if c.source_framework == framework.id
            ],
            "suggested": suggested,  # for those who may propose links (suggestions)
            "suggest_problem": suggest_problem,
            "justification_words": JUSTIFICATION_WORDS,
        },
    )


def _no_single_item(
    request: Request, catalog: Catalog, framework: Framework, text: str, query: str, detail: str
) -> Response:
    """300 "Which one did you mean?" listing the items ``text`` names, or 404 with the
    nearest items as links when it names none."""
    candidates = named_items(catalog, framework.id, text)
    near = candidates or suggestions(catalog, framework.id, text)
    choices = [(i, catalog.parent_of(i), item_url(i) + query) for i in near]
    if candidates:
        return render(
            request,
            "which.html",
            {
                "title": "Which one did you mean?",
                "framework": framework,
                "text": text,
                "choices": choices,
            },
            status_code=300,
        )
    return render(
        request,
        "error.html",
        {
            "title": "Not found",
            "status": 404,
            "detail": detail,
            "errors": [],
            "near": choices,
            "framework": framework,
        },
        status_code=404,
    )


def _item_title(item: Item, framework: Framework) -> str:
    """Short enough for a browser tab: "2015 CKC 2.1: Respects families and…"."""
    if item.label == item.name:
        return f"{item.name} — {short_title(framework)}"
    name = item.name if len(item.name) <= 60 else item.name[:57].rsplit(" ", 1)[0] + "…"
    return f"{short_title(framework)} {item.code}: {name}"


def without_trailing_slash(request: Request) -> Response:
    """``…/items/2.1/`` → ``…/items/2.1`` (308, the query kept)."""
    query = request.url.query
    return RedirectResponse(
        request.url.path.rstrip("/") + (f"?{query}" if query else ""), status_code=308
    )


def _ancestors(catalog: Catalog, item: Item) -> list[Item]:
    """The areas above an item, outermost first (for the breadcrumb)."""
    trail: list[Item] = []
    parent = catalog.parent_of(item)
    while parent is not None:
        trail.insert(0, parent)
        parent = catalog.parent_of(parent)
    return trail


@router.get("/search")
def search_page(
    request: Request,
    catalog: CatalogDep,
    q: Annotated[str, Query(max_length=200, description="Words to look for")] = "",
    framework: Annotated[str | None, Query(description="Only this framework")] = None,
    format: Format = None,
) -> Response:
    framework = framework or None
    if framework is not None:
        catalog.framework(framework)
    hits = search(catalog, q, framework=framework, limit=50) if q.strip() else []
    if format:
        name = "search-" + (q.strip() or "all")[:40]
        return downloads.download(
            downloads.search_rows(hits), downloads.SEARCH_COLUMNS, format, name
        )
    return render(
        request,
        "search.html",
        {
            "title": f"Search: {q}" if q.strip() else "Search",
            "q": q,
            "framework": framework,
            "frameworks": sorted(catalog.frameworks.values(), key=lambda f: f.id),
            "framework_of": catalog.frameworks,
            "hits": hits,
            "corrected": hits[0].corrected if hits else "",
        },
    )


# What each check means, for a coordinator rather than a programmer.
CHECK_TEXT = {
    "statement-mismatch": (
        "Printed with another item's wording",
        "A link whose printed wording reads like a different item than the code it gives. "
        "Either the code or the wording is probably a slip in the source.",
    ),
    "evidence-mismatch": (
        "Evidence that describes another item",
        "A link whose “as demonstrated by” evidence is, word for word or nearly, the "
        "description of a different item than the one it points to. The link may point "
        "at the wrong item, or the evidence may have been pasted from the wrong row.",
    ),
    "level-mismatch": (
        "Link below its item's level",
        "A link at a lower endorsement level than the item it points to, such as an "
        "untagged (Family Specialist) link to a Mental Health Specialist knowledge area. "
        "The tag or the item may be a slip in the source.",
    ),
    "duplicate-description": (
        "Same description under two names",
        "Two items of one framework are described by exactly the same words; one of them "
        "may have been pasted twice in the source.",
    ),
    "variant-wording": (
        "Printed in more than one wording",
        "The source prints this item's statement in more than one way. Usually harmless; "
        "listed so a reviewer can confirm the wordings mean the same thing.",
    ),
    "duplicate-citation": (
        "Same pair listed twice",
        "The crosswalk lists the same pair of items more than once.",
    ),
    "undefined-reference": (
        "Cited but not defined",
        "The source cites something — an area or another document — that none of the "
        "frameworks here defines.",
    ),
}


@dataclass(frozen=True, slots=True)
class FindingView:
    finding: Finding
    scope_title: str
    scope_url: str
    items: tuple[Item, ...]
    message: str


def _finding_view(catalog: Catalog, finding: Finding) -> FindingView:
    """A finding with its items resolved and its message in plain words."""
    crosswalk = catalog.crosswalks.get(finding.scope)
    if crosswalk is not None:
        frameworks = [crosswalk.source_framework, crosswalk.target_framework]
        scope_title, scope_url = crosswalk.title, f"/crosswalks/{crosswalk.id}"
    else:
        frameworks = [finding.scope]
        framework = catalog.frameworks.get(finding.scope)
        scope_title = framework.title if framework else finding.scope
        scope_url = f"/frameworks/{finding.scope}" if framework else ""
    items: list[Item] = []
    for code in finding.codes:
        found = next(
            (catalog.items[(f, code)] for f in frameworks if (f, code) in catalog.items), None
        )
        if found is not None and found not in items:
            items.append(found)
    message = finding.message
    for item in items:
        if "/" in item.code:  # a made-up id, not a printed code: say the name
            message = message.replace(item.code, item.name)
    for framework_id, framework in catalog.frameworks.items():
        message = message.replace(f"'{framework_id}'", short_title(framework))
    for label, document in documents().items():  # "(seed 000, line 108)": name the document
        message = message.replace(f"{label}, line", f"{document.short_title}, line")
    message = re.sub(r"(?<![\w’])'([^']+?)'(?![\w])", r"“\1”", message)
    message = re.sub(r'(?<![\w])"([^"]+?)"(?![\w])', r"“\1”", message)
    return FindingView(finding, scope_title, scope_url, tuple(items), message)


def _finding_views(catalog: Catalog, findings: list[Finding]) -> dict[str, list[FindingView]]:
    """The first ``LIST_LIMIT`` findings of each check in plain words: the page shows
    no more (its counts are the whole report's)."""
    grouped: dict[str, list[Finding]] = {name: [] for name in CHECKS}
    for finding in findings:
        grouped.setdefault(finding.check, []).append(finding)
    return {
        name: [_finding_view(catalog, f) for f in found[:LIST_LIMIT]]
        for name, found in grouped.items()
    }


@router.get("/lint")
def lint_page(request: Request, snapshot: SnapshotDep, format: Format = None) -> Response:
    findings = snapshot.memo("lint", lambda: lint(snapshot.catalog))
    if format:
        return downloads.download(lint_rows(findings), LINT_COLUMNS, format, "lint")
    grouped = snapshot.memo("lint-views", lambda: _finding_views(snapshot.catalog, findings))
    return render(
        request,
        "lint.html",
        {
            "title": "Data quality report",
            "grouped": grouped,
            "counts": summary(findings),
            "checks": {name: CHECK_TEXT.get(name, (name, "")) for name in CHECKS},
            "total": len(findings),
            "list_limit": LIST_LIMIT,
        },
    )
