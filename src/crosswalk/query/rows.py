"""Flat rows of the answers the CLI and the web both offer as tables and files.

A row is a dict with stable keys (the ``*_COLUMNS`` tuples, in order); lists stay lists
so JSON keeps them, and :func:`crosswalk.formats.tabular.cell_text` writes them as
``"a; b"`` in CSV, XLSX and terminal cells.  Built once here, a map or a lint report
reads the same from ``crosswalk map -f csv`` and from the web page's download.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from crosswalk.model import Alignment, Item
from crosswalk.query.mapping import Hop, Mapping

if TYPE_CHECKING:  # crosswalk.lint imports crosswalk.query: a runtime import would loop
    from crosswalk.lint import Finding

Row = dict[str, Any]

# How a path names each item it passes (``Item.label``, a printed code, a name …).
ItemName = Callable[[Item], str]


def alignment_fields(alignment: Alignment) -> dict[str, str]:
    """What an alignment says about its link, as text: the same keys in every answer."""
    return {
        "relation": str(alignment.relation),
        "strength": alignment.strength,
        "level": alignment.level,
        "evidence": alignment.evidence,
        "note": alignment.note,
    }


def label(item: Item) -> str:
    """The default :data:`ItemName`: printed code and name, or the name alone."""
    return item.label


def path_text(path: Sequence[Hop] | Sequence[Item], name: ItemName = label) -> str:
    """A path as one readable line: ``6B.2 → Self-awareness → 6.6``.

    ``path`` is either a mapping's hops (a hop walked backward reads ``←``: "6.6 ←
    Advocacy") or the plain items of a path, each step ``→``; ``name`` writes each item.
    An empty path is an empty string.
    """
    if not path:
        return ""
    first = path[0]
    start, rest = (first.source, path) if isinstance(first, Hop) else (first, path[1:])
    steps = [
        f"{'←' if step.direction == 'backward' else '→'} {name(step.target)}"
        if isinstance(step, Hop)
        else f"→ {name(step)}"
        for step in rest
    ]
    return " ".join([name(start), *steps])


# -- map -------------------------------------------------------------------------------

MAP_COLUMNS = (
    *("input", "source_code", "source_name", "target_code", "target_name", "via", "path"),
    *("strength", "level", "path_level"),
)


def map_rows(mappings: Sequence[Mapping], name: ItemName = label) -> list[Row]:
    """One row per mapping, columns :data:`MAP_COLUMNS`; ``via`` lists the frameworks
    passed through, ``path`` is :func:`path_text` with items written by ``name``.

    ``strength`` and ``level`` hold one value per hop of the path, in its order, as the
    source states them on the link (``"–"`` where it states none): a chained answer is
    only as good as each of its links.  ``path_level`` is the endorsement level the
    whole path holds at (:attr:`Mapping.level`: FS, IMHS or IMHM).
    """
    return [
        {
            "input": m.code,
            "source_code": m.source.code,
            "source_name": m.source.name,
            "target_code": m.target.code,
            "target_name": m.target.name,
            "via": list(m.via),
            "path": path_text(m.path, name),
            "strength": [hop.alignment.strength or "–" for hop in m.path],
            "level": [hop.alignment.level or "–" for hop in m.path],
            "path_level": m.level,
        }
        for m in mappings
    ]


# -- lint ------------------------------------------------------------------------------

LINT_COLUMNS = ("check", "severity", "scope", "codes", "message", "provenance")


def lint_rows(findings: Sequence[Finding]) -> list[Row]:
    """One row per finding, columns :data:`LINT_COLUMNS` (codes and provenance as lists)."""
    return [
        {
            "check": f.check,
            "severity": f.severity,
            "scope": f.scope,
            "codes": list(f.codes),
            "message": f.message,
            "provenance": [str(p) for p in f.provenance],
        }
        for f in findings
    ]
