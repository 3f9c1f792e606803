"""A real Chromium walks the site as a coordinator would, with screenshots to review.

Debian's Chromium is driven through Playwright (``playwright install`` is not needed).
Without /usr/bin/chromium the tests skip, except on CI (``CI=true``), where a missing
browser is a failure.  Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing (CI=true)", pytrace=False)
        pytest.skip(f"{CHROMIUM} is missing")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page that records console errors and failed same-origin requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    tab.problems = problems
    try:
        yield tab
    finally:
        context.close()


def shot(page: Any, name: str, *, full: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def test_home_search_item(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Competency crosswalk"
    shot(page, "01-home")
    page.get_by_label("Search competencies by words or code").fill("observation")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=observation*")
    assert page.locator("mark").count() > 0
    shot(page, "02-search")
    page.get_by_role("link", name="Observation & listening").first.click()
    page.wait_for_url("**/items/direct-service-skills/observation-listening")
    assert "Observation & listening" in page.locator("h1").inner_text()
    links = page.locator("table.links").first.inner_text()
    assert "1.2" in links
    assert "6C.2" in page.content()
    shot(page, "03-item")
    assert page.problems == []


def test_matrix_cell_leads_to_the_pair(page: Any, live_server: str) -> None:
    page.goto(live_server + "/crosswalks/imh-wv-ckc-2015")
    shot(page, "04-crosswalk-matrix", full=False)
    cell = page.locator("table.matrix td a[aria-label^='Observation & listening to 1.2']")
    assert cell.count() == 1
    cell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/items/direct-service-skills/observation-listening#link-wv-ckc-2015-1-2")
    target = page.locator("tr:target")
    assert "1.2" in target.inner_text()
    shot(page, "05-matrix-cell-target", full=False)
    page.goto(live_server + "/crosswalks/imh-wv-ckc-2015?level=IMHM")
    page.get_by_label("Endorsement level").select_option("IMHS")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**level=IMHS*")
    assert page.locator("table.matrix tbody th[scope=row]").count() > 0
    shot(page, "06-crosswalk-imhs", full=False)
    assert page.problems == []


def test_map_query(page: Any, live_server: str) -> None:
    page.goto(live_server + "/map")
    page.get_by_label("My codes are from").select_option("iecmhc")
    page.get_by_label("Show them in").select_option("wv-ckc-2015")
    page.get_by_label("Type codes").fill("6B.2")
    page.get_by_role("button", name="Map").click()
    page.wait_for_url("**/map?from=iecmhc&to=wv-ckc-2015*")
    assert "codes=6B.2" in page.url
    results = page.locator("table.map-results").inner_text()
    assert "Developmental guidance" in results  # the IMH item in between
    shot(page, "07-map")
    assert page.problems == []


def test_phone_width(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    try:
        tab.goto(live_server + "/frameworks/iecmhc/items/6C.2")
        shot(tab, "08-item-phone")
        tab.goto(live_server + "/map?from=wv-ckc-2015&to=imh&codes=2.1&codes=4.1")
        shot(tab, "09-map-phone", full=False)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, "the page must not scroll sideways on a phone"
    finally:
        context.close()


def test_lint_and_docs_pages(page: Any, live_server: str) -> None:
    page.goto(live_server + "/lint")
    assert page.locator("h1").inner_text() == "Data quality report"
    shot(page, "10-lint", full=False)
    page.goto(live_server + "/docs")
    assert page.locator("#endpoints").count() == 1
    # The Swagger CDN is unreachable offline; our own scripts must still not fail.
    own = [p for p in page.problems if "cdn.jsdelivr.net" not in p and "ERR_" not in p]
    assert own == []
