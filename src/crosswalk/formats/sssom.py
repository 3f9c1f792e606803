"""SSSOM TSV: one crosswalk as a Simple Standard for Sharing Ontological Mappings set.

Mapping people read and write SSSOM, and their reference tool (sssom-py) must accept
what we write: a ``#`` metadata block in YAML, ``skos:`` predicates for our relations,
``semapv:`` justifications, dates as dates, and every identifier either a URI or a
CURIE whose prefix the ``curie_map`` declares.  What SSSOM has no slot for (strength,
level tag, evidence, printed target, provenance, order, review status …) travels in
extension slots declared in ``extension_definitions``, so conforming tools keep the
columns and importing our own file gives back exactly what was exported.

An explicit no-match is written as the SSSOM specification documents unmapped
entities: ``object_id`` is ``sssom:NoTermFound`` ("no term of the object source can
be mapped with this predicate"), with ``skos:relatedMatch``, the relation our
crosswalks use for a correspondence.  ``docs/exchange.md`` lists the mapping.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, unquote

import yaml

from crosswalk.catalog import Catalog
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.validate import Places, alignment_key
from crosswalk.formats.workbook import strict_reader
from crosswalk.model import Alignment, Crosswalk, Provenance, Relation, Status

NO_TERM = "sssom:NoTermFound"
LICENSE = "https://w3id.org/sssom/license/unspecified"
OURS = "urn:crosswalk:"  # our namespace: frameworks, items, mapping sets, extension slots
OURS_PREFIX = "crosswalk"  # its CURIE prefix (subject_source: crosswalk:imh)
ITEM_PREFIX = OURS + "{}:"
SET_PREFIX = OURS + "crosswalk:"
PREDICATES: dict[Relation, str] = {
    Relation.EXACT: "skos:exactMatch",
    Relation.CLOSE: "skos:closeMatch",
    Relation.BROAD: "skos:broadMatch",
    Relation.NARROW: "skos:narrowMatch",
    Relation.RELATED: "skos:relatedMatch",
    Relation.NO_MATCH: "skos:relatedMatch",  # with object sssom:NoTermFound
}
JUSTIFICATIONS = {
    "manual": "semapv:ManualMappingCuration",
    "lexical": "semapv:LexicalMatching",
    "embedding": "semapv:SemanticSimilarityThresholdMatching",
}
UNSPECIFIED = "semapv:UnspecifiedMatching"
CURIES = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "sssom": "https://w3id.org/sssom/",
    OURS_PREFIX: OURS,
    # sssom-py reads every "x:y" value of the header as a CURIE unless it is an http(s)
    # URL; declaring the URN scheme as a prefix keeps our urn: identifiers what they are.
    "urn": "urn:",
}
COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "comment",
    "author_label",
    "mapping_date",
)
# Extension slots of each mapping; ``relation`` (on rows without an object only) tells
# a no-match from a reference outside the object source, ``created`` keeps a time of day
# that mapping_date (a date) cannot.
EXTENSIONS = (
    "position",
    "strength",
    "level",
    "evidence",
    "printed_target",
    "provenance",
    "review_status",
    "crosswalk_justification",
    "relation",
    "created",
)
SET_EXTENSIONS = ("publication_status", "source_document")
# The metadata block of a real file is a few kilobytes; this bounds what YAML parses.
MAX_METADATA_BYTES = 1024 * 1024
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


# -- export ----------------------------------------------------------------------------


def dumps(catalog: Catalog, crosswalk_id: str) -> str:
    """The crosswalk as SSSOM TSV text (metadata block, header, one row per alignment)."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    source, target = crosswalk.source_framework, crosswalk.target_framework
    document = crosswalk.source_document
    prefixes = _prefixes(source, target)
    meta: dict[str, Any] = {
        "curie_map": CURIES | {p: ITEM_PREFIX.format(f) for f, p in prefixes.items()},
        "mapping_set_id": SET_PREFIX + quote(crosswalk.id, safe=""),
        "mapping_set_title": crosswalk.title or crosswalk.id,
        "mapping_set_version": crosswalk.version,
        "mapping_set_description": crosswalk.description,
        "license": LICENSE,
        "creator_label": [crosswalk.publisher] if crosswalk.publisher else [],
        "see_also": [document] if _URI.fullmatch(document) else [],
        "subject_source": f"{OURS_PREFIX}:{source}",
        "object_source": f"{OURS_PREFIX}:{target}",
        "publication_status": crosswalk.status,
        "source_document": "" if _URI.fullmatch(document) else document,
        "extension_definitions": [
            {
                "slot_name": name,
                "property": f"{OURS_PREFIX}:ext:{name}",
                "type_hint": "xsd:string",
            }
            for name in (*SET_EXTENSIONS, *EXTENSIONS)
        ],
    }
    # Empty optional values are left out rather than written as "" or [].
    header = yaml.safe_dump(
        {k: v for k, v in meta.items() if v},
        sort_keys=False,
        allow_unicode=True,
        width=10_000,
        default_flow_style=False,
    )
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS + EXTENSIONS)
    for alignment in catalog.by_crosswalk.get(crosswalk.id, []):
        writer.writerow(_row(catalog, crosswalk, alignment, prefixes))
    return "\n".join(lines) + "\n" + buffer.getvalue()


RESERVED = frozenset(CURIES)


def _prefix(framework: str) -> str:
    """A CURIE prefix for a framework id that sssom-py recognises as one.

    sssom-py takes ``[A-Za-z0-9_.]+`` for a prefix (``wv-ckc-2015:3.6`` would not be a
    CURIE there); the expansion keeps the real id, so import reads it back.
    """
    prefix = re.sub(r"[^A-Za-z0-9_.]", "_", framework)
    return prefix if prefix[:1].isalpha() and prefix not in RESERVED else f"f_{prefix}"


def _prefixes(source: str, target: str) -> dict[str, str]:
    """The two frameworks' prefixes, told apart when their ids map to the same one."""
    first = _prefix(source)
    second = _prefix(target)
    if second == first and target != source:
        second += "_2"
    return {source: first, target: second}


def _curie(prefix: str, code: str) -> str:
    return f"{prefix}:{quote(code, safe='/.-_~')}"


def _row(
    catalog: Catalog, crosswalk: Crosswalk, alignment: Alignment, prefixes: dict[str, str]
) -> list[str]:
    source = catalog.items.get((crosswalk.source_framework, alignment.source_code))
    target = (
        catalog.items.get((crosswalk.target_framework, alignment.target_code))
        if alignment.target_code is not None
        else None
    )
    relation = Relation(alignment.relation)
    date = alignment.created[:10] if re.match(r"\d{4}-\d\d-\d\d", alignment.created) else ""
    return [
        _curie(prefixes[crosswalk.source_framework], alignment.source_code),
        source.name if source else "",
        PREDICATES[relation],
        _curie(prefixes[crosswalk.target_framework], alignment.target_code)
        if alignment.target_code is not None
        else NO_TERM,
        target.name if target else "",
        _justification(alignment.justification),
        repr(alignment.confidence),
        alignment.note,
        alignment.author,
        date,
        str(alignment.position),
        alignment.strength,
        alignment.level,
        alignment.evidence,
        alignment.printed_target,
        str(alignment.provenance) if alignment.provenance else "",
        alignment.status.value,
        alignment.justification,
        relation.value if alignment.target_code is None else "",
        alignment.created if alignment.created != date else "",
    ]


def _justification(justification: str) -> str:
    """Ours as semapv; a semapv term kept from a foreign file as is; anything else
    (``case:isRelatedTo`` …: how the link was made is not known) as unspecified."""
    if justification in JUSTIFICATIONS:
        return JUSTIFICATIONS[justification]
    return justification if justification.startswith("semapv:") else UNSPECIFIED


# -- import ----------------------------------------------------------------------------


def loads(
    text: str, source: str, store: Catalog, places: Places | None = None
) -> tuple[Crosswalk, list[Alignment]]:
    """Read SSSOM TSV text; ``store`` tells which framework each CURIE prefix names.

    Messages and ``places`` name the line of the file (metadata lines count).
    """
    places = {} if places is None else places
    lines = text.splitlines(keepends=True)
    body_start = next((n for n, line in enumerate(lines) if not line.startswith("#")), len(lines))
    meta = parse_metadata((line[1:] for line in lines[:body_start]), source)
    curies = meta.get("curie_map") if isinstance(meta.get("curie_map"), dict) else {}
    assert isinstance(curies, dict)
    frameworks = _frameworks_by_prefix(curies, store)
    source_framework = _source_framework(meta, "subject_source", curies, frameworks)
    target_framework = _source_framework(meta, "object_source", curies, frameworks)
    set_id = str(meta.get("mapping_set_id") or "")
    if not set_id:
        raise ExchangeError(f"{source}: metadata: mapping_set_id is missing")
    crosswalk_id = unquote(set_id.removeprefix(SET_PREFIX).rstrip("/").rsplit("/", 1)[-1])
    crosswalk_id = crosswalk_id.removesuffix(".sssom.tsv").removesuffix(".tsv")
    records = strict_reader(source, "".join(lines[body_start:]), "\t", body_start + 1)
    header = next(records, (0, []))[1]
    missing = [c for c in ("subject_id", "predicate_id", "object_id") if c not in header]
    if missing:
        raise ExchangeError(f"{source}: header: missing column(s) {', '.join(missing)}")
    alignments: list[Alignment] = []
    for number, record in records:
        if not any(cell.strip() for cell in record):
            continue
        where = f"{source}: line {number}"
        if len(record) > len(header):
            raise ExchangeError(f"{where}: more cells than headers (a stray tab?)")
        row = dict(zip(header, record, strict=False))
        row = {c: row.get(c, "") for c in header}
        alignment = _alignment(row, where, crosswalk_id, frameworks, len(alignments))
        source_framework = source_framework or alignment[1]
        target_framework = target_framework or alignment[2]
        places[alignment_key(len(alignments))] = f"line {number}"
        alignments.append(alignment[0])
    if not source_framework or not target_framework:
        raise ExchangeError(f"{source}: metadata: cannot tell the subject and object frameworks")
    crosswalk = Crosswalk(
        id=crosswalk_id,
        title=_text(meta, "mapping_set_title") or crosswalk_id,
        source_framework=source_framework,
        target_framework=target_framework,
        version=_text(meta, "mapping_set_version"),
        publisher=_first(meta, "creator_label"),
        description=_text(meta, "mapping_set_description"),
        source_document=_text(meta, "source_document") or _first(meta, "see_also"),
        status=_text(meta, "publication_status") or "published",
    )
    return crosswalk, alignments


def _text(meta: dict[str, Any], name: str) -> str:
    value = meta.get(name)
    return "" if value is None else str(value)


def _first(meta: dict[str, Any], name: str) -> str:
    """The first of a list-valued slot (a single value is accepted too)."""
    value = meta.get(name)
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return _text(meta, name)


def _frameworks_by_prefix(curies: dict[str, Any], store: Catalog) -> dict[str, str]:
    found = {}
    for prefix, expansion in curies.items():
        text = str(expansion)
        if text.startswith(OURS) and text.endswith(":") and prefix != OURS_PREFIX:
            found[str(prefix)] = text.removeprefix(OURS)[:-1]
        elif prefix in store.frameworks:
            found[str(prefix)] = str(prefix)
    return found


def _source_framework(
    meta: dict[str, Any], key: str, curies: dict[str, Any], frameworks: dict[str, str]
) -> str:
    """``subject_source`` / ``object_source``: ``crosswalk:imh`` (or, in files written
    before, the URI ``urn:crosswalk:imh``); a foreign source is told by its prefix."""
    text = _text(meta, key)
    prefix, colon, local = text.partition(":")
    if colon and prefix in curies and str(curies[prefix]) == OURS:
        return local
    if text.startswith(OURS):
        return text.removeprefix(OURS)
    return frameworks.get(text, frameworks.get(prefix, ""))


def _alignment(
    row: dict[str, str], where: str, crosswalk: str, frameworks: dict[str, str], index: int
) -> tuple[Alignment, str, str]:
    subject_framework, subject = _split(row["subject_id"], where, "subject_id", frameworks)
    predicate = row["predicate_id"].strip()
    relations = {v: k for k, v in PREDICATES.items() if k is not Relation.NO_MATCH}
    if predicate not in relations:
        raise ExchangeError(
            f"{where}, field predicate_id: {predicate!r} is not one of "
            + ", ".join(sorted(relations))
        )
    relation: Relation = relations[predicate]
    object_id = row["object_id"].strip()
    target: str | None
    if object_id == NO_TERM:
        # Unmapped, as the SSSOM spec documents it; our own files say in `relation`
        # when the row is a reference outside the object source instead.
        object_framework, target = "", None
        # Files written before the relation column held a reference outside the object
        # source as relatedMatch, a no-match as exactMatch.
        old = "crosswalk_justification" in row and "relation" not in row
        relation = Relation.RELATED if old and relation is Relation.RELATED else Relation.NO_MATCH
        if row.get("relation"):  # ours: a reference outside the object source
            relation = _relation(row["relation"], where)
    else:
        object_framework, target = _split(object_id, where, "object_id", frameworks)
    given = row.get("mapping_justification", "").strip()
    justification = (row.get("crosswalk_justification") or "").strip() or {
        v: k for k, v in JUSTIFICATIONS.items()
    }.get(given, given or "manual")
    try:
        confidence = float(row.get("confidence") or 1.0)
        position = int(row.get("position") or index)
        status = Status(row.get("review_status") or "accepted")
        provenance = Provenance.parse(row.get("provenance") or "")
    except ValueError as error:
        raise ExchangeError(f"{where}: {error}") from None
    alignment = Alignment(
        crosswalk=crosswalk,
        source_code=subject,
        target_code=target,
        relation=relation,
        strength=row.get("strength") or "",
        level=row.get("level") or "",
        evidence=row.get("evidence") or "",
        note=row.get("comment") or "",
        printed_target=row.get("printed_target") or "",
        provenance=provenance,
        position=position,
        confidence=confidence,
        justification=justification,
        status=status,
        author=row.get("author_label") or "",
        created=row.get("created") or row.get("mapping_date") or "",
    )
    return alignment, subject_framework, object_framework


def _relation(value: str, where: str) -> Relation:
    try:
        return Relation(value.strip())
    except ValueError:
        allowed = ", ".join(r.value for r in Relation)
        raise ExchangeError(f"{where}, field relation: {value!r} is not one of {allowed}") from None


def _split(curie: str, where: str, field: str, frameworks: dict[str, str]) -> tuple[str, str]:
    prefix, colon, local = curie.strip().partition(":")
    if not colon or not local:
        raise ExchangeError(f"{where}, field {field}: {curie!r} is not a CURIE (prefix:code)")
    if prefix not in frameworks:
        raise ExchangeError(f"{where}, field {field}: prefix {prefix!r} is not in the curie_map")
    return frameworks[prefix], unquote(local)


class _NoAliases(yaml.SafeLoader):
    """Safe YAML without anchors and aliases: a few bytes of aliases can expand to
    gigabytes (the "billion laughs"), and no SSSOM header needs them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.YAMLError(f"aliases (*name) are not allowed, line {mark.line + 1}")
        return super().compose_node(parent, index)


def parse_metadata(lines: Iterable[str], source: str) -> dict[str, Any]:
    """The ``#`` block as YAML (the ``#`` already taken off each line).

    sssom-py and people write any YAML there (folded descriptions, flow lists …); it is
    read with a safe loader that refuses aliases, within a size bound.
    """
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    if len(text.encode()) > MAX_METADATA_BYTES:
        raise ExchangeError(f"{source}: metadata block is over {MAX_METADATA_BYTES} bytes")
    try:
        meta = yaml.load(text, Loader=_NoAliases)  # a SafeLoader
    except yaml.YAMLError as error:
        # The block starts on line 1 of the file, so YAML's line is the file's.
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ExchangeError(
            f"{source}: {where}metadata block is not valid YAML ({problem}); "
            "quote values that contain ': ' or end with ':'"
        ) from None
    except RecursionError:
        raise ExchangeError(f"{source}: metadata block is nested too deeply") from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise ExchangeError(f"{source}: metadata block must be 'key: value' lines")
    return {str(k): v for k, v in meta.items()}
