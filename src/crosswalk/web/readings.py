"""Which catalog a request reads: the published one, a release, or a change set's preview.

One mechanism for every page, download and API answer: ``?release=NAME`` reads the
data as it was released, ``?preview=ID`` the published data with a change set's
operations applied (for those who may see that change set).  Both give a
:class:`~crosswalk.web.deps.Snapshot`, so the handlers that show the published data
show these too, with no code of their own.  Releases never change, so their catalogs
are kept (a few, per published revision); previews are built per request — applying
a handful of operations to the published catalog is cheap.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials

from crosswalk.catalog import NotFound
from crosswalk.curation import changes, releases
from crosswalk.curation.permissions import Actor
from crosswalk.store import Operation
from crosswalk.web.auth import api_actor, page_actor
from crosswalk.web.deps import Snapshot, catalog_store, invalid_parameter, stored_id
from crosswalk.web.errors import NotThere

KEPT_RELEASES = 8
_kept: OrderedDict[tuple[int, str, int], Snapshot] = OrderedDict()
_lock = threading.Lock()


def chosen(request: Request, published: Snapshot) -> Snapshot:
    """The snapshot ``?release=`` or ``?preview=`` asks for (blocking: run in a thread)."""
    release = request.query_params.get("release")
    preview = request.query_params.get("preview")
    if release == releases.PUBLISHED:
        release = None
    if release:
        snapshot = _release(request, published, release)  # 404 when it names none
        if preview:
            raise invalid_parameter(
                "preview", "name a release or a change set to preview, not both"
            )
        return snapshot
    if preview:
        snapshot, operations = preview_snapshot(request, published, preview)
        request.state.preview_operations = operations  # for the pages to mark them
        return snapshot
    return published


def _release(request: Request, published: Snapshot, name: str) -> Snapshot:
    key = (id(catalog_store(request)), name, published.revision)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    repository = catalog_store(request).repository()
    try:
        _, released = releases.find(repository, name)
    except NotFound as error:  # a name the schema allows that names nothing: 404
        raise NotThere("release", str(error)) from None
    snapshot = Snapshot(releases.release_catalog(published.catalog, released), published.revision)
    with _lock:
        _kept[key] = snapshot
        while len(_kept) > KEPT_RELEASES:
            _kept.popitem(last=False)
    return snapshot


def preview_snapshot(
    request: Request, published: Snapshot, change_set: str
) -> tuple[Snapshot, list[Operation]]:
    """The published snapshot with the change set applied, and its operations."""
    number = stored_id(change_set)
    if number is None:
        raise invalid_parameter("preview", f"{change_set[:40]!r} is not a change set number")
    found, operations = changes.get(
        catalog_store(request).repository(), request_actor(request), number
    )
    if found.status == "approved":
        raise NotThere(
            "preview", f"change set {found.id} is approved: it is the published data now"
        )
    catalog = changes.preview(published.catalog, operations)
    return Snapshot(catalog, published.revision), operations


def request_actor(request: Request) -> Actor:
    """Whoever asks: a bearer token on the API, the session cookie on pages."""
    if request.url.path.startswith("/api/") and request.headers.get("authorization"):
        scheme, _, token = request.headers["authorization"].partition(" ")
        return api_actor(request, HTTPAuthorizationCredentials(scheme=scheme, credentials=token))
    return page_actor(request)
