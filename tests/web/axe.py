"""axe-core, the accessibility checker the browser tests inject into pages.

It is an npm package, not a Python one: ``make axe`` installs it into ``.axe/`` (or point
``AXE_CORE_JS`` at an ``axe.min.js``).  Without it an axe test skips, and fails on CI
(``CI=true``), where ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("AXE_CORE_JS") or ROOT / ".axe/node_modules/axe-core/axe.min.js")


def axe_source() -> str:
    """The script, or skip (fail on CI) when it is not installed."""
    if not AXE.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"axe-core is missing at {AXE} (run make axe)", pytrace=False)
        pytest.skip(f"axe-core is missing at {AXE} (run make axe)")
    return AXE.read_text(encoding="utf-8")


def violations(tab: Any) -> list[str]:
    """axe's violations on the page open in ``tab``: ``"rule (impact): selectors"``."""
    tab.add_script_tag(content=axe_source())
    found: list[str] = tab.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"
    )
    return found
