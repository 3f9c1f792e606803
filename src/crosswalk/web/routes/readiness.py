"""The readiness page: upload a transcript, read the report, download it.

Privacy is the design constraint: a transcript is a person's training history, so the
upload is read in memory, assessed and dropped — never written to disk or database.
The download buttons therefore cannot point at a stored report; each is a small form
that sends the same file back (carried in the page as base64) and asks for HTML, JSON
or CSV, which keeps the page working without JavaScript and the server stateless.

A file that cannot be used comes back as the form with the message at the top (focused
on load, so a screen reader reads it at once) and the field at fault marked invalid.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import AsyncGenerator, AsyncIterator

import anyio
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from crosswalk.catalog import Catalog
from crosswalk.readiness import (
    RequirementsError,
    TranscriptError,
    assess,
    load_requirements,
    read_transcript,
    render_html,
    render_html_body,
    template_csv,
    template_xlsx,
    to_csv,
    to_json,
)
from crosswalk.readiness.html import report_css, report_heading
from crosswalk.readiness.report import coverage_line
from crosswalk.web import csrf
from crosswalk.web.busy import COSTLY, RECEIVING, UPLOAD_SECONDS
from crosswalk.web.deps import CatalogDep
from crosswalk.web.rendering import render

router = APIRouter(include_in_schema=False)

# Larger than any real transcript (5,000 rows of CSV is about 400 kB).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Where the page points people whose file could not be read (the CLI names its command).
SEE_EXAMPLE = "Compare your file with the “Example transcript” download on this page."
NOT_STORED = (
    "Your file is read in memory to make the report and is not stored: "
    "nothing you upload is written to disk or to the database."
)


class _BadUpload(ValueError):
    """An upload the page explains instead of assessing; ``field`` is the one at fault."""

    def __init__(self, message: str, field: str = "transcript") -> None:
        super().__init__(message)
        self.field = field


class _InMemoryParser(MultiPartParser):
    """Starlette's parser, with a spool large enough that a file never spills to disk.

    The request body is cut off at :data:`MAX_REQUEST_BYTES` before it reaches the
    parser, so the spool (in memory below this size) always holds the whole file.
    """

    spool_max_size = 4 * MAX_UPLOAD_BYTES


# The file, or the same file carried back as base64 (4/3 larger), plus small fields.
MAX_REQUEST_BYTES = 2 * MAX_UPLOAD_BYTES


async def _read_form(request: Request) -> FormData:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise _BadUpload("send the transcript as a file upload (multipart/form-data)")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
        raise _BadUpload(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    parser = _InMemoryParser(
        request.headers,
        _limited(request.stream(), MAX_REQUEST_BYTES),
        max_files=1,
        max_fields=10,
        max_part_size=MAX_REQUEST_BYTES,
    )
    try:
        return await parser.parse()
    except MultiPartException as error:
        raise _BadUpload(f"the upload could not be read ({error.message})") from None


async def _limited(stream: AsyncIterator[bytes], limit: int) -> AsyncGenerator[bytes, None]:
    total = 0
    async for chunk in stream:
        total += len(chunk)
        if total > limit:
            raise _BadUpload(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        yield chunk


@router.get("/readiness")
def upload_page(request: Request, catalog: CatalogDep) -> Response:
    return _form(request, catalog)


@router.get("/readiness/report.css")
def report_style() -> Response:
    """The report's style sheet, served from here because pages allow no inline style."""
    return Response(report_css(), media_type="text/css")


@router.get("/readiness/template.csv")
def template_as_csv() -> Response:
    return _attachment(template_csv().encode("utf-8"), "text/csv", "transcript-example.csv")


@router.get("/readiness/template.xlsx")
def template_as_xlsx() -> Response:
    return _attachment(template_xlsx(), XLSX_TYPE, "transcript-example.xlsx")


@router.post("/readiness")
async def assess_upload(request: Request, catalog: CatalogDep) -> Response:
    """The report for the uploaded transcript (``format=html|json`` downloads it).

    Only receiving the upload is async; reading the file (an XLSX is a zip archive),
    assessing it and rendering the report run in the thread pool, off the event loop.
    Both are bounded in number (:mod:`crosswalk.web.busy`: a few uploads received at
    once, a few reports made at once, 503 beyond) and the upload in time.
    """
    form = FormData()
    fields: dict[str, str] = {}
    try:
        with RECEIVING.at_once("upload"), anyio.fail_after(UPLOAD_SECONDS):
            form = await _read_form(request)
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
            csrf.check(request, fields.get(csrf.FIELD))  # 403, nothing read, when forged
            name, data = await _upload(form.get("transcript"), fields)
    except TimeoutError:
        await form.close()
        raise HTTPException(
            408, f"the upload did not arrive within {UPLOAD_SECONDS:.0f} seconds; try again"
        ) from None
    except _BadUpload as error:
        return _form(
            request,
            catalog,
            error=str(error),
            invalid=error.field,
            category=fields.get("category", "").strip(),
            framework=fields.get("framework", "").strip(),
            status_code=400,
        )
    finally:
        await form.close()
    return await run_in_threadpool(_costly_answer, request, catalog, fields, name, data)


def _costly_answer(
    request: Request, catalog: Catalog, fields: dict[str, str], name: str, data: bytes
) -> Response:
    with COSTLY.slot("readiness report"):
        return _answer(request, catalog, fields, name, data)


def _answer(
    request: Request, catalog: Catalog, fields: dict[str, str], name: str, data: bytes
) -> Response:
    """The report page or download for an upload (blocking: run it in a thread)."""
    category = fields.get("category", "").strip()
    framework = fields.get("framework", "").strip() or None
    try:
        requirements = load_requirements()
        try:
            chosen = requirements.category(category)
        except RequirementsError as error:
            raise _BadUpload(str(error), "category") from None
        if framework is not None and framework not in catalog.frameworks:
            raise _BadUpload(f"unknown framework {framework!r}", "framework")
        transcript = read_transcript(data, name)
    except (_BadUpload, TranscriptError) as error:
        message = str(error).rstrip(".")
        message += f". {SEE_EXAMPLE}" if isinstance(error, TranscriptError) else "."
        return _form(
            request,
            catalog,
            error=message,
            invalid=error.field if isinstance(error, _BadUpload) else "transcript",
            category=category,
            framework=framework or "",
            status_code=400,
        )
    fmt = fields.get("format", "page").strip().lower()
    report = assess(catalog, transcript, chosen, requirements, framework=framework)
    stem = re.sub(r"[^A-Za-z0-9-]+", "-", f"readiness-{chosen.code}").strip("-")
    if fmt == "json":
        body = json.dumps(to_json(report), indent=2, ensure_ascii=False).encode("utf-8")
        return _attachment(body, "application/json", f"{stem}.json")
    if fmt == "csv":
        body = to_csv(report, line_end="\r\n").encode("utf-8")
        return _attachment(body, "text/csv; charset=utf-8", f"{stem}.csv")
    if fmt == "html":
        return _attachment(render_html(report).encode("utf-8"), "text/html", f"{stem}.html")
    page = render(
        request,
        "readiness_report.html",
        {
            "title": f"Readiness for {chosen.code}",
            "heading": report_heading(report),
            "summary": coverage_line(report),
            "report_html": render_html_body(report, with_heading=False),
            "carried": base64.b64encode(data).decode("ascii"),
            "transcript_name": name,
            "category": chosen.code,
            "framework": framework or "",
            "not_stored": NOT_STORED,
        },
    )
    # The page carries the uploaded transcript (for the download buttons): never cache it.
    page.headers["Cache-Control"] = "no-store"
    return page


async def _upload(upload: object, fields: dict[str, str]) -> tuple[str, bytes]:
    """The transcript's name and bytes: a fresh upload, or the one a download form carries."""
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        name = upload.filename
    elif fields.get("carried"):
        try:
            data = base64.b64decode(fields["carried"], validate=True)
        except (binascii.Error, ValueError):
            raise _BadUpload("the carried transcript is damaged; upload it again") from None
        name = fields.get("transcript_name", "transcript")
    else:
        raise _BadUpload("choose a transcript file (CSV or XLSX) to upload")
    if len(data) > MAX_UPLOAD_BYTES:
        raise _BadUpload(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    return name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "transcript", data


def _form(
    request: Request,
    catalog: Catalog,
    *,
    error: str = "",
    invalid: str = "",
    category: str = "",
    framework: str = "",
    status_code: int = 200,
) -> Response:
    requirements = load_requirements()
    page = render(
        request,
        "readiness.html",
        {
            "title": "Endorsement readiness",
            "categories": requirements.categories,
            "picked": category or "IFS",
            "picked_framework": framework,
            "frameworks": sorted(catalog.frameworks.values(), key=lambda f: f.id),
            "error": error,
            "invalid": invalid,
            "not_stored": NOT_STORED,
            "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status_code=status_code,
    )
    if error:  # an error can quote the uploaded file ("first row holds …")
        page.headers["Cache-Control"] = "no-store"
    return page


def _attachment(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
