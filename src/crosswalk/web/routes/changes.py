"""Change set pages: the list, one change set (before and after, submit, approve,
reject, withdraw, revert), and the forms that add edits to a draft.

Every form posts to a route that takes it as :data:`crosswalk.web.forms.FormFields`
(bounded, CSRF-checked), calls one function of :mod:`crosswalk.curation` with the
signed-in person, and redirects (303) to the change set.  The pages work without
JavaScript.  Who may do what is the library's answer; a refusal is a 401/403 page, a
conflict with someone else's change a 409 page showing both versions.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from crosswalk.catalog import Catalog
from crosswalk.curation import changes
from crosswalk.curation.edits import Edit, operations_for
from crosswalk.curation.errors import CurationProblem
from crosswalk.curation.permissions import Action, Actor, Denied, may
from crosswalk.model import RELATION_DEFINITIONS, Relation
from crosswalk.web.auth import PageActor, RepositoryDep
from crosswalk.web.curation_views import operation_views, preview_links
from crosswalk.web.deps import CatalogDep, RowId, catalog_store, stored_id
from crosswalk.web.forms import FormFields
from crosswalk.web.rendering import render

router = APIRouter(include_in_schema=False)


def _page(request: Request, name: str, context: dict[str, object], status: int = 200) -> Response:
    page = render(request, name, context, status_code=status)
    page.headers["Cache-Control"] = "no-store"
    return page


def _signed_in(actor: Actor) -> None:
    if not actor.signed_in:
        raise Denied("sign in to see and propose changes", signed_in=False)


def _to(change_set: int, anchor: str = "") -> Response:
    return RedirectResponse(f"/changes/{change_set}{anchor}", status_code=303)


# -- the list and one change set ---------------------------------------------------------


@router.get("/changes")
def list_page(request: Request, actor: PageActor, store: RepositoryDep) -> Response:
    found = changes.listed(store, actor, limit=300)
    groups = {
        "Waiting for review": [c for c in found if c.status == "submitted"],
        "Drafts": [c for c in found if c.status == "draft"],
        "Approved": [c for c in found if c.status == "approved"][:50],
        "Rejected or withdrawn": [c for c in found if c.status in ("rejected", "withdrawn")][:50],
    }
    return _page(
        request,
        "changes.html",
        {"title": "Changes", "groups": groups, "may_propose": may(actor, Action.PROPOSE)},
    )


@router.post("/changes")
def start(actor: PageActor, store: RepositoryDep, form: FormFields) -> Response:
    started = changes.start(store, actor, form.get("title", ""), form.get("reason", ""))
    return _to(started.id)


@router.get("/changes/{change_set_id}")
def change_set_page(
    request: Request,
    change_set_id: RowId,
    actor: PageActor,
    store: RepositoryDep,
    catalog: CatalogDep,
) -> Response:
    found, operations = changes.get(store, actor, change_set_id)
    scopes = changes.scopes_of(operations)
    return _page(
        request,
        "change_set.html",
        {
            "title": f"Change set {found.id}: {found.title}",
            "change_set": found,
            "operations": operation_views(catalog, operations, check=found.is_open),
            "previews": preview_links(operations, found.id) if found.is_open else [],
            "is_author": found.author == actor.name,
            "may_review": found.author != actor.name
            and all(may(actor, Action.REVIEW, s) for s in scopes),
            "may_revert": found.status == "approved"
            and all(may(actor, Action.PROPOSE, s) for s in scopes),
            "signed_in": actor.signed_in,
        },
    )


@router.post("/changes/{change_set_id}/submit")
def submit(
    change_set_id: RowId, actor: PageActor, store: RepositoryDep, form: FormFields
) -> Response:
    changes.submit(store, actor, change_set_id)
    return _to(change_set_id)


@router.post("/changes/{change_set_id}/approve")
def approve(
    change_set_id: RowId, actor: PageActor, store: RepositoryDep, form: FormFields
) -> Response:
    changes.approve(store, actor, change_set_id, form.get("comment", ""))
    return _to(change_set_id)


@router.post("/changes/{change_set_id}/reject")
def reject(
    change_set_id: RowId, actor: PageActor, store: RepositoryDep, form: FormFields
) -> Response:
    changes.reject(store, actor, change_set_id, form.get("comment", ""))
    return _to(change_set_id)


@router.post("/changes/{change_set_id}/withdraw")
def withdraw(
    change_set_id: RowId, actor: PageActor, store: RepositoryDep, form: FormFields
) -> Response:
    changes.withdraw(store, actor, change_set_id)
    return _to(change_set_id)


@router.post("/changes/{change_set_id}/revert")
def revert(
    change_set_id: RowId, actor: PageActor, store: RepositoryDep, form: FormFields
) -> Response:
    undo = changes.revert(store, actor, change_set_id, form.get("reason", ""))
    return _to(undo.id)


@router.post("/changes/{change_set_id}/drop")
def drop(
    change_set_id: RowId, actor: PageActor, store: RepositoryDep, form: FormFields
) -> Response:
    changes.drop(store, actor, change_set_id, form.get("kind", ""), form.get("key", ""))
    return _to(change_set_id)


# -- edit forms --------------------------------------------------------------------------

EDIT_KINDS = ("item", "alignment", "framework", "crosswalk")


def _drafts(store: RepositoryDep, actor: Actor) -> list[changes.ChangeSet]:
    return [c for c in changes.listed(store, actor, ["draft"]) if c.author == actor.name]


def _form_context(catalog: Catalog, kind: str, params: dict[str, str]) -> dict[str, object]:
    """What an edit form shows: the object as published, its revision, the choices."""
    context: dict[str, object] = {"kind": kind, "params": params}
    if kind == "item":
        framework = catalog.framework(params.get("framework", ""))
        item = catalog.items.get((framework.id, params["code"])) if params.get("code") else None
        if params.get("code") and item is None:
            catalog.item(framework.id, params["code"])  # 404 with suggestions
        context |= {
            "framework": framework,
            "item": item,
            "base": catalog.revision_of(item) if item else None,
            "parents": [i for i in catalog.items_of(framework.id) if i != item],
        }
    elif kind == "alignment":
        alignment = catalog.alignment(params["id"]) if params.get("id") else None
        crosswalk = catalog.crosswalk(
            alignment.crosswalk if alignment else params.get("crosswalk", "")
        )
        context |= {
            "alignment": alignment,
            "crosswalk": crosswalk,
            "base": catalog.revision_of(alignment) if alignment else None,
            "sources": catalog.source_items(crosswalk),
            "targets": catalog.items_of(crosswalk.target_framework),
            "relations": [(r.value, RELATION_DEFINITIONS[r]) for r in Relation],
        }
    elif kind == "framework":
        framework = catalog.framework(params.get("id", ""))
        context |= {"record": framework, "base": catalog.revision_of(framework)}
    else:
        crosswalk = catalog.crosswalk(params.get("id", ""))
        context |= {"record": crosswalk, "base": catalog.revision_of(crosswalk)}
    return context


@router.get("/edit/{kind}")
def edit_page(
    request: Request,
    kind: str,
    actor: PageActor,
    store: RepositoryDep,
    catalog: CatalogDep,
    framework: Annotated[str, Query()] = "",
    code: Annotated[str, Query()] = "",
    id: Annotated[str, Query()] = "",
    crosswalk: Annotated[str, Query()] = "",
    source: Annotated[str, Query()] = "",
) -> Response:
    if kind not in EDIT_KINDS:
        raise CurationProblem(f"nothing to edit called {kind!r}")
    if not actor.signed_in:
        return RedirectResponse(
            f"/login?next={request.url.path}%3F{request.url.query}", status_code=303
        )
    params = {
        "framework": framework,
        "code": code,
        "id": id,
        "crosswalk": crosswalk,
        "source": source,
    }
    return _edit_form(request, catalog, actor, store, kind, params)


def _edit_form(
    request: Request,
    catalog: Catalog,
    actor: Actor,
    store: RepositoryDep,
    kind: str,
    params: dict[str, str],
    *,
    error: str = "",
    given: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = _form_context(catalog, kind, params)
    return _page(
        request,
        "edit.html",
        {
            "title": f"Edit {kind}",
            "drafts": _drafts(store, actor),
            "error": error,
            "given": given or {},
            **context,
        },
        status,
    )


# Which posted fields each kind of edit takes.
FIELDS = {
    "item": ("name", "statement", "tags", "parent", "position"),
    "alignment": (
        "relation",
        "strength",
        "level",
        "evidence",
        "note",
        "target_code",
        "confidence",
        "status",
    ),
    "framework": ("title", "version", "status"),
    "crosswalk": ("title", "version", "status"),
}


def _edit_of(kind: str, form: dict[str, str]) -> Edit:
    """The edit a posted form asks for."""
    action = form.get("action", "edit")
    values = {name: form[name] for name in FIELDS[kind] if name in form and action != "remove"}
    base = stored_id(form.get("base", ""), least=0)
    if kind == "alignment" and action == "add":
        target = values.pop("target_code", "") or None
        crosswalk, source = form.get("crosswalk", ""), form.get("source", "")
        return Edit("add", kind, crosswalk=crosswalk, source=source, target=target, fields=values)
    if kind == "framework":
        return Edit("edit", kind, framework=form.get("id", ""), base=base, fields=values)
    if kind == "crosswalk":
        return Edit("edit", kind, crosswalk=form.get("id", ""), base=base, fields=values)
    return Edit(
        action,
        kind,
        framework=form.get("framework", ""),
        code=form.get("code", ""),
        id=form.get("id", ""),
        base=base,
        fields=values,
    )


@router.post("/edit/{kind}")
def edit(
    request: Request, kind: str, actor: PageActor, store: RepositoryDep, form: FormFields
) -> Response:
    if kind not in EDIT_KINDS:
        raise CurationProblem(f"nothing to edit called {kind!r}")
    catalog = catalog_store(request).snapshot(latest=True).catalog  # not 0.5 s old
    chosen = form.get("change_set", "new")
    try:
        operations = operations_for(catalog, _edit_of(kind, form), author=actor.name)
        found = changes.propose(
            store,
            actor,
            stored_id(chosen),
            operations,
            title=form.get("title", ""),
            reason=form.get("reason", ""),
        )
    except CurationProblem as error:
        params = {k: form.get(k, "") for k in ("framework", "code", "id", "crosswalk", "source")}
        return _edit_form(
            request,
            catalog,
            actor,
            store,
            kind,
            params,
            error=str(error),
            given=form,
            status=400,
        )
    return _to(found.id, "#operations")
