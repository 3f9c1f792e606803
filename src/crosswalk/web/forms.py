"""Reading a posted form: bounded in size, CSRF-checked, plain text values.

Every form the curation pages post arrives through :data:`FormFields`, so none of them
can forget the CSRF check or be sent a body of unbounded size.  Reading the body is
the one async step (a dependency, as FastAPI reads its own forms); the routes that
take the fields are plain functions, run in the thread pool like every other route.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, HTTPException, Request

from crosswalk.web import csrf

MAX_FORM_BYTES = 256 * 1024


async def read_form(request: Request) -> dict[str, str]:
    """The urlencoded form's fields (a repeated field keeps its last value)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        raise HTTPException(415, "send the form as application/x-www-form-urlencoded")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        raise HTTPException(413, "the form is too large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise HTTPException(413, "the form is too large")
    fields = dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    csrf.check(request, fields.get(csrf.FIELD))
    return fields


FormFields = Annotated[dict[str, str], Depends(read_form)]
