"""Whole numbers in requests: one no database row can carry is a 4xx, never a crash.

SQLite's INTEGER and PostgreSQL's BIGINT stop at 2⁶³ − 1; a larger id reached the
driver and came back as a 500 (``OverflowError: Python int too large to convert to
SQLite INTEGER``).  And ``str.isdigit`` passes "²", which ``int`` refuses: a form or
``?preview=`` holding it was a 500 too.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

import annotated_types
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.testclient import TestClient

from crosswalk.curation import people
from crosswalk.store import open_repository
from crosswalk.web.app import create_app
from crosswalk.web.deps import stored_id
from crosswalk.web.guards import flat_routes
from crosswalk.web.limits import MAX_ROW_ID

TOO_LARGE = str(MAX_ROW_ID + 1)


@pytest.fixture
def admin(database_file: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with open_repository(database_file) as store:
        people.add_user(store, "ada", "a long enough password", "admin")
        token = people.create_token(store, "ada")[1]
    with TestClient(create_app(database_file)) as client:
        yield client, {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/change-sets/{TOO_LARGE}"),
        ("GET", "/api/change-sets/99999999999999999999999"),
        ("POST", f"/api/change-sets/{TOO_LARGE}/submit"),
        ("POST", f"/api/tokens/{TOO_LARGE}/revoke"),
        ("GET", f"/api/history?change_set={TOO_LARGE}"),
        ("GET", f"/api/frameworks?preview={TOO_LARGE}"),
        ("GET", "/api/frameworks?preview=%C2%B2"),  # "²": isdigit, yet not a number
        ("GET", f"/api/frameworks?offset={TOO_LARGE}"),
        ("GET", f"/history?change_set={TOO_LARGE}"),
    ],
)
def test_a_number_no_row_can_carry_is_refused(
    admin: tuple[TestClient, dict[str, str]], method: str, path: str
) -> None:
    client, token = admin
    answer = client.request(method, path, headers=token)
    assert answer.status_code in (404, 422), answer.text


def test_form_and_query_numbers_are_ascii_digits_within_a_row_id() -> None:
    assert stored_id(" 12 ") == 12
    assert stored_id("0", least=0) == 0
    assert stored_id(str(MAX_ROW_ID)) == MAX_ROW_ID
    for text in ("", "0", "-1", "²", "١٢", "1e3", TOO_LARGE, "9" * 5000):
        assert stored_id(text) is None, text


def _parameters(dependant: Dependant) -> Iterator[typing.Any]:
    yield from dependant.path_params
    yield from dependant.query_params
    for inner in dependant.dependencies:
        yield from _parameters(inner)


def test_every_whole_number_parameter_has_an_upper_bound(client: TestClient) -> None:
    """The rule for every route, present and future: an ``int`` in a path or query is
    declared with ``le`` at most :data:`MAX_ROW_ID` (``RowId`` for an id in a path)."""
    unbounded = []
    for route in flat_routes(client.app.router.routes):  # type: ignore[attr-defined]
        dependant = getattr(route, "dependant", None)
        if dependant is None:
            continue
        for field in _parameters(dependant):
            annotation = field.field_info.annotation
            if int not in (annotation, *typing.get_args(annotation)):
                continue
            bounds = [m.le for m in field.field_info.metadata if isinstance(m, annotated_types.Le)]
            if not bounds or bounds[0] > MAX_ROW_ID:
                unbounded.append(f"{route.path} {field.name}")  # type: ignore[attr-defined]
    assert not unbounded
