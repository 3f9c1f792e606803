"""Names, identifiers and URIs of CASE objects, shared by export, import and the REST API.

Identifiers are deterministic: UUIDs derived from our keys, or the identifiers an
imported package brought with it (kept as item aliases of kind ``case-identifier``
and framework sources ``urn:uuid:…``).  URIs are ours for everything we serve:
``urn:uuid:`` names in files, REST endpoint URLs with a base URL; only items of kind
``external`` (ends of associations that point outside every framework we hold, such
as an exemplar's web page) keep the URI they came with, because it *is* the reference.

The document's ``adoptionStatus`` is the framework's ``status`` (:func:`status_of`,
:func:`adoption_of`) and its ``lastChangeDateTime`` the framework's ``updated``.  What
the model has no place for but a re-export must give back is kept in
``Framework.extensions`` under ``case:`` names: the identifiers of the item types
(``case:CFItemType:<uuid>`` = title) and, when the package spelled its adoption
status in a way the status does not give back, that spelling (``case:adoptionStatus``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from crosswalk.catalog import Catalog
from crosswalk.formats.case_kept import NO_KEPT, Kept
from crosswalk.model import (
    Crosswalk,
    Framework,
    Item,
    Relation,
    item_uuid,
    named_uuid,
    slugify,
)

CASE_VERSION = "1.1"
# A constant rather than "now": export → import → export must give identical files.
FIXED_CHANGE_TIME = "2000-01-01T00:00:00+00:00"
# Aliases of this kind hold the identifier (text) and URI (note) a CASE package gave
# an item, so that re-exporting a foreign package keeps its identifiers.
IDENTIFIER_ALIAS = "case-identifier"
# Sources of this form hold the identifier a CASE package gave a framework.
URN_PREFIX = "urn:uuid:"
# Tags with these prefixes are CASE item fields, not our levels/tracks.
TAG_FIELDS = ("educationLevel", "language", "listEnumeration")
SCALAR_TAG_FIELDS = ("language", "listEnumeration")
# Justifications of this form keep a CASE association type that is not a SKOS mapping.
CASE_JUSTIFICATION = "case:"

RELATION_TO_TYPE: dict[Relation, str] = {
    Relation.EXACT: "exactMatchOf",
    Relation.RELATED: "isRelatedTo",
    Relation.BROAD: "isPartOf",
    Relation.CLOSE: "isRelatedTo",
    Relation.NARROW: "isRelatedTo",
    # An explicit no-match is not a link: CASE 1.1 allows extension types, and a
    # consumer that does not know this one cannot take it for isRelatedTo.
    Relation.NO_MATCH: "ext:noMatch",
}
NO_MATCH_TYPE = "ext:noMatch"
ASSOCIATION_TYPES = (
    "isChildOf",
    "isPeerOf",
    "isPartOf",
    "exactMatchOf",
    "precedes",
    "isRelatedTo",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
    "isTranslationOf",
)


def derived_uuid(kind: str, key: str) -> str:
    """A stable identifier for a CASE object that has no model counterpart."""
    return str(named_uuid(f"case-{kind}:{key}"))


def framework_identifier(framework: Framework) -> str:
    for source in framework.sources:
        if source.startswith(URN_PREFIX):
            return source[len(URN_PREFIX) :]
    return str(framework.uuid)


def item_identifier(item: Item) -> str:
    for alias in item.aliases:
        if alias.kind == IDENTIFIER_ALIAS:
            return alias.text
    return str(item.uuid)


def is_printed_code(code: str) -> bool:
    """Printed codes (``1.10``, ``6A.1``) become humanCodingScheme; our slugs do not."""
    return not (code == slugify(code) and any(c.isalpha() for c in code))


class Links:
    """Identifiers and URIs of everything a package mentions.

    ``base_url`` (the REST API's root) gives network-resolvable URIs of our endpoints,
    for every object we serve.  Without it (files), an object imported from another
    CASE server keeps the URI its publisher gave it (:mod:`~crosswalk.formats.case_kept`)
    and ours are ``urn:uuid:`` names, which keeps files independent of where they were
    made.
    """

    def __init__(self, catalog: Catalog, base_url: str | None = None) -> None:
        self.catalog = catalog
        self.base_url = base_url.rstrip("/") if base_url else None
        self._items: dict[tuple[str, str], dict[str, str]] = {}
        self._kept: dict[str, Kept] = {}
        self.item_types: dict[str, str] = {}  # title → identifier kept from an import

    def kept(self, framework_id: str) -> Kept:
        found = self._kept.get(framework_id)
        if found is None:
            framework = self.catalog.frameworks.get(framework_id)
            found = Kept(framework) if framework is not None else NO_KEPT
            self._kept[framework_id] = found
        return found

    def uri(self, collection: str, identifier: str, original: str = "") -> str:
        if self.base_url:
            return f"{self.base_url}/{collection}/{identifier}"
        return original or f"{URN_PREFIX}{identifier}"

    def item_uri(self, item: Item) -> str:
        if item.kind == EXTERNAL_KIND:
            for alias in item.aliases:
                if alias.kind == IDENTIFIER_ALIAS and alias.note:
                    return alias.note
        identifier = item_identifier(item)
        kept = self.kept(item.framework)
        return self.uri("CFItems", identifier, kept.uri(identifier, kept.items.get(identifier, {})))

    def document(self, framework: Framework) -> dict[str, str]:
        identifier = framework_identifier(framework)
        original = str(self.kept(framework.id).document.get("uri") or "")
        return {
            "title": framework.title,
            "identifier": identifier,
            "uri": self.uri("CFDocuments", identifier, original),
        }

    def item(self, item: Item) -> dict[str, str]:
        """Memoised: a large crosswalk names the same items thousands of times."""
        link = self._items.get(item.key)
        if link is None:
            link = {
                "title": item.code if is_printed_code(item.code) else item.name,
                "identifier": item_identifier(item),
                "uri": self.item_uri(item),
            }
            self._items[item.key] = link
        return dict(link)

    def item_key(self, framework: str, code: str) -> dict[str, str]:
        """Link to an item that may not be stored (a dangling citation)."""
        known = self.catalog.items.get((framework, code))
        if known is not None:
            return self.item(known)
        # Not an object we serve, so not a URL of ours that would answer 404: a name.
        identifier = str(item_uuid(framework, code))
        return {"title": code, "identifier": identifier, "uri": f"{URN_PREFIX}{identifier}"}


EXTERNAL_KIND = "external"
EXTENSION_PREFIX = "case:"  # names of this format's entries in Framework.extensions
ITEM_TYPE_EXTENSION = "case:CFItemType:"
ADOPTION_EXTENSION = "case:adoptionStatus"
# CASE adoptionStatus (compared in lower case) → status; OpenSALT's words and ours.
ADOPTION_TO_STATUS = {
    "": "published",
    "adopted": "published",
    "published": "published",
    "draft": "draft",
    "private draft": "draft",
    "deprecated": "deprecated",
}
STATUS_TO_ADOPTION = {"published": "Adopted", "draft": "Draft", "deprecated": "Deprecated"}


def status_of(adoption: str) -> str:
    """A framework status for a CASE ``adoptionStatus``; none stated is ``published``."""
    word = adoption.strip().lower()
    return ADOPTION_TO_STATUS.get(word, word)


def adoption_of(framework: Framework) -> str:
    """The ``adoptionStatus`` to export: as the package spelled it, else from the status."""
    kept = dict(framework.extensions).get(ADOPTION_EXTENSION)
    if kept is not None and status_of(kept) == framework.status:
        return kept
    return STATUS_TO_ADOPTION.get(framework.status, framework.status)


def adoption_extension(adoption: str) -> list[tuple[str, str]]:
    """What an import keeps so that :func:`adoption_of` gives ``adoption`` back."""
    status = status_of(adoption)
    if STATUS_TO_ADOPTION.get(status, status) == adoption:
        return []
    return [(ADOPTION_EXTENSION, adoption)]


# -- the old convention: CASE document fields as ``case:NAME=VALUE`` sources ---------------

LEGACY_PREFIX = "case:"


def with_legacy_sources(
    sources: Iterable[str],
    status: str = "",
    updated: str = "",
    extensions: Sequence[tuple[str, str]] = (),
) -> tuple[tuple[str, ...], str, str, tuple[tuple[str, str], ...]]:
    """``(sources, status, updated, extensions)`` with old ``case:NAME=VALUE`` sources moved.

    Files written before migration 0002 keep a CASE document's fields in ``sources``:
    ``case:adoptionStatus=…`` (the status, its spelling kept as :func:`adoption_extension`
    keeps it), ``case:lastChangeDateTime=…`` (the date) and ``case:CFItemType:<uuid>=<title>``
    (the extension of that name); other ``case:`` entries are dropped.  This is the
    conversion the migration applies to stored rows, so an old file imports as the
    database upgraded from the same data reads.  Values given in the new fields
    (``status``, ``updated``, ``extensions``; empty: not given) win over old entries.
    Without old entries everything comes back as given; the status, when none is
    given, is ``published``.
    """
    given = tuple(sources)
    kept: list[str] = []
    adoption = ""
    old_updated = ""
    old_extensions: list[tuple[str, str]] = []
    for source in given:
        if not (source.startswith(LEGACY_PREFIX) and "=" in source):
            kept.append(source)
            continue
        name, _, value = source.partition("=")
        if name == ADOPTION_EXTENSION:
            adoption = value
        elif name == LEGACY_PREFIX + "lastChangeDateTime":
            old_updated = value
        elif name.startswith(ITEM_TYPE_EXTENSION):
            old_extensions.append((name, value))
    if len(kept) == len(given):
        return given, status or "published", updated, tuple(extensions)
    old_extensions += adoption_extension(adoption)
    named = {name for name, _ in extensions}
    merged = (*extensions, *sorted(e for e in old_extensions if e[0] not in named))
    return tuple(kept), status or status_of(adoption), updated or old_updated, merged


def item_types(framework: Framework) -> dict[str, str]:
    """Item type title → the identifier the imported package gave it."""
    return {
        value: name[len(ITEM_TYPE_EXTENSION) :]
        for name, value in framework.extensions
        if name.startswith(ITEM_TYPE_EXTENSION)
    }


def change_time(framework: Framework, crosswalk: Crosswalk | None = None) -> str:
    """``lastChangeDateTime``: deterministic, and as meaningful as the data allows.

    The framework's ``updated`` when known (an imported package's own date); otherwise
    the year of the crosswalk's or framework's version (``2015`` → 2015-01-01);
    otherwise — the bundled data records no date — the fixed placeholder, so export →
    import → export stays identical.
    """
    kept = framework.updated
    if kept and crosswalk is None:
        return normalise_time(kept)
    for version in (crosswalk.version if crosswalk else "", framework.version):
        year = re.search(r"\b(19|20)\d\d\b", version)
        if year:
            return f"{year.group(0)}-01-01T00:00:00+00:00"
    return normalise_time(kept) if kept else FIXED_CHANGE_TIME


def normalise_time(text: str) -> str:
    """An ISO 8601 time as RFC 3339 (CASE's date-time): a missing zone is UTC."""
    from datetime import UTC, datetime

    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()
