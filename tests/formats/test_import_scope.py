"""What an import replaces, what it keeps, and when it must refuse to write.

Each test failed before its fix (code review of the exchange path).
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from exchange_helpers import stored
from openpyxl import load_workbook

from crosswalk.catalog import Catalog
from crosswalk.formats import exchange
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.exchange import export_all, export_framework, import_file
from crosswalk.model import Dataset, Framework
from crosswalk.store import Cause, StoreError, open_repository


def _rewrite(path: Path, change: dict[str, str], where: dict[str, str]) -> None:
    """Set ``change`` on the CSV rows matching ``where``."""
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    for row in rows:
        if all(row[k] == v for k, v in where.items()):
            row.update(change)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _counts(dataset: Dataset) -> tuple[int, int]:
    return len(dataset.items), len(dataset.alignments)


# 1. a file of frameworks (crosswalks) only keeps their items (alignments) -------------


def test_lone_frameworks_csv_changes_the_title_and_keeps_the_items(
    bundled: Catalog, seeded_url: str, tmp_path: Path
):
    folder = tmp_path / "all"
    export_all(bundled, "csv", folder)
    frameworks = folder / "frameworks.csv"
    _rewrite(frameworks, {"title": "IMH, renamed"}, {"id": "imh"})
    before, _ = stored(seeded_url)

    report = import_file(frameworks, check=True, url=seeded_url)
    assert [(c.record, c.action, c.key) for c in report.changes] == [
        ("framework", "changed", "imh")
    ]
    assert any(
        line.startswith("framework imh: items kept: not in the file") for line in report.kept
    )

    report = import_file(frameworks, url=seeded_url)
    assert report.written and report.summary() == "1 framework changed"
    after, _ = stored(seeded_url)
    assert next(f for f in after.frameworks if f.id == "imh").title == "IMH, renamed"
    assert after.items == before.items and after.alignments == before.alignments


def test_lone_crosswalks_csv_keeps_the_alignments(
    bundled: Catalog, seeded_url: str, tmp_path: Path
):
    folder = tmp_path / "all"
    export_all(bundled, "csv", folder)
    crosswalks = folder / "crosswalks.csv"
    _rewrite(crosswalks, {"title": "retitled"}, {"id": "iecmhc-imh"})
    before, _ = stored(seeded_url)
    report = import_file(crosswalks, url=seeded_url)
    assert report.summary() == "1 crosswalk changed"
    assert any("crosswalk iecmhc-imh: alignments kept: not in the file" in k for k in report.kept)
    after, _ = stored(seeded_url)
    assert after.alignments == before.alignments and after.items == before.items


def test_replacing_items_refuses_to_strand_alignments_of_other_crosswalks(
    bundled: Catalog, seeded_url: str, tmp_path: Path
):
    """Items of imh without a code other crosswalks use: refused, crosswalk and code named."""
    folder = tmp_path / "imh"
    export_framework(bundled, "imh", "csv", folder)
    used = "direct-service-skills/observation-listening"
    items = folder / "items.csv"
    with items.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    rows = [r for r in rows if r["code"] != used]
    with items.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (folder / "aliases.csv").unlink()  # its rows name the removed item
    before = stored(seeded_url)
    with pytest.raises(ExchangeError) as raised:
        import_file(folder, url=seeded_url)
    message = str(raised.value)
    assert "stored alignments with a missing end" in message
    assert "crosswalk 'iecmhc-imh'" in message and f"imh:{used}" in message
    assert stored(seeded_url) == before


# 5. a write based on what another writer changed meanwhile is refused; dry runs write nothing


def test_import_refuses_objects_another_write_changed_in_between(
    bundled: Catalog, seeded_url: str, tmp_path: Path
):
    """Each change is based on the revision the checks read: another writer changing
    the same framework meanwhile makes the import a conflict (nothing written), while
    a change to another framework meanwhile is kept beside the import."""
    folder = tmp_path / "all"
    export_all(bundled, "csv", folder)
    frameworks = folder / "frameworks.csv"
    _rewrite(frameworks, {"title": "mine"}, {"id": "imh"})
    imh = next(f for f in bundled.dataset.frameworks if f.id == "imh")
    iecmhc = next(f for f in bundled.dataset.frameworks if f.id == "iecmhc")

    def meanwhile(changed: Framework) -> Callable[[str], None]:
        def write(stage: str) -> None:
            if stage == "writing":  # another import commits after our checks
                with open_repository(seeded_url, seed=None) as other:
                    other.save(Dataset([changed]))

        return write

    theirs = dataclasses.replace(imh, title="theirs")
    with pytest.raises(
        StoreError, match="framework imh was edited at revision 1 but is at"
    ) as refused:
        import_file(frameworks, url=seeded_url, progress=meanwhile(theirs))
    assert refused.value.cause is Cause.CONFLICT and refused.value.hint == "run it again"
    after, _ = stored(seeded_url)
    assert next(f for f in after.frameworks if f.id == "imh").title == "theirs"

    _rewrite(frameworks, {"title": "mine again"}, {"id": "imh"})
    report = import_file(
        frameworks, url=seeded_url, progress=meanwhile(dataclasses.replace(iecmhc, notice="x"))
    )
    assert report.written
    after, _ = stored(seeded_url)
    titles = {f.id: (f.title, f.notice) for f in after.frameworks}
    assert titles["imh"][0] == "mine again" and titles["iecmhc"][1] == "x"


def test_check_on_an_empty_database_writes_nothing_and_compares_with_the_bundled_data(
    bundled: Catalog, empty_url: str, tmp_path: Path
):
    folder = tmp_path / "all"
    export_all(bundled, "csv", folder)
    _rewrite(folder / "frameworks.csv", {"title": "IMH, renamed"}, {"id": "imh"})
    report = import_file(folder, check=True, url=empty_url)
    assert [(c.record, c.action, c.key) for c in report.changes] == [
        ("framework", "changed", "imh")
    ]
    dataset, revision = stored(empty_url)
    assert revision == 0 and dataset == Dataset()
    # Without the seed a real import would start empty, and so does the dry run.
    report = import_file(folder, check=True, url=empty_url, seed=False)
    assert report.counts()[("framework", "added")] == len(bundled.frameworks)
    assert stored(empty_url) == (Dataset(), 0)


# 2. XLSX exports hold text, never formulas -----------------------------------------------


def test_xlsx_text_starting_with_equals_round_trips_as_text(
    bundled: Catalog, empty_url: str, tmp_path: Path
):
    formula = '=HYPERLINK("http://example.invalid/?x","click")'
    data = bundled.dataset
    first = data.items[0]
    items = [dataclasses.replace(i, statement=formula) if i == first else i for i in data.items]
    dataset = Dataset(data.frameworks, items, data.crosswalks, data.alignments)
    path = export_all(Catalog(dataset), "xlsx", tmp_path / "all.xlsx")[0]
    sheet = load_workbook(path)["Items"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == formula]
    assert cells and all(c.data_type == "s" for c in cells)
    import_file(path, url=empty_url, seed=False)
    loaded, _ = stored(empty_url)
    assert next(i for i in loaded.items if i.key == first.key).statement == formula


# 7. the size limit is checked once per import ----------------------------------------------


def test_size_is_checked_once(
    bundled: Catalog, empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = export_framework(bundled, "imh", "case", tmp_path / "imh.json")[0]
    calls: list[Path] = []
    real = exchange.check_size

    def counting(target: Path) -> None:
        calls.append(target)
        real(target)

    monkeypatch.setattr(exchange, "check_size", counting)
    import_file(path, url=empty_url, seed=False)
    assert calls == [path]
