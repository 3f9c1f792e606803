"""Fixes from the code review: Host-dependent caching, blocking work, levels of
duplicated links, CASE identifiers, frozen catalog indexes, errata reasons."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from webpage import csrf_token, on_event_loop, parse

from crosswalk.catalog import Catalog
from crosswalk.sources.bundled import errata_reasons, load_bundled
from crosswalk.web import deps
from crosswalk.web.app import create_app
from crosswalk.web.routes import readiness as readiness_routes

CASE = "/ims/case/v1p1"
ITEM = "/frameworks/imh/items/direct-service-skills/observation-listening"


# -- 1. the Host header: see tests/web/case/test_case_api.py --------------------------


def test_base_url_must_be_absolute() -> None:
    from crosswalk.config import normalise_base_url

    assert normalise_base_url(" ") is None
    assert normalise_base_url("https://x.example/app/") == "https://x.example/app"
    with pytest.raises(ValueError, match="absolute"):
        normalise_base_url("x.example")


# -- 2. nothing blocking on the event loop ----------------------------------------------


def test_the_store_is_opened_at_start_up(database_file: str) -> None:
    with TestClient(create_app(database_file)) as client:
        store = client.app.state.catalog_store  # type: ignore[attr-defined]
        assert store._snapshot is not None  # before any request


def test_revision_checks_and_reloads_run_off_the_event_loop(
    database_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bool] = []
    original = deps.CatalogStore.snapshot

    def spy(self: deps.CatalogStore) -> deps.Snapshot:
        calls.append(on_event_loop())
        return original(self)

    monkeypatch.setattr(deps.CatalogStore, "snapshot", spy)
    with TestClient(create_app(database_file)) as client:
        client.app.state.catalog_store.check_interval = 0.0  # type: ignore[attr-defined]
        for url in ("/api/frameworks", ITEM, "/readiness", f"{CASE}/CFDocuments"):
            assert client.get(url).status_code == 200
    assert len(calls) > 4 and not any(calls), calls


def _workbook(rows: int, sheets: int = 1) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Title", "Date", "Hours", "Codes"])
    for n in range(rows):
        sheet.append([f"Training {n}", "2024-01-02", 1, "CKC 2.1"])
    for n in range(sheets - 1):
        book.create_sheet(f"extra {n}").append(["Title", "Codes"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_upload_is_read_off_the_event_loop(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bool] = []
    original = readiness_routes.read_transcript

    def spy(data: bytes, name: str = "transcript") -> Any:
        calls.append(on_event_loop())
        return original(data, name)

    monkeypatch.setattr(readiness_routes, "read_transcript", spy)
    files = {"transcript": ("t.xlsx", _workbook(3), "application/octet-stream")}
    data = {"category": "IFS", "csrf_token": csrf_token(client)}
    response = client.post("/readiness", data=data, files=files)
    assert response.status_code == 200
    assert calls == [False]


def test_a_workbook_is_read_up_to_the_row_cap(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crosswalk.readiness import transcript

    monkeypatch.setattr(transcript, "MAX_ROWS", 25)
    read = transcript.read_transcript(_workbook(40, sheets=2), "big.xlsx")
    assert len(read.rows) == 25
    assert any("more than 25 rows" in note for note in read.notes)
    files = {"transcript": ("big.xlsx", _workbook(40), "application/octet-stream")}
    data = {"category": "IFS", "csrf_token": csrf_token(client)}
    page = parse(client.post("/readiness", data=data, files=files).text)
    assert "more than 25 rows" in " ".join(page.texts("main"))


# -- 3. the level of each link, duplicated pairs included -------------------------------


def test_level_download_judges_each_link_by_itself(client: TestClient) -> None:
    pair = ("6A.2", "theoretical-foundations/relationship-focused-therapeutic-practice")

    def rows(level: str) -> list[dict[str, Any]]:
        found = client.get(f"/crosswalks/iecmhc-imh?level={level}&format=json").json()
        return [r for r in found if (r["source_code"], r["target_code"]) == pair]

    # The pair is linked twice: once untagged (Family Specialist), once "MHM".
    assert [r["level"] for r in rows("FS")] == [""]
    assert [r["level"] for r in rows("IMHM")] == ["MHM"]
    api = client.get("/api/crosswalks/iecmhc-imh/alignments?source=6A.2&level=mhm").json()
    assert [a["level"] for a in api["items"] if a["target"]["code"] == pair[1]] == ["MHM"]


# -- 6. CASE identifiers in any case: see tests/web/case/test_case_api.py --------------


# -- 7. a catalog is read-only ----------------------------------------------------------


def test_catalog_indexes_are_plain_dicts_that_do_not_grow() -> None:
    catalog = Catalog(load_bundled())
    for index in (catalog.children, catalog.by_crosswalk, catalog.outgoing, catalog.incoming):
        assert type(index) is dict and not isinstance(index, defaultdict)
    size = len(catalog.outgoing)
    assert catalog.outgoing.get(("imh", "no-such-code"), []) == []
    with pytest.raises(KeyError):
        catalog.outgoing[("imh", "no-such-code")]
    assert len(catalog.outgoing) == size
    assert catalog.items_of("no-such-framework") == []


# -- 5. errata reasons come from the library --------------------------------------------


def test_errata_reasons_only_for_the_ids_an_item_carries(
    hostile_client: TestClient, client: TestClient
) -> None:
    reasons = errata_reasons()
    assert reasons["E01"] and all(isinstance(v, str) for v in reasons.values())
    page = parse(
        client.get(
            "/frameworks/imh/items/theoretical-foundations/pregnancy-and-early-parenthood"
        ).text
    )
    listed = page.texts("ul", class_="errata")
    assert listed and reasons["E01"] in listed[0] and "(correction E01)" in listed[0]


def test_an_unknown_erratum_id_gets_no_borrowed_reason(tmp_path: Path) -> None:
    import dataclasses

    from crosswalk.model import Dataset
    from crosswalk.store import open_repository

    def imported() -> Dataset:
        data = load_bundled()
        items = [
            dataclasses.replace(i, errata=("X99",)) if i.errata == ("E01",) else i
            for i in data.items
        ]
        return Dataset(data.frameworks, items, data.crosswalks, data.alignments)

    url = f"sqlite:///{tmp_path / 'imported.sqlite3'}"
    open_repository(url, seed=imported).close()
    with TestClient(create_app(url)) as client:
        html = client.get(
            "/frameworks/imh/items/theoretical-foundations/pregnancy-and-early-parenthood"
        ).text
    listed = parse(html).texts("ul", class_="errata")
    assert listed == ["a correction (X99)"]
