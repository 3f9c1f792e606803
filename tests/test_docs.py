"""The docs cannot drift from the interface: every command is documented."""

from __future__ import annotations

from pathlib import Path

import typer.main

from crosswalk.cli import app

ROOT = Path(__file__).resolve().parent.parent


def command_names() -> list[str]:
    group = typer.main.get_group(app)
    names = []
    for name, command in group.commands.items():
        sub = getattr(command, "commands", None)
        names += [f"{name} {s}" for s in sub] if sub else [name]
    return names


def test_every_command_is_in_the_cli_guide() -> None:
    guide = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [n for n in command_names() if f"crosswalk {n}" not in guide]
    assert not missing, f"document these in docs/cli.md: {missing}"


def test_the_readme_shows_both_make_commands_and_only_real_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make serve" in readme
    top = {n.split()[0] for n in command_names()}
    for line in readme.splitlines():
        if line.startswith("$ crosswalk "):
            assert line.split()[2] in top, line
