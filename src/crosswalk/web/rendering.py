"""Jinja2 set-up shared by every page: autoescaping, helpers and the static URLs.

Autoescaping is on for every template (the data holds free text typed by people);
the only markup that reaches a page unescaped is built by
:func:`crosswalk.web.views.highlight`, which escapes the text itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import Response

from crosswalk.levels import LEVELS, item_level
from crosswalk.model import Framework, Item
from crosswalk.sources.bundled import errata_reasons, source_documents
from crosswalk.web import csrf, curation_views
from crosswalk.web.views import highlight, item_url, link_anchor

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

NAVIGATION = (
    ("/", "Home"),
    ("/map", "Map codes"),
    ("/search", "Search"),
    ("/readiness", "Readiness"),
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


def short(item: Item) -> str:
    """The printed code where there is one (``1.10``), otherwise the name."""
    return item.name if item.label == item.name else item.code


def erratum_reason(erratum_id: str) -> str:
    """Why the source was corrected there, as the bundled errata state it ("" if unknown)."""
    return errata_reasons().get(erratum_id, "")


def provenance_title(value: object) -> str:
    """A tooltip for "seed 000, line 29": which document, which line of its text."""
    text = str(value)
    label, _, lines = text.partition(", ")
    title = source_documents().get(label)
    return f"{label} = {title}; {lines} of its text" if title else text


def short_title(framework: Framework) -> str:
    """A framework's short name: "2015 CKC", "IECMHC", or the title when it has none."""
    match = re.search(r"\(([^()]+)\)\s*$", framework.title)
    return match.group(1) if match else framework.title


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
    short=short,
    link_anchor=link_anchor,
    item_level=item_level,
    highlight=highlight,
    level_label=level_label,
    short_title=short_title,
    source_documents=source_documents,
    provenance_title=provenance_title,
    erratum_reason=erratum_reason,
    navigation=NAVIGATION,
    csrf_field=csrf.field,
    signed_in_user=signed_in_user,
    preview_marks=curation_views.preview_marks,
    preview_removed=curation_views.preview_removed,
    cell_mark=curation_views.cell_mark,
    clash_rows=curation_views.clash_rows,
)


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    """A page; ``context['title']`` becomes the <title>, ``request`` drives the nav."""
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    csrf.remember(request, response)
    return response


def render_text(request: Request, name: str, context: dict[str, Any]) -> str:
    """A template rendered to text (for fragments cached per revision)."""
    return _environment.get_template(name).render({"request": request, **context})
