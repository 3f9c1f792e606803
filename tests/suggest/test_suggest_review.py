"""Reviewing suggestions: accepted into a change set, rejected for good — in the library,
the command line, the API and the pages, on the real store seeded with the bundled data.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from crosswalk.cli import app as cli
from crosswalk.curation import Actor, Denied, actor_of, changes, people, suggestions
from crosswalk.curation.errors import CurationProblem
from crosswalk.store import Repository, open_repository
from crosswalk.suggest import Embeddings, Mode, flatten
from crosswalk.web.app import create_app

CROSSWALK = "imh-wv-ckc-2015"
OBSERVATION = "direct-service-skills/observation-listening"
ITEM_PAGE = f"/frameworks/imh/items/{OBSERVATION}"
REVIEW = f"/crosswalks/{CROSSWALK}/suggestions"
PASSWORD = "a long enough password"
SEMAPV = re.compile(r"semapv:[A-Za-z]+Matching|semapv:MappingChaining")


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'review.sqlite3'}"


@pytest.fixture
def store(url: str) -> Iterator[Repository]:
    with open_repository(url) as opened:
        for name, role, scope in (
            ("edna", "editor", ("crosswalk", CROSSWALK)),
            ("rita", "reviewer", ("crosswalk", CROSSWALK)),
            ("otto", "editor", ("crosswalk", "iecmhc-imh")),
            ("vera", None, None),
        ):
            people.add_user(opened, name, PASSWORD)
            if role and scope:
                people.grant(opened, name, role, *scope)
        yield opened


def actor(store: Repository, name: str) -> Actor:
    return actor_of(store, people.find_user(store, name))


def best(store: Repository, embeddings: Embeddings, item: str = OBSERVATION) -> tuple[str, str]:
    (ranking,) = suggestions.for_review(
        store, store.load_catalog(), "imh", "wv-ckc-2015", item=item, top=1, embeddings=embeddings
    )
    return ranking.suggestions[0].pair()


# -- the library -------------------------------------------------------------------------


def test_a_rejected_pair_is_never_suggested_in_any_mode(
    store: Repository, embeddings: Embeddings
) -> None:
    pair = best(store, embeddings)
    assert suggestions.reject_suggestion(store, actor(store, "edna"), CROSSWALK, *pair)
    catalog = store.load_catalog()
    for mode in Mode:
        rankings = suggestions.for_review(store, catalog, "imh", "wv-ckc-2015", item=OBSERVATION,
                                          mode=mode, top=None, embeddings=embeddings)  # fmt: skip
        targets = [s.target.code for s in flatten(rankings)]
        assert pair[1] not in targets and len(targets) > 30, mode
    # Refusing twice records nothing new; a code that is not an item is refused.
    assert not suggestions.reject_suggestion(store, actor(store, "edna"), CROSSWALK, *pair)
    with pytest.raises(CurationProblem, match="not an item of wv-ckc-2015"):
        suggestions.reject_suggestion(store, actor(store, "edna"), CROSSWALK, OBSERVATION, "9.9",
                                      catalog=catalog)  # fmt: skip
    with pytest.raises(Denied):
        suggestions.reject_suggestion(store, actor(store, "otto"), CROSSWALK, OBSERVATION, "1.1")


def test_accepting_puts_the_suggestion_as_scored_into_a_draft(
    store: Repository, embeddings: Embeddings
) -> None:
    catalog = store.load_catalog()
    edna = actor(store, "edna")
    source, target = best(store, embeddings)
    expected = suggestions.current(store, catalog, catalog.crosswalk(CROSSWALK), source, target,
                                   embeddings=embeddings)  # fmt: skip
    made = suggestions.accept(store, edna, catalog, CROSSWALK, source, target,
                              embeddings=embeddings)  # fmt: skip
    assert (made.status, made.author, made.size) == ("draft", "edna", 1)
    _, (operation,) = changes.get(store, edna, made.id)
    after = operation.after or {}
    assert (operation.action, after["source_code"], after["target_code"]) == ("add", source, target)
    assert after["confidence"] == round(expected.score, 4) > 0
    assert after["justification"] == expected.justification and SEMAPV.fullmatch(
        after["justification"]
    )
    assert after["note"] == f"Suggested: {expected.reason}"
    assert suggestions.pending(store, CROSSWALK) == {(source, target): made.id}
    # Not twice, not a link already made, not for someone without the role.
    with pytest.raises(CurationProblem, match=f"proposed already, in change set {made.id}"):
        suggestions.accept(store, edna, catalog, CROSSWALK, source, target, embeddings=embeddings)
    linked = next(a.target_code for a in catalog.by_crosswalk[CROSSWALK]
                  if a.source_code == OBSERVATION and a.target_code)  # fmt: skip
    with pytest.raises(CurationProblem, match="linked already or was rejected"):
        suggestions.accept(store, edna, catalog, CROSSWALK, OBSERVATION, str(linked),
                           embeddings=embeddings)  # fmt: skip
    with pytest.raises(Denied):
        suggestions.accept(store, actor(store, "otto"), catalog, CROSSWALK, source, "7.6")


def test_proposing_the_top_suggestions_is_one_draft_or_nothing(
    store: Repository, embeddings: Embeddings
) -> None:
    catalog = store.load_catalog()
    edna = actor(store, "edna")
    before = len(changes.listed(store, edna))
    with pytest.raises(CurationProblem, match="scores 1 or more"):
        suggestions.propose_top(store, edna, catalog, CROSSWALK, title="None", threshold=1.0,
                                embeddings=embeddings)  # fmt: skip
    assert len(changes.listed(store, edna)) == before  # no empty draft left behind
    made, chosen = suggestions.propose_top(store, edna, catalog, CROSSWALK, title="Two",
                                           threshold=0.0, top=2, item=OBSERVATION,
                                           embeddings=embeddings)  # fmt: skip
    assert made.size == len(chosen) == 2
    _, operations = changes.get(store, edna, made.id)
    positions = [o.after["position"] for o in operations if o.after]
    assert len(set(positions)) == 2  # each new link has a place of its own
    # The same again: both are proposed already, so nothing is left to propose.
    with pytest.raises(CurationProblem, match="proposed already"):
        suggestions.propose_top(store, edna, catalog, CROSSWALK, title="Again", threshold=0.0,
                                top=2, item=OBSERVATION, embeddings=embeddings)  # fmt: skip


# -- the command line --------------------------------------------------------------------


def run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--database", url, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def targets(out: str) -> set[str]:
    return {row["target_code"] for row in csv.DictReader(io.StringIO(out))}


def test_the_command_line_proposes_and_never_suggests_a_rejected_pair(
    store: Repository, url: str, embeddings: Embeddings
) -> None:
    pair = best(store, embeddings)
    pick = ("suggest", "--from", "imh", "--to", "wv-ckc-2015", "--item", OBSERVATION, "-f", "csv")
    code, out, _ = run(url, *pick, "--top", "40")
    assert code == 0 and pair[1] in targets(out)
    suggestions.reject_suggestion(store, actor(store, "edna"), CROSSWALK, *pair)
    for mode in ((), ("--blind",), ("--leave-one-out",)):
        code, out, err = run(url, *pick, "--top", "40", *mode)
        assert code == 0, err
        assert pair[1] not in targets(out), mode

    code, _, err = run(url, *pick, "--propose", "From the CLI", "--threshold", "0", "--as", "vera")
    assert code == 1 and "vera may not propose on crosswalk imh-wv-ckc-2015" in err, err
    code, out, err = run(url, *pick, "--top", "2", "--propose", "From the CLI",
                         "--threshold", "0", "--as", "edna")  # fmt: skip
    assert code == 0, err
    assert "draft change set" in err
    proposed = list(csv.DictReader(io.StringIO(out)))
    assert len(proposed) == 2 and pair[1] not in {r["target_code"] for r in proposed}
    (draft,) = [c for c in changes.listed(store, actor(store, "edna")) if c.title == "From the CLI"]
    assert (draft.status, draft.author, draft.size) == ("draft", "edna", 2)
    code, _, err = run(url, *pick, "--propose", "x", "--blind")
    assert code == 1 and "--propose suggests from everything stored" in err


# -- the pages and the API ---------------------------------------------------------------


def signed_in(url: str, name: str | None) -> TestClient:
    client = TestClient(create_app(url), follow_redirects=False)
    client.__enter__()
    if name is not None:
        answer = client.post(
            "/login", data={"name": name, "password": PASSWORD, "csrf_token": token(client)}
        )
        assert answer.status_code == 303, answer.text
    return client


def token(client: TestClient, path: str = "/login") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found[1]


def forms(html: str) -> list[dict[str, str]]:
    """The hidden fields of each Accept form on a page."""
    found = []
    for form in re.findall(r'<form method="post" action="[^"]+/accept".*?</form>', html, re.S):
        found.append(dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form)))
    return found


def test_who_sees_the_review_page_and_the_forms(store: Repository, url: str) -> None:
    anonymous, vera, otto, edna = (signed_in(url, n) for n in (None, "vera", "otto", "edna"))
    assert anonymous.get(REVIEW).status_code == 401
    assert vera.get(REVIEW).status_code == 403
    assert otto.get(REVIEW).status_code == 403  # an editor of another crosswalk
    page = edna.get(REVIEW)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Suggestions, not links." in page.text
    found = forms(page.text)
    assert len(found) == 30  # ten source items a page, three suggestions each
    assert page.text.count("/suggestions/reject") == 30
    assert all(f["csrf_token"] and f["change_set"] == "" for f in found)
    assert len(SEMAPV.findall(page.text)) >= 30
    assert 'rel="next"' in page.text and "Page 1 of 7" in page.text
    assert len(forms(edna.get(REVIEW, params={"page": 7}).text)) == 3 * (64 - 60)
    # The item's page: forms for its editor only.
    assert "/suggestions/accept" not in anonymous.get(ITEM_PAGE).text
    assert "/suggestions/accept" not in vera.get(ITEM_PAGE).text
    item_page = edna.get(ITEM_PAGE).text
    assert 'id="suggested-links"' in item_page and len(forms(item_page)) == 3
    assert "/suggestions/accept" not in edna.get("/frameworks/imh/items/reflection").text  # a group


def test_accept_and_reject_from_the_item_page(store: Repository, url: str) -> None:
    edna = signed_in(url, "edna")
    first, second, third = forms(edna.get(ITEM_PAGE).text)
    assert first["next"] == f"{ITEM_PAGE}#suggested-{CROSSWALK}"
    accepted = edna.post(f"/crosswalks/{CROSSWALK}/suggestions/accept", data=first)
    assert accepted.status_code == 303
    location = accepted.headers["location"]
    assert location.startswith(f"{ITEM_PAGE}?change_set=") and location.endswith(
        f"#suggested-{CROSSWALK}"
    )
    draft = int(location.split("change_set=")[1].split("#")[0])
    page = edna.get(location).text
    assert f'Proposed in <a href="/changes/{draft}">change set {draft}</a>' in page
    assert f"change set {draft}: Suggested links for" in page  # where the next ones go
    assert all(f["change_set"] == str(draft) for f in forms(page))
    change_set = edna.get(f"/changes/{draft}").text
    assert first["target"] in change_set and "Suggested: " in change_set

    rejected = edna.post(f"/crosswalks/{CROSSWALK}/suggestions/reject", data=second)
    assert rejected.status_code == 303
    assert (OBSERVATION, second["target"]) in suggestions.rejected_pairs(store, CROSSWALK)
    assert second["target"] not in {f["target"] for f in forms(edna.get(location).text)}
    api = edna.get("/api/suggest/pair", params={"from": "imh", "to": "wv-ckc-2015",
                                                "item": OBSERVATION, "top": 20})  # fmt: skip
    assert second["target"] not in {s["target"]["code"] for s in api.json()["rankings"][0][
        "suggestions"]}  # fmt: skip
    # A form from another site, or sending us elsewhere, changes nothing / stays here.
    forged = edna.post(f"/crosswalks/{CROSSWALK}/suggestions/reject",
                       data={**third, "csrf_token": "forged"})  # fmt: skip
    assert forged.status_code == 403
    assert (OBSERVATION, third["target"]) not in suggestions.rejected_pairs(store, CROSSWALK)
    away = edna.post(f"/crosswalks/{CROSSWALK}/suggestions/reject",
                     data={**third, "next": "//elsewhere.example/x"})  # fmt: skip
    assert away.headers["location"] == REVIEW


def test_a_refused_accept_is_a_page_that_says_why(store: Repository, url: str) -> None:
    edna = signed_in(url, "edna")
    first = forms(edna.get(ITEM_PAGE).text)[0]
    linked = next(a.target_code for a in store.load_catalog().by_crosswalk[CROSSWALK]
                  if a.source_code == OBSERVATION and a.target_code)  # fmt: skip
    answer = edna.post(f"/crosswalks/{CROSSWALK}/suggestions/accept",
                       data={**first, "target": str(linked)})  # fmt: skip
    assert answer.status_code == 400 and "linked already or was rejected" in answer.text
    assert suggestions.pending(store, CROSSWALK) == {}
