"""Endorsement levels: the one place that says at which level an item or a link sits.

The IMH Competency Guidelines tag knowledge areas with the level that first asks for
them (untagged = Family Specialist, ``IMHS``, ``IMHM``); the seeds spell the same
levels ``MHS`` and ``MHM``, and a crosswalk link may carry its own tag (seed 002's
"MHS"/"MHM" notes).  Everything here speaks the canonical names :data:`FS`,
:data:`IMHS` and :data:`IMHM`:

* :func:`canonical` turns any spelling (``"mhs"``, ``"IMHM"``, ``""`` for Family
  Specialist) into one of them;
* :func:`item_level` and :func:`alignment_level` read the level of an item and of a
  link (the higher level wins when an item carries two tags);
* :func:`parse_scope` reads what a person asks for (``FS``, ``IMHS``, ``upto-IMHS`` …)
  as a set of levels, and :func:`applies` answers "does this level fall in that scope".

The web pages, the API and the readiness assessment all use these functions, so they
cannot disagree about a level.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from crosswalk.model import Alignment, Item

FS = "FS"
IMHS = "IMHS"
IMHM = "IMHM"
ORDER = (FS, IMHS, IMHM)  # lowest first

LEVELS = {
    FS: "Family Specialist (no tag)",
    IMHS: "Mental Health Specialist (IMHS / MHS)",
    IMHM: "Mental Health Mentor (IMHM / MHM)",
}
_SPELLINGS = {"": FS, "FS": FS, "IMHS": IMHS, "MHS": IMHS, "IMHM": IMHM, "MHM": IMHM}

# What a person can ask for: one level, or a level with those below it (an IMHS
# applicant needs the Family Specialist areas as well as the IMHS ones).
SCOPES: dict[str, tuple[frozenset[str], str]] = {
    "FS": (frozenset({FS}), "Family Specialist areas only"),
    "upto-IMHS": (frozenset({FS, IMHS}), "Up to IMHS: Family Specialist + IMHS areas"),
    "IMHS": (frozenset({IMHS}), "IMHS areas only"),
    "IMHM": (frozenset({IMHM}), "IMHM areas only"),
}
_SCOPE_SPELLINGS = {
    **{k: v for k, v in _SPELLINGS.items() if k},
    "UPTO-IMHS": "upto-IMHS",
    "UP-TO-IMHS": "upto-IMHS",
    "FS+IMHS": "upto-IMHS",
    "UPTO-MHS": "upto-IMHS",
}


def canonical(value: str) -> str | None:
    """FS, IMHS or IMHM for any spelling of a level (case and spaces ignored); else None.

    The empty string is the untagged Family Specialist level.
    """
    return _SPELLINGS.get(value.strip().upper())


def is_level_tag(tag: str) -> bool:
    """Whether an item tag names a level (other tags are tracks, topics …)."""
    return bool(tag.strip()) and canonical(tag) is not None


def highest(levels: Iterable[str]) -> str:
    """The highest of some level spellings; FS when there are none."""
    found = {level for value in levels if (level := canonical(value)) is not None}
    return max(found, key=ORDER.index, default=FS)


def item_level(item: Item | None) -> str:
    """An item's level from its tags (``IMHM`` beats ``IMHS``); untagged or None = FS."""
    return highest(t for t in item.tags if is_level_tag(t)) if item else FS


def link_level(alignment: Alignment) -> str | None:
    """The link's own tag normalised (seed 002's MHS/MHM notes); None when it has none."""
    if not alignment.level.strip():
        return None
    return canonical(alignment.level)


def alignment_level(alignment: Alignment, source: Item | None) -> str:
    """A link's level: its own tag, or else its source item's level (none = FS)."""
    return link_level(alignment) or item_level(source)


def parse_level(value: str | None) -> str | None:
    """The canonical level a person typed (``?level=mhs``); None when blank.

    ``ValueError`` names the choices.
    """
    if value is None or not value.strip():
        return None
    level = canonical(value)
    if level is None:
        raise ValueError(f"unknown level {value!r}; choose one of {', '.join(LEVELS)}")
    return level


def parse_scope(value: str | None) -> str | None:
    """The canonical scope (a key of :data:`SCOPES`) a person typed; None = all levels.

    Any case, blanks around; exactly the values :func:`scope_pattern` describes.
    """
    text = (value or "").strip(_BLANKS)
    if not text:
        return None
    found = _SCOPE_SPELLINGS.get(text.upper()) if text.isascii() else None
    if found is None:
        choices = ", ".join(SCOPES)
        raise ValueError(f"unknown level {value!r}; choose one of {choices}")
    return found


_BLANKS = " \t\r\n"


def scope_pattern() -> str:
    """The values :func:`parse_scope` accepts, as a regular expression (for the API's
    schema): a spelling in any case, blanks around it, or nothing (every level)."""

    def any_case(spelling: str) -> str:
        return "".join(
            f"[{c.upper()}{c.lower()}]" if c.isalpha() else "\\+" if c == "+" else c
            for c in spelling
        )

    spellings = sorted(_SCOPE_SPELLINGS, key=len, reverse=True)
    blanks = "[ \\t\\r\\n]*"
    return f"^{blanks}(?:{'|'.join(any_case(s) for s in spellings)})?{blanks}$"


def scope_levels(scope: str | None) -> frozenset[str] | None:
    """The levels of a scope; None (every level) for no scope."""
    return SCOPES[scope][0] if scope else None


def as_levels(values: Iterable[str]) -> frozenset[str]:
    """A set of canonical levels from spellings (``["", "MHS"]`` → FS, IMHS); unknown ones
    raise ``ValueError``."""
    found = set()
    for value in values:
        level = canonical(value)
        if level is None:
            raise ValueError(f"unknown level {value!r}; choose one of {', '.join(LEVELS)}")
        found.add(level)
    return frozenset(found)


def applies(level: str, scope: Collection[str] | None) -> bool:
    """Whether ``level`` (any spelling) falls in ``scope`` (spellings; None = every level)."""
    if scope is None:
        return True
    return canonical(level) in as_levels(scope)


def item_applies(item: Item | None, scope: Collection[str] | None) -> bool:
    """Whether an item's level falls in ``scope``."""
    return applies(item_level(item), scope)


def alignment_applies(
    alignment: Alignment, source: Item | None, scope: Collection[str] | None
) -> bool:
    """Whether a link's level (its own tag, else its source item's) falls in ``scope``."""
    return applies(alignment_level(alignment, source), scope)
