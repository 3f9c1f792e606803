"""People and their roles, and API tokens, in the web app.

``/people`` is where a coordinator manages who may do what without the command line:
an admin adds people, makes or unmakes admins, disables accounts and gives or takes
roles anywhere; an owner of a framework or crosswalk gives and takes editor and
reviewer there (and sees who holds roles on what they own, nothing more).
``/account`` shows the signed-in person their roles and API tokens, makes a token
(its secret is shown on that one answer, never again) and revokes one; an admin may
look after anyone's tokens with ``?user=NAME``.

Every form posts through :data:`~crosswalk.web.forms.FormFields` (bounded,
CSRF-checked) to one function of :mod:`crosswalk.curation.people`, which decides
whether the actor may; a refusal is the usual 401/403 page.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from crosswalk.catalog import Catalog
from crosswalk.curation import people
from crosswalk.curation.errors import CurationProblem
from crosswalk.curation.permissions import Actor, Denied, Scope
from crosswalk.web.auth import PageActor, RepositoryDep
from crosswalk.web.deps import CatalogDep, RowId
from crosswalk.web.forms import FormFields
from crosswalk.web.rendering import render

router = APIRouter(include_in_schema=False)

EVERYWHERE = "all:"  # the scope value of a role held everywhere (admins give those)


def _scopes(catalog: Catalog) -> list[Scope]:
    frameworks = [("framework", f) for f in sorted(catalog.frameworks)]
    return frameworks + [("crosswalk", c) for c in sorted(catalog.crosswalks)]


def _scope_titles(catalog: Catalog) -> dict[Scope, str]:
    titles: dict[Scope, str] = {("all", ""): "everywhere"}
    titles |= {("framework", f.id): f.title for f in catalog.frameworks.values()}
    titles |= {("crosswalk", c.id): c.title for c in catalog.crosswalks.values()}
    return titles


def _people_page(
    request: Request,
    actor: Actor,
    store: RepositoryDep,
    catalog: Catalog,
    *,
    error: str = "",
    given: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    if not actor.signed_in:
        raise Denied("sign in to manage people", signed_in=False)
    owned = people.owned_scopes(actor, _scopes(catalog))
    if not actor.is_admin and not owned:
        raise Denied(
            f"{actor.name} may not manage people (needs admin, or owner of a framework "
            "or crosswalk)",
            signed_in=True,
        )
    page = render(
        request,
        "people.html",
        {
            "title": "People and roles",
            "admin": actor.is_admin,
            "everyone": people.list_users(store, actor=actor) if actor.is_admin else [],
            "grants": [] if actor.is_admin else people.grants_on(store, owned, actor=actor),
            "owned": owned,
            "scope_titles": _scope_titles(catalog),
            "roles": people.ROLES if actor.is_admin else ("editor", "reviewer"),
            "account_roles": people.ACCOUNT_ROLES,
            "error": error,
            "given": given or {},
        },
        status_code=status,
    )
    page.headers["Cache-Control"] = "no-store"
    return page


@router.get("/people")
def people_page(
    request: Request, actor: PageActor, store: RepositoryDep, catalog: CatalogDep
) -> Response:
    if not actor.signed_in:
        return RedirectResponse("/login?next=/people", status_code=303)
    return _people_page(request, actor, store, catalog)


def _back(anchor: str = "") -> Response:
    return RedirectResponse(f"/people{quote(anchor, safe='#')}", status_code=303)


@router.post("/people")
def add_person(
    request: Request,
    actor: PageActor,
    store: RepositoryDep,
    catalog: CatalogDep,
    form: FormFields,
) -> Response:
    name = form.get("name", "").strip()
    try:
        people.add_user(store, name, form.get("password", ""), form.get("role", ""), actor=actor)
    except CurationProblem as error:
        kept = {k: v for k, v in form.items() if k != "password"}
        return _people_page(
            request, actor, store, catalog, error=str(error), given=kept, status=400
        )
    return _back(f"#person-{name}")


@router.post("/people/{name}/disable")
def disable(name: str, actor: PageActor, store: RepositoryDep, form: FormFields) -> Response:
    if name == actor.name:
        raise CurationProblem("you cannot disable your own account; ask another admin")
    people.set_disabled(store, name, True, actor=actor)
    return _back(f"#person-{name}")


@router.post("/people/{name}/enable")
def enable(name: str, actor: PageActor, store: RepositoryDep, form: FormFields) -> Response:
    people.set_disabled(store, name, False, actor=actor)
    return _back(f"#person-{name}")


@router.post("/people/{name}/admin")
def set_admin(name: str, actor: PageActor, store: RepositoryDep, form: FormFields) -> Response:
    if name == actor.name and form.get("admin") != "yes":
        raise CurationProblem("you cannot take your own admin role away; ask another admin")
    people.set_admin(store, name, form.get("admin") == "yes", actor=actor)
    return _back(f"#person-{name}")


def _grant_fields(form: dict[str, str]) -> tuple[str, str, str, str]:
    """(person, role, scope kind, scope id) from a grant form; ``all:`` is everywhere."""
    kind, _, scope_id = form.get("scope", "").partition(":")
    if kind not in (*people.SCOPE_KINDS, "all") or (kind != "all" and not scope_id):
        raise CurationProblem("choose the framework or crosswalk the role is on")
    return form.get("user", "").strip(), form.get("role", ""), kind, scope_id


@router.post("/people/grants")
def grant(
    request: Request,
    actor: PageActor,
    store: RepositoryDep,
    catalog: CatalogDep,
    form: FormFields,
) -> Response:
    try:
        name, role, kind, scope_id = _grant_fields(form)
        people.grant(store, name, role, kind, scope_id, actor=actor)
    except CurationProblem as error:
        return _people_page(
            request, actor, store, catalog, error=str(error), given=form, status=400
        )
    return _back(f"#person-{name}" if actor.is_admin else "#roles")


@router.post("/people/grants/remove")
def revoke(actor: PageActor, store: RepositoryDep, form: FormFields) -> Response:
    name, role, kind, scope_id = _grant_fields(form)
    if not people.revoke(store, name, role, kind, scope_id, actor=actor):
        raise CurationProblem(f"{name} has no {role} role there (taken away meanwhile?)")
    return _back(f"#person-{name}" if actor.is_admin else "#roles")


# -- your account and API tokens ---------------------------------------------------------


def _account_page(
    request: Request,
    actor: Actor,
    store: RepositoryDep,
    catalog: Catalog,
    whose: str,
    *,
    new_token: tuple[int, str] | None = None,
    status: int = 200,
) -> Response:
    if not actor.signed_in:
        raise Denied("sign in to see your account", signed_in=False)
    tokens = people.list_tokens(store, whose, actor=actor)  # yours, or anyone's for an admin
    user = people.find_user(store, whose)
    page = render(
        request,
        "account.html",
        {
            "title": "Your account" if whose == actor.name else f"Account of {whose}",
            "whose": whose,
            "yours": whose == actor.name,
            "grants": people.grants_of(store, user),
            "account": user,
            "tokens": [t for t in tokens if t.revoked is None],
            "revoked": [t for t in tokens if t.revoked is not None],
            "new_token": new_token,
            "manages_people": actor.is_admin or bool(people.owned_scopes(actor, _scopes(catalog))),
            "scope_titles": _scope_titles(catalog),
        },
        status_code=status,
    )
    page.headers["Cache-Control"] = "no-store"
    return page


@router.get("/account")
def account_page(
    request: Request,
    actor: PageActor,
    store: RepositoryDep,
    catalog: CatalogDep,
    user: Annotated[str | None, Query(description="Someone else's account (admins)")] = None,
) -> Response:
    if not actor.signed_in:
        return RedirectResponse("/login?next=/account", status_code=303)
    return _account_page(request, actor, store, catalog, user or actor.name)


@router.post("/account/tokens")
def create_token(
    request: Request,
    actor: PageActor,
    store: RepositoryDep,
    catalog: CatalogDep,
    form: FormFields,
) -> Response:
    whose = form.get("user") or actor.name
    made = people.create_token(store, whose, form.get("label", "").strip(), actor=actor)
    return _account_page(request, actor, store, catalog, whose, new_token=made, status=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    token_id: RowId, actor: PageActor, store: RepositoryDep, form: FormFields
) -> Response:
    whose = form.get("user") or actor.name
    if not people.revoke_token(store, token_id, actor=actor):
        raise CurationProblem(f"there is no live token {token_id}")
    query = "" if whose == actor.name else f"?user={quote(whose)}"
    return RedirectResponse(f"/account{query}#tokens", status_code=303)
