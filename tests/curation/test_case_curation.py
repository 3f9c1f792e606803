"""What curation shows in CASE exports: a new edition's package says, at document
level, that it replaces the previous one (and the previous one's, that it is
replaced); ``lastChangeDateTime`` of items, associations and documents is when the
approved change was written (the event log), not a placeholder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from curation_helpers import person
from test_releases import CROSSWALK, OBSERVATION, SCOPE, _approve, _new_ckc

from crosswalk.catalog import Catalog
from crosswalk.curation import editions, edits
from crosswalk.formats import case
from crosswalk.formats.case_links import change_time, framework_identifier, normalise_time
from crosswalk.formats.exchange import import_file
from crosswalk.store import Repository, open_repository
from crosswalk.store.repository import change_of

SCHEMA = Path(__file__).resolve().parents[3] / "shared/interop/case-v1p1-cfpackage.schema.json"


def _validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip(f"{SCHEMA} is absent")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft201909Validator(schema, format_checker=jsonschema.FormatChecker())


def _replaced(catalog: Catalog, package: dict[str, Any]) -> list[tuple[str, str]]:
    """(origin, destination) of the replacedBy associations between two documents."""
    documents = {framework_identifier(f) for f in catalog.frameworks.values()}
    ends = [
        (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
        for a in package["CFAssociations"]
        if a["associationType"] == "replacedBy"
    ]
    return [(o, d) for o, d in ends if o in documents and d in documents]


def test_a_new_edition_replaces_the_previous_document_in_case(
    store: Repository, tmp_path: Path
) -> None:
    owner = person(store, "olga", owner="framework:wv-ckc-2015", reviewer=SCOPE)
    folder = _new_ckc(store, tmp_path / "ckc-2024")
    editions.start_edition(store, owner, "wv-ckc-2015", folder, new_id="wv-ckc-2024")
    catalog = store.load_catalog()
    old, new = catalog.framework("wv-ckc-2015"), catalog.framework("wv-ckc-2024")
    # Told apart on every page: the file gave the old title, the edition's is its own.
    assert new.title == f"{old.title} (wv-ckc-2024 edition)"
    copy, original = catalog.crosswalk("imh-wv-ckc-2024"), catalog.crosswalk(CROSSWALK)
    assert copy.title != original.title and new.title in copy.title
    pair = (framework_identifier(old), framework_identifier(new))
    validator = _validator()
    for framework in (new, old):
        package = case.framework_package(catalog, framework.id)
        assert not list(validator.iter_errors(package)), framework.id
        assert _replaced(catalog, package) == [pair], framework.id
    # Item-level replacedBy (which item replaces which) rides in the previous edition's.
    items = case.framework_package(catalog, "wv-ckc-2015")["CFAssociations"]
    assert sum(a["associationType"] == "replacedBy" for a in items) > 1

    # Read back where the previous edition is known, the new one replaces it again
    # (from the association alone, as a package of another tool would say it).
    package = case.framework_package(catalog, "wv-ckc-2024")
    del package["CFDocument"]["extensions"]["ext:replaces"]
    exported = tmp_path / "ckc-2024.json"
    exported.write_text(json.dumps(package), "utf-8")
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"  # the bundled data: wv-ckc-2015 too
    import_file(exported, url=other)
    with open_repository(other) as read_back:
        assert read_back.load_catalog().framework("wv-ckc-2024").replaces == "wv-ckc-2015"


def test_last_change_times_come_from_the_event_log(store: Repository) -> None:
    before = store.load_catalog()
    link = next(a for a in before.by_crosswalk[CROSSWALK] if a.source_code == OBSERVATION)
    framework = before.crosswalk(CROSSWALK).source_framework
    untouched = next(i for i in before.items_of(framework) if i.code != OBSERVATION)
    _approve(
        store,
        [
            edits.edit_item(before, framework, OBSERVATION, name="Observing and listening"),
            edits.edit_alignment(before, link.id, note="checked again"),
        ],
    )
    events = store.events_since(before.revision)
    written = {normalise_time(e.at) for e in events}
    assert len(written) == 1
    (at,) = written
    after = store.load_catalog()
    # The catalog every app process updates from the log knows the same times.
    caught_up = before.updated([change_of(e) for e in events], after.revision)
    assert caught_up.written == after.written

    for catalog in (after, caught_up):
        package = case.framework_package(catalog, framework)
        default = change_time(catalog.framework(framework))
        assert default != at
        items = {i["extensions"]["ext:code"]: i for i in package["CFItems"]}
        assert items[OBSERVATION]["lastChangeDateTime"] == at
        assert items[untouched.code]["lastChangeDateTime"] == default
        links = {a["identifier"]: a for a in package["CFAssociations"]}
        assert links[str(link.uuid)]["lastChangeDateTime"] == at
        assert package["CFDocument"]["lastChangeDateTime"] == at  # the latest inside it
        crosswalk = case.crosswalk_package(catalog, CROSSWALK)
        assert crosswalk["CFDocument"]["lastChangeDateTime"] == at

    # A catalog not read from a store (the bundled data) keeps its deterministic dates.
    plain = Catalog(after.dataset)
    package = case.framework_package(plain, framework)
    assert {i["lastChangeDateTime"] for i in package["CFItems"]} == {
        change_time(plain.framework(framework))
    }
