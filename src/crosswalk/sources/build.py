"""Build the bundled dataset from the seed documents and the errata.

raw seed text → parsers (after errata) → model records → curated tables in
``data/bundled``.  The tables are committed so that people can review them, and a
test rebuilds them and compares, so nobody edits them by hand.
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from crosswalk.formats.workbook import write_csv_folder
from crosswalk.model import (
    Alias,
    Alignment,
    Crosswalk,
    Dataset,
    Framework,
    Item,
    Provenance,
    Relation,
    slugify,
    sort_codes,
)
from crosswalk.sources import seed000, seed002
from crosswalk.sources.errata import Errata, SourceLine, apply_errata, load_errata
from crosswalk.sources.text import clean, fold

DATA = Path(__file__).resolve().parent.parent / "data"
BUNDLED = DATA / "bundled"
TTA_NOTE = (
    "Cites “T&TA Competencies” (West Virginia's trainer and technical-assistance "
    "competencies), which are not part of the CKC."
)


class BuildError(ValueError):
    """The sources and errata do not build a consistent dataset."""


@dataclass
class _Builder:
    data: Path
    catalogue: dict[str, Any]
    errata: Errata
    items: dict[tuple[str, str], Item] = field(default_factory=dict)
    aliases: dict[tuple[str, str], list[Alias]] = field(default_factory=dict)
    item_errata: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    alignments: list[Alignment] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)
    positions: Counter[str] = field(default_factory=Counter)

    def document(self, key: str) -> tuple[str, list[SourceLine]]:
        meta = self.catalogue["documents"][key]
        raw = (self.data / "sources" / meta["file"]).read_text(encoding="utf-8").split("\n")
        return meta["label"], apply_errata(raw, self.errata.for_document(key), meta["label"])

    def add_item(self, item: Item) -> None:
        if item.key in self.items:
            raise BuildError(f"two items coded {item.code!r} in {item.framework}")
        self.items[item.key] = item

    def add_alias(self, key: tuple[str, str], alias: Alias) -> None:
        known = self.aliases.setdefault(key, [])
        if all((a.kind, a.text) != (alias.kind, alias.text) for a in known):
            known.append(alias)

    def align(self, crosswalk: str, source: str, target: str | None, **fields: Any) -> None:
        position = self.positions[crosswalk]
        self.positions[crosswalk] += 1
        self.alignments.append(Alignment(crosswalk, source, target, position=position, **fields))

    def children(self, framework: str, parent: str) -> int:
        return sum(1 for i in self.items.values() if (i.framework, i.parent) == (framework, parent))

    def dataset(self) -> Dataset:
        items = [
            replace(
                i,
                aliases=tuple(self.aliases.get(i.key, ())),
                errata=(*i.errata, *self.item_errata.get(i.key, ())),
            )
            for i in self.items.values()
        ]
        frameworks = [
            Framework(
                **{k: v for k, v in f.items() if k != "root"} | {"sources": tuple(f["sources"])}
            )
            for f in self.catalogue["framework"]
        ]
        crosswalks = [
            Crosswalk(
                **{k: v for k, v in c.items() if k != "document"},
                source_document=self.catalogue["documents"][c["document"]]["label"],
                description=self.descriptions.get(c["id"], ""),
            )
            for c in self.catalogue["crosswalk"]
        ]
        return Dataset(frameworks, items, crosswalks, self.alignments)


def build(data: Path = DATA) -> Dataset:
    """Read the sources and errata under ``data`` and return the bundled dataset."""
    catalogue = tomllib.loads((data / "catalogue.toml").read_text(encoding="utf-8"))
    builder = _Builder(data, catalogue, load_errata(data / "errata.toml"))
    imh_to_ckc, iecmhc_to_imh = (c["id"] for c in catalogue["crosswalk"])
    _read_seed000(builder, imh_to_ckc)
    _read_seed002(builder, iecmhc_to_imh)
    return builder.dataset()


def _read_seed000(builder: _Builder, crosswalk: str) -> None:
    label, lines = builder.document("000")
    document = seed000.parse(lines)
    builder.descriptions[crosswalk] = document.preamble
    areas: dict[str, str] = {}
    printed: dict[str, list[tuple[str, int]]] = {}
    for row in document.rows:
        area_code = slugify(row.area)
        if area_code not in areas:
            areas[area_code] = row.area
            builder.add_item(
                Item(
                    "imh",
                    area_code,
                    row.area,
                    kind="area",
                    position=len(areas),
                    provenance=Provenance(label, row.first_line, row.first_line),
                )
            )
        code = f"{area_code}/{slugify(row.name)}"
        builder.add_item(
            Item(
                "imh",
                code,
                row.name,
                statement=clean(row.description),
                kind="knowledge-area",
                parent=area_code,
                position=builder.children("imh", area_code) + 1,
                tags=tuple(t for t in (row.tag, *row.tracks) if t),
                provenance=Provenance(label, row.first_line, row.last_line),
                errata=tuple(row.errata),
            )
        )
        for target in row.codes:
            printed.setdefault(target.code, []).append((target.statement, target.line))
            builder.align(
                crosswalk,
                code,
                target.code,
                printed_target=target.statement,
                provenance=Provenance(label, target.line, target.line),
            )
        for reference in row.references:
            builder.align(
                crosswalk,
                code,
                None,
                relation=Relation.NO_MATCH if reference.no_match else Relation.RELATED,
                note=reference.note if reference.no_match else TTA_NOTE,
                printed_target=reference.printed,
                provenance=Provenance(label, reference.line, reference.line),
            )
    _add_ckc_catalogue(builder, label, printed)


def _add_ckc_catalogue(
    builder: _Builder, label: str, printed: dict[str, list[tuple[str, int]]]
) -> None:
    """Each CKC code once, with the wording printed most often; the others as variants.

    A wording that is another code's statement is a misprint, not a variant: the lint
    reports it from the alignment's printed text, and it is not kept as an alias.
    """
    canonical = {code: _most_printed(wordings) for code, wordings in printed.items()}
    statement_of = {fold(statement): code for code, statement in canonical.items()}
    for code in sort_codes(printed):
        wordings, statement = printed[code], canonical[code]
        area = code.split(".")[0]
        if ("wv-ckc-2015", area) not in builder.items:
            builder.add_item(
                Item("wv-ckc-2015", area, f"Area {area}", kind="area", position=int(area))
            )
        first = _first_line(wordings, statement)
        builder.add_item(
            Item(
                "wv-ckc-2015",
                code,
                statement,
                statement=statement,
                parent=area,
                position=int(code.split(".")[1]),
                provenance=Provenance(label, first, first),
            )
        )
        variants = {s for s, _ in wordings} - {statement}
        for variant in sorted(variants, key=lambda s: _first_line(wordings, s)):
            if statement_of.get(fold(variant), code) != code:
                continue
            lines = sorted({line for s, line in wordings if s == variant})
            builder.add_alias(
                ("wv-ckc-2015", code),
                Alias(
                    variant,
                    kind="statement",
                    provenance=Provenance(label, lines[0], lines[0]),
                    note=_also_on(lines[1:]),
                ),
            )


def _also_on(lines: list[int]) -> str:
    """The other lines a wording is printed on (the first is its provenance)."""
    if not lines:
        return ""
    return f"also printed on line{'s' if len(lines) > 1 else ''} " + ", ".join(map(str, lines))


def _most_printed(wordings: list[tuple[str, int]]) -> str:
    counts = Counter(statement for statement, _ in wordings)
    return max(counts, key=lambda s: (counts[s], -_first_line(wordings, s)))


def _first_line(wordings: list[tuple[str, int]], statement: str) -> int:
    return min(line for s, line in wordings if s == statement)


def _read_seed002(builder: _Builder, crosswalk: str) -> None:
    label, lines = builder.document("002")
    document = seed002.parse(lines)
    builder.descriptions[crosswalk] = document.legend
    framework = next(f for f in builder.catalogue["framework"] if f["id"] == "iecmhc")
    root = framework["root"]
    first, last = document.preamble[0][0], document.preamble[-1][0]
    builder.add_item(
        Item(
            "iecmhc",
            root["code"],
            root["name"],
            statement=" ".join(t for _, t in document.preamble),
            kind="domain",
            position=1,
            provenance=Provenance(label, first, last),
        )
    )
    index = {
        (fold(builder.items[("imh", i.parent)].name), fold(i.name)): i
        for i in builder.items.values()
        if i.framework == "imh" and i.parent
    }
    resolutions = {(r.area, r.name): r for r in builder.errata.resolutions}
    used: set[str] = set()
    for block in document.blocks:
        key = ("iecmhc", block.code)
        if key not in builder.items:
            builder.add_item(
                Item(
                    "iecmhc",
                    block.code,
                    block.statement,
                    statement=block.statement,
                    parent=root["code"],
                    position=builder.children("iecmhc", root["code"]) + 1,
                    provenance=Provenance(label, block.first_line, block.first_line),
                )
            )
        elif builder.items[key].statement != block.statement:
            builder.add_alias(
                key,
                Alias(
                    block.statement,
                    "statement",
                    Provenance(label, block.first_line, block.first_line),
                ),
            )
        area, name = seed002.strip_tag(block.area), seed002.strip_tag(block.name)
        target = index.get((fold(area), fold(name)))
        resolution = resolutions.get((block.area, block.name))
        if resolution:
            used.add(resolution.id)
            target = builder.items.get(("imh", resolution.item))
            if target is None:
                raise BuildError(f"erratum {resolution.id}: no imh item {resolution.item!r}")
            builder.item_errata.setdefault(target.key, []).append(resolution.id)
        if target is None:
            raise BuildError(
                f"{label} line {block.area_line}: cannot resolve {block.area!r} / {block.name!r} "
                "to an imh knowledge area; add a [[resolve]] erratum"
            )
        cited = Provenance(label, block.area_line, block.area_line + 1)
        if name.lower() != target.name.lower():
            builder.add_alias(target.key, Alias(name, "name", cited))
        canonical_area = builder.items[("imh", target.parent or "")].name
        if fold(area) != fold(canonical_area):
            builder.add_alias(
                target.key, Alias(area, "area", cited, note=f"cited under “{block.area}”")
            )
        builder.align(
            crosswalk,
            block.code,
            target.code,
            strength=block.strength,
            level=block.level,
            evidence=block.evidence,
            printed_target=f"{block.area} / {block.name}",
            provenance=Provenance(label, block.first_line, block.last_line),
        )
    unused = {r.id for r in builder.errata.resolutions} - used
    if unused:
        raise BuildError(f"errata {sorted(unused)} resolve citations that are not printed")


def main() -> None:
    """``crosswalk-build-data``: rebuild data/bundled from the sources and errata, and
    the suggestion vectors of its texts shipped beside it (into the package)."""
    from crosswalk.catalog import Catalog
    from crosswalk.suggest.engine import ship_vectors

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else BUNDLED
    dataset = build()
    for path in write_csv_folder(dataset, folder):
        print(path)
    if folder == BUNDLED:
        print(ship_vectors(Catalog(dataset)))
