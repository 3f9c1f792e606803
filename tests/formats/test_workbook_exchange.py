"""The workbook: lossless CSV/XLSX round trips, tolerant headers, dry runs."""

from __future__ import annotations

from pathlib import Path

from exchange_helpers import stored
from openpyxl import load_workbook

from crosswalk.catalog import Catalog
from crosswalk.formats.exchange import export_all, export_crosswalk, import_file


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path, read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_csv_round_trip_into_an_empty_database(bundled: Catalog, empty_url: str, tmp_path: Path):
    first = export_all(bundled, "csv", tmp_path / "first")
    import_file(tmp_path / "first", url=empty_url, seed=False)
    second = export_all(Catalog(stored(empty_url)[0]), "csv", tmp_path / "second")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_xlsx_round_trip_into_an_empty_database(bundled: Catalog, empty_url: str, tmp_path: Path):
    first = export_all(bundled, "xlsx", tmp_path / "first.xlsx")[0]
    assert load_workbook(first).sheetnames == [
        "Frameworks",
        "Items",
        "Aliases",
        "Crosswalks",
        "Alignments",
    ]
    import_file(first, url=empty_url, seed=False)
    dataset = stored(empty_url)[0]
    second = export_all(Catalog(dataset), "xlsx", tmp_path / "second.xlsx")[0]
    assert _cells(first) == _cells(second)
    assert dataset.alignments == bundled.dataset.alignments


def test_tolerant_headers(seeded_url: str, tmp_path: Path):
    path = tmp_path / "Alignments.csv"
    path.write_text(
        "Crosswalk ID,Order,Source Code,Target,Relation,Strength,Comment\n"
        "iecmhc-imh,0,6A.1,direct-service-skills/developmental-guidance,close,Essential,hi\n",
        encoding="utf-8",
    )
    report = import_file(path, check=True, url=seeded_url)
    actions = {(c.record, c.action) for c in report.changes}
    assert ("alignment", "changed") in actions and ("alignment", "removed") in actions


def test_check_is_a_dry_run_then_the_write_is_atomic(
    bundled: Catalog, seeded_url: str, tmp_path: Path
):
    folder = export_crosswalk(bundled, "iecmhc-imh", "csv", tmp_path / "cw")[0].parent
    alignments = folder / "alignments.csv"
    lines = alignments.read_text().splitlines(keepends=True)
    alignments.write_text("".join(lines[:-1]))
    before = stored(seeded_url)
    report = import_file(folder, check=True, url=seeded_url)
    assert [(c.record, c.action) for c in report.changes] == [("alignment", "removed")]
    assert stored(seeded_url) == before
    report = import_file(folder, url=seeded_url)
    assert report.written
    after, revision = stored(seeded_url)
    assert revision == before[1] + 1
    assert len(after.alignments) == len(before[0].alignments) - 1
