"""Debian's Chromium driven through Playwright, for the browser tests of every folder.

``playwright install`` cannot download browsers here, so the system's
``/usr/bin/chromium`` is launched.  Without it the browser tests skip, except on CI
(``CI=true``), where a missing browser is a failure.  Screenshots go to
``test-artifacts/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def launched() -> Iterator[Any]:
    """A running Chromium (a Playwright ``Browser``), closed afterwards; or skip."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing (CI=true)", pytrace=False)
        pytest.skip(f"{CHROMIUM} is missing")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_tab(browser: Any, width: int = 1280, *, script: bool = True) -> Any:
    """A page in a browser context of its own, ``width`` wide (under 500: a phone, with
    touch); the CSP is bypassed so that tests can inject axe-core, the app's own pages
    run no inline script."""
    phone = width < 500
    context = browser.new_context(
        viewport={"width": width, "height": 844 if phone else 900},
        is_mobile=phone,
        has_touch=phone,
        java_script_enabled=script,
        bypass_csp=True,
    )
    return context.new_page()


def shot(page: Any, name: str, *, full: bool = True) -> None:
    """A screenshot of ``page`` as ``test-artifacts/<name>.png``."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)
