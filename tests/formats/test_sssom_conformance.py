"""Our SSSOM files as the field's reference implementation, sssom-py, reads them.

Every export (the bundled crosswalks and those of an imported OpenSALT package) goes
through the real ``sssom`` command: ``validate`` with no error, ``parse`` and
``convert`` to JSON, OWL and RDF without losing a row.  And files that sssom-py writes
(its own YAML style: sorted keys, folded long values, lists) import back.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from exchange_helpers import interop, stored

from crosswalk.catalog import Catalog
from crosswalk.formats import sssom
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.exchange import export_crosswalk, import_file
from crosswalk.model import Relation

sssom_cli = pytest.importorskip("sssom.cli")


def _sssom(*args: str) -> str:
    """Run the real ``sssom`` command in-process; fail on a non-zero exit."""
    result = CliRunner().invoke(sssom_cli.main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _exports(catalog: Catalog, folder: Path) -> list[Path]:
    return [
        export_crosswalk(catalog, c, "sssom", folder / f"{c}.sssom.tsv")[0]
        for c in sorted(catalog.crosswalks)
    ]


def _rows(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if line and not line.startswith("#")) - 1


def _check_with_sssom_py(path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        _sssom("validate", str(path))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    parsed = path.with_suffix(".parsed.tsv")
    _sssom("parse", str(path), "-o", str(parsed))
    assert _rows(parsed) == _rows(path)  # no row dropped (dates, prefixes, URIs)
    for fmt in ("json", "owl", "rdf"):
        out = path.with_suffix(f".{fmt}")
        _sssom("convert", str(path), "-O", fmt, "-o", str(out))
        assert out.stat().st_size > 0
    mappings = json.loads(path.with_suffix(".json").read_text())["mappings"]
    assert len(mappings) == _rows(path)


def test_bundled_exports_pass_sssom_py(
    bundled: Catalog, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    paths = _exports(bundled, tmp_path)
    assert len(paths) == 2
    for path in paths:
        _check_with_sssom_py(path, caplog)


def test_exports_of_an_imported_case_package_pass_sssom_py(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    empty_url = f"sqlite:///{tmp_path / 'opensalt.sqlite3'}"  # one engine is enough here
    # Its associations carry date-times: mapping_date must be a date, or sssom-py
    # drops the row ("is not a valid date").
    import_file(interop("opensalt-sample-cfpackage.json"), url=empty_url, seed=False)
    catalog = Catalog(stored(empty_url)[0])
    paths = _exports(catalog, tmp_path)
    assert sum(_rows(p) for p in paths) == 23
    for path in paths:
        assert "T18:05" not in path.read_text().split("\nsubject_id")[1].split("\t")[9]
        _check_with_sssom_py(path, caplog)


def test_a_file_written_by_sssom_py_imports(seeded_url: str, bundled: Catalog, tmp_path: Path):
    mine = export_crosswalk(bundled, "imh-wv-ckc-2015", "sssom", tmp_path / "a.sssom.tsv")[0]
    theirs = tmp_path / "theirs.sssom.tsv"
    _sssom("parse", str(mine), "-o", str(theirs))
    header = [line for line in theirs.read_text().splitlines() if line.startswith("#")]
    assert any(line.startswith("#   ") and ":" not in line for line in header)  # folded
    report = import_file(theirs, check=True, url=seeded_url)
    # sssom-py keeps the standard slots only: the links and no-matches are the same,
    # what only our extension columns held (order, provenance …) is reported changed.
    assert not [c for c in report.changes if c.action != "changed"], report.changes[:3]
    catalog = Catalog(stored(seeded_url)[0])
    before = [a for a in catalog.by_crosswalk["imh-wv-ckc-2015"]]
    crosswalk, alignments = sssom.loads(theirs.read_text(), str(theirs), catalog)
    assert crosswalk.title == bundled.crosswalks["imh-wv-ckc-2015"].title
    assert crosswalk.description == bundled.crosswalks["imh-wv-ckc-2015"].description
    assert sorted((a.source_code, a.target_code or "") for a in alignments) == sorted(
        (a.source_code, a.target_code or "") for a in before
    )
    no_match = {a.source_code for a in alignments if a.relation is Relation.NO_MATCH}
    assert no_match == {a.source_code for a in before if a.target_code is None}


def test_a_file_from_scratch_with_sssom_py_imports(seeded_url: str, tmp_path: Path):
    pd = pytest.importorskip("pandas")
    from curies import Converter
    from sssom.util import MappingSetDataFrame
    from sssom.writers import write_table

    frame = pd.DataFrame(
        [
            {
                "subject_id": "iecmhc:6A.1",
                "predicate_id": "skos:closeMatch",
                "object_id": "imh:direct-service-skills/developmental-guidance",
                "mapping_justification": "semapv:ManualMappingCuration",
                "mapping_date": "2024-03-01",
            },
            {
                "subject_id": "iecmhc:6A.2",
                "predicate_id": "skos:exactMatch",
                "object_id": "sssom:NoTermFound",
                "mapping_justification": "semapv:ManualMappingCuration",
            },
        ]
    )
    metadata = {
        "curie_map": {"iecmhc": "urn:crosswalk:iecmhc:", "imh": "urn:crosswalk:imh:"},
        "mapping_set_id": "https://example.org/sets/reviewed-iecmhc-imh",
        "mapping_set_title": "Reviewed",
        "mapping_set_description": "A long description " * 20,
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "creator_label": ["A", "B"],
        "see_also": ["https://example.org/source.pdf"],
    }
    converter = Converter.from_prefix_map(metadata["curie_map"])
    msdf = MappingSetDataFrame(df=frame, metadata=metadata, converter=converter)
    path = tmp_path / "scratch.sssom.tsv"
    with path.open("w") as stream:
        write_table(msdf, stream)
    report = import_file(path, url=seeded_url)
    assert report.written
    catalog = Catalog(stored(seeded_url)[0])
    crosswalk = catalog.crosswalks["reviewed-iecmhc-imh"]
    assert (crosswalk.source_framework, crosswalk.target_framework) == ("iecmhc", "imh")
    assert crosswalk.publisher == "A" and crosswalk.source_document.endswith("source.pdf")
    assert crosswalk.description.strip() == metadata["mapping_set_description"].strip()
    first, second = catalog.by_crosswalk["reviewed-iecmhc-imh"]
    assert first.relation is Relation.CLOSE and first.created == "2024-03-01"
    assert second.relation is Relation.NO_MATCH and second.target_code is None


def test_no_match_and_outside_references_come_back(
    seeded_url: str, bundled: Catalog, tmp_path: Path
):
    path = export_crosswalk(bundled, "imh-wv-ckc-2015", "sssom", tmp_path / "a.sssom.tsv")[0]
    _, alignments = sssom.loads(path.read_text(), str(path), bundled)
    targetless = {(a.source_code, a.relation) for a in alignments if a.target_code is None}
    expected = {
        (a.source_code, a.relation)
        for a in bundled.by_crosswalk["imh-wv-ckc-2015"]
        if a.target_code is None
    }
    assert targetless == expected
    assert {r for _, r in expected} == {Relation.NO_MATCH, Relation.RELATED}


def test_yaml_aliases_and_garbage_are_refused(seeded_url: str, tmp_path: Path):
    bomb = "\n".join(
        [
            "# a: &a [x, x, x, x, x, x, x, x, x]",
            "# b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
            "# c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
            "# mapping_set_id: urn:crosswalk:crosswalk:x",
            "subject_id\tpredicate_id\tobject_id",
        ]
    )
    for name, text, expected in (
        ("bomb.sssom.tsv", bomb, "aliases"),
        ("bad.sssom.tsv", "# curie_map: [unclosed\nsubject_id\n", "not valid YAML"),
        ("deep.sssom.tsv", "# x: " + "[" * 5000 + "\nsubject_id\n", "metadata"),
    ):
        path = tmp_path / name
        path.write_text(text + "\n")
        with pytest.raises(ExchangeError, match=expected):
            import_file(path, url=seeded_url)
