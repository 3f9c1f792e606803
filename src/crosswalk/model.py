"""The domain: frameworks, their items, crosswalks and the alignments they hold.

Plain, immutable dataclasses with no I/O, so that the parsers, the store, the query
layer and every interface speak about the same things in the same words.  Items are
identified inside a framework by their *code* (the printed code where one exists,
otherwise a readable slug); alignments point at items by (framework, code), which keeps
the model free of object graphs and makes every record easy to serialise.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache

# A fixed namespace so that identifiers are the same on every machine and every run.
CROSSWALK_NAMESPACE = uuid.UUID("6f1d4c2e-9a57-5b8e-a3c1-2f0e7d9b4a61")


class Relation(StrEnum):
    """How a source item relates to a target item (SKOS mapping relations).

    ``NO_MATCH`` is an explicit statement that the target framework has no
    corresponding item: information, not absence.
    """

    EXACT = "exact"
    CLOSE = "close"
    BROAD = "broad"
    NARROW = "narrow"
    RELATED = "related"
    NO_MATCH = "noMatch"


RELATION_DEFINITIONS: dict[Relation, str] = {
    Relation.EXACT: "The two items can be used interchangeably.",
    Relation.CLOSE: "The items are similar enough to be used interchangeably in some contexts.",
    Relation.BROAD: "The target item is broader than the source item.",
    Relation.NARROW: "The target item is narrower than the source item.",
    Relation.RELATED: "The items correspond; the source says no more about how.",
    Relation.NO_MATCH: "The source states that the target framework has no corresponding item.",
}


class Status(StrEnum):
    """Review state of an alignment (suggestions start as proposed)."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record was read: a source document and an inclusive line range."""

    document: str
    first_line: int
    last_line: int

    def __str__(self) -> str:
        if self.first_line == self.last_line:
            return f"{self.document}, line {self.first_line}"
        return f"{self.document}, lines {self.first_line}–{self.last_line}"

    @classmethod
    def parse(cls, text: str) -> Provenance | None:
        """Read back the form written by ``str()``; empty text means no provenance."""
        if not text:
            return None
        match = re.fullmatch(r"(?P<doc>.+), lines? (?P<a>\d+)(?:–(?P<b>\d+))?", text.strip())
        if not match:
            raise ValueError(f"not a provenance: {text!r} (expected 'DOCUMENT, lines A–B')")
        first = int(match["a"])
        return cls(match["doc"], first, int(match["b"] or first))

    def span(self, other: Provenance) -> Provenance:
        """The smallest range covering both (same document)."""
        return Provenance(
            self.document,
            min(self.first_line, other.first_line),
            max(self.last_line, other.last_line),
        )


# The usual values of ``Framework.status``; other words are kept as given.
FRAMEWORK_STATUSES = ("draft", "published", "deprecated")


@dataclass(frozen=True, slots=True)
class Framework:
    """A competency framework such as the IMH Competency Guidelines or WV CKC 2015.

    ``sources`` names the documents the framework was read from, nothing else.
    ``status`` is the publisher's publication state: ``draft``, ``published`` or
    ``deprecated`` (see :data:`FRAMEWORK_STATUSES`; CASE's ``adoptionStatus`` maps onto
    it, ``docs/exchange.md``).  ``updated`` is when the publisher says the framework
    last changed, as ISO 8601 text (``2017-05-25T18:05:33Z``); empty when unknown.

    ``extensions`` holds properties of an exchange format that the model has no place
    for, kept only so that exporting to that format again gives them back (a CASE
    package's item-type identifiers, for one): ``(name, value)`` pairs, names unique
    and prefixed with the format (``case:CFItemType:<uuid>``).  Nothing but that
    format's exporter reads them; they are not data about the framework.

    ``replaces`` is the id of the framework this one is a new edition of ("" for a
    first edition): a revised CKC replaces ``wv-ckc-2015``.
    """

    id: str
    title: str
    version: str = ""
    publisher: str = ""
    description: str = ""
    notice: str = ""
    sources: tuple[str, ...] = ()
    status: str = "published"
    updated: str = ""
    extensions: tuple[tuple[str, str], ...] = ()
    replaces: str = ""

    @property
    def uuid(self) -> uuid.UUID:
        return named_uuid(f"framework:{self.id}")


@dataclass(frozen=True, slots=True)
class Alias:
    """Another name or wording under which an item was printed or cited."""

    text: str
    kind: str = "name"  # name | statement | cited
    provenance: Provenance | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    """One node of a framework: an area, a competency, a knowledge area …"""

    framework: str
    code: str
    name: str
    statement: str = ""
    kind: str = "competency"
    parent: str | None = None
    position: int = 0
    tags: tuple[str, ...] = ()
    aliases: tuple[Alias, ...] = ()
    provenance: Provenance | None = None
    errata: tuple[str, ...] = ()

    @property
    def uuid(self) -> uuid.UUID:
        return item_uuid(self.framework, self.code)

    @property
    def key(self) -> tuple[str, str]:
        return (self.framework, self.code)

    @property
    def label(self) -> str:
        """How a person recognises the item: printed code and name, or just the name."""
        if _SLUG_CODE.fullmatch(self.code) or self.code == self.name:
            return self.name
        return f"{self.code} {self.name}" if self.name else self.code


# A code made up from a name ("direct-service-skills/observation-listening"), not printed.
_SLUG_CODE = re.compile(r"[a-z0-9-]*[a-z][a-z0-9-]*(?:/[a-z0-9-]+)*")


def item_uuid(framework: str, code: str) -> uuid.UUID:
    """Deterministic identifier, stable across machines (used by CASE exchange)."""
    return named_uuid(f"item:{framework}:{code}")


@lru_cache(maxsize=1 << 16)
def named_uuid(name: str) -> uuid.UUID:
    """``uuid5`` of ``name`` in our namespace, remembered (UUIDs are immutable).

    An import or a CASE export asks for each item's and link's identifier several
    times (reading, planning, writing: 140,000 times for a 20,000-item package), and
    each costs a SHA-1 and a checked ``UUID``; the bound keeps the memory to a few MB.
    """
    return uuid.uuid5(CROSSWALK_NAMESPACE, name)


@dataclass(frozen=True, slots=True)
class Crosswalk:
    """A named, versioned set of alignments from one framework to another."""

    id: str
    title: str
    source_framework: str
    target_framework: str
    version: str = ""
    publisher: str = ""
    description: str = ""
    source_document: str = ""
    status: str = "published"  # draft | published

    @property
    def uuid(self) -> uuid.UUID:
        return named_uuid(f"crosswalk:{self.id}")


@dataclass(frozen=True, slots=True)
class Alignment:
    """One link of a crosswalk: source item → target item, or → nothing (no match).

    ``target_code`` is ``None`` when the source states something about the target
    framework without naming an item of it: an explicit no-match (relation
    ``noMatch``) or a reference to something outside it, explained in ``note``.
    ``printed_target`` keeps the target exactly as the source printed it.

    ``id`` is the alignment's identity in the store: given when it is first stored
    (see :func:`with_ids`) and kept through every later edit of the other fields, so
    that history, reviews and releases can follow one link.  It takes no part in
    comparisons: two alignments that say the same thing are equal.
    """

    crosswalk: str
    source_code: str
    target_code: str | None
    relation: Relation = Relation.RELATED
    strength: str = ""
    level: str = ""
    evidence: str = ""
    note: str = ""
    printed_target: str = ""
    provenance: Provenance | None = None
    position: int = 0
    confidence: float = 1.0
    justification: str = "manual"
    status: Status = Status.ACCEPTED
    author: str = ""
    created: str = ""
    id: str = field(default="", compare=False)

    @property
    def is_no_match(self) -> bool:
        return self.relation is Relation.NO_MATCH

    @property
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(self.id) if self.id else _derived_alignment_uuid(self)


def _derived_alignment_uuid(alignment: Alignment, repeat: int = 1) -> uuid.UUID:
    name = (
        f"alignment:{alignment.crosswalk}:{alignment.source_code}:"
        f"{alignment.target_code}:{alignment.position}"
    )
    return named_uuid(name if repeat == 1 else f"{name}#{repeat}")


def with_ids(alignments: Iterable[Alignment], taken: Iterable[str] = ()) -> list[Alignment]:
    """The alignments, each with an id: those without one get one derived from what
    they link (the same on every machine, so the bundled data's ids never change);
    a repeat, or an id already ``taken``, gets the next one in a deterministic series.
    """
    used = set(taken)
    given: list[Alignment] = []
    for alignment in alignments:
        if not alignment.id:
            repeat = 1
            while str(candidate := _derived_alignment_uuid(alignment, repeat)) in used:
                repeat += 1
            alignment = replace(alignment, id=str(candidate))
        used.add(alignment.id)
        given.append(alignment)
    return given


def alignment_order(alignment: Alignment) -> tuple[str, int, str]:
    """The order of a crosswalk's alignments everywhere: as printed, ties by identity."""
    return (alignment.crosswalk, alignment.position, alignment.id)


def item_order(item: Item) -> tuple[object, ...]:
    """The order of items everywhere: by framework, position, then natural code order."""
    return (item.framework, item.position, code_sort_key(item.code), item.code)


@dataclass(slots=True)
class Dataset:
    """Everything one store holds, as plain objects: the unit of import and export."""

    frameworks: list[Framework] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    crosswalks: list[Crosswalk] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)


def slugify(text: str) -> str:
    """A readable, URL-safe code: lower case words joined by hyphens."""
    text = text.lower().replace("&", " ").replace("/", " ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


_CODE_PART = re.compile(r"(\d+)|(\D+)")


def code_sort_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order for printed codes: ``1.9`` before ``1.10``, ``6A.2`` before ``6B.1``."""
    return tuple(
        (0, int(number)) if number else (1, text.lower())
        for number, text in _CODE_PART.findall(code)
    )


def sort_codes(codes: Iterable[str]) -> list[str]:
    return sorted(codes, key=code_sort_key)
