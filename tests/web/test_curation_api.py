"""The curation JSON API over HTTP, on SQLite and PostgreSQL: propose, review, publish,
conflicts, revert, history, releases, editions and OpenAPI."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from crosswalk.curation import people
from crosswalk.model import RELATION_DEFINITIONS, Dataset, Framework
from crosswalk.store import open_repository
from crosswalk.web.app import create_app

CROSSWALK = "imh-wv-ckc-2015"
PASSWORD = "a long enough password"


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]

    def call(self, who: str | None, method: str, path: str, **kw: object):  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return self.client.request(method, path, headers=headers, **kw)  # type: ignore[arg-type]


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    tokens = {}
    with open_repository(database_url) as store:
        for name, role, grants in (
            ("ada", "admin", ()),
            ("edna", "viewer", (("editor", "crosswalk", CROSSWALK),)),
            ("erik", "viewer", (("editor", "crosswalk", CROSSWALK),)),
            ("rita", "viewer", (("reviewer", "crosswalk", CROSSWALK),)),
            ("olga", "viewer", (("owner", "framework", "wv-ckc-2015"),)),
        ):
            people.add_user(store, name, PASSWORD, role)
            for granted, kind, scope in grants:
                people.grant(store, name, granted, kind, scope)
            tokens[name] = people.create_token(store, name)[1]
    with TestClient(create_app(database_url)) as client:
        client.app.state.catalog_store.check_interval = 0  # type: ignore[attr-defined]
        yield Api(client, tokens)


def _link(api: Api, target: str = "1.2") -> dict[str, object]:
    links = api.call(None, "GET", f"/api/crosswalks/{CROSSWALK}/alignments?limit=500").json()
    return next(
        a
        for a in links["items"]
        if a["target"] and a["target"]["code"] == target and "observation" in a["source"]["code"]
    )


def test_propose_review_publish(api: Api) -> None:
    link = _link(api)
    draft = api.call("edna", "POST", "/api/change-sets", json={"title": "1.2 is closer"}).json()
    edit = {
        "action": "edit",
        "kind": "alignment",
        "id": link["id"],
        "fields": {"relation": "close"},
    }
    added = api.call("edna", "POST", f"/api/change-sets/{draft['id']}/edits", json=edit)
    assert added.status_code == 200, added.text
    operation = added.json()["operations"][0]
    assert operation["fields"] == ["relation"] and operation["base"] == 1
    # The published data is untouched; the preview shows the change to its author only.
    preview = f"/api/crosswalks/{CROSSWALK}/alignments?limit=500&preview={draft['id']}"
    assert api.call("edna", "GET", preview).status_code == 200
    assert api.call(None, "GET", preview).status_code == 404
    assert _link(api)["relation"] == "related"
    assert api.call("edna", "POST", f"/api/change-sets/{draft['id']}/submit").status_code == 200
    own = api.call("edna", "POST", f"/api/change-sets/{draft['id']}/approve")
    assert own.status_code == 403
    approved = api.call(
        "rita", "POST", f"/api/change-sets/{draft['id']}/approve", json={"comment": "ok"}
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert _link(api)["relation"] == "close"
    events = api.call(None, "GET", f"/api/history?crosswalk={CROSSWALK}&limit=1").json()
    assert events[0]["actor"] == "rita" and events[0]["change_set"] == draft["id"]
    log = api.call(None, "GET", "/api/events.csv")
    rows = list(csv.DictReader(io.StringIO(log.text)))
    assert rows[-1]["change_set"] == str(draft["id"]) and rows[-1]["fields"] == "relation"


def test_two_editors_conflict_and_both_versions_are_given(api: Api) -> None:
    link = _link(api)
    drafts = []
    for who, note in (("edna", "edna's"), ("erik", "erik's")):
        draft = api.call(who, "POST", "/api/change-sets", json={"title": who}).json()
        edit = {
            "action": "edit",
            "kind": "alignment",
            "id": link["id"],
            "base": 1,
            "fields": {"note": note},
        }
        assert (
            api.call(who, "POST", f"/api/change-sets/{draft['id']}/edits", json=edit).status_code
            == 200
        )
        api.call(who, "POST", f"/api/change-sets/{draft['id']}/submit")
        drafts.append(draft["id"])
    assert api.call("rita", "POST", f"/api/change-sets/{drafts[0]}/approve").status_code == 200
    refused = api.call("rita", "POST", f"/api/change-sets/{drafts[1]}/approve")
    assert refused.status_code == 409
    (clash,) = refused.json()["conflicts"]
    assert (clash["base"], clash["current"]) == (1, 2)
    assert clash["stored"]["note"] == "edna's" and clash["proposed"]["note"] == "erik's"
    assert _link(api)["note"] == "edna's"
    # An edit based on the old revision is refused at once, too.
    late = api.call("erik", "POST", "/api/change-sets", json={"title": "late"}).json()
    edit = {
        "action": "edit",
        "kind": "alignment",
        "id": link["id"],
        "base": 1,
        "fields": {"note": "x"},
    }
    assert (
        api.call("erik", "POST", f"/api/change-sets/{late['id']}/edits", json=edit).status_code
        == 409
    )


def test_revert_and_releases(api: Api) -> None:
    before = api.call(None, "GET", f"/api/crosswalks/{CROSSWALK}/alignments?limit=500").json()
    link = _link(api)
    draft = api.call("edna", "POST", "/api/change-sets", json={"title": "remove"}).json()
    api.call(
        "edna",
        "POST",
        f"/api/change-sets/{draft['id']}/edits",
        json={"action": "remove", "kind": "alignment", "id": link["id"]},
    )
    api.call("edna", "POST", f"/api/change-sets/{draft['id']}/submit")
    api.call("rita", "POST", f"/api/change-sets/{draft['id']}/approve")
    assert (
        api.call(None, "GET", f"/api/crosswalks/{CROSSWALK}/alignments?limit=500").json() != before
    )
    # A release as it is now; the first load is release as-printed.
    made = api.call(
        "ada", "POST", "/api/releases", json={"name": "without", "crosswalks": [CROSSWALK]}
    )
    assert made.status_code == 201, made.text
    compared = api.call(
        None, "GET", f"/api/releases/compare?from=as-printed&to=without&crosswalk={CROSSWALK}"
    )
    assert compared.json()["counts"] == {"added": 0, "removed": 1, "changed": 0}
    sssom = api.call(
        None,
        "GET",
        f"/api/releases/compare?from=as-printed&to=without&crosswalk={CROSSWALK}&format=sssom",
    )
    assert "removed in without" in sssom.text
    old = api.call(
        None, "GET", f"/api/crosswalks/{CROSSWALK}/alignments?limit=500&release=as-printed"
    )
    assert old.json() == before
    undo = api.call("edna", "POST", f"/api/change-sets/{draft['id']}/revert")
    assert undo.status_code == 201 and undo.json()["status"] == "submitted"
    api.call("rita", "POST", f"/api/change-sets/{undo.json()['id']}/approve")
    assert (
        api.call(None, "GET", f"/api/crosswalks/{CROSSWALK}/alignments?limit=500").json() == before
    )


def test_writes_need_a_token_and_the_role(api: Api) -> None:
    assert api.call(None, "POST", "/api/change-sets", json={"title": "x"}).status_code == 401
    bad = api.client.post(
        "/api/change-sets", json={"title": "x"}, headers={"Authorization": "Bearer cw_not-a-token"}
    )
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    assert api.call("rita", "POST", "/api/change-sets", json={"title": "x"}).status_code == 403
    assert (
        api.call("edna", "POST", "/api/users", json={"name": "x", "password": PASSWORD}).status_code
        == 403
    )
    assert api.call("edna", "GET", "/api/me").json()["name"] == "edna"


def test_openapi_documents_the_curation_api_and_bearer_tokens(api: Api) -> None:
    schema = api.call(None, "GET", "/openapi.json").json()
    assert "/api/change-sets/{change_set_id}/approve" in schema["paths"]
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    parameters = schema["paths"]["/api/frameworks"]["get"]["parameters"]
    assert {"release", "preview"} <= {p["name"] for p in parameters}
    # Where an API user chooses a relation, each is given with its definition.
    fields = schema["components"]["schemas"]["EditIn"]["properties"]["fields"]["description"]
    assert all(f"`{r.value}`: {text}" in fields for r, text in RELATION_DEFINITIONS.items())


def test_a_fresh_install_has_no_users_and_stays_read_only(database_url: str) -> None:
    with TestClient(create_app(database_url)) as client:
        assert client.get("/api/frameworks").json()["total"] == 3
        assert client.get("/crosswalks/imh-wv-ckc-2015").status_code == 200
        assert client.get("/changes").status_code == 200
        assert client.get("/login").status_code == 200
        assert client.post("/api/change-sets", json={"title": "x"}).status_code == 401
    with open_repository(database_url, seed=None) as store:
        assert not people.has_users(store)


def test_case_packages_follow_each_change_and_each_release(api: Api, database_url: str) -> None:
    """CASE packages are built once per store revision: a change is in the next answer,
    and ``?release=`` answers the package as released."""
    imh = f"/ims/case/v1p1/CFPackages/{Framework('imh', '').uuid}"
    before = api.call(None, "GET", imh).json()
    with open_repository(database_url, seed=None) as store:
        framework = store.load_catalog().framework("imh")
        store.save(Dataset([dataclasses.replace(framework, title="IMH, retitled")]))
    after = api.call(None, "GET", imh).json()
    assert after["CFDocument"]["title"] == "IMH, retitled"
    released = api.call(None, "GET", imh, params={"release": "as-printed"}).json()
    assert released == before
    unknown = api.call(None, "GET", imh, params={"release": "no-such-release"})
    assert unknown.status_code == 404 and "no-such-release" in unknown.json()["detail"]


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"tags": ["t"] * 200_000}, "at most 100"),
        ({"tags": 5}, "tags: a text"),
        ({"tags": None}, "tags: a text"),
        ({"name": ["a", "b"]}, "name: a text, not a list"),
        ({"kind": {"a": 1}}, "kind: a text, not a dict"),
    ],
)
def test_an_edit_with_values_of_the_wrong_shape_is_refused_naming_the_field(
    api: Api, fields: dict[str, object], refusal: str
) -> None:
    """Two hundred thousand tags were kept (two million: 8 MB in every answer about the
    draft), a number or null for the tags was a 500, a list for a name was kept as
    its Python spelling."""
    draft = api.call("ada", "POST", "/api/change-sets", json={"title": "tags"}).json()
    code = api.call(None, "GET", "/api/frameworks/imh/items?limit=1").json()["items"][0]["code"]
    edit = {"action": "edit", "kind": "item", "framework": "imh", "code": code, "fields": fields}
    answer = api.call("ada", "POST", f"/api/change-sets/{draft['id']}/edits", json=edit)
    assert answer.status_code == 400 and refusal in answer.json()["detail"], answer.text
