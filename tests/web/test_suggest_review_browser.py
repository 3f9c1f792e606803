"""A real Chromium reviews suggestions: an editor accepts one on a crosswalk's review
page and rejects another; the accepted link appears in her draft change set, a reviewer
approves it and it is published; the rejected one never comes back.  The review page
passes axe.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe import violations

from chromium import shot
from crosswalk.curation import people
from crosswalk.store import open_repository
from crosswalk.web.app import create_app
from live import serving

CROSSWALK = "imh-wv-ckc-2015"
REVIEW = f"/crosswalks/{CROSSWALK}/suggestions"
PASSWORD = "a long enough password"

pytestmark = pytest.mark.browser


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'review.sqlite3'}"
    with open_repository(url) as store:
        for name, role in (("edna", "editor"), ("rita", "reviewer")):
            people.add_user(store, name, PASSWORD)
            people.grant(store, name, role, "crosswalk", CROSSWALK)
    with serving(create_app(url)) as address:
        yield address


def test_accept_review_publish_and_reject_in_a_real_browser(browser: Any, site: str) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    edna, rita, reader = (_person(browser, site, n) for n in ("edna", "rita", None))
    edna.goto(site + REVIEW)
    section = edna.locator("section", has=edna.locator("h2#s-1"))
    source = section.locator("h2 a").get_attribute("href")
    first = section.locator("tbody tr").first
    target = first.locator("th a").inner_text()
    code = target.split()[0]
    assert violations(edna) == []
    shot(edna, "suggest-review", full=False)
    edna.goto(site + source)  # the item's page shows its suggestions too
    assert edna.locator("#suggested-links").count() == 1
    assert violations(edna) == []
    edna.go_back()
    first.get_by_role("button", name=re.compile(r"^Accept")).click()
    expect(section.locator("tbody tr").first).to_contain_text("Proposed in change set")
    # The next one is rejected: it leaves the page and never comes back.
    second = section.locator("tbody tr").nth(1)
    refused = second.locator("th a").inner_text()
    second.get_by_role("button", name=re.compile(r"^Reject")).click()
    edna.wait_for_load_state()
    assert refused not in section.inner_text()
    edna.reload()
    assert refused not in edna.locator("section", has=edna.locator("h2#s-1")).inner_text()

    edna.locator("p.hint a[href^='/changes/']").first.click()
    edna.wait_for_url("**/changes/*")
    number = edna.url.split("/changes/")[1]
    assert code in edna.locator("main").inner_text()
    edna.get_by_role("button", name="Submit for review").click()
    expect(edna.locator("dl.facts")).to_contain_text("submitted")

    rita.goto(f"{site}/changes/{number}")
    rita.get_by_role("button", name="Approve and publish").click()
    expect(rita.locator("dl.facts")).to_contain_text("approved")

    def published() -> bool:
        reader.goto(site + source)
        return bool(reader.locator(f"tr#link-wv-ckc-2015-{code.replace('.', '-')}").count())

    deadline = time.monotonic() + 3
    while not published():
        assert time.monotonic() < deadline, f"{source} → {code} was not published"
        time.sleep(0.2)
    row = reader.locator(f"tr#link-wv-ckc-2015-{code.replace('.', '-')}").inner_text()
    assert re.search(r"confidence 0\.\d+, accepted", row), row
    assert "/suggestions/accept" not in reader.content()  # a reader decides nothing
    assert edna.problems == rita.problems == reader.problems == []


def _person(browser: Any, site: str, name: str | None) -> Any:
    page = browser.new_context(bypass_csp=True).new_page()  # bypass_csp: to inject axe
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    if name is not None:
        page.goto(site + "/login")
        page.get_by_label("Name").fill(name)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/changes")
    return page
