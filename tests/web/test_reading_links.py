"""A release (or a change set's preview) is kept while browsing: every link of a page
read from it to another reading page, and every question form, carries it, so the
next page shows the same release — never the published data by surprise."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from webpage import parse

from crosswalk.curation import OPERATOR, actor_of, changes, edits, people, releases
from crosswalk.store import open_repository
from crosswalk.web.app import create_app
from crosswalk.web.deps import get_catalog, get_snapshot
from crosswalk.web.routes.case import PREFIX as CASE_PREFIX
from crosswalk.web.views import item_url

CROSSWALK = "imh-wv-ckc-2015"
READING = re.compile(r"^/(frameworks|crosswalks|map|search|lint|lookup|compare)\b")


NOTE = "reworded after the release"


def _changed_after_a_release(url: str) -> str:
    """Release ``before`` of the crosswalk, then publish a note on one of its links:
    the address of the link's source item."""
    with open_repository(url) as store:
        releases.create(store, OPERATOR, "before", [("crosswalk", CROSSWALK)])
        catalog = store.load_catalog()
        link = catalog.by_crosswalk[CROSSWALK][0]
        draft = changes.start(store, OPERATOR, "a note", "")
        operation = edits.edit_alignment(catalog, link.id, note=NOTE)
        changes.add(store, OPERATOR, draft.id, [operation])
        changes.submit(store, OPERATOR, draft.id)
        people.add_user(store, "rita", "a long enough password", "reviewer")
        changes.approve(store, actor_of(store, people.find_user(store, "rita")), draft.id, "")
        source = catalog.crosswalk(CROSSWALK).source_framework
        return item_url(catalog.items[(source, link.source_code)])


def _reading_links(html: str) -> list[str]:
    found = re.findall(r'href="([^"]+)"', html)
    return [h.replace("&amp;", "&") for h in found if READING.match(h)]


def test_links_inside_a_release_keep_the_release(database_url: str) -> None:
    item = _changed_after_a_release(database_url)
    client = TestClient(create_app(database_url))
    for address in (f"/crosswalks/{CROSSWALK}", "/frameworks/imh", item, "/search?q=observation"):
        joiner = "&" if "?" in address else "?"
        found = _reading_links(client.get(f"{address}{joiner}release=before").text)
        assert found, address
        kept = [parse_qs(urlsplit(h).query).get("release") for h in found]
        lost = [h for h, k in zip(found, kept, strict=True) if k not in (["before"], ["published"])]
        assert lost == [], f"{address} links out of the release: {lost[:5]}"

    # The matrix's filter form asks the release again; the item it links to is as released.
    matrix = client.get(f"/crosswalks/{CROSSWALK}?release=before").text
    forms = re.findall(r'<form method="get" action="/crosswalks/[^>]*>(.*?)</form>', matrix, re.S)
    assert forms and all('name="release" value="before"' in f for f in forms)
    assert NOTE not in client.get(f"{item}?release=before").text
    assert NOTE in client.get(item).text

    # The banner's way back to the published data is the one link that leaves the release.
    banner = [a for a, _ in parse(client.get(f"{item}?release=before").text).find("a")]
    assert any(a.get("href") == f"{item}?release=published" for a in banner)
    assert "You are reading release" not in client.get(f"{item}?release=published").text
    assert NOTE in client.get(f"{item}?release=published").text


def _walk(routes: list[Any]) -> Iterator[Any]:
    """Every route, inside the app's included routers too."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from _walk(route.original_router.routes)
        elif hasattr(route, "routes") and not hasattr(route, "methods"):
            yield from _walk(route.routes)
        else:
            yield route


def _reads_the_catalog(dependant: Any) -> bool:
    """Whether a route's dependencies include the catalog (and so ?release=)."""
    return any(
        d.call in (get_catalog, get_snapshot) or _reads_the_catalog(d)
        for d in dependant.dependencies
    )


def test_every_api_read_of_the_data_documents_release() -> None:
    """From the route table: each JSON route that reads the frameworks and crosswalks
    lists ``release`` (and ``preview``) in the OpenAPI document, so API users know
    every read can name a release; a new route without it fails here.  The CASE routes
    take them too, but their OpenAPI is the binding's (whose error shapes ours are not;
    docs/exchange.md says so); test_curation_api reads a CASE package as released."""
    app = create_app("sqlite:///:memory:")
    reading = {
        (method, route.path)
        for route in _walk(app.routes)
        if isinstance(route, APIRoute) and route.include_in_schema
        for method in route.methods
        if _reads_the_catalog(route.dependant)
    }
    assert ("GET", "/api/frameworks") in reading
    with TestClient(app) as client:
        paths = client.get("/openapi.json").json()["paths"]
    missing = sorted(
        f"{method} {path}"
        for method, path in reading
        if not path.startswith(CASE_PREFIX)
        and not {"release", "preview"}
        <= {
            p["name"]
            for p in paths[re.sub(r"\{(\w+):\w+\}", r"{\1}", path)][method.lower()].get(
                "parameters", []
            )
        }
    )
    assert missing == [], missing
    case_reads = {p for _, p in reading if p.startswith(CASE_PREFIX)}
    assert f"{CASE_PREFIX}/CFPackages/{{sourcedId}}" in case_reads


def test_a_preview_marks_additions_and_removals_on_the_matrix_and_the_item(
    database_url: str,
) -> None:
    """A draft adding one link and removing another: the item page and the matrix,
    previewed, mark the new link and list the removed one; the links between preview
    pages keep the preview; the published pages show neither."""
    with open_repository(database_url) as store:
        people.add_user(store, "ada", "a long enough password", "admin")
        ada = actor_of(store, people.find_user(store, "ada"))
        catalog = store.load_catalog()
        source = "direct-service-skills/observation-listening"
        gone = next(a for a in catalog.outgoing[("imh", source)] if a.crosswalk == CROSSWALK)
        draft = changes.start(store, ada, "one in, one out")
        added = edits.add_alignment(catalog, CROSSWALK, source, "7.6", author="ada")
        changes.add(store, ada, draft.id, [added, edits.remove_alignment(catalog, gone.id)])
        item = item_url(catalog.items[("imh", source)])
        secret = people.sign_in(store, "ada", "a long enough password", "test").secret
    client = TestClient(create_app(database_url), cookies={"crosswalk_session": secret})
    page = client.get(f"{item}?preview={draft.id}").text
    assert "added in this preview" in page and "removed in this preview" in page
    assert f"{gone.target_code}</del>" in page
    assert all(f"preview={draft.id}" in h for h in _reading_links(page) if "release=" not in h)
    matrix = parse(client.get(f"/crosswalks/{CROSSWALK}?preview={draft.id}").text)
    assert matrix.texts("span", **{"class": "mark mark-added"})  # the cell of the new link
    assert matrix.texts("del") == [f"{source} → {gone.target_code}"]
    published = client.get(item).text
    assert "in this preview" not in published
