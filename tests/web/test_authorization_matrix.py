"""Every write route × every role × signed in or not, from the app's route table.

Each write route of the app (POST, PUT, PATCH, DELETE, found by walking the route
table) must have a rule below: which roles may do it, and a scenario that sets up what
the request acts on.  A role that may gets an answer other than 401/403 (and no server
error); one that may not gets 401 when not signed in and 403 when signed in.  A new
write route without a rule fails ``test_every_write_route_has_a_rule``.

The roles: nobody signed in; a viewer (signed in, no role); an editor, a reviewer and
an owner of the crosswalk imh-wv-ckc-2015 (and the owner and editor of its target
framework wv-ckc-2015); an outsider holding every role on another crosswalk and
framework; an admin.  API routes are called with each role's bearer token, pages with
each role's session cookie and that session's CSRF token.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crosswalk.curation import OPERATOR, changes, edits, people
from crosswalk.formats.exchange import export_framework
from crosswalk.store import Repository, open_repository
from crosswalk.store import changesets as rows
from crosswalk.web.app import create_app

CW = "imh-wv-ckc-2015"
FW = "wv-ckc-2015"
PASSWORD = "a long enough password"
ROLES = ("anonymous", "viewer", "editor", "reviewer", "owner", "outsider", "admin")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class World:
    url: str
    store: Repository
    tokens: dict[str, str]
    pages: dict[str, TestClient]
    workbook: bytes
    counter: Iterator[int] = field(default_factory=itertools.count)

    def unique(self, stem: str) -> str:
        return f"{stem}{next(self.counter)}"

    def name_of(self, who: str) -> str:
        return {"anonymous": "author"}.get(who, who)

    def change_set(self, author: str, status: str, *, with_operation: bool = True) -> int:
        """A change set by ``author`` editing one link of CW, in ``status``."""
        catalog = self.store.load_catalog()
        link = next(a for a in catalog.by_crosswalk[CW] if a.target_code == "1.2")
        operation = edits.edit_alignment(catalog, link.id, note=self.unique("note "))
        with self.store.writing() as connection:
            made = rows.create(
                connection, title="matrix", reason="", kind="edit", author=author, status=status
            )
            if with_operation:
                rows.put_operations(connection, made, [operation])
        return made

    def approved(self) -> int:
        made = self.change_set("author", "submitted")
        changes.approve(self.store, OPERATOR, made)
        return made


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    data: dict[str, str] | None = None
    files: dict[str, Any] | None = None


Scenario = Callable[[World, str], Call]


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    scenario: Scenario
    denied_status: int | None = None  # the same refusal for everyone (not 401/403)


def _own_draft(world: World, who: str) -> int:
    return world.change_set(world.name_of(who), "draft")


def _fresh_user(world: World) -> str:
    name = world.unique("user")
    people.add_user(world.store, name, PASSWORD)
    return name


def _new_edition(world: World, who: str, path: str) -> Call:
    fields = {"previous": FW, "new_id": world.unique("wv-ckc-next-"), "version": "next"}
    return Call(
        "POST",
        path,
        data=fields,
        files={"file": ("ckc.xlsx", world.workbook, "application/octet-stream")},
    )


RULES: dict[tuple[str, str], Rule] = {
    # -- the JSON API (bearer tokens) --
    ("POST", "/api/users"): Rule(
        frozenset({"admin"}),
        lambda w, who: Call(
            "POST", "/api/users", json={"name": w.unique("new"), "password": PASSWORD}
        ),
    ),
    ("POST", "/api/users/{name}/disable"): Rule(
        frozenset({"admin"}), lambda w, who: Call("POST", f"/api/users/{_fresh_user(w)}/disable")
    ),
    ("POST", "/api/users/{name}/enable"): Rule(
        frozenset({"admin"}), lambda w, who: Call("POST", f"/api/users/{_fresh_user(w)}/enable")
    ),
    ("POST", "/api/grants"): Rule(
        frozenset({"admin", "owner"}),
        lambda w, who: Call(
            "POST", "/api/grants", json={"user": _fresh_user(w), "role": "editor", "crosswalk": CW}
        ),
    ),
    ("POST", "/api/grants/remove"): Rule(frozenset({"admin", "owner"}), lambda w, who: _granted(w)),
    ("POST", "/api/tokens"): Rule(
        SIGNED_IN, lambda w, who: Call("POST", "/api/tokens", json={"label": "x"})
    ),
    ("POST", "/api/tokens/{token_id}/revoke"): Rule(
        frozenset({"admin"}),
        lambda w, who: Call(
            "POST", f"/api/tokens/{people.create_token(w.store, 'author')[0]}/revoke"
        ),
    ),
    ("POST", "/api/change-sets"): Rule(
        frozenset({"admin", "owner", "editor", "outsider"}),
        lambda w, who: Call("POST", "/api/change-sets", json={"title": "matrix"}),
    ),
    ("POST", "/api/change-sets/{change_set_id}/edits"): Rule(
        frozenset({"admin", "owner", "editor"}), lambda w, who: _api_edit(w, who)
    ),
    ("POST", "/api/change-sets/{change_set_id}/operations/{kind}/{key:path}/drop"): Rule(
        SIGNED_IN, lambda w, who: _api_drop(w, who)
    ),
    ("POST", "/api/change-sets/{change_set_id}/submit"): Rule(
        SIGNED_IN, lambda w, who: Call("POST", f"/api/change-sets/{_own_draft(w, who)}/submit")
    ),
    ("POST", "/api/change-sets/{change_set_id}/approve"): Rule(
        frozenset({"admin", "owner", "reviewer"}),
        lambda w, who: Call(
            "POST", f"/api/change-sets/{w.change_set('author', 'submitted')}/approve"
        ),
    ),
    ("POST", "/api/change-sets/{change_set_id}/reject"): Rule(
        frozenset({"admin", "owner", "reviewer"}),
        lambda w, who: Call(
            "POST",
            f"/api/change-sets/{w.change_set('author', 'submitted')}/reject",
            json={"comment": "no"},
        ),
    ),
    ("POST", "/api/change-sets/{change_set_id}/withdraw"): Rule(
        frozenset({"admin"}),
        lambda w, who: Call(
            "POST", f"/api/change-sets/{w.change_set('author', 'submitted')}/withdraw"
        ),
    ),
    ("POST", "/api/change-sets/{change_set_id}/revert"): Rule(
        frozenset({"admin", "owner", "editor"}),
        lambda w, who: Call("POST", f"/api/change-sets/{w.approved()}/revert"),
    ),
    ("POST", "/api/releases"): Rule(
        frozenset({"admin", "owner"}),
        lambda w, who: Call(
            "POST", "/api/releases", json={"name": w.unique("r"), "crosswalks": [CW]}
        ),
    ),
    ("POST", "/api/editions"): Rule(
        frozenset({"admin", "owner"}),
        lambda w, who: _new_edition(w, who, "/api/editions"),
    ),
    ("POST", "/api/crosswalks/{crosswalk_id}/rejected-suggestions"): Rule(
        frozenset({"admin", "owner", "editor"}),
        lambda w, who: Call(
            "POST",
            f"/api/crosswalks/{CW}/rejected-suggestions",
            json={"source": "reflection/self-awareness", "target": w.unique("x")},
        ),
    ),
    # -- the pages (session cookie + CSRF token) --
    ("POST", "/login"): Rule(
        EVERYONE,
        lambda w, who: Call(
            "POST", "/login", data={"name": "nobody", "password": "wrong password"}
        ),
    ),
    ("POST", "/logout"): Rule(EVERYONE, lambda w, who: Call("POST", "/logout", data={})),
    ("POST", "/changes"): Rule(
        frozenset({"admin", "owner", "editor", "outsider"}),
        lambda w, who: Call("POST", "/changes", data={"title": "matrix"}),
    ),
    ("POST", "/changes/{change_set_id}/submit"): Rule(
        SIGNED_IN, lambda w, who: Call("POST", f"/changes/{_own_draft(w, who)}/submit", data={})
    ),
    ("POST", "/changes/{change_set_id}/approve"): Rule(
        frozenset({"admin", "owner", "reviewer"}),
        lambda w, who: Call(
            "POST", f"/changes/{w.change_set('author', 'submitted')}/approve", data={}
        ),
    ),
    ("POST", "/changes/{change_set_id}/reject"): Rule(
        frozenset({"admin", "owner", "reviewer"}),
        lambda w, who: Call(
            "POST", f"/changes/{w.change_set('author', 'submitted')}/reject", data={"comment": "no"}
        ),
    ),
    ("POST", "/changes/{change_set_id}/withdraw"): Rule(
        frozenset({"admin"}),
        lambda w, who: Call(
            "POST", f"/changes/{w.change_set('author', 'submitted')}/withdraw", data={}
        ),
    ),
    ("POST", "/changes/{change_set_id}/revert"): Rule(
        frozenset({"admin", "owner", "editor"}),
        lambda w, who: Call("POST", f"/changes/{w.approved()}/revert", data={}),
    ),
    ("POST", "/changes/{change_set_id}/drop"): Rule(SIGNED_IN, lambda w, who: _page_drop(w, who)),
    ("POST", "/edit/{kind}"): Rule(
        frozenset({"admin", "owner", "editor"}), lambda w, who: _page_edit(w)
    ),
    ("POST", "/releases"): Rule(
        frozenset({"admin", "owner"}),
        lambda w, who: Call(
            "POST", "/releases", data={"name": w.unique("p"), "scope-1": f"crosswalk:{CW}"}
        ),
    ),
    ("POST", "/editions"): Rule(
        frozenset({"admin", "owner"}), lambda w, who: _new_edition(w, who, "/editions")
    ),
    ("POST", "/people"): Rule(
        frozenset({"admin"}),
        lambda w, who: Call(
            "POST",
            "/people",
            data={"name": w.unique("new"), "password": PASSWORD, "role": "viewer"},
        ),
    ),
    ("POST", "/people/{name}/disable"): Rule(
        frozenset({"admin"}),
        lambda w, who: Call("POST", f"/people/{_fresh_user(w)}/disable", data={}),
    ),
    ("POST", "/people/{name}/enable"): Rule(
        frozenset({"admin"}),
        lambda w, who: Call("POST", f"/people/{_fresh_user(w)}/enable", data={}),
    ),
    ("POST", "/people/{name}/admin"): Rule(
        frozenset({"admin"}),
        lambda w, who: Call("POST", f"/people/{_fresh_user(w)}/admin", data={"admin": "yes"}),
    ),
    ("POST", "/people/grants"): Rule(
        frozenset({"admin", "owner"}),
        lambda w, who: Call(
            "POST",
            "/people/grants",
            data={"user": _fresh_user(w), "role": "reviewer", "scope": f"crosswalk:{CW}"},
        ),
    ),
    ("POST", "/people/grants/remove"): Rule(
        frozenset({"admin", "owner"}), lambda w, who: _page_granted(w)
    ),
    ("POST", "/account/tokens"): Rule(
        SIGNED_IN, lambda w, who: Call("POST", "/account/tokens", data={"label": "x"})
    ),
    ("POST", "/account/tokens/{token_id}/revoke"): Rule(
        frozenset({"admin"}),
        lambda w, who: Call(
            "POST",
            f"/account/tokens/{people.create_token(w.store, 'author')[0]}/revoke",
            data={"user": "author"},
        ),
    ),
    ("POST", "/readiness"): Rule(
        EVERYONE,
        lambda w, who: Call(
            "POST",
            "/readiness",
            data={"category": "IFS"},
            files={"transcript": ("t.csv", b"Title,Hours\n", "text/csv")},
        ),
    ),
    # Reviewing suggestions on the pages: the editors of the crosswalk.  Accept adds the
    # suggested link to a new draft (a fresh target for each call, so none is refused
    # as proposed already); Reject records a negative.
    ("POST", "/crosswalks/{crosswalk_id}/suggestions/accept"): Rule(
        frozenset({"admin", "owner", "editor"}),
        lambda w, who: Call(
            "POST",
            f"/crosswalks/{CW}/suggestions/accept",
            data={"source": SUGGESTED_FROM, "target": _unlinked(w), "change_set": ""},
        ),
    ),
    ("POST", "/crosswalks/{crosswalk_id}/suggestions/reject"): Rule(
        frozenset({"admin", "owner", "editor"}),
        lambda w, who: Call(
            "POST",
            f"/crosswalks/{CW}/suggestions/reject",
            data={"source": SUGGESTED_FROM, "target": "7.6", "next": f"/crosswalks/{CW}"},
        ),
    ),
    # Suggestions read with a body (a long text): nothing is stored, so anyone may, as
    # with the GET forms of the same questions; the page's form needs no CSRF token.
    ("POST", "/suggest"): Rule(
        EVERYONE, lambda w, who: Call("POST", "/suggest", data={"text": "observing a child"})
    ),
    ("POST", "/api/suggest/text"): Rule(
        EVERYONE,
        lambda w, who: Call(
            "POST", "/api/suggest/text", json={"to": FW, "text": "observing a child", "top": 1}
        ),
    ),
    # CASE is read-only: its other methods are 405 for everyone alike, answered under
    # its prefix in the binding's shape (tests/web/case), not by routes of this table.
}


SUGGESTED_FROM = "direct-service-skills/observation-listening"


def _unlinked(world: World) -> str:
    """A CKC code not linked from SUGGESTED_FROM yet, a different one each call."""
    catalog = world.store.load_catalog()
    linked = {a.target_code for a in catalog.by_crosswalk[CW] if a.source_code == SUGGESTED_FROM}
    free = [i.code for i in catalog.items_of(FW) if catalog.is_leaf(i) and i.code not in linked]
    return free[next(world.counter) % len(free)]


def _granted(world: World) -> Call:
    name = _fresh_user(world)
    people.grant(world.store, name, "editor", "crosswalk", CW)
    return Call(
        "POST", "/api/grants/remove", json={"user": name, "role": "editor", "crosswalk": CW}
    )


def _page_granted(world: World) -> Call:
    name = _fresh_user(world)
    people.grant(world.store, name, "editor", "crosswalk", CW)
    fields = {"user": name, "role": "editor", "scope": f"crosswalk:{CW}"}
    return Call("POST", "/people/grants/remove", data=fields)


def _link(world: World) -> str:
    catalog = world.store.load_catalog()
    return next(a.id for a in catalog.by_crosswalk[CW] if a.target_code == "1.2")


def _api_edit(world: World, who: str) -> Call:
    edit = {
        "action": "edit",
        "kind": "alignment",
        "id": _link(world),
        "fields": {"note": world.unique("n")},
    }
    return Call("POST", f"/api/change-sets/{_own_draft(world, who)}/edits", json=edit)


def _api_drop(world: World, who: str) -> Call:
    draft = _own_draft(world, who)
    return Call("POST", f"/api/change-sets/{draft}/operations/alignment/{_link(world)}/drop")


def _page_drop(world: World, who: str) -> Call:
    draft = _own_draft(world, who)
    return Call("POST", f"/changes/{draft}/drop", data={"kind": "alignment", "key": _link(world)})


def _page_edit(world: World) -> Call:
    fields = {
        "action": "edit",
        "id": _link(world),
        "note": world.unique("n"),
        "target_code": "1.2",
        "relation": "related",
        "change_set": "new",
        "title": "matrix",
    }
    return Call("POST", "/edit/alignment", data=fields)


def write_routes() -> set[tuple[str, str]]:
    app = create_app("sqlite:///:memory:")

    def walk(routes: list[Any]) -> Iterator[Any]:
        for route in routes:
            if hasattr(route, "original_router"):  # FastAPI's included routers
                yield from walk(route.original_router.routes)
            elif hasattr(route, "routes") and not hasattr(route, "methods"):
                yield from walk(route.routes)
            else:
                yield route

    return {
        (method, route.path)
        for route in walk(app.routes)
        for method in set(getattr(route, "methods", None) or ()) & WRITE_METHODS
    }


def test_every_write_route_has_a_rule() -> None:
    routes = write_routes()
    missing = sorted(routes - set(RULES))
    assert not missing, f"write routes without an authorization rule: {missing}"
    stale = sorted(set(RULES) - routes)
    assert not stale, f"rules for routes that no longer exist: {stale}"


# -- the world the matrix runs in -------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("matrix")
    url = f"sqlite:///{folder / 'matrix.sqlite3'}"
    store = open_repository(url)
    grants = {
        "viewer": [],
        "editor": [("editor", "crosswalk", CW), ("editor", "framework", FW)],
        "reviewer": [("reviewer", "crosswalk", CW)],
        "owner": [("owner", "crosswalk", CW), ("owner", "framework", FW)],
        "outsider": [
            (r, k, s)
            for r in ("editor", "reviewer", "owner")
            for k, s in (("crosswalk", "iecmhc-imh"), ("framework", "iecmhc"))
        ],
        "admin": [],
        "author": [("editor", "crosswalk", CW)],
    }
    tokens: dict[str, str] = {}
    for name, granted in grants.items():
        people.add_user(store, name, PASSWORD, "admin" if name == "admin" else "viewer")
        for role, kind, scope in granted:
            people.grant(store, name, role, kind, scope)
        tokens[name] = people.create_token(store, name)[1]
    export_framework(store.load_catalog(), FW, "xlsx", folder / "ckc.xlsx")
    pages: dict[str, TestClient] = {}
    for who in ROLES:
        client = TestClient(create_app(url), follow_redirects=False)
        client.__enter__()
        if who != "anonymous":
            token = _csrf(client, "/login")
            signed = client.post(
                "/login", data={"name": who, "password": PASSWORD, "csrf_token": token}
            )
            assert signed.status_code == 303, signed.text
        pages[who] = client
    try:
        yield World(url, store, tokens, pages, (folder / "ckc.xlsx").read_bytes())
    finally:
        for client in pages.values():
            client.__exit__(None, None, None)
        store.close()


def _csrf(client: TestClient, path: str = "/changes") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found[1]


def _send(world: World, who: str, call: Call) -> Any:
    if call.path.startswith("/api/"):
        client = world.pages["anonymous"]
        headers = {"Authorization": f"Bearer {world.tokens[who]}"} if who != "anonymous" else {}
        return client.request(
            call.method,
            call.path,
            json=call.json,
            data=call.data,
            files=call.files,
            headers=headers,
        )
    client = world.pages[who]
    if call.path == "/logout" and who != "anonymous":  # a session of its own, not the shared one
        client = TestClient(create_app(world.url), follow_redirects=False)
        client.__enter__()
        client.post(
            "/login",
            data={"name": who, "password": PASSWORD, "csrf_token": _csrf(client, "/login")},
        )
    data = None if call.data is None else {**call.data, "csrf_token": _csrf(client, "/readiness")}
    return client.request(call.method, call.path, data=data, files=call.files)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("route", sorted(RULES), ids=lambda r: f"{r[0]} {r[1]}")
def test_authorization(world: World, route: tuple[str, str], who: str) -> None:
    rule = RULES[route]
    answer = _send(world, who, rule.scenario(world, who))
    if rule.denied_status is not None:
        assert answer.status_code == rule.denied_status, answer.text[:300]
    elif who in rule.allowed:
        assert answer.status_code not in (401, 403) and answer.status_code < 500, (
            f"{who} should be allowed: {answer.status_code} {answer.text[:300]}"
        )
    else:
        expected = 401 if who == "anonymous" else 403
        assert answer.status_code == expected, f"{who}: {answer.status_code} {answer.text[:300]}"
