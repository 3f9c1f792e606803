"""The “What does my training cover?” page and the suggestion API, over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from chromium import shot
from crosswalk.web.app import create_app
from live import serving

TEXT = "Food safety and nutrition for infants and toddlers in child care"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'web.sqlite3'}")) as test_client:
        yield test_client


def test_the_page_asks_for_a_description(client: TestClient) -> None:
    page = client.get("/suggest")
    assert page.status_code == 200
    assert '<label for="suggest-text">' in page.text
    assert 'maxlength="4000"' in page.text
    assert '<a href="/suggest" aria-current="page">My training</a>' in page.text
    assert "Suggested competencies" not in page.text


def test_suggestions_are_labelled_and_explained(client: TestClient) -> None:
    page = client.post("/suggest", data={"text": TEXT})
    assert page.status_code == 200
    assert "Suggestions, not a ruling." in page.text
    for heading in ("suggested-wv-ckc-2015", "suggested-imh", "suggested-iecmhc"):
        assert f'id="{heading}"' in page.text
    assert '<a href="/frameworks/wv-ckc-2015/items/5.5"><span class="code">5.5</span>' in page.text
    assert page.text.count("Why: ") == 15  # five per framework
    assert "shared words: " in page.text
    assert client.get("/suggest", params={"text": TEXT}).text.count("Why: ") == 15


def test_what_a_visitor_types_is_escaped(client: TestClient) -> None:
    hostile = '<script>alert(1)</script> "play" & learning'
    page = client.post("/suggest", data={"text": hostile})
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_text_too_long_is_refused_with_a_reason(client: TestClient) -> None:
    page = client.post("/suggest", data={"text": "x" * 4001})
    assert page.status_code == 422
    assert "at most 4000 are read" in page.text
    assert client.get("/suggest", params={"text": "x" * 4001}).status_code == 422
    huge = client.post("/suggest", content=b"text=" + b"x" * 70_000,
                       headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert huge.status_code == 422


def test_api_text_suggestions(client: TestClient) -> None:
    answer = client.get("/api/suggest/text", params={"to": "wv-ckc-2015", "text": TEXT, "top": 3})
    assert answer.status_code == 200
    data = answer.json()
    assert data["to"] == "wv-ckc-2015" and "review" in data["note"]
    first = data["suggestions"][0]
    assert first["target"]["code"] == "5.5" and first["rank"] == 1
    assert first["justification"].startswith("semapv:") and 0 < first["score"] <= 1
    posted = client.post("/api/suggest/text", json={"to": "wv-ckc-2015", "text": TEXT, "top": 3})
    assert posted.json() == data


def test_api_bounds_and_errors(client: TestClient) -> None:
    def problem(response: Any) -> tuple[int, str]:
        return response.status_code, response.json()["errors"][0]["parameter"] if response.json()[
            "errors"
        ] else ""

    get = client.get
    assert problem(get("/api/suggest/text", params={"to": "imh", "text": TEXT, "top": 21})) == (
        422, "top")  # fmt: skip
    assert problem(get("/api/suggest/text", params={"to": "imh", "text": "x" * 4001})) == (
        422, "text")  # fmt: skip
    assert get("/api/suggest/text", params={"to": "nope", "text": TEXT}).status_code == 404
    post = client.post
    assert problem(post("/api/suggest/text", json={"to": "imh"})) == (422, "text")
    assert problem(post("/api/suggest/text", content=b"{bad",
                        headers={"content-type": "application/json"})) == (422, "body")  # fmt: skip
    assert post("/api/suggest/text", content=b"x" * 70_000).status_code == 422
    loo = {"from": "imh", "to": "iecmhc", "mode": "leave-one-out"}
    assert problem(get("/api/suggest/pair", params=loo)) == (422, "item")


def test_api_pair_suggestions(client: TestClient) -> None:
    query = {"from": "iecmhc", "to": "imh", "item": "6B.2", "mode": "leave-one-out", "top": 3}
    answer = client.get("/api/suggest/pair", params=query)
    assert answer.status_code == 200
    data = answer.json()
    assert (data["from"], data["to"], data["mode"]) == ("iecmhc", "imh", "leave-one-out")
    (ranking,) = data["rankings"]
    assert ranking["source"]["code"] == "6B.2" and len(ranking["suggestions"]) == 3
    assert ranking["fitted_on"] == 11  # the twelve competencies but 6B.2 itself
    blind = client.get("/api/suggest/pair", params={"from": "iecmhc", "to": "imh", "mode": "blind"})
    assert len(blind.json()["rankings"]) == 12
    assert "/api/suggest/text" in client.get("/openapi.json").json()["paths"]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite3'}"
    with serving(create_app(url)) as address:
        yield address


@pytest.mark.browser
def test_a_keyboard_user_gets_suggestions_in_a_real_browser(browser: Any, live_server: str) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/suggest")
    page.get_by_label("Training title and description").fill(TEXT)
    page.keyboard.press("Tab")  # to the button
    page.keyboard.press("Enter")
    page.wait_for_selector("#suggested-heading")
    first = page.locator("#suggested-wv-ckc-2015 + ol li").first
    assert re.search(r"5\.5", first.inner_text())
    assert page.get_by_label("Training title and description").input_value() == TEXT
    shot(page, "suggest")
    assert problems == []
