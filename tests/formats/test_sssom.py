"""SSSOM TSV: metadata block, skos predicates, NoTermFound, identity round trip."""

from __future__ import annotations

from pathlib import Path

from exchange_helpers import stored

from crosswalk.catalog import Catalog
from crosswalk.formats import sssom
from crosswalk.formats.exchange import export_crosswalk, import_file


def test_export_uses_the_fields_terms(bundled: Catalog):
    text = sssom.dumps(bundled, "imh-wv-ckc-2015")
    meta = sssom.parse_metadata(
        [line[2:] for line in text.splitlines() if line.startswith("#")], "test"
    )
    assert meta["mapping_set_id"] == "urn:crosswalk:crosswalk:imh-wv-ckc-2015"
    assert meta["curie_map"]["skos"].startswith("http://www.w3.org/2004/02/skos")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    header, body = rows[0], rows[1:]
    assert header[:6] == [
        "subject_id",
        "subject_label",
        "predicate_id",
        "object_id",
        "object_label",
        "mapping_justification",
    ]
    assert {r[2] for r in body} <= {"skos:relatedMatch", "skos:exactMatch"}
    # An explicit no-match: no term of the object source corresponds (SSSOM's way of
    # documenting unmapped entities), never a positive link.
    no_match = [r for r in body if r[header.index("relation")] == "noMatch"]
    assert no_match and all(r[3] == "sssom:NoTermFound" for r in no_match)
    assert all(r[2] == "skos:relatedMatch" for r in no_match)
    assert {r[5] for r in body} == {"semapv:ManualMappingCuration"}


def test_round_trip_is_identical(seeded_url: str, bundled: Catalog, tmp_path: Path):
    for crosswalk_id in bundled.crosswalks:
        first = export_crosswalk(bundled, crosswalk_id, "sssom", tmp_path / "a.tsv")[0]
        report = import_file(first, url=seeded_url)
        # Identical to what is stored: nothing to write, down to the store's own rows.
        assert not report.written and not report.changes, report.changes[:3]
        catalog = Catalog(stored(seeded_url)[0])
        second = export_crosswalk(catalog, crosswalk_id, "sssom", tmp_path / "b.tsv")[0]
        assert first.read_text() == second.read_text()


def test_edited_file_reports_changes(seeded_url: str, bundled: Catalog, tmp_path: Path):
    path = export_crosswalk(bundled, "iecmhc-imh", "sssom", tmp_path / "x.sssom.tsv")[0]
    lines = path.read_text().splitlines(keepends=True)
    body = [i for i, line in enumerate(lines) if not line.startswith("#")]
    del lines[body[-1]]  # remove the last alignment
    lines[body[1]] = lines[body[1]].replace("skos:relatedMatch", "skos:closeMatch", 1)
    path.write_text("".join(lines))
    report = import_file(path, check=True, url=seeded_url)
    actions = {(c.record, c.action) for c in report.changes}
    assert ("alignment", "removed") in actions and ("alignment", "changed") in actions
    assert not report.written
