"""Each class of bad input: a message naming the file and the place, nothing written.

Every case runs against a real database (SQLite and PostgreSQL) holding the bundled
dataset; after the failed import its contents *and* its revision are unchanged.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from exchange_helpers import stored
from typer.testing import CliRunner

from crosswalk.catalog import Catalog
from crosswalk.cli import app
from crosswalk.formats import case
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.exchange import MAX_BYTES_VARIABLE, import_file
from crosswalk.formats.xlsx import write_xlsx
from crosswalk.sources.bundled import load_bundled

Maker = Callable[[Path], Path]


def _package() -> dict[str, Any]:
    return case.framework_package(Catalog(load_bundled()), "iecmhc")


def _json_file(name: str, edit: Callable[[dict[str, Any]], None]) -> Maker:
    def make(folder: Path) -> Path:
        package = _package()
        edit(package)
        path = folder / name
        path.write_text(json.dumps(package), encoding="utf-8")
        return path

    return make


def _text_file(name: str, text: str, encoding: str = "utf-8") -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(text.encode(encoding))
        return path

    return make


def _xlsx_named(name: str) -> Maker:
    def make(folder: Path) -> Path:
        return write_xlsx(load_bundled(), folder / name)

    return make


def _broken_zip(folder: Path) -> Path:
    path = folder / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return path


def _drop(field: str, index: int = 1) -> Callable[[dict[str, Any]], None]:
    return lambda p: p["CFItems"][index].pop(field)


def _duplicate_item(package: dict[str, Any]) -> None:
    package["CFItems"][2]["identifier"] = package["CFItems"][1]["identifier"]


def _missing_end(package: dict[str, Any]) -> None:
    package["CFAssociations"][-1]["originNodeURI"]["identifier"] = str(uuid.uuid4())


def _no_end(package: dict[str, Any]) -> None:
    package["CFAssociations"][0].pop("destinationNodeURI")


def _unknown_type(package: dict[str, Any]) -> None:
    package["CFAssociations"][-1]["associationType"] = "isCousinOf"


ALIGNMENTS_HEADER = "crosswalk,position,source_code,target_code,relation\n"
CASES: dict[str, tuple[Maker, list[str]]] = {
    "malformed JSON": (_text_file("bad.json", '{"CFDocument": {'), ["bad.json", "line 1"]),
    "malformed CSV": (
        _text_file("alignments.csv", ALIGNMENTS_HEADER + "iecmhc-imh,0,6A.1,x,related,extra\n"),
        ["alignments.csv", "row 2"],
    ),
    "malformed XLSX": (_broken_zip, ["broken.xlsx", "XLSX"]),
    "JSON that is a workbook": (_xlsx_named("package.json"), ["package.json", "ZIP"]),
    "XLSX that is text": (_text_file("sheet.xlsx", "a,b\n1,2\n"), ["sheet.xlsx", "text"]),
    "schema violation": (_json_file("p.json", _drop("fullStatement")), ["CFItems[1]"]),
    "schema violation (type)": (
        _json_file("p.json", lambda p: p.update(CFItems={"not": "a list"})),
        ["CFItems", "list"],
    ),
    "duplicate identifier (CASE)": (_json_file("p.json", _duplicate_item), ["CFItems[2]"]),
    "duplicate identifier (CSV)": (
        _text_file("items.csv", "framework,code,name\nimh,x,One\nimh,x,Two\n"),
        ["items.csv", "row 3", "duplicate"],
    ),
    "association with a missing end": (
        _json_file("p.json", _missing_end),
        ["CFAssociations[", "missing end"],
    ),
    "association without an end": (_json_file("p.json", _no_end), ["destinationNodeURI"]),
    "alignment with a missing end (CSV)": (
        _text_file("alignments.csv", ALIGNMENTS_HEADER + "iecmhc-imh,0,6A.1,nowhere,related\n"),
        ["alignments.csv", "'nowhere'", "missing end"],
    ),
    "unknown association type": (_json_file("p.json", _unknown_type), ["isCousinOf"]),
    "unknown relation (CSV)": (
        _text_file("alignments.csv", ALIGNMENTS_HEADER + "iecmhc-imh,0,6A.1,,sortof\n"),
        ["row 2", "relation"],
    ),
    "wrong encoding": (
        _text_file("items.csv", "framework,code,name\nimh,x,Señal\n", "latin-1"),
        ["items.csv", "UTF-8"],
    ),
    "bad SSSOM predicate": (
        _text_file(
            "m.sssom.tsv",
            "# curie_map:\n#   imh: 'urn:crosswalk:imh:'\n#   iecmhc: 'urn:crosswalk:iecmhc:'\n"
            "# mapping_set_id: urn:crosswalk:crosswalk:iecmhc-imh\n"
            "subject_id\tpredicate_id\tobject_id\niecmhc:6A.1\towl:sameAs\timh:x\n",
        ),
        ["m.sssom.tsv", "line 6", "predicate_id"],
    ),
}


@pytest.mark.parametrize("case_name", list(CASES))
def test_bad_input_is_refused_and_nothing_changes(
    case_name: str, seeded_url: str, tmp_path: Path
) -> None:
    make, expected = CASES[case_name]
    path = make(tmp_path)
    before = stored(seeded_url)
    with pytest.raises(ExchangeError) as raised:
        import_file(path, url=seeded_url)
    message = str(raised.value)
    assert str(path.name) in message
    for part in expected:
        assert part in message, (case_name, message)
    assert stored(seeded_url) == before


def test_oversized_file(seeded_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = _json_file("big.json", lambda p: None)(tmp_path)
    monkeypatch.setenv(MAX_BYTES_VARIABLE, "1000")
    before = stored(seeded_url)
    with pytest.raises(ExchangeError, match=r"big\.json: .* over the import limit"):
        import_file(path, url=seeded_url)
    assert stored(seeded_url) == before


def test_cli_exits_non_zero_with_one_line(seeded_url: str, tmp_path: Path):
    path = _json_file("p.json", _unknown_type)(tmp_path)
    result = CliRunner().invoke(app, ["--database", seeded_url, "import", str(path)])
    assert result.exit_code == 1
    assert "p.json" in result.output and "isCousinOf" in result.output
