"""SSSOM TSV: one crosswalk as a Simple Standard for Sharing Ontological Mappings set.

Mapping people read and write SSSOM, so a crosswalk leaves as a TSV whose ``#``
metadata block carries the set's identity and whose rows use the field's terms:
``skos:`` predicates for our relations, ``semapv:`` justifications, confidence and
comments, and ``sssom:NoTermFound`` for an explicit no-match.  What SSSOM has no slot
for (strength, level tag, evidence, printed target, provenance, order, review status)
travels in extension columns declared in ``extension_definitions``, so importing our
own file gives back exactly what was exported.

The metadata block is YAML; we write a plain subset (JSON-quoted scalars, two-space
nesting) and read that subset back, which avoids a YAML dependency for a dozen keys.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, unquote

from crosswalk.catalog import Catalog
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.validate import Places, alignment_key
from crosswalk.formats.workbook import strict_reader
from crosswalk.model import Alignment, Crosswalk, Provenance, Relation, Status

NO_TERM = "sssom:NoTermFound"
LICENSE = "https://w3id.org/sssom/license/unspecified"
ITEM_PREFIX = "urn:crosswalk:{}:"
SET_PREFIX = "urn:crosswalk:crosswalk:"
EXTENSION_PREFIX = "urn:crosswalk:ext:"
PREDICATES: dict[Relation, str] = {
    Relation.EXACT: "skos:exactMatch",
    Relation.CLOSE: "skos:closeMatch",
    Relation.BROAD: "skos:broadMatch",
    Relation.NARROW: "skos:narrowMatch",
    Relation.RELATED: "skos:relatedMatch",
    Relation.NO_MATCH: "skos:exactMatch",  # with object sssom:NoTermFound
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
EXTENSIONS = (
    "position",
    "strength",
    "level",
    "evidence",
    "printed_target",
    "provenance",
    "review_status",
    "crosswalk_justification",
)


# -- export ----------------------------------------------------------------------------


def dumps(catalog: Catalog, crosswalk_id: str) -> str:
    """The crosswalk as SSSOM TSV text (metadata block, header, one row per alignment)."""
    crosswalk = catalog.crosswalk(crosswalk_id)
    source, target = crosswalk.source_framework, crosswalk.target_framework
    meta: list[tuple[str, Any]] = [
        ("curie_map", CURIES | {_prefix(source): ITEM_PREFIX.format(source)})
        if source == target
        else (
            "curie_map",
            CURIES
            | {
                _prefix(source): ITEM_PREFIX.format(source),
                _prefix(target): ITEM_PREFIX.format(target),
            },
        ),
        ("mapping_set_id", SET_PREFIX + crosswalk.id),
        ("mapping_set_title", crosswalk.title),
        ("mapping_set_version", crosswalk.version),
        ("mapping_set_description", crosswalk.description),
        ("license", LICENSE),
        ("creator_label", [crosswalk.publisher] if crosswalk.publisher else []),
        ("see_also", [crosswalk.source_document] if crosswalk.source_document else []),
        ("subject_source", ITEM_PREFIX.format(source).rstrip(":")),
        ("object_source", ITEM_PREFIX.format(target).rstrip(":")),
        ("publication_status", crosswalk.status),
        (
            "extension_definitions",
            [
                {"slot_name": name, "property": EXTENSION_PREFIX + name, "type_hint": "xsd:string"}
                for name in ("publication_status", *EXTENSIONS)
            ],
        ),
    ]
    # Empty optional values are left out rather than written as "" or [].
    lines = [
        f"# {line}"
        for key, value in meta
        if value or key == "mapping_set_title"
        for line in _yaml(key, value)
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS + EXTENSIONS)
    for alignment in catalog.by_crosswalk.get(crosswalk.id, []):
        writer.writerow(_row(catalog, crosswalk, alignment))
    return "\n".join(lines) + "\n" + buffer.getvalue()


def _prefix(framework: str) -> str:
    """A CURIE prefix must not start with a digit; ids are slugs otherwise fit."""
    return framework if framework[:1].isalpha() else f"f-{framework}"


def _curie(framework: str, code: str) -> str:
    return f"{_prefix(framework)}:{quote(code, safe='/.-_~')}"


def _row(catalog: Catalog, crosswalk: Crosswalk, alignment: Alignment) -> list[str]:
    source = catalog.items.get((crosswalk.source_framework, alignment.source_code))
    target = (
        catalog.items.get((crosswalk.target_framework, alignment.target_code))
        if alignment.target_code is not None
        else None
    )
    relation = Relation(alignment.relation)
    return [
        _curie(crosswalk.source_framework, alignment.source_code),
        source.name if source else "",
        PREDICATES[relation],
        _curie(crosswalk.target_framework, alignment.target_code)
        if alignment.target_code is not None
        else NO_TERM,
        target.name if target else "",
        _justification(alignment.justification),
        repr(alignment.confidence),
        alignment.note,
        alignment.author,
        alignment.created,
        str(alignment.position),
        alignment.strength,
        alignment.level,
        alignment.evidence,
        alignment.printed_target,
        str(alignment.provenance) if alignment.provenance else "",
        alignment.status.value,
        alignment.justification,
    ]


def _justification(justification: str) -> str:
    """Ours as semapv; a semapv term kept from a foreign file as is; anything else
    (``case:isRelatedTo`` …: how the link was made is not known) as unspecified."""
    if justification in JUSTIFICATIONS:
        return JUSTIFICATIONS[justification]
    return justification if justification.startswith("semapv:") else UNSPECIFIED


def _yaml(key: str, value: Any) -> list[str]:
    """A YAML subset: scalars as JSON strings, lists of scalars or maps, one level of map."""
    if isinstance(value, dict):
        return [f"{key}:"] + [
            f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()
        ]
    if isinstance(value, list):
        if not value:
            return [f"{key}: []"]
        lines = [f"{key}:"]
        for entry in value:
            if isinstance(entry, dict):
                first = True
                for k, v in entry.items():
                    lead = "  - " if first else "    "
                    lines.append(f"{lead}{k}: {json.dumps(v, ensure_ascii=False)}")
                    first = False
            else:
                lines.append(f"  - {json.dumps(entry, ensure_ascii=False)}")
        return lines
    return [f"{key}: {json.dumps(value, ensure_ascii=False)}"]


# -- import ----------------------------------------------------------------------------


def loads(
    text: str, source: str, store: Catalog, places: Places | None = None
) -> tuple[Crosswalk, list[Alignment]]:
    """Read SSSOM TSV text; ``store`` tells which framework each CURIE prefix names.

    Messages and ``places`` name the line of the file (metadata lines count).
    """
    places = {} if places is None else places
    meta_lines = []
    body_start = 0
    lines = text.splitlines(keepends=True)
    for body_start, line in enumerate(lines):  # noqa: B007
        if not line.startswith("#"):
            break
        meta_lines.append(line[1:].rstrip("\n").removeprefix(" "))
    else:
        body_start = len(lines)
    meta = parse_metadata(meta_lines, source)
    curies = meta.get("curie_map") if isinstance(meta.get("curie_map"), dict) else {}
    assert isinstance(curies, dict)
    frameworks = _frameworks_by_prefix(curies, store)
    source_framework = _source_framework(meta, "subject_source", frameworks)
    target_framework = _source_framework(meta, "object_source", frameworks)
    set_id = str(meta.get("mapping_set_id") or "")
    if not set_id:
        raise ExchangeError(f"{source}: metadata: mapping_set_id is missing")
    crosswalk_id = set_id.removeprefix(SET_PREFIX).rsplit("/", 1)[-1]
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
        title=str(meta.get("mapping_set_title") or crosswalk_id),
        source_framework=source_framework,
        target_framework=target_framework,
        version=str(meta.get("mapping_set_version") or ""),
        publisher=_first(meta, "creator_label"),
        description=str(meta.get("mapping_set_description") or ""),
        source_document=_first(meta, "see_also"),
        status=str(meta.get("publication_status") or "published"),
    )
    return crosswalk, alignments


def _first(meta: dict[str, Any], name: str) -> str:
    value = meta.get(name)
    return str(value[0]) if isinstance(value, list) and value else ""


def _frameworks_by_prefix(curies: dict[str, Any], store: Catalog) -> dict[str, str]:
    found = {}
    for prefix, expansion in curies.items():
        text = str(expansion)
        if text.startswith("urn:crosswalk:") and text.endswith(":"):
            found[prefix] = text.removeprefix("urn:crosswalk:")[:-1]
        elif prefix in store.frameworks:
            found[prefix] = prefix
    return found


def _source_framework(meta: dict[str, Any], key: str, frameworks: dict[str, str]) -> str:
    text = str(meta.get(key) or "")
    if text.startswith("urn:crosswalk:"):
        return text.removeprefix("urn:crosswalk:")
    return frameworks.get(text, "")


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
        object_framework, target = "", None
        relation = Relation.NO_MATCH if relation is Relation.EXACT else relation
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
        created=row.get("mapping_date") or "",
    )
    return alignment, subject_framework, object_framework


def _split(curie: str, where: str, field: str, frameworks: dict[str, str]) -> tuple[str, str]:
    prefix, colon, local = curie.strip().partition(":")
    if not colon or not local:
        raise ExchangeError(f"{where}, field {field}: {curie!r} is not a CURIE (prefix:code)")
    if prefix not in frameworks:
        raise ExchangeError(f"{where}, field {field}: prefix {prefix!r} is not in the curie_map")
    return frameworks[prefix], unquote(local)


def parse_metadata(lines: Iterable[str], source: str) -> dict[str, Any]:
    """Read the YAML subset :func:`_yaml` writes (and plain YAML scalars of that shape)."""
    meta: dict[str, Any] = {}
    current: str | None = None
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        line = raw.strip()
        if indent == 0:
            key, colon, rest = line.partition(":")
            if not colon:
                raise ExchangeError(f"{source}: metadata line {number}: expected 'key: value'")
            current = key.strip()
            meta[current] = _scalar(rest.strip(), source, number) if rest.strip() else None
            continue
        if current is None:
            raise ExchangeError(f"{source}: metadata line {number}: indented line without a key")
        if line.startswith("- "):
            entries = meta[current] if isinstance(meta[current], list) else []
            meta[current] = entries
            item = line[2:].strip()
            key, colon, rest = item.partition(": ")
            if colon and not item.startswith(('"', "'")):
                entries.append({key.strip(): _scalar(rest.strip(), source, number)})
            else:
                entries.append(_scalar(item, source, number))
        else:
            key, colon, rest = line.partition(":")
            if not colon:
                raise ExchangeError(f"{source}: metadata line {number}: expected 'key: value'")
            value = meta[current]
            if isinstance(value, list) and value and isinstance(value[-1], dict):
                value[-1][key.strip()] = _scalar(rest.strip(), source, number)
            else:
                mapping = value if isinstance(value, dict) else {}
                mapping[key.strip()] = _scalar(rest.strip(), source, number)
                meta[current] = mapping
    return meta


def _scalar(text: str, source: str, number: int) -> Any:
    if text == "[]":
        return []
    if text.startswith('"'):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise ExchangeError(f"{source}: metadata line {number}: bad quoted text") from None
    if text.startswith("'") and text.endswith("'") and len(text) >= 2:
        return text[1:-1].replace("''", "'")
    return text
