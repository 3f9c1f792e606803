"""History, releases and new editions in the web app.

``/history`` shows the event log of one item, framework, crosswalk or change set (or
all of it) and ``/history.csv`` downloads the whole log; ``/releases`` lists the
releases, makes new ones and compares two (a page, CSV or SSSOM); ``/editions/new``
imports a new edition of a framework.  Reading needs no account; each write is a
form checked like every other (CSRF, the library's permissions).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from crosswalk.curation import editions, history, releases
from crosswalk.curation.errors import CurationProblem
from crosswalk.curation.permissions import Action, Denied, may
from crosswalk.formats.tabular import write_csv
from crosswalk.model import Crosswalk, Framework
from crosswalk.web import csrf
from crosswalk.web.auth import PageActor, RepositoryDep
from crosswalk.web.busy import COSTLY
from crosswalk.web.curation_views import view
from crosswalk.web.deps import CatalogDep
from crosswalk.web.forms import FormFields
from crosswalk.web.limits import MAX_EDITION_BYTES, MAX_ROW_ID
from crosswalk.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/history")
def history_page(
    request: Request,
    store: RepositoryDep,
    catalog: CatalogDep,
    framework: str | None = None,
    crosswalk: str | None = None,
    item: Annotated[str | None, Query(description="FRAMEWORK:CODE")] = None,
    change_set: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=2000)] = 200,
) -> Response:
    if item:
        framework_id, _, code = item.partition(":")
        events = history.of_item(store, catalog, framework_id, code, limit)
        about = f"item {code} of {framework_id} and its links"
    elif change_set is not None:
        events = history.of_change_set(store, change_set)[:limit]
        about = f"change set {change_set}"
    elif framework or crosswalk:
        kind = "framework" if framework else "crosswalk"
        scope_id = framework or crosswalk or ""
        (catalog.framework if framework else catalog.crosswalk)(scope_id)
        events = history.of_scope(store, kind, scope_id, limit)
        about = f"{kind} {scope_id}"
    else:
        events = history.recent(store, limit)
        about = "everything"
    views = [
        (e, view(catalog, e.action, e.kind, e.key, e.before, e.after, base=e.version))
        for e in events
    ]
    return render(
        request,
        "history.html",
        {
            "title": f"History of {about}",
            "about": about,
            "events": views,
            "limit": limit,
            "tabs": {"framework": framework, "crosswalk": crosswalk, "item": item},
            "change_set": change_set,
        },
    )


@router.get("/history.csv")
def history_csv(store: RepositoryDep) -> Response:
    return StreamingResponse(
        history.log_csv(store),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="crosswalk-history.csv"'},
    )


# -- releases ----------------------------------------------------------------------------


@router.get("/releases")
def releases_page(
    request: Request, actor: PageActor, store: RepositoryDep, catalog: CatalogDep
) -> Response:
    candidates: list[tuple[str, Framework | Crosswalk]] = [
        ("framework", f) for f in sorted(catalog.frameworks.values(), key=lambda f: f.id)
    ]
    candidates += [
        ("crosswalk", c) for c in sorted(catalog.crosswalks.values(), key=lambda c: c.id)
    ]
    owned = [(kind, r) for kind, r in candidates if may(actor, Action.RELEASE, (kind, r.id))]
    page = render(
        request,
        "releases.html",
        {
            "title": "Releases",
            "releases": releases.listed(store),
            "owned": owned,
            "crosswalks": sorted(catalog.crosswalks.values(), key=lambda c: c.id),
        },
    )
    page.headers["Cache-Control"] = "no-store"
    return page


@router.post("/releases")
def create_release(actor: PageActor, store: RepositoryDep, form: FormFields) -> Response:
    scopes = [
        (value.partition(":")[0], value.partition(":")[2])
        for name, value in form.items()
        if name.startswith("scope-") and ":" in value
    ]
    releases.create(
        store,
        actor,
        form.get("name", "").strip(),
        scopes,
        title=form.get("title", ""),
        note=form.get("note", ""),
    )
    return RedirectResponse("/releases", status_code=303)


@router.get("/releases/compare")
def compare_page(
    request: Request,
    store: RepositoryDep,
    catalog: CatalogDep,
    older: Annotated[str, Query(alias="from")],
    newer: Annotated[str, Query(alias="to")] = releases.PUBLISHED,
    crosswalk: str | None = None,
    format: Literal["csv", "sssom"] | None = None,
) -> Response:
    comparison = releases.compare(store, catalog, older, newer, crosswalk or None)
    name = f"changes-{older}-{newer}" + (f"-{crosswalk}" if crosswalk else "")
    if format == "sssom":
        if not crosswalk:
            raise CurationProblem("SSSOM holds one crosswalk: choose one first")
        text = releases.comparison_sssom(comparison, crosswalk)
        return _attachment(text, "text/tab-separated-values", f"{name}.sssom.tsv")
    rows = releases.comparison_rows(comparison)
    if format == "csv":
        buffer = io.StringIO()
        write_csv(rows, releases.DIFF_COLUMNS, buffer, line_end="\r\n")
        return _attachment(buffer.getvalue(), "text/csv", f"{name}.csv")
    return render(
        request,
        "compare.html",
        {
            "title": f"Changes from {older} to {newer}",
            "comparison": comparison,
            "rows": rows,
            "crosswalk": crosswalk or "",
            "crosswalks": sorted(catalog.crosswalks.values(), key=lambda c: c.id),
        },
    )


def _attachment(text: str, media_type: str, filename: str) -> Response:
    return Response(
        text.encode("utf-8"),
        media_type=f"{media_type}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# -- new editions ------------------------------------------------------------------------


@router.get("/editions/new")
def edition_form(
    request: Request, actor: PageActor, catalog: CatalogDep, framework: str = ""
) -> Response:
    if not actor.signed_in:
        return RedirectResponse(f"/login?next=/editions/new%3Fframework%3D{framework}", 303)
    page = render(
        request,
        "edition.html",
        {
            "title": "A new edition of a framework",
            "frameworks": sorted(catalog.frameworks.values(), key=lambda f: f.id),
            "picked": framework,
            "made": None,
            "error": "",
        },
    )
    page.headers["Cache-Control"] = "no-store"
    return page


@router.post("/editions")
async def new_edition(
    request: Request, actor: PageActor, store: RepositoryDep, catalog: CatalogDep
) -> Response:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(415, "send the edition as a file upload")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_EDITION_BYTES:
        raise HTTPException(
            413, "the file is larger than 10 MB; start larger editions with crosswalk edition"
        )
    form = await request.form(max_files=1, max_fields=10, max_part_size=MAX_EDITION_BYTES)
    try:
        csrf.check(request, form.get(csrf.FIELD))
        upload = form.get("file")
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise CurationProblem("choose the new edition's file (XLSX workbook or CASE JSON)")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in (".xlsx", ".json"):
            raise CurationProblem("the file must be an .xlsx workbook or a CASE .json package")
        data = await upload.read(MAX_EDITION_BYTES + 1)
    finally:
        await form.close()

    def work() -> Response:
        with COSTLY.slot("import"), tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"edition{suffix}"
            path.write_bytes(data)
            try:
                made = editions.start_edition(
                    store,
                    actor,
                    fields.get("previous", ""),
                    path,
                    new_id=fields.get("new_id", "").strip(),
                    title=fields.get("title", ""),
                    version=fields.get("version", ""),
                )
            except (CurationProblem, Denied) as error:
                if isinstance(error, Denied):
                    raise
                return _edition_page(request, catalog, fields, error=str(error), status=400)
        return _edition_page(request, catalog, fields, made=made)

    return await run_in_threadpool(work)


def _edition_page(
    request: Request,
    catalog: CatalogDep,
    fields: dict[str, str],
    *,
    made: editions.Edition | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    page = render(
        request,
        "edition.html",
        {
            "title": "A new edition of a framework",
            "frameworks": sorted(catalog.frameworks.values(), key=lambda f: f.id),
            "picked": fields.get("previous", ""),
            "fields": fields,
            "made": made,
            "error": error,
        },
        status_code=status,
    )
    page.headers["Cache-Control"] = "no-store"
    return page
