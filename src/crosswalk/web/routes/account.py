"""Signing in and out of the web app.

The session id lives in an HttpOnly, SameSite=Lax cookie (Secure when the site is
served over https); the database keeps only its SHA-256, with an expiry, so every app
process knows the session.  The sign-in form is CSRF-protected like every other form,
and answers an unknown name and a wrong password alike (see
:func:`crosswalk.curation.people.sign_in`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from crosswalk.curation import people
from crosswalk.curation.people import SignInRefused
from crosswalk.web.auth import SESSION_COOKIE, RepositoryDep
from crosswalk.web.busy import PASSWORDS
from crosswalk.web.forms import FormFields
from crosswalk.web.rendering import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only a path on this site: never an address elsewhere (an open redirect)."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/changes"
    return target


def _form(
    request: Request, *, next_: str, name: str = "", error: str = "", status: int = 200
) -> Response:
    page = render(
        request,
        "login.html",
        {"title": "Sign in", "next": _safe_next(next_), "name": name, "error": error},
        status_code=status,
    )
    page.headers["Cache-Control"] = "no-store"
    return page


@router.get("/login")
def login_page(request: Request, next: str = "/changes") -> Response:
    return _form(request, next_=next)


@router.post("/login")
def login(request: Request, store: RepositoryDep, form: FormFields) -> Response:
    name, password = form.get("name", ""), form.get("password", "")
    next_ = form.get("next", "/changes")
    address = request.client.host if request.client else "unknown"
    try:
        with PASSWORDS.slot("sign-in"):
            signed = people.sign_in(store, name, password, address)
    except SignInRefused as error:
        page = _form(request, next_=next_, name=name, error=str(error), status=400)
        if error.retry_after is not None:
            page.status_code = 429
            page.headers["Retry-After"] = str(error.retry_after)
        return page
    response = RedirectResponse(_safe_next(next_), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed.secret,
        max_age=people.SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, store: RepositoryDep, form: FormFields) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        people.sign_out(store, secret)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
