"""Jinja2 set-up shared by every page: autoescaping, helpers and the static URLs.

Autoescaping is on for every template (the data holds free text typed by people);
the only markup that reaches a page unescaped is built by
:func:`crosswalk.web.views.highlight`, which escapes the text itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape
from starlette.responses import HTMLResponse, Response

from crosswalk.levels import LEVELS, item_level
from crosswalk.model import RELATION_DEFINITIONS, Framework, Item, Relation
from crosswalk.query import MAX_CELLS, RELATION_MARKS, AxisGroup
from crosswalk.sources.bundled import errata_reasons
from crosswalk.sources.documents import documents, erratum_line
from crosswalk.web import csrf, curation_views
from crosswalk.web.views import (
    LEVEL_MARKS,
    highlight,
    item_url,
    link_anchor,
    source_link,
    strength_mark,
    strength_tone,
)

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

NAVIGATION = (
    ("/", "Home"),
    ("/map", "Map codes"),
    ("/search", "Search"),
    ("/readiness", "Readiness"),
    ("/suggest", "My training"),
    ("/lint", "Data quality"),
    ("/docs", "API"),
)

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=_environment)
_build = {"id": "dev"}


def set_build(build: str) -> None:
    """Static URLs carry the build id so browsers fetch new CSS after an upgrade."""
    _build["id"] = build


def static_url(name: str) -> str:
    return f"/static/{name}?v={_build['id']}"


def download_url(request: Request, fmt: str) -> str:
    """The current page's address asking for its data as ``fmt``."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "format"]
    return f"{request.url.path}?{urlencode([*params, ('format', fmt)])}"


def label(item: Item) -> str:
    """How a page names an item: "1.2 Applies …", "Area 1", "Observation & listening"."""
    if item.code in item.name.split():
        return item.name
    return item.label


def area_label(group: AxisGroup) -> str:
    """How a page names an area of the matrix: its label, or what it holds when none."""
    return label(group.area) if group.area is not None else "Not under an area"


def short(item: Item) -> str:
    """The printed code where there is one (``1.10``), otherwise the name."""
    return item.name if item.label == item.name else item.code


def erratum_reason(erratum_id: str) -> str:
    """Why the source was corrected there, as the bundled errata state it ("" if unknown)."""
    return errata_reasons().get(erratum_id, "")


def short_title(framework: Framework) -> str:
    """A framework's short name: "2015 CKC", "IECMHC", or the title when it has none."""
    match = re.search(r"\(([^()]+)\)\s*$", framework.title)
    return match.group(1) if match else framework.title


def tree_page_url(framework: Framework, parent: Item | None, page: int) -> str:
    """Another page of a list in the tree: the children of ``parent`` (None: the top)."""
    base = item_url(parent) if parent is not None else f"/frameworks/{quote(framework.id)}"
    return f"{base}?page={page}" if page > 1 else base


def relation_words(relation: Relation) -> str:
    """A SKOS relation as a reader says it: "Related", "Close match", "No match"."""
    return _RELATION_WORDS.get(relation, str(relation).capitalize())


_RELATION_WORDS = {
    Relation.EXACT: "Exact match",
    Relation.CLOSE: "Close match",
    Relation.BROAD: "Broader",
    Relation.NARROW: "Narrower",
    Relation.NO_MATCH: "No match",
}


def level_label(item_or_tag: Any) -> str:
    return LEVELS.get(item_or_tag, str(item_or_tag))


def signed_in_user(request: Request) -> Any:
    """The person signed in (read by the session middleware), or None."""
    found = getattr(request.state, "signed_in", None)
    return found[0] if found else None


_environment.globals.update(
    static_url=static_url,
    download_url=download_url,
    item_url=item_url,
    label=label,
    area_label=area_label,
    max_cells=MAX_CELLS,
    short=short,
    link_anchor=link_anchor,
    item_level=item_level,
    highlight=highlight,
    level_label=level_label,
    short_title=short_title,
    source_link=source_link,
    tree_page_url=tree_page_url,
    relation_words=relation_words,
    relation_definitions=RELATION_DEFINITIONS,
    source_documents=documents,
    erratum_line=erratum_line,
    erratum_reason=erratum_reason,
    navigation=NAVIGATION,
    csrf_field=csrf.field,
    signed_in_user=signed_in_user,
    preview_marks=curation_views.preview_marks,
    preview_removed=curation_views.preview_removed,
    cell_mark=curation_views.cell_mark,
    strength_mark=strength_mark,
    strength_tone=strength_tone,
    level_marks=LEVEL_MARKS,
    relation_marks=RELATION_MARKS,
    clash_rows=curation_views.clash_rows,
)


# Pages that read the catalog, so a release or a preview means something there.
_READING_PAGES = r"/(?:frameworks|crosswalks|map|search|lint|lookup|compare)\b"
_READING_LINK = re.compile(rf'href="({_READING_PAGES}[^"#]*)((?:#[^"]*)?)"')
_READING_FORM = re.compile(rf'<form(?=[^>]*method="get")(?=[^>]*action="{_READING_PAGES})[^>]*>')


def reading_of(request: Request) -> tuple[str, str] | None:
    """``("release", NAME)`` or ``("preview", N)`` when the page reads one, else None."""
    for name in ("release", "preview"):
        value = request.query_params.get(name)
        if value and value != "published":
            return name, value
    return None


def keep_reading(html: str, reading: tuple[str, str]) -> str:
    """A page read from a release (or a change set's preview) keeps reading it: its
    links to other reading pages and its question forms carry ``?release=`` too, so
    someone browsing release 2025-spring never slips back into the published data
    unawares.  A link that names a reading already (the banner's "published") is kept."""
    name, value = reading
    pair = f"{name}={quote(value, safe='')}"

    def link(match: re.Match[str]) -> str:
        address, anchor = match[1], match[2]
        if re.search(r"[?&;](?:amp;)?(?:release|preview)=", address):
            return match[0]
        joiner = "&amp;" if "?" in address else "?"
        return f'href="{address}{joiner}{pair}{anchor}"'

    hidden = f'<input type="hidden" name="{name}" value="{escape(value)}">'
    html = _READING_LINK.sub(link, html)
    return _READING_FORM.sub(lambda m: m[0] + hidden, html)


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    """A page; ``context['title']`` becomes the <title>, ``request`` drives the nav."""
    reading = reading_of(request)
    response: Response
    if reading is None:
        response = templates.TemplateResponse(request, name, context, status_code=status_code)
    else:
        html = keep_reading(render_text(request, name, context), reading)
        response = HTMLResponse(html, status_code=status_code)
    csrf.remember(request, response)
    return response


def render_text(request: Request, name: str, context: dict[str, Any]) -> str:
    """A template rendered to text (for fragments cached per revision)."""
    return _environment.get_template(name).render({"request": request, **context})
