"""The matrix and the map page in a real Chromium, with and without JavaScript.

The matrix: a cell's row and column light up under the pointer and the focus, its
tooltip is its accessible name (both items), a focused cell never sits under the
sticky headings, the last column heading is not cut off, and the 12 × 13 grid needs
no frame of its own.  The map page: the tick boxes and the target list follow the
chosen source framework, by a button without JavaScript and at once with it.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe import axe_source, violations

from chromium import new_tab, shot

pytestmark = pytest.mark.browser

PAGES = [
    "/crosswalks/iecmhc-imh",
    "/crosswalks/imh-wv-ckc-2015",
    "/crosswalks/iecmhc-imh/links?level=IMHM",
    "/crosswalks/imh-wv-ckc-2015/links?sort=-target&size=25",
    "/map",
    "/map?from=iecmhc&to=wv-ckc-2015&codes=6B.2",
    "/map?from=wv-ckc-2015&to=imh&codes=6.6",
]


def _tab(browser: Any, width: int = 1280, *, script: bool = True) -> Any:
    tab = new_tab(browser, width, script=script)
    problems: list[str] = []
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.problems = problems
    return tab


def _classes(tab: Any, selector: str) -> str:
    return str(tab.locator(selector).first.get_attribute("class") or "")


def test_pointer_lights_the_row_and_column_and_shows_both_items(
    browser: Any, live_server: str
) -> None:
    tab = _tab(browser)
    tab.goto(live_server + "/crosswalks/iecmhc-imh")
    cell = tab.locator("table.matrix td a[aria-label^='6B.2']").first
    label = cell.get_attribute("aria-label") or ""
    assert "→ Developmental guidance" in label and "Essential" in label and "MHS" in label
    cell.hover()
    column = tab.evaluate(
        "() => [...document.querySelectorAll('tr.codes th')]"
        ".findIndex(th => th.classList.contains('col-hi'))"
    )
    headings = tab.locator("tr.codes th")
    assert "Developmental guidance" in headings.nth(column).inner_text()
    assert "row-hi" in _classes(tab, "table.matrix tbody tr:has(a[aria-label^='6B.2'])")
    # The tooltip shown is the accessible name: both items, what the link states.
    tip = cell.evaluate("a => getComputedStyle(a, '::after').content")
    assert label in tip
    # 12 × 13 fits the page: no frame of its own, nothing to scroll inside.
    region = tab.locator(".matrix-scroll")
    assert region.evaluate("r => r.scrollHeight <= r.clientHeight + 1")
    shot(tab, "40-matrix-hover", full=False)
    assert tab.problems == []
    tab.context.close()


def test_keyboard_focus_lights_its_column_and_stays_clear_of_the_headings(
    browser: Any, live_server: str
) -> None:
    tab = _tab(browser)
    tab.goto(live_server + "/crosswalks/imh-wv-ckc-2015")
    start = tab.locator("table.matrix [tabindex='0']").first
    start.focus()
    tab.keyboard.press("ArrowRight")
    for _ in range(40):  # down the rows, well past the frame's first screen
        tab.keyboard.press("ArrowDown")
    lit = tab.evaluate("() => [...document.querySelectorAll('tr.codes th.col-hi')].length")
    assert lit == 1
    clear = tab.evaluate(
        """() => {
          const cell = document.activeElement.closest('td');
          const head = document.querySelector('table.matrix thead').getBoundingClientRect();
          const row = cell.closest('tr').querySelector('th[scope=row]').getBoundingClientRect();
          const box = cell.getBoundingClientRect();
          return [box.top >= head.bottom - 1, box.left >= row.right - 1];
        }"""
    )
    assert clear == [True, True]
    assert tab.evaluate("() => document.activeElement.closest('tr').classList.contains('row-hi')")
    # The last column heading shows whole once the frame is scrolled to its right end.
    inside = tab.evaluate(
        """() => {
          const region = document.querySelector('.matrix-scroll');
          region.scrollLeft = region.scrollWidth;
          const heads = document.querySelectorAll('tr.codes th');
          const last = heads[heads.length - 1].getBoundingClientRect();
          return last.right <= region.getBoundingClientRect().right + 1 && last.width > 0;
        }"""
    )
    assert inside
    shot(tab, "41-matrix-keyboard", full=False)
    assert tab.problems == []
    tab.context.close()


def test_map_ticks_follow_the_source_with_script(browser: Any, live_server: str) -> None:
    tab = _tab(browser)
    tab.goto(live_server + "/map")
    targets = tab.locator("#map-to option").evaluate_all("os => os.map(o => o.value)")
    assert "wv-ckc-2015" not in targets  # the source is never offered as the target
    tab.get_by_label("My codes are from").select_option("iecmhc")
    tab.locator("#map-choices input[value='6B.2']").wait_for(state="attached")
    targets = tab.locator("#map-to option").evaluate_all("os => os.map(o => o.value)")
    assert "iecmhc" not in targets and "wv-ckc-2015" in targets
    tab.get_by_label("Show them in").select_option("wv-ckc-2015")
    tab.locator("#map-choices details:has(input[value='6B.2']) summary").click()
    tab.locator("#map-choices input[value='6B.2']").check()
    tab.get_by_role("button", name="Map", exact=True).click()
    tab.wait_for_url("**/map?*codes=6B.2*")
    results = tab.locator("table.map-results")
    assert "Indirect, through" in results.inner_text()
    assert "Essential, IMHS level, tagged MHS by the source" in results.inner_text()
    shot(tab, "42-map-chained", full=False)
    assert tab.problems == []
    tab.context.close()


def test_map_ticks_follow_the_source_without_script(browser: Any, live_server: str) -> None:
    tab = _tab(browser, script=False)
    tab.goto(live_server + "/map")
    tab.get_by_label("My codes are from").select_option("iecmhc")
    tab.get_by_role("button", name="List its codes").click()
    tab.wait_for_url("**choose=source*")
    assert tab.locator("#map-choices input[value='6B.2']").count() == 1
    assert tab.locator("#map-choices input[value='2.1']").count() == 0
    targets = tab.locator("#map-to option").evaluate_all("os => os.map(o => o.value)")
    assert "iecmhc" not in targets
    tab.context.close()


def test_imh_results_name_their_area(browser: Any, live_server: str) -> None:
    tab = _tab(browser)
    tab.goto(live_server + "/map?from=wv-ckc-2015&to=imh&codes=6.6")
    rows = tab.locator("table.map-results th[scope=row]").all_inner_texts()
    advocacy = [r for r in rows if r.startswith("Advocacy")]
    assert len(advocacy) == 2 and len(set(advocacy)) == 2, rows
    tab.context.close()


def test_on_a_phone_the_small_matrix_says_it_scrolls_and_cells_are_44px(
    browser: Any, live_server: str
) -> None:
    tab = _tab(browser, 390)
    tab.goto(live_server + "/crosswalks/iecmhc-imh")
    hint = tab.locator(".matrix-frame .scroll-hint")
    assert hint.count() == 1 and "Scroll sideways" in hint.inner_text()
    sizes = tab.locator("table.matrix td a").evaluate_all(
        "as => as.map(a => [a.getBoundingClientRect().width, a.getBoundingClientRect().height])"
    )
    assert sizes and all(w >= 44 and h >= 44 for w, h in sizes), sizes
    tab.goto(live_server + "/crosswalks/iecmhc-imh/links?level=IMHM")
    heights = tab.locator(".facet a, .table-status a").evaluate_all(
        "as => as.map(a => a.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    tab.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_matrix_table_and_map_pass_axe_and_fit(browser: Any, live_server: str, width: int) -> None:
    axe_source()
    tab = _tab(browser, width)
    found: dict[str, list[str]] = {}
    for path in PAGES:
        tab.goto(live_server + path)
        if problems := violations(tab):
            found[path] = problems
        assert tab.evaluate("document.documentElement.scrollWidth") <= width, path
        name = path.strip("/").split("?")[0].replace("/", "-")
        shot(tab, f"43-{width}-{name}", full=False)
    assert found == {}
    tab.context.close()
