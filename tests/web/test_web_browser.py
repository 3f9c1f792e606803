"""A real Chromium walks the site as a coordinator would, with screenshots to review.

The browser is the suite's one Chromium set-up (:mod:`chromium`, the ``browser``
fixture); screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chromium import ARTIFACTS, shot

pytestmark = pytest.mark.browser


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


def test_home_search_item(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Competency crosswalk"
    shot(page, "01-home")
    page.get_by_label("Code, name or words").fill("observation")
    page.get_by_role("button", name="Look up").click()
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
    cell = page.locator("table.matrix td a[aria-label^='Observation & listening → 1.2']")
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
    assert "codes=6B.2" in page.url and "codes=&" not in page.url + "&"
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
    shot(page, "11-docs", full=False)
    assert page.problems == []  # nothing fetched from elsewhere, no console errors


@pytest.mark.parametrize(
    "path",
    [
        "/search?q=observation",
        "/lint",
        "/docs",
        "/map?from=wv-ckc-2015&to=imh&codes=2.1",
        "/crosswalks/imh-wv-ckc-2015",
        "/frameworks/wv-ckc-2015/items/2.1",
    ],
)
def test_no_sideways_scrolling_on_a_phone(browser: Any, live_server: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    try:
        tab.goto(live_server + path)
        name = path.strip("/").split("?")[0].replace("/", "-")
        shot(tab, f"20-phone-{name}", full=False)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    finally:
        context.close()


def _luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: list[float], b: list[float]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


COLOURS = r"""(el) => {
  const rgb = (text) => (text.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const cell = el.closest('td') || el;
  const style = getComputedStyle(el);
  return {outline: rgb(style.outlineColor), shadow: rgb(style.boxShadow),
          background: rgb(getComputedStyle(cell).backgroundColor),
          active: document.activeElement === el};
}"""


def test_matrix_is_one_tab_stop_with_arrow_keys(page: Any, live_server: str) -> None:
    page.goto(live_server + "/crosswalks/imh-wv-ckc-2015")
    tabbable = page.evaluate(
        'document.querySelectorAll(\'table.matrix [tabindex="0"], '
        "table.matrix a:not([tabindex])').length"
    )
    assert tabbable == 1
    skip = page.get_by_role("link", name="Skip past the matrix")
    skip.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "after-matrix"
    # Into the matrix with one Tab from the skip link, then arrows.
    skip.focus()
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.closest('th') !== null")
    assert first
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('td') !== null")
    page.keyboard.press("Tab")
    outside = page.evaluate("document.activeElement.closest('table.matrix') === null")
    assert outside, "one Tab leaves the matrix"
    shot(page, "12-matrix-keyboard", full=False)
    # The focus ring stands out (≥ 3:1) on every cell colour.
    page.keyboard.press("Shift+Tab")
    for heat in ("tone-0", "tone-1", "tone-2", "tone-3", "empty"):
        if heat == "empty":
            target = page.locator("table.matrix tbody td:not([class])").first
        else:  # every colour, whether or not this crosswalk states such a strength
            target = page.locator("table.matrix td[class^=tone] a").first
            target.evaluate(f"a => {{ a.parentElement.className = '{heat}'; }}")
        target.focus()
        colours = target.evaluate(COLOURS)
        ring = max(
            _contrast(colours["outline"], colours["background"]),
            _contrast(colours["shadow"], colours["background"]) if colours["shadow"] else 0,
        )
        assert ring >= 3, (heat, colours)
    page.locator("td[class^=tone] a").first.focus()
    shot(page, "13-matrix-focus-dark", full=False)
    assert page.problems == []


def test_matrix_scroll_cue_and_print_fit(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(live_server + "/crosswalks/imh-wv-ckc-2015")
        assert tab.locator(".more-below").is_visible()
        assert "Showing 64" in tab.locator("#matrix-summary").inner_text()
        tab.locator("[data-matrix]").evaluate("el => { el.scrollTop = el.scrollHeight; }")
        tab.wait_for_timeout(100)
        assert not tab.locator(".more-below").is_visible()
        for path in ("/crosswalks/imh-wv-ckc-2015", "/crosswalks/iecmhc-imh?columns=all"):
            tab.set_viewport_size({"width": 720, "height": 960})
            tab.goto(live_server + path)
            tab.emulate_media(media="print")
            width = tab.evaluate("document.querySelector('table.matrix').scrollWidth")
            page_width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= 720 and page_width <= 720, (path, width, page_width)
            shot(tab, "14-print-" + path.split("/")[2].split("?")[0])
            tab.pdf(path=str(ARTIFACTS / ("print-" + path.split("/")[2].split("?")[0] + ".pdf")))
            tab.emulate_media(media="screen")
    finally:
        context.close()


@pytest.fixture(scope="module")
def large_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under uvicorn on the bundled data plus a 480 × 480-item crosswalk."""
    from large_data import large_dataset

    from crosswalk.store import open_repository
    from crosswalk.web.app import create_app
    from live import serving

    url = f"sqlite:///{tmp_path_factory.mktemp('large') / 'large.sqlite3'}"
    open_repository(url, seed=large_dataset).close()
    with serving(create_app(url)) as address:
        yield address


def test_a_large_crosswalk_overview_drills_down(page: Any, large_server: str) -> None:
    from large_data import CROSSWALK

    page.goto(f"{large_server}/crosswalks/{CROSSWALK}")
    shot(page, "20-large-crosswalk-overview", full=False)
    assert page.locator("table.matrix.overview td a").count() == 64
    # The overview is one Tab stop with arrow keys, like the item matrix.
    page.get_by_role("link", name="Skip past the matrix").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('th') !== null")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_url("**source_area=1&target_area=1#matrix")
    assert page.locator("#matrix-part").inner_text().startswith("Part of the matrix")
    shot(page, "21-large-crosswalk-pair", full=False)
    page.goto(f"{large_server}/crosswalks/{CROSSWALK}?source_area=3&columns=all")
    page.get_by_role("link", name="Columns 51–100").first.click()
    page.wait_for_url("**column_start=50*")
    assert (
        page.locator("table.matrix thead th[scope=col] a").first.inner_text()
        == "Competency 1.51 of big-b"
    )
    shot(page, "22-large-crosswalk-window", full=False)
    assert page.problems == []
