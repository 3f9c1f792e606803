"""Files are written whole or not at all (:mod:`crosswalk.files`), and every writer in
the product goes through it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crosswalk import files

SOURCE = Path(files.__file__).parent


def test_an_error_inside_the_block_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), files.replacing(target) as stream:
        stream.write("new, half")
        raise RuntimeError("killed half-way")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_files_written_together_replace_their_targets_only_all_at_once(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("old a", encoding="utf-8")
    with pytest.raises(OSError), files.together():
        files.write_text(first, "new a")
        assert first.read_text(encoding="utf-8") == "old a"  # not yet
        with files.replacing(second) as stream:
            stream.write("new b")
            raise OSError(28, "No space left on device")
    assert first.read_text(encoding="utf-8") == "old a"
    assert not second.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]
    with files.together():
        files.write_text(first, "new a")
        files.write_text(second, "new b")
    assert (first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")) == (
        "new a",
        "new b",
    )


def test_a_failed_write_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "m.json"
    with pytest.raises(OSError) as raised, files.replacing(target):
        raise OSError(28, "No space left on device")
    assert raised.value.filename == str(target)


def test_a_new_file_gets_the_usual_permissions_and_a_replaced_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    plain = tmp_path / "plain"
    plain.write_text("x", encoding="utf-8")
    made = files.write_text(tmp_path / "made", "x")
    assert made.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    plain.chmod(0o640)
    files.write_text(plain, "y")
    assert plain.stat().st_mode & 0o777 == 0o640


# Writes that need not go through crosswalk.files: a temporary folder of the command's
# own (an upload or a download to import), and the embedding cache (atomic already).
ALLOWED = {
    "suggest/embeddings.py": 2,
    "web/routes/history.py": 1,
    "web/routes/curation_api.py": 1,
    "formats/case_fetch.py": 1,
}
WRITE = re.compile(
    r"(?<!files)\.write_(text|bytes)\(|\.open\(\s*[\"']w|\bopen\([^)]*[\"']w|\.save\("
)


def test_every_file_the_product_writes_goes_through_crosswalk_files() -> None:
    found: dict[str, int] = {}
    for path in SOURCE.rglob("*.py"):
        name = path.relative_to(SOURCE).as_posix()
        if name == "files.py":
            continue
        text = path.read_text(encoding="utf-8")
        writes = [m for m in WRITE.finditer(text) if "io.BytesIO" not in text[: m.start()][-300:]]
        if writes:
            found[name] = len(writes)
    assert found == ALLOWED
