"""Parsed pages for structural checks, and the other helpers of the web tests (a module
of its own: every test folder has a ``conftest`` module, so importing helpers from one
clashes when folders run together)."""

from __future__ import annotations

import asyncio
import re
from html.parser import HTMLParser
from typing import Any

from live import serving  # noqa: F401  (the web tests' one way to serve the app)

# Free text the hostile dataset plants (conftest's ``hostile_client``).
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","click")'


class Page(HTMLParser):
    """A parsed page: elements with their attributes and text, for structural checks."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self.parents: list[int | None] = []  # each element's enclosing element
        self._open: list[int] = []
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, []))
        self.parents.append(self._open[-1] if self._open else None)
        if tag not in {"meta", "link", "input", "br", "img", "hr"}:
            self._open.append(len(self.elements) - 1)

    def handle_endtag(self, tag: str) -> None:
        for position in range(len(self._open) - 1, -1, -1):
            if self.elements[self._open[position]][0] == tag:
                del self._open[position:]
                break

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        for index in self._open:
            self.elements[index][2].append(data)

    def find(self, tag: str, **attrs: str) -> list[tuple[dict[str, str], str]]:
        """(attributes, text) of every ``tag`` whose attributes include ``attrs``."""
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [
            (a, " ".join("".join(text).split()))
            for t, a, text in self.elements
            if t == tag and all(a.get(k) == v for k, v in wanted.items())
        ]

    @property
    def tags(self) -> list[tuple[str, dict[str, str]]]:
        """Every element's tag and attributes, in document order."""
        return [(tag, attrs) for tag, attrs, _ in self.elements]

    @property
    def words(self) -> str:
        """All the page's text, white space folded."""
        return " ".join(" ".join(self._text).split())

    def texts(self, tag: str, **attrs: str) -> list[str]:
        return [text for _, text in self.find(tag, **attrs)]

    def _inside(self, index: int, ancestor: int) -> bool:
        parent = self.parents[index]
        while parent is not None:
            if parent == ancestor:
                return True
            parent = self.parents[parent]
        return False

    def within(self, outer: int, tag: str) -> list[int]:
        """Indexes of the ``tag`` elements inside element ``outer``."""
        return [
            i for i, (t, _, _) in enumerate(self.elements) if t == tag and self._inside(i, outer)
        ]

    def text_of(self, index: int) -> str:
        return " ".join("".join(self.elements[index][2]).split())

    def table(self, caption_id: str) -> list[list[str]]:
        """The cell texts of each body row of the table captioned ``caption_id``."""
        caption = next(
            i
            for i, (t, a, _) in enumerate(self.elements)
            if t == "caption" and a.get("id") == caption_id
        )
        table = self.parents[caption]
        assert table is not None and self.elements[table][0] == "table"
        body = self.within(table, "tbody")
        return [
            [self.text_of(c) for c in self.within(row, "td") + self.within(row, "th")]
            for row in self.within(body[0] if body else table, "tr")
        ]

    def columns_with_links(self) -> int:
        """How many column headers (``th scope=col``) hold a link: a matrix's items."""
        return sum(
            1
            for i, (t, a, _) in enumerate(self.elements)
            if t == "th" and a.get("scope") == "col" and self.within(i, "a")
        )

    def hrefs(self) -> list[str]:
        return [a["href"] for a, _ in self.find("a") if "href" in a]


def parse(html: str) -> Page:
    return Page(html)


def csrf_token(client: Any, page: str = "/readiness") -> str:
    """The CSRF token a page's forms carry (the client keeps the cookie that goes with it)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert found is not None, f"no CSRF token in the forms of {page}"
    return found[1]


def on_event_loop() -> bool:
    """Whether the caller runs on the event loop (a route's work must not)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
