"""People on SQLite and PostgreSQL: accounts, tokens, sessions across processes,
throttled sign-in without user enumeration, and who may do what."""

from __future__ import annotations

import pytest
from curation_helpers import PASSWORD, person
from sqlalchemy import text

from crosswalk.curation import ANONYMOUS, OPERATOR, Action, Actor, actor_of, may, people
from crosswalk.curation.people import PeopleError, SignInRefused
from crosswalk.curation.permissions import Denied, require
from crosswalk.store import Repository, open_repository


def test_passwords_are_stored_as_argon2id_hashes(store: Repository) -> None:
    people.add_user(store, "ada", PASSWORD, "admin")
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with pytest.raises(PeopleError, match="at least 10 characters"):
        people.add_user(store, "bob", "short", "viewer")
    with pytest.raises(PeopleError, match="exists already"):
        people.add_user(store, "ada", PASSWORD, "viewer")
    with pytest.raises(PeopleError, match="not a usable name"):
        people.add_user(store, "<script>", PASSWORD)


def test_roles_at_creation_and_grants(store: Repository) -> None:
    people.add_user(store, "ada", PASSWORD, "admin")
    people.add_user(store, "eve", PASSWORD, "editor")
    people.add_user(store, "vic", PASSWORD, "viewer")
    assert people.grant(store, "vic", "reviewer", "crosswalk", "iecmhc-imh")
    assert not people.grant(store, "vic", "reviewer", "crosswalk", "iecmhc-imh")
    with pytest.raises(PeopleError, match="unknown crosswalk 'nope'"):
        people.grant(store, "vic", "reviewer", "crosswalk", "nope")
    listed = {u.name: (u.admin, [str(g) for g in grants]) for u, grants in people.list_users(store)}
    assert listed == {
        "ada": (True, []),
        "eve": (False, ["editor on everywhere"]),
        "vic": (False, ["reviewer on crosswalk iecmhc-imh"]),
    }


def test_tokens_are_hashed_revocable_and_remember_their_last_use(store: Repository) -> None:
    people.add_user(store, "bot", PASSWORD, "editor")
    token_id, secret = people.create_token(store, "bot", "nightly import")
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM api_tokens")).scalar_one()
    assert secret not in stored and len(stored) == 64
    user = people.token_user(store, secret)
    assert user is not None and user.name == "bot"
    assert people.list_tokens(store, "bot")[0].last_used is not None
    assert people.token_user(store, secret + "x") is None
    assert people.revoke_token(store, token_id)
    assert people.token_user(store, secret) is None
    people.set_disabled(store, "bot", True)
    _, other = people.create_token(store, "bot")
    assert people.token_user(store, other) is None  # a disabled account's tokens stop


def test_a_session_made_in_one_process_is_known_in_another(
    store: Repository, database_url: str
) -> None:
    people.add_user(store, "ada", PASSWORD, "admin")
    signed = people.sign_in(store, "ada", PASSWORD, "10.0.0.1")
    with open_repository(database_url, seed=None) as other:  # another app process
        found = people.session_user(other, signed.secret)
        assert found is not None and found[0].name == "ada" and found[1] == signed.csrf
        people.sign_out(other, signed.secret)
    assert people.session_user(store, signed.secret) is None
    with store.engine.connect() as connection:
        ids = [r[0] for r in connection.execute(text("SELECT id_hash FROM sessions"))]
    assert signed.secret not in ids


def test_unknown_names_and_wrong_passwords_get_the_same_answer_after_the_same_work(
    store: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    people.add_user(store, "ada", PASSWORD, "admin")
    verified: list[str] = []
    real = people._hasher

    class Counting:
        def verify(self, stored: str, password: str) -> bool:
            verified.append(stored)
            return real.verify(stored, password)

        def hash(self, password: str) -> str:
            return real.hash(password)

        def check_needs_rehash(self, stored: str) -> bool:
            return real.check_needs_rehash(stored)

    monkeypatch.setattr(people, "_hasher", Counting())
    answers = []
    for name in ("ada", "nobody"):
        with pytest.raises(SignInRefused) as refused:
            people.sign_in(store, name, "wrong password!", f"10.0.0.{len(answers)}")
        answers.append(str(refused.value))
    assert answers[0] == answers[1]
    assert len(verified) == 2 and all(h.startswith("$argon2id$") for h in verified)


def test_failed_sign_ins_are_throttled_per_name_and_per_address(store: Repository) -> None:
    people.add_user(store, "ada", PASSWORD, "admin")
    now = 1_000_000.0
    for n in range(people.FREE_FAILURES["name"]):
        with pytest.raises(SignInRefused, match="do not match"):
            people.sign_in(store, "ada", "wrong password!", f"10.1.0.{n}", now=now)
    with pytest.raises(SignInRefused, match="Too many failed attempts") as waiting:
        people.sign_in(store, "ada", PASSWORD, "10.9.9.9", now=now + 0.5)
    assert waiting.value.retry_after is not None
    # The wait passes; the right password then works and clears the count.
    signed = people.sign_in(store, "ada", PASSWORD, "10.9.9.9", now=now + 10)
    assert signed.user.name == "ada"
    # One address guessing many names is held back too.
    for n in range(people.FREE_FAILURES["address"]):
        with pytest.raises(SignInRefused):
            people.sign_in(store, f"guess{n}", "wrong password!", "10.2.0.1", now=now + n)
    with pytest.raises(SignInRefused, match="Too many"):
        people.sign_in(store, "ada", PASSWORD, "10.2.0.1", now=now + 19.5)


def test_disabled_accounts_cannot_sign_in(store: Repository) -> None:
    people.add_user(store, "ada", PASSWORD, "admin")
    signed = people.sign_in(store, "ada", PASSWORD, "10.0.0.1")
    people.set_disabled(store, "ada", True)
    assert people.session_user(store, signed.secret) is None
    with pytest.raises(SignInRefused, match="do not match"):
        people.sign_in(store, "ada", PASSWORD, "10.0.0.1")


# -- who may do what --------------------------------------------------------------------

CW = ("crosswalk", "imh-wv-ckc-2015")
OTHER = ("crosswalk", "iecmhc-imh")


@pytest.mark.parametrize(
    ("who", "action", "scope", "allowed"),
    [
        ("anonymous", Action.READ, CW, True),
        ("anonymous", Action.PROPOSE, CW, False),
        ("viewer", Action.PROPOSE, CW, False),
        ("editor", Action.PROPOSE, CW, True),
        ("editor", Action.PROPOSE, OTHER, False),
        ("editor", Action.REVIEW, CW, False),
        ("reviewer", Action.REVIEW, CW, True),
        ("reviewer", Action.PROPOSE, CW, False),
        ("reviewer", Action.REVIEW, OTHER, False),
        ("owner", Action.PROPOSE, CW, True),
        ("owner", Action.REVIEW, CW, True),
        ("owner", Action.GRANT, CW, True),
        ("owner", Action.RELEASE, CW, True),
        ("owner", Action.GRANT, OTHER, False),
        ("owner", Action.MANAGE_PEOPLE, None, False),
        ("owner", Action.IMPORT, None, False),
        ("admin", Action.MANAGE_PEOPLE, None, True),
        ("admin", Action.IMPORT, None, True),
        ("admin", Action.REVIEW, OTHER, True),
        ("operator", Action.IMPORT, None, True),
        ("disabled", Action.PROPOSE, CW, False),
    ],
)
def test_may(
    store: Repository, who: str, action: Action, scope: tuple[str, str] | None, allowed: bool
) -> None:
    actors: dict[str, Actor] = {"anonymous": ANONYMOUS, "operator": OPERATOR}
    if who not in actors:
        role = "admin" if who == "admin" else "viewer"
        grants = {who: "crosswalk:imh-wv-ckc-2015"} if who in people.ROLES else {}
        actors[who] = person(store, who if who != "disabled" else "dis", role, **grants)
        if who == "disabled":
            people.add_user(store, "dis2", PASSWORD, "editor")
            user = people.set_disabled(store, "dis2", True)
            actors[who] = actor_of(store, user)
    assert may(actors[who], action, scope) is allowed


def test_require_tells_signed_out_from_not_allowed(store: Repository) -> None:
    with pytest.raises(Denied) as anonymous:
        require(ANONYMOUS, Action.PROPOSE, [CW])
    assert not anonymous.value.signed_in
    viewer = person(store, "vic")
    with pytest.raises(Denied, match="needs the role editor or owner") as refused:
        require(viewer, Action.PROPOSE, [CW])
    assert refused.value.signed_in
