"""CSRF tokens for every form the pages post.

A signed-in person's forms carry their session's token (kept with the session in the
database).  Forms posted before signing in — the sign-in form itself, the readiness
upload — use a double-submit token instead: a random value in an HttpOnly, SameSite
cookie, repeated in the form; another site can make a browser send the cookie but
cannot read it to put it in the form.  A post whose token does not match is refused
with 403 and nothing is done.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from markupsafe import Markup, escape
from starlette.responses import Response

CSRF_COOKIE = "crosswalk_csrf"
FIELD = "csrf_token"


class CsrfRefused(PermissionError):
    """A form without a matching CSRF token; nothing was done."""

    def __init__(self) -> None:
        super().__init__(
            "This form has expired or was sent from another site, so nothing was done. "
            "Go back, reload the page and send it again."
        )


def _session_token(request: Request) -> str | None:
    found = getattr(request.state, "signed_in", None)
    return found[1] if found else None


def token(request: Request) -> str:
    """The token this request's forms carry (a new double-submit value if need be)."""
    session = _session_token(request)
    if session is not None:
        return session
    existing = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if existing:
        return str(existing)
    request.state.new_csrf = secrets.token_urlsafe(32)
    return str(request.state.new_csrf)


def field(request: Request) -> Markup:
    """The hidden input every form includes: ``{{ csrf_field(request) }}``."""
    return Markup(f'<input type="hidden" name="{FIELD}" value="{escape(token(request))}">')


def check(request: Request, given: object) -> None:
    """Refuse a post whose token does not match the session's (or the cookie's)."""
    expected = _session_token(request) or request.cookies.get(CSRF_COOKIE, "")
    if not expected or not isinstance(given, str) or not hmac.compare_digest(given, expected):
        raise CsrfRefused()


def remember(request: Request, response: Response) -> None:
    """Set the double-submit cookie when this response's forms were given a new token."""
    value = getattr(request.state, "new_csrf", None)
    if value:
        response.set_cookie(
            CSRF_COOKIE,
            value,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
        response.headers["Cache-Control"] = "no-store"
