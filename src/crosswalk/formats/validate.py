"""One check of the dataset an import is about to write, whatever format it came in.

Every reader (workbook CSV/XLSX, CASE, SSSOM) only parses; the references between
records are checked here, once, against the file and the database together:

* an item's framework exists, and its parent is an item of that framework;
* a crosswalk's source and target frameworks exist;
* an alignment's crosswalk exists, and its ends are items of the crosswalk's
  frameworks (an absent target is allowed: a no-match or outside reference).

Readers record where each record was in ``places`` so a message names what a person
sees in the file (``items row 7``, ``CFAssociations[3] (…)``, ``line 12``) rather than
an internal position.  Keys: ``("framework", id)``, ``("item", framework, code)``,
``("crosswalk", id)``, ``("alignment", str(index in dataset.alignments))``.
"""

from __future__ import annotations

from crosswalk.formats.errors import ExchangeError
from crosswalk.model import Dataset

Places = dict[tuple[str, ...], str]


def alignment_key(index: int) -> tuple[str, str]:
    return ("alignment", str(index))


def complete(incoming: Dataset, stored: Dataset, source: str, places: Places) -> Dataset:
    """Add the stored parents a partial file relies on, and refuse dangling references.

    A sheet of alignments for a stored crosswalk, or of items for a stored framework,
    replaces that crosswalk's alignments or framework's items; so a reference must
    resolve in the file, or in the database for a framework or crosswalk the file does
    not replace.  Nothing is written when this raises.
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
    items = {i.key for i in stored.items if i.framework not in given_frameworks}
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
        crosswalk = crosswalks[alignment.crosswalk]
        ends = [("source_code", crosswalk.source_framework, alignment.source_code)]
        if alignment.target_code is not None:
            ends.append(("target_code", crosswalk.target_framework, alignment.target_code))
        for field, framework, code in ends:
            if (framework, code) not in items:
                raise fail(
                    key,
                    fallback,
                    field,
                    f"{code!r} is not an item of {framework!r} (alignment with a missing end)",
                )
    return incoming
