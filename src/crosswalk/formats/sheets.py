"""The five tables of the workbook: their columns, required fields and header synonyms.

One definition serves the CSV folder, the XLSX file and the tolerant reader, so the
three cannot disagree about what a column is called.
"""

from __future__ import annotations

from dataclasses import dataclass

from crosswalk.formats.errors import ExchangeError

LIST_SEPARATOR = ";"


class WorkbookError(ExchangeError):
    """Bad input; the message names the file, the row and the field."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """One table: its file/sheet name, its columns in order, and what must be filled."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        """The XLSX sheet name (``Frameworks``); CSV files use :attr:`name`."""
        return self.name.capitalize()


FRAMEWORKS = Sheet(
    "frameworks",
    ("id", "title", "version", "publisher", "description", "notice", "sources"),
    required=("id",),
    synonyms=(
        ("framework", "id"),
        ("framework_id", "id"),
        ("name", "title"),
        ("source", "sources"),
    ),
)
ITEMS = Sheet(
    "items",
    (
        "framework",
        "code",
        "name",
        "statement",
        "kind",
        "parent",
        "position",
        "tags",
        "provenance",
        "errata",
    ),
    required=("framework", "code"),
    synonyms=(
        ("framework_id", "framework"),
        ("item_code", "code"),
        ("human_coding_scheme", "code"),
        ("full_statement", "statement"),
        ("description", "statement"),
        ("abbreviated_statement", "name"),
        ("title", "name"),
        ("type", "kind"),
        ("item_type", "kind"),
        ("parent_code", "parent"),
        ("order", "position"),
        ("tag", "tags"),
        ("notes", "errata"),
    ),
)
ALIASES = Sheet(
    "aliases",
    ("framework", "code", "kind", "text", "provenance", "note"),
    required=("framework", "code", "text"),
    synonyms=(("framework_id", "framework"), ("item_code", "code"), ("alias", "text")),
)
CROSSWALKS = Sheet(
    "crosswalks",
    (
        "id",
        "title",
        "source_framework",
        "target_framework",
        "version",
        "publisher",
        "description",
        "source_document",
        "status",
    ),
    required=("id", "source_framework", "target_framework"),
    synonyms=(
        ("crosswalk", "id"),
        ("crosswalk_id", "id"),
        ("source", "source_framework"),
        ("from_framework", "source_framework"),
        ("target", "target_framework"),
        ("to_framework", "target_framework"),
        ("name", "title"),
    ),
)
ALIGNMENTS = Sheet(
    "alignments",
    (
        "crosswalk",
        "position",
        "source_code",
        "target_code",
        "relation",
        "strength",
        "level",
        "evidence",
        "note",
        "printed_target",
        "provenance",
        "confidence",
        "justification",
        "status",
        "author",
        "created",
    ),
    required=("crosswalk", "source_code"),
    synonyms=(
        ("crosswalk_id", "crosswalk"),
        ("source", "source_code"),
        ("from", "source_code"),
        ("source_item", "source_code"),
        ("target", "target_code"),
        ("to", "target_code"),
        ("target_item", "target_code"),
        ("predicate", "relation"),
        ("type", "relation"),
        ("tag", "level"),
        ("comment", "note"),
        ("notes", "note"),
        ("order", "position"),
    ),
)
SHEETS = (FRAMEWORKS, ITEMS, ALIASES, CROSSWALKS, ALIGNMENTS)
