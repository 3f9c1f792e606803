"""The curation JSON API: people, tokens, roles, change sets, history, releases, editions.

Every route calls one function of :mod:`crosswalk.curation` with the caller's
:class:`~crosswalk.curation.permissions.Actor` (from the bearer token); the library
decides whether they may.  Writes answer 401 without a token, 403 without the role,
400 for a request that cannot be carried out, 409 for a conflict (both versions in
``conflicts``), 503 when the storage cannot take the write.  The routes are sync:
they query the database, so FastAPI runs them in its thread pool, off the event loop.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse

from crosswalk.catalog import NotFound
from crosswalk.curation import changes, editions, history, people, releases, suggestions
from crosswalk.curation.edits import operations_for
from crosswalk.curation.permissions import Actor
from crosswalk.formats.tabular import write_csv
from crosswalk.web.auth import TOKEN_OPTIONAL, ApiActor, ApiPerson, RepositoryDep
from crosswalk.web.busy import COSTLY
from crosswalk.web.deps import RowId, catalog_store, invalid_parameter
from crosswalk.web.limits import MAX_EDITION_BYTES, MAX_ROW_ID
from crosswalk.web.schemas import ErrorOut
from crosswalk.web.schemas.curation import (
    ChangeSetDetail,
    ChangeSetIn,
    ChangeSetOut,
    CommentIn,
    ComparisonOut,
    EditIn,
    EditionOut,
    EventOut,
    GrantIn,
    NewTokenOut,
    OperationOut,
    RejectedIn,
    ReleaseIn,
    ReleaseOut,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
)

REFUSALS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorOut, "description": "The request cannot be carried out; detail says why"},
    401: {"model": ErrorOut, "description": "No valid bearer token (where one is needed)"},
    403: {"model": ErrorOut, "description": "Signed in, but without the role this needs"},
    404: {"model": ErrorOut, "description": "Unknown change set, release, user …"},
    409: {"model": ErrorOut, "description": "Someone changed it meanwhile (both versions given)"},
    422: {"model": ErrorOut, "description": "A parameter or the body is wrong; errors[] names it"},
    503: {"model": ErrorOut, "description": "The database cannot take writes (read-only, full)"},
}
router = APIRouter(prefix="/api", tags=["curation"], responses=REFUSALS)


# -- people ------------------------------------------------------------------------------


@router.get("/me", summary="Who the token belongs to, with their roles")
def me(actor: ApiPerson) -> UserOut:
    assert actor.user is not None  # a token's owner
    return UserOut.of(actor.user, list(actor.grants))


@router.get("/users", summary="Everyone who can sign in (admins)")
def list_users(actor: ApiPerson, store: RepositoryDep) -> list[UserOut]:
    return [UserOut.of(u, g) for u, g in people.list_users(store, actor=actor)]


@router.post("/users", status_code=201, summary="Add a person (admins)")
def add_user(body: UserIn, actor: ApiPerson, store: RepositoryDep) -> UserOut:
    user = people.add_user(store, body.name, body.password, body.role, actor=actor)
    return UserOut.of(user, people.grants_of(store, user))


@router.post("/users/{name}/disable", summary="Stop someone signing in (admins)")
def disable_user(name: str, actor: ApiPerson, store: RepositoryDep) -> UserOut:
    user = people.set_disabled(store, name, True, actor=actor)
    return UserOut.of(user, people.grants_of(store, user))


@router.post("/users/{name}/enable", summary="Let a disabled person sign in again (admins)")
def enable_user(name: str, actor: ApiPerson, store: RepositoryDep) -> UserOut:
    user = people.set_disabled(store, name, False, actor=actor)
    return UserOut.of(user, people.grants_of(store, user))


def _scope(framework: str | None, crosswalk: str | None) -> tuple[str, str]:
    if (framework is None) == (crosswalk is None):
        raise invalid_parameter("framework", "name exactly one of framework or crosswalk", "body")
    return ("framework", framework) if framework is not None else ("crosswalk", crosswalk or "")


@router.post("/grants", status_code=201, summary="Give a role on a framework or crosswalk")
def add_grant(body: GrantIn, actor: ApiPerson, store: RepositoryDep) -> UserOut:
    kind, scope_id = _scope(body.framework, body.crosswalk)
    people.grant(store, body.user, body.role, kind, scope_id, actor=actor)
    user = people.find_user(store, body.user)
    return UserOut.of(user, people.grants_of(store, user))


@router.post("/grants/remove", summary="Take a role away again")
def remove_grant(body: GrantIn, actor: ApiPerson, store: RepositoryDep) -> UserOut:
    kind, scope_id = _scope(body.framework, body.crosswalk)
    if not people.revoke(store, body.user, body.role, kind, scope_id, actor=actor):
        raise NotFound(f"{body.user} has no {body.role} role on {kind} {scope_id}")
    user = people.find_user(store, body.user)
    return UserOut.of(user, people.grants_of(store, user))


@router.get("/tokens", summary="Your API tokens (admins: anyone's with ?user=)")
def list_tokens(
    actor: ApiPerson, store: RepositoryDep, user: Annotated[str | None, Query()] = None
) -> list[TokenOut]:
    return [TokenOut.of(t) for t in people.list_tokens(store, user or actor.name, actor=actor)]


@router.post("/tokens", status_code=201, summary="A new API token, shown once")
def create_token(body: TokenIn, actor: ApiPerson, store: RepositoryDep) -> NewTokenOut:
    token_id, secret = people.create_token(store, body.user or actor.name, body.label, actor=actor)
    return NewTokenOut(id=token_id, token=secret)


@router.post("/tokens/{token_id}/revoke", summary="Revoke a token at once")
def revoke_token(token_id: RowId, actor: ApiPerson, store: RepositoryDep) -> dict[str, int]:
    if not people.revoke_token(store, token_id, actor=actor):
        raise NotFound(f"no live token {token_id}")
    return {"revoked": token_id}


# -- change sets -------------------------------------------------------------------------


@router.get(
    "/change-sets",
    summary="Change sets you may see, newest first (without a token: the approved ones)",
    openapi_extra=TOKEN_OPTIONAL,
)
def list_change_sets(
    actor: ApiActor,
    store: RepositoryDep,
    status: Annotated[list[str], Query(description="draft, submitted, approved …")] = [],  # noqa: B006
) -> list[ChangeSetOut]:
    return [ChangeSetOut.of(c) for c in changes.listed(store, actor, status)]


def _detail(store: RepositoryDep, actor: Actor, change_set_id: RowId) -> ChangeSetDetail:
    found, operations = changes.get(store, actor, change_set_id)
    return ChangeSetDetail(
        **ChangeSetOut.of(found).model_dump(), operations=[OperationOut.of(o) for o in operations]
    )


@router.post("/change-sets", status_code=201, summary="Start a draft change set")
def start_change_set(body: ChangeSetIn, actor: ApiPerson, store: RepositoryDep) -> ChangeSetOut:
    return ChangeSetOut.of(changes.start(store, actor, body.title, body.reason))


@router.get(
    "/change-sets/{change_set_id}",
    summary="A change set and its operations",
    openapi_extra=TOKEN_OPTIONAL,
)
def get_change_set(change_set_id: RowId, actor: ApiActor, store: RepositoryDep) -> ChangeSetDetail:
    return _detail(store, actor, change_set_id)


@router.post("/change-sets/{change_set_id}/edits", summary="Add an edit to a draft")
def add_edit(
    request: Request, change_set_id: RowId, body: EditIn, actor: ApiPerson, store: RepositoryDep
) -> ChangeSetDetail:
    catalog = catalog_store(request).snapshot(latest=True).catalog  # not 0.5 s old
    operations = operations_for(catalog, body.edit(), author=actor.name)
    changes.add(store, actor, change_set_id, operations)
    return _detail(store, actor, change_set_id)


@router.post(
    "/change-sets/{change_set_id}/operations/{kind}/{key:path}/drop",
    summary="Take one object's operation out of a draft",
)
def drop_operation(
    change_set_id: RowId, kind: str, key: str, actor: ApiPerson, store: RepositoryDep
) -> ChangeSetDetail:
    changes.drop(store, actor, change_set_id, kind, key)
    return _detail(store, actor, change_set_id)


@router.post("/change-sets/{change_set_id}/submit", summary="Send a draft to the reviewers")
def submit(change_set_id: RowId, actor: ApiPerson, store: RepositoryDep) -> ChangeSetDetail:
    changes.submit(store, actor, change_set_id)
    return _detail(store, actor, change_set_id)


@router.post(
    "/change-sets/{change_set_id}/approve",
    summary="Apply a submitted change set (reviewers; not its author)",
)
def approve(
    change_set_id: RowId, actor: ApiPerson, store: RepositoryDep, body: CommentIn | None = None
) -> ChangeSetDetail:
    changes.approve(store, actor, change_set_id, body.comment if body else "")
    return _detail(store, actor, change_set_id)


@router.post(
    "/change-sets/{change_set_id}/reject", summary="Turn a submitted change set down, saying why"
)
def reject(
    change_set_id: RowId, body: CommentIn, actor: ApiPerson, store: RepositoryDep
) -> ChangeSetDetail:
    changes.reject(store, actor, change_set_id, body.comment)
    return _detail(store, actor, change_set_id)


@router.post("/change-sets/{change_set_id}/withdraw", summary="Withdraw your change set")
def withdraw(change_set_id: RowId, actor: ApiPerson, store: RepositoryDep) -> ChangeSetDetail:
    changes.withdraw(store, actor, change_set_id)
    return _detail(store, actor, change_set_id)


@router.post(
    "/change-sets/{change_set_id}/revert",
    status_code=201,
    summary="Propose a change set that undoes an approved one",
)
def revert(
    change_set_id: RowId, actor: ApiPerson, store: RepositoryDep, body: CommentIn | None = None
) -> ChangeSetOut:
    return ChangeSetOut.of(
        changes.revert(store, actor, change_set_id, body.comment if body else "")
    )


# -- history -----------------------------------------------------------------------------


@router.get(
    "/history",
    summary="Events of an item, a framework or crosswalk, a change set, or all, newest first",
)
def get_history(
    request: Request,
    store: RepositoryDep,
    framework: str | None = None,
    crosswalk: str | None = None,
    item: Annotated[str | None, Query(description="FRAMEWORK:CODE (with its links)")] = None,
    change_set: Annotated[
        int | None, Query(ge=1, le=MAX_ROW_ID, description="What it changed")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[EventOut]:
    if item is not None:
        framework_id, _, code = item.partition(":")
        published = catalog_store(request).snapshot().catalog  # the log is not a release's
        found = history.of_item(store, published, framework_id, code, limit)
    elif change_set is not None:
        found = history.of_change_set(store, change_set)[:limit]
    elif framework is not None or crosswalk is not None:
        kind = "framework" if framework is not None else "crosswalk"
        found = history.of_scope(store, kind, framework or crosswalk or "", limit)
    else:
        found = history.recent(store, limit)
    return [EventOut.of(e) for e in found]


@router.get(
    "/events.csv",
    summary="The whole event log as CSV, oldest first",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "The log, one event a row"}},
)
def events_csv(store: RepositoryDep) -> Response:
    return StreamingResponse(
        history.log_csv(store),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="crosswalk-events.csv"'},
    )


# -- releases ----------------------------------------------------------------------------


@router.get("/releases", summary="Every release, newest first")
def list_releases(store: RepositoryDep) -> list[ReleaseOut]:
    return [ReleaseOut.of(r) for r in releases.listed(store)]


@router.post("/releases", status_code=201, summary="Release frameworks and crosswalks as they are")
def create_release(body: ReleaseIn, actor: ApiPerson, store: RepositoryDep) -> ReleaseOut:
    scopes = [("framework", f) for f in body.frameworks]
    scopes += [("crosswalk", c) for c in body.crosswalks]
    made = releases.create(store, actor, body.name, scopes, title=body.title, note=body.note)
    return ReleaseOut.of(made)


@router.get(
    "/releases/compare",
    summary="Links added, removed and changed between two releases",
    response_model=ComparisonOut,
)
def compare_releases(
    request: Request,
    store: RepositoryDep,
    older: Annotated[str, Query(alias="from", description="A release, or published")],
    newer: Annotated[str, Query(alias="to", description="A release, or published")] = "published",
    crosswalk: str | None = None,
    format: Literal["json", "csv", "sssom"] = "json",
) -> ComparisonOut | Response:
    published = request.app.state.catalog_store.snapshot().catalog
    comparison = releases.compare(store, published, older, newer, crosswalk)
    if format == "sssom":
        if crosswalk is None:
            raise invalid_parameter("crosswalk", "SSSOM holds one crosswalk: name it")
        text = releases.comparison_sssom(comparison, crosswalk)
        return Response(text, media_type="text/tab-separated-values; charset=utf-8")
    rows = releases.comparison_rows(comparison)
    if format == "csv":
        buffer = io.StringIO()
        write_csv(rows, releases.DIFF_COLUMNS, buffer, line_end="\r\n")
        return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8")
    return ComparisonOut(older=older, newer=newer, counts=comparison.counts(), links=rows)


@router.post("/editions", status_code=201, summary="Import a new edition of a framework")
def new_edition(
    actor: ApiPerson,
    store: RepositoryDep,
    previous: Annotated[str, Form(description="The framework being replaced")],
    new_id: Annotated[str, Form(description="The new edition's id")],
    file: Annotated[UploadFile, File(description="A workbook XLSX or a CASE JSON package")],
    title: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> EditionOut:
    suffix = Path(file.filename or "edition").suffix.lower()
    if suffix not in (".xlsx", ".json"):
        raise invalid_parameter("file", "send an .xlsx workbook or a CASE .json package", "body")
    data = file.file.read(MAX_EDITION_BYTES + 1)
    if len(data) > MAX_EDITION_BYTES:
        raise invalid_parameter(
            "file", "larger than 10 MB; start larger editions with crosswalk edition", "body"
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"edition{suffix}"
        path.write_bytes(data)
        with COSTLY.slot("import"):
            made = editions.start_edition(
                store, actor, previous, path, new_id=new_id, title=title, version=version
            )
    return edition_out(made, previous)


def edition_out(made: editions.Edition, previous: str) -> EditionOut:
    return EditionOut(
        framework=made.framework.id,
        replaces=previous,
        matches=[
            {
                "previous": m.old.code if m.old else "",
                "new": m.new.code if m.new else "",
                "how": m.how,
                "what_changed": m.describe(),
            }
            for m in made.matches
        ],
        crosswalks=[{"previous": o, "new": n} for o, n in made.crosswalks],
        carried=made.carried,
        applied_change_set=made.applied,
        review_change_set=made.review,
        not_carried=len(made.not_carried),
    )


# -- suggestions' negatives --------------------------------------------------------------


@router.post(
    "/crosswalks/{crosswalk_id}/rejected-suggestions",
    status_code=201,
    summary="Record a suggested link as wrong, never to be suggested again",
)
def reject_suggestion(
    request: Request, crosswalk_id: str, body: RejectedIn, actor: ApiPerson, store: RepositoryDep
) -> dict[str, bool]:
    """Both codes must be items of the crosswalk's frameworks."""
    added = suggestions.reject_suggestion(
        store,
        actor,
        crosswalk_id,
        body.source,
        body.target,
        justification=body.justification,
        note=body.note,
        catalog=catalog_store(request).snapshot(latest=True).catalog,
    )
    return {"recorded": added}


@router.get(
    "/crosswalks/{crosswalk_id}/rejected-suggestions", summary="Links refused as suggestions"
)
def rejected(crosswalk_id: str, store: RepositoryDep) -> list[dict[str, str]]:
    return [
        {"source": s, "target": t}
        for s, t in sorted(suggestions.rejected_pairs(store, crosswalk_id))
    ]
