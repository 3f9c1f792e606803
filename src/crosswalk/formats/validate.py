"""One check of the dataset an import is about to write, whatever format it came in.

Every reader (workbook CSV/XLSX, CASE, SSSOM) only parses; the references between
records are checked here, once, against the file and the database together:

* an item's framework exists, and its parent is an item of that framework;
* a crosswalk's source and target frameworks exist;
* an alignment's crosswalk exists, and its ends are items of the crosswalk's
  frameworks (an absent target is allowed: a no-match or outside reference);
* the stored alignments an import keeps (of crosswalks whose alignments the file does
  not give) still find their ends among the items the import leaves.

What an import replaces follows one rule (see ``Repository.save``): a framework's
items are replaced only when the file gives items of it, a crosswalk's alignments only
when the file gives alignments of it; a framework or crosswalk present with none keeps
what is stored.

Readers record where each record was in ``places`` so a message names what a person
sees in the file (``items row 7``, ``CFAssociations[3] (…)``, ``line 12``) rather than
an internal position.  Keys: ``("framework", id)``, ``("item", framework, code)``,
``("crosswalk", id)``, ``("alignment", str(index in dataset.alignments))``.
"""

from __future__ import annotations

from crosswalk.formats.errors import ExchangeError
from crosswalk.model import Alignment, Crosswalk, Dataset

Places = dict[tuple[str, ...], str]


def alignment_key(index: int) -> tuple[str, str]:
    return ("alignment", str(index))


def complete(incoming: Dataset, stored: Dataset, source: str, places: Places) -> Dataset:
    """Add the stored parents a partial file relies on, and refuse dangling references.

    A file that gives items of a framework replaces that framework's items, one that
    gives alignments of a crosswalk replaces that crosswalk's alignments; everything
    else stored is kept.  So a reference must resolve in the file, or in the database
    for what the file does not replace — and the stored alignments kept must still
    find their ends.  Nothing is written when this raises.
    """

    def fail(key: tuple[str, ...], fallback: str, field: str, problem: str) -> ExchangeError:
        return ExchangeError(f"{source}: {places.get(key, fallback)}, field {field}: {problem}")

    frameworks = {f.id: f for f in stored.frameworks} | {f.id: f for f in incoming.frameworks}
    crosswalks = {c.id: c for c in stored.crosswalks} | {c.id: c for c in incoming.crosswalks}
    given_frameworks = {f.id for f in incoming.frameworks}
    given_crosswalks = {c.id for c in incoming.crosswalks}
    for item in incoming.items:
        if item.framework not in frameworks:
            raise fail(
                ("item", *item.key),
                f"item {item.code!r}",
                "framework",
                f"unknown framework {item.framework!r}",
            )
        if item.framework not in given_frameworks:
            incoming.frameworks.append(frameworks[item.framework])
            given_frameworks.add(item.framework)
    replaced_items = {i.framework for i in incoming.items}
    items = {i.key for i in stored.items if i.framework not in replaced_items}
    items |= {i.key for i in incoming.items}
    for item in incoming.items:
        if item.parent is not None and (
            item.parent == item.code or (item.framework, item.parent) not in items
        ):
            problem = (
                "an item cannot be its own parent"
                if item.parent == item.code
                else f"{item.parent!r} is not an item of {item.framework}"
            )
            raise fail(("item", *item.key), f"item {item.code!r}", "parent", problem)
    for crosswalk in incoming.crosswalks:
        for role, end in (
            ("source_framework", crosswalk.source_framework),
            ("target_framework", crosswalk.target_framework),
        ):
            if end not in frameworks:
                raise fail(
                    ("crosswalk", crosswalk.id),
                    f"crosswalk {crosswalk.id!r}",
                    role,
                    f"unknown framework {end!r}",
                )
    for index, alignment in enumerate(incoming.alignments):
        key = alignment_key(index)
        fallback = f"alignment {alignment.crosswalk} #{alignment.position}"
        if alignment.crosswalk not in crosswalks:
            raise fail(key, fallback, "crosswalk", f"unknown crosswalk {alignment.crosswalk!r}")
        if alignment.crosswalk not in given_crosswalks:
            incoming.crosswalks.append(crosswalks[alignment.crosswalk])
            given_crosswalks.add(alignment.crosswalk)
        for field, framework, code in _ends(crosswalks[alignment.crosswalk], alignment):
            if (framework, code) not in items:
                raise fail(
                    key,
                    fallback,
                    field,
                    f"{code!r} is not an item of {framework!r} (alignment with a missing end)",
                )
    _check_kept_alignments(incoming, stored, crosswalks, items, replaced_items, source)
    return incoming


def _ends(crosswalk: Crosswalk, alignment: Alignment) -> list[tuple[str, str, str]]:
    """``(field, framework, code)`` for each end that must be an item."""
    ends = [("source_code", crosswalk.source_framework, alignment.source_code)]
    if alignment.target_code is not None:
        ends.append(("target_code", crosswalk.target_framework, alignment.target_code))
    return ends


def _check_kept_alignments(
    incoming: Dataset,
    stored: Dataset,
    crosswalks: dict[str, Crosswalk],
    items: set[tuple[str, str]],
    replaced_items: set[str],
    source: str,
) -> None:
    """Refuse an import that would leave stored alignments pointing at removed items.

    Only crosswalks whose alignments stay as stored can be hurt: those joining a
    framework whose items the file replaces, or given in the file (their frameworks
    may change) without alignments.
    """
    replaced_alignments = {a.crosswalk for a in incoming.alignments}
    given = {c.id for c in incoming.crosswalks}
    missing: dict[str, list[str]] = {}
    for alignment in stored.alignments:
        crosswalk = crosswalks.get(alignment.crosswalk)
        if crosswalk is None or alignment.crosswalk in replaced_alignments:
            continue
        touched = {crosswalk.source_framework, crosswalk.target_framework} & replaced_items
        if not touched and crosswalk.id not in given:
            continue
        for _field, framework, code in _ends(crosswalk, alignment):
            if (framework, code) not in items:
                missing.setdefault(crosswalk.id, []).append(f"{framework}:{code}")
    if missing:
        shown = "; ".join(
            f"crosswalk {crosswalk_id!r}: {_few(sorted(set(ends)))}"
            for crosswalk_id, ends in sorted(missing.items())
        )
        raise ExchangeError(
            f"{source}: this import would leave stored alignments with a missing end — "
            f"{shown}; give those items in the file, or the crosswalk's alignments with "
            "them (nothing was changed)"
        )


def _few(values: list[str], limit: int = 5) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
