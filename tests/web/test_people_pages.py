"""People, roles and API tokens managed in the web app, as a coordinator and an owner
would: an admin adds a person, gives and takes roles, disables and makes admins; an
owner gives editor and reviewer on what they own and nothing else; everyone makes and
revokes their own tokens, whose secret is shown once and works on the API."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from test_curation_pages import PASSWORD, browser
from webpage import csrf_token

from crosswalk.curation import people
from crosswalk.store import open_repository

CROSSWALK = "imh-wv-ckc-2015"


@pytest.fixture
def site(database_url: str) -> Iterator[str]:
    with open_repository(database_url) as store:
        people.add_user(store, "ada", PASSWORD, "admin")
        people.add_user(store, "olga", PASSWORD)
        people.grant(store, "olga", "owner", "crosswalk", CROSSWALK)
        people.add_user(store, "vic", PASSWORD)
    yield database_url


def post(client: TestClient, path: str, **fields: str) -> object:
    return client.post(path, data={**fields, "csrf_token": csrf_token(client, "/account")})


def roles_of(url: str, name: str) -> set[str]:
    with open_repository(url) as store:
        return {str(g) for g in people.grants_of(store, people.find_user(store, name))}


def test_an_admin_manages_people_in_the_web_app(site: str) -> None:
    ada = browser(site, "ada")
    page = ada.get("/people")
    assert page.status_code == 200 and 'id="person-olga"' in page.text
    assert "owner on crosswalk" in page.text

    added = post(ada, "/people", name="nina", password=PASSWORD, role="viewer")
    assert added.status_code == 303 and added.headers["location"] == "/people#person-nina"
    short = post(ada, "/people", name="nino", password="short", role="viewer")
    assert short.status_code == 400 and "at least 10 characters" in short.text
    assert 'value="nino"' in short.text  # the form comes back filled in

    given = post(
        ada, "/people/grants", user="nina", role="reviewer", scope=f"crosswalk:{CROSSWALK}"
    )
    assert given.status_code == 303
    assert roles_of(site, "nina") == {f"reviewer on crosswalk {CROSSWALK}"}
    assert post(ada, "/people/grants", user="nina", role="editor", scope="all:").status_code == 303
    assert "editor on everywhere" in roles_of(site, "nina")
    nina = browser(site, "nina")  # she signs in with the password ada gave her
    assert nina.get("/account").status_code == 200

    taken = post(
        ada, "/people/grants/remove", user="nina", role="reviewer", scope=f"crosswalk:{CROSSWALK}"
    )
    assert taken.status_code == 303 and roles_of(site, "nina") == {"editor on everywhere"}
    unknown = post(ada, "/people/grants", user="nobody", role="editor", scope="framework:imh")
    assert unknown.status_code == 400 and "no user named" in unknown.text

    assert post(ada, "/people/nina/admin", admin="yes").status_code == 303
    assert 'id="person-nina"' in nina.get("/people").text  # an admin now
    assert post(ada, "/people/nina/disable").status_code == 303
    assert nina.get("/account").status_code == 303  # her session ended: to the sign-in page
    assert post(ada, "/people/ada/admin", admin="no").status_code == 400  # not yourself
    assert post(ada, "/people/ada/disable").status_code == 400
    assert ada.get("/people").status_code == 200


def test_an_owner_gives_editor_and_reviewer_only_where_they_own(site: str) -> None:
    olga = browser(site, "olga")
    page = olga.get("/people")
    assert page.status_code == 200
    assert 'id="person-ada"' not in page.text  # owners see who works on what they own only
    options = re.findall(r'<option value="([^"]+)"', page.text)
    assert f"crosswalk:{CROSSWALK}" in options and "all:" not in options
    assert "framework:imh" not in options and "owner" not in options

    given = post(olga, "/people/grants", user="vic", role="editor", scope=f"crosswalk:{CROSSWALK}")
    assert given.status_code == 303 and roles_of(site, "vic") == {
        f"editor on crosswalk {CROSSWALK}"
    }
    assert "<strong>vic</strong>" in olga.get("/people").text
    elsewhere = post(olga, "/people/grants", user="vic", role="editor", scope="framework:imh")
    assert elsewhere.status_code == 403
    owner = post(olga, "/people/grants", user="vic", role="owner", scope=f"crosswalk:{CROSSWALK}")
    assert owner.status_code == 403
    assert post(olga, "/people", name="x1234", password=PASSWORD, role="viewer").status_code == 403
    assert post(olga, "/people/vic/disable").status_code == 403
    assert roles_of(site, "vic") == {f"editor on crosswalk {CROSSWALK}"}

    vic = browser(site, "vic")
    assert vic.get("/people").status_code == 403  # an editor manages nobody
    assert TestClient(vic.app, follow_redirects=False).get("/people").status_code == 303


def test_tokens_are_made_shown_once_and_revoked_in_the_web_app(site: str) -> None:
    vic = browser(site, "vic")
    made = post(vic, "/account/tokens", label="nightly")
    assert made.status_code == 201
    secret = re.search(r'<code class="secret">([^<]+)</code>', made.text)
    assert secret is not None
    api = TestClient(vic.app)
    me = api.get("/api/me", headers={"Authorization": f"Bearer {secret[1]}"})
    assert me.status_code == 200 and me.json()["name"] == "vic"
    listed = vic.get("/account")
    assert "“nightly”" in listed.text and secret[1] not in listed.text  # shown that once only

    token_id = re.search(r"/account/tokens/(\d+)/revoke", listed.text)
    assert token_id is not None
    other = browser(site, "olga")
    assert post(other, f"/account/tokens/{token_id[1]}/revoke").status_code == 403
    assert post(vic, f"/account/tokens/{token_id[1]}/revoke").status_code == 303
    refused = api.get("/api/me", headers={"Authorization": f"Bearer {secret[1]}"})
    assert refused.status_code == 401

    ada = browser(site, "ada")  # an admin looks after anyone's tokens
    assert "No live tokens" in ada.get("/account?user=vic").text
    assert other.get("/account?user=vic").status_code == 403
