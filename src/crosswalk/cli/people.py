"""``crosswalk user …``, ``crosswalk grant``/``revoke`` and ``crosswalk token …``.

People are managed from the command line by whoever holds the database (the first
admin of a fresh install is added here); each command calls one function of
:mod:`crosswalk.curation.people`.  Passwords come from a hidden prompt, or from the
first line of standard input with ``--password-stdin`` (for scripts), never from an
argument that would end up in the shell history.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from crosswalk.cli import output
from crosswalk.cli.session import repository
from crosswalk.curation import people
from crosswalk.curation.errors import CurationProblem
from crosswalk.curation.permissions import Denied
from crosswalk.store import StoreError

P = ParamSpec("P")
R = TypeVar("R")
FORMAT = typer.Option("table", "--format", "-f", help=output.FORMAT_HELP)

user_app = typer.Typer(help="Manage the people who sign in.", no_args_is_help=True)
token_app = typer.Typer(
    help="API tokens for scripts (Authorization: Bearer …).", no_args_is_help=True
)


def curates(command: Callable[P, R]) -> Callable[P, R]:
    """The curation library's refusals as the CLI's one-line errors."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (CurationProblem, Denied, StoreError) as error:
            raise output.CommandError(str(error)) from None

    return output.reports_errors(run)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@user_app.command("add")
@curates
def add_user(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The name people sign in with."),
    role: str = typer.Option(
        "viewer", "--role", help="admin, editor or reviewer (everywhere), or viewer."
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Add a person; ``--role admin`` for the first one of a fresh install."""
    user = people.add_user(repository(ctx), name, _password(password_stdin), role)
    output.stdout().print(f"Added {user.name} ({role}).")


@user_app.command("list")
@curates
def list_users(ctx: typer.Context, fmt: str = FORMAT) -> None:
    """Everyone who can sign in, with their roles."""
    fmt = output.choose_format(fmt)
    rows = [
        {
            "name": user.name,
            "admin": "yes" if user.admin else "",
            "disabled": "yes" if user.disabled else "",
            "roles": [str(g) for g in grants],
            "created": user.created,
        }
        for user, grants in people.list_users(repository(ctx))
    ]
    output.emit(
        rows, fmt, title="People", columns=("name", "admin", "disabled", "roles", "created")
    )


@user_app.command("disable")
@curates
def disable(ctx: typer.Context, name: str = typer.Argument(..., help="Who.")) -> None:
    """Stop someone signing in (their sessions end; their history stays)."""
    people.set_disabled(repository(ctx), name, True)
    output.stdout().print(f"Disabled {name}.")


@user_app.command("enable")
@curates
def enable(ctx: typer.Context, name: str = typer.Argument(..., help="Who.")) -> None:
    """Let a disabled person sign in again."""
    people.set_disabled(repository(ctx), name, False)
    output.stdout().print(f"Enabled {name}.")


@user_app.command("password")
@curates
def password(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Whose password."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read it from stdin."),
) -> None:
    """Set a new password (every session of that person ends)."""
    people.set_password(repository(ctx), name, _password(password_stdin))
    output.stdout().print(f"New password set for {name}.")


def _scope(framework: str | None, crosswalk: str | None) -> tuple[str, str]:
    if (framework is None) == (crosswalk is None):
        raise output.CommandError(
            "name exactly one of --framework ID or --crosswalk ID", "crosswalk grant --help"
        )
    return ("framework", framework) if framework is not None else ("crosswalk", crosswalk or "")


@curates
def grant(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Who."),
    role: str = typer.Argument(..., help="editor, reviewer or owner."),
    framework: str | None = typer.Option(None, "--framework", metavar="ID"),
    crosswalk: str | None = typer.Option(None, "--crosswalk", metavar="ID"),
) -> None:
    """Give someone a role on one framework or crosswalk."""
    kind, scope_id = _scope(framework, crosswalk)
    added = people.grant(repository(ctx), name, role, kind, scope_id)
    verb = "Gave" if added else "Already had:"
    output.stdout().print(f"{verb} {name} {role} on {kind} {scope_id}.")


@curates
def revoke(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Who."),
    role: str = typer.Argument(..., help="editor, reviewer or owner."),
    framework: str | None = typer.Option(None, "--framework", metavar="ID"),
    crosswalk: str | None = typer.Option(None, "--crosswalk", metavar="ID"),
) -> None:
    """Take a role on one framework or crosswalk away again."""
    kind, scope_id = _scope(framework, crosswalk)
    if not people.revoke(repository(ctx), name, role, kind, scope_id):
        raise output.CommandError(f"{name} has no {role} role on {kind} {scope_id}")
    output.stdout().print(f"Took {role} on {kind} {scope_id} from {name}.")


@token_app.command("create")
@curates
def create_token(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Whose token."),
    label: str = typer.Option("", "--label", help="What it is for, to recognise it later."),
) -> None:
    """A new API token; it is printed once, on standard output, and never again."""
    token_id, secret = people.create_token(repository(ctx), name, label)
    output.note(
        f"Token {token_id} for {name}: keep it secret; revoke it with "
        f"crosswalk token revoke {token_id}"
    )
    typer.echo(secret)


@token_app.command("list")
@curates
def list_tokens(
    ctx: typer.Context,
    name: str | None = typer.Argument(None, help="Only this person's tokens."),
    fmt: str = FORMAT,
) -> None:
    """Tokens (never their secrets): who, what for, when last used, revoked."""
    fmt = output.choose_format(fmt)
    rows = [
        {
            "id": t.id,
            "user": t.user,
            "label": t.label,
            "created": t.created,
            "last_used": t.last_used or "",
            "revoked": t.revoked or "",
        }
        for t in people.list_tokens(repository(ctx), name)
    ]
    output.emit(
        rows,
        fmt,
        title="API tokens",
        columns=("id", "user", "label", "created", "last_used", "revoked"),
    )


@token_app.command("revoke")
@curates
def revoke_token(ctx: typer.Context, token_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Revoke a token at once."""
    if not people.revoke_token(repository(ctx), token_id):
        raise output.CommandError(f"no live token {token_id}", "crosswalk token list")
    output.stdout().print(f"Revoked token {token_id}.")
