"""The curation commands on a real database: people, tokens, proposals from imports,
review, history, releases and a new edition."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from crosswalk.cli import app
from crosswalk.curation import people
from crosswalk.store import open_repository

PASSWORD = "a long enough password"


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, ["--database", url, *args], input=input)

    invoke.url = url  # type: ignore[attr-defined]
    return invoke


def test_people_grants_and_tokens(run) -> None:  # type: ignore[no-untyped-def]
    added = run("user", "add", "ada", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "Added ada (admin)" in added.output
    prompt = run("user", "add", "edna", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompt.exit_code == 0 and PASSWORD not in prompt.output
    short = run("user", "add", "bob", "--password-stdin", input="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    granted = run("grant", "edna", "editor", "--crosswalk", "imh-wv-ckc-2015")
    assert granted.exit_code == 0, granted.output
    both = run("grant", "edna", "editor", "--crosswalk", "x", "--framework", "y")
    assert both.exit_code == 1 and "exactly one of" in both.output
    listed = run("user", "list", "--format", "json")
    assert '"editor on crosswalk imh-wv-ckc-2015"' in listed.output
    token = run("token", "create", "edna", "--label", "script")
    secret = token.stdout.strip()
    assert secret.startswith("cw_")
    with open_repository(run.url, seed=None) as store:
        user = people.token_user(store, secret)
        assert user is not None and user.name == "edna"
    assert run("token", "revoke", "1").exit_code == 0
    with open_repository(run.url, seed=None) as store:
        assert people.token_user(store, secret) is None
    assert run("revoke", "edna", "editor", "--crosswalk", "imh-wv-ckc-2015").exit_code == 0


def _renamed_framework(run, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "export"
    assert run("export", "framework", "imh", "--format", "csv", "-o", str(folder)).exit_code == 0
    frameworks = folder / "frameworks.csv"
    rows = list(csv.DictReader(frameworks.open(encoding="utf-8")))
    rows[0]["title"] = "IMH, retitled"
    with frameworks.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return frameworks


def test_an_import_proposed_then_approved_then_undone(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("user", "add", "edna", "--role", "editor", "--password-stdin", input=PASSWORD + "\n")
    run("user", "add", "rita", "--role", "reviewer", "--password-stdin", input=PASSWORD + "\n")
    frameworks = _renamed_framework(run, tmp_path)
    proposed = run("import", str(frameworks), "--propose", "--as", "edna")
    assert proposed.exit_code == 0, proposed.output
    assert "Proposed" in proposed.output and "change set 2" in proposed.output
    assert "IMH, retitled" not in run("frameworks", "--format", "csv").output
    listed = run("changes", "list", "--status", "submitted", "--format", "csv")
    assert "2,submitted,import" in listed.output
    shown = run("changes", "show", "2", "--format", "csv")
    assert "update,framework imh,1,title" in shown.output
    assert run("changes", "approve", "2", "--as", "edna").exit_code == 1  # own
    approved = run("changes", "approve", "2", "--as", "rita", "--comment", "fine")
    assert approved.exit_code == 0, approved.output
    assert "IMH, retitled" in run("frameworks", "--format", "csv").output
    history = run("history", "imh", "--format", "csv")
    assert "rita,2,update,framework imh,2,title" in history.output
    whole = run("history", "--format", "csv")
    assert whole.output.splitlines()[0].startswith("event,revision,change_set,at,actor")
    undo = run("changes", "revert", "2", "--as", "edna")
    assert undo.exit_code == 0 and "Change set 3 undoes 2" in undo.output
    assert run("changes", "approve", "3", "--as", "rita").exit_code == 0
    assert "IMH, retitled" not in run("frameworks", "--format", "csv").output
    # The command line itself imports at once, as the operator.
    direct = run("import", str(frameworks))
    assert direct.exit_code == 0 and "Imported" in direct.output
    assert "command line" in run("history", "imh", "--format", "csv").output


def test_releases_and_reading_one(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    frameworks = _renamed_framework(run, tmp_path)
    made = run("release", "create", "before", "--framework", "imh", "--title", "Before")
    assert made.exit_code == 0, made.output
    assert run("import", str(frameworks)).exit_code == 0
    listed = run("release", "list", "--format", "csv").output
    assert "before,Before,framework imh" in listed and "as-printed" in listed
    assert "IMH, retitled" in run("frameworks", "--format", "csv").output
    old = run("--release", "before", "frameworks", "--format", "csv")
    assert old.exit_code == 0 and "IMH, retitled" not in old.output
    unknown = run("--release", "nope", "frameworks")
    assert unknown.exit_code == 1 and "no release 'nope'" in unknown.output
    diff = run("release", "diff", "as-printed", "published", "--format", "csv")
    assert diff.exit_code == 0 and diff.output.startswith("crosswalk,change,alignment")
    sssom = run("release", "diff", "as-printed", "--crosswalk", "iecmhc-imh", "--format", "sssom")
    assert sssom.exit_code == 0 and "mapping_set_id" in sssom.output
    rows = list(csv.DictReader(io.StringIO(diff.output)))
    assert rows == []  # the title changed, no link did


def test_a_new_edition_from_the_command_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "ckc"
    run("export", "framework", "wv-ckc-2015", "--format", "csv", "-o", str(folder))
    items = folder / "items.csv"
    rows = list(csv.DictReader(items.open(encoding="utf-8")))
    for row in rows:
        if row["code"] == "2.1":
            row["name"] += " (revised)"
    with items.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (folder / "aliases.csv").unlink(missing_ok=True)
    made = run("edition", "wv-ckc-2015", str(folder), "--id", "wv-ckc-2024", "--version", "2024")
    assert made.exit_code == 0, made.output
    assert "New edition wv-ckc-2024" in made.output
    assert "Crosswalk imh-wv-ckc-2015 → copied as imh-wv-ckc-2024" in made.output
    assert "2.1" in made.output and "reworded" in made.output
    shown = run("changes", "list", "--format", "csv").output
    assert "submitted,edition,Links to decide" in shown
    assert "wv-ckc-2024" in run("frameworks", "--format", "csv").output
