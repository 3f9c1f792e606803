"""How ``--help`` reads: docstrings as Markdown, and metavars instead of Python types.

Typer shows every parameter's Python type (``<str>``, ``<bool>``, ``<list[str]>``) and,
in its default markup, the docstrings' single line breaks and literal backticks.  A
person wants ``--format FORMAT``, a flag with nothing after it, and paragraphs that
wrap to the terminal: :func:`plain_help` makes every command and group of the app
read so, in one place, whatever module registers them.
"""

from __future__ import annotations

from typing import Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

C = TypeVar("C")


class _Metavars:
    """Parameters without a metavar get one: nothing for a flag, the option's long
    name in capitals for its value (``--format FORMAT``), the argument's name for an
    argument (``CODES``), whose Python type is not shown either."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.param_type_name == "argument":
                param.metavar = param.metavar or (param.name or "value").upper()
                param.display_type_rich = _no_type  # Typer shows it even with a metavar
            elif param.metavar is not None:
                continue
            elif getattr(param, "is_flag", False):
                param.metavar = ""
            else:
                param.metavar = max(param.opts, key=len).lstrip("-").upper()
        return params


def _no_type(ctx: Any) -> None:
    return None


def _with_metavars(cls: type[C]) -> type[C]:
    return type(cls.__name__, (_Metavars, cls), {})


def plain_help(app: typer.Typer) -> None:
    """Give ``app``, its commands and its sub-apps (recursively) the help described above."""
    app.rich_markup_mode = "markdown"
    app.info.cls = _with_metavars(_given(app.info.cls, TyperGroup))
    for command in app.registered_commands:
        command.cls = _with_metavars(_given(command.cls, TyperCommand))
    for group in app.registered_groups:
        sub = group.typer_instance
        if sub is None:
            continue
        plain_help(sub)
        group.cls = sub.info.cls


def _given(value: object, default: type[C]) -> type[C]:
    """The class an app or command was given, or Typer's own (for a default placeholder)."""
    return value if isinstance(value, type) and issubclass(value, default) else default
