"""Endorsement® categories and their requirements, read from a data file.

Requirements differ between associations and change over time, so they never live in
code: the bundled ``data/endorsement/requirements.toml`` holds the published initial
requirements, each value with the source it comes from, and an association can pass
its own file.  A value a file does not state is absent, never guessed; the report then
says "not stated" instead of inventing a minimum.

The file also holds the *evidence rule* (``[evidence]``): when a code is specific
evidence for a knowledge area and when an area counts as covered.  No association
publishes such a rule, so the bundled one is this tool's reading, marked as such; an
association's file may state its own and otherwise inherits the bundled one.

Loading validates the whole file up front and names the file and the key in every
error, because a silently ignored typo ("trainng_hours") would make a report claim a
requirement is met that was never checked.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from crosswalk.levels import FS, canonical

# The level tags a knowledge area can carry; "" is the untagged Family Specialist level.
LEVELS = ("", "IMHS", "IMHM")

_NUMBER_KEYS = ("training_hours", "reflective_supervision_hours", "references")
_FLAG_KEYS = ("exam",)
_TEXT_KEYS = ("code", "title", "twin", "twin_title")
_LIST_KEYS = ("levels", "tracks")
_CATEGORY_KEYS = frozenset((*_NUMBER_KEYS, *_FLAG_KEYS, *_TEXT_KEYS, *_LIST_KEYS))
_EVIDENCE_KEYS = ("specific_max_areas", "covered_min_trainings", "covered_min_hours", "source")
_TOP_KEYS = frozenset(("title", "sources", "renewal", "evidence", "category"))


class RequirementsError(ValueError):
    """A requirements file that cannot be used; the message names the file and key."""


class UnknownCategory(RequirementsError):
    """A category code the requirements do not define; the message lists the known ones."""


@dataclass(frozen=True, slots=True)
class Source:
    """A public document a requirement is taken from."""

    key: str
    title: str


@dataclass(frozen=True, slots=True)
class Requirement:
    """One stated minimum (hours, references) or condition (exam) and where it is stated."""

    value: float | bool
    source: Source | None

    @property
    def cited(self) -> str:
        return self.source.title if self.source else "no source given"


@dataclass(frozen=True, slots=True)
class EvidenceRule:
    """How much a code proves, and how much proof makes a knowledge area covered.

    A code's *breadth* is the number of the category's knowledge areas it corresponds
    to.  Evidence through a code no broader than ``specific_max_areas`` is *specific*;
    through a broader one, *broad*.  An area is covered when at least
    ``covered_min_trainings`` trainings bring specific evidence for it, together at
    least ``covered_min_hours`` clock hours; an area with any other evidence is only
    *touched*.
    """

    specific_max_areas: int
    covered_min_trainings: int = 1
    covered_min_hours: float = 0.0
    source: Source | None = None

    def is_specific(self, breadth: int) -> bool:
        return breadth <= self.specific_max_areas

    @property
    def cited(self) -> str:
        return self.source.title if self.source else "no source given"

    def summary(self) -> str:
        """The rule in one sentence, as every format of the report states it."""
        hours = self.covered_min_hours
        needs = _count(self.covered_min_trainings, "training") + (
            f" of together at least {hours:g} clock hours" if hours else ""
        )
        return (
            f"A code is specific evidence when it corresponds to at most "
            f"{_count(self.specific_max_areas, 'knowledge area')} of this category, and broad "
            f"when it corresponds to more. A knowledge area is covered with specific "
            f"evidence from at least {needs}; with less, or with broad codes only, it is "
            "only touched."
        )


def _count(number: float, noun: str) -> str:
    return f"{number:g} {noun}{'' if number == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class Category:
    """An endorsement category as asked for: IFS, or its early-childhood twin ECFS.

    ``levels`` are the knowledge-area level tags that apply; ``tracks`` the Mentor
    tracks (an IMHM knowledge area that names tracks applies only to those).
    """

    code: str
    title: str
    levels: tuple[str, ...]
    tracks: tuple[str, ...] = ()
    twin: str = ""
    twin_title: str = ""
    training_hours: Requirement | None = None
    reflective_supervision_hours: Requirement | None = None
    references: Requirement | None = None
    exam: Requirement | None = None

    @property
    def label(self) -> str:
        return f"{self.code} — {self.title}"

    def as_twin(self) -> Category:
        """The same requirements under the early-childhood (or infant) twin's name."""
        return replace(
            self, code=self.twin, title=self.twin_title, twin=self.code, twin_title=self.title
        )


@dataclass(frozen=True, slots=True)
class Requirements:
    """Every category of one requirements file, in file order."""

    categories: tuple[Category, ...]
    sources: dict[str, Source]
    origin: str  # the file, for error messages
    evidence: EvidenceRule
    title: str  # what a report calls these requirements: the file's title, else its name
    renewal_hours_per_year: Requirement | None = None

    @property
    def codes(self) -> list[str]:
        """Every code a person may ask for, twins included."""
        return [code for c in self.categories for code in (c.code, c.twin) if code]

    def category(self, code: str) -> Category:
        """The category named ``code`` ("IFS", "ecfs", "IMHM-RF" …), twins included."""
        wanted = _code_key(code)
        for category in self.categories:
            if _code_key(category.code) == wanted:
                return category
            if category.twin and _code_key(category.twin) == wanted:
                return category.as_twin()
        known = ", ".join(self.codes)
        raise UnknownCategory(f"unknown endorsement category {code!r}; known: {known}")


def _code_key(code: str) -> str:
    return re.sub(r"[^a-z0-9]", "", code.lower())


def bundled_requirements_text() -> str:
    return (
        resources.files("crosswalk")
        .joinpath("data/endorsement/requirements.toml")
        .read_text(encoding="utf-8")
    )


def load_requirements(path: Path | str | None = None) -> Requirements:
    """The requirements in ``path``, or the bundled ones when no path is given.

    A file without an ``[evidence]`` table uses the bundled evidence rule.
    """
    if path is None:
        return parse_requirements(bundled_requirements_text(), "bundled requirements.toml")
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RequirementsError(f"{where}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RequirementsError(f"{where}: cannot be read ({error})") from None
    return parse_requirements(text, where)


def bundled_evidence_rule() -> EvidenceRule:
    """The bundled ``[evidence]`` table: the rule of a file that states none."""
    data = tomllib.loads(bundled_requirements_text())
    origin = "bundled requirements.toml"
    return _evidence(data["evidence"], f"{origin}: evidence", _sources(data["sources"], origin))


def parse_requirements(text: str, origin: str) -> Requirements:
    """Validate and read a requirements file's text; ``origin`` names it in errors.

    A file without an ``[evidence]`` table gets the bundled evidence rule: a report
    must always say what it counted as proof.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RequirementsError(f"{origin}: not valid TOML ({error})") from None
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        allowed = ", ".join(sorted(_TOP_KEYS))
        raise RequirementsError(f"{origin}: unknown key {unknown[0]!r}; allowed: {allowed}")
    title = data.get("title", Path(origin).name)
    if not isinstance(title, str) or not title.strip():
        raise RequirementsError(f"{origin}: 'title' must be a non-empty string")
    sources = _sources(data.get("sources", {}), origin)
    raw_categories = data.get("category")
    if not isinstance(raw_categories, list) or not raw_categories:
        raise RequirementsError(f"{origin}: no [[category]] tables")
    categories = tuple(
        _category(raw, f"{origin}: category[{n}]", sources)
        for n, raw in enumerate(raw_categories, start=1)
    )
    seen: dict[str, str] = {}
    for category in categories:
        for code in (category.code, category.twin):
            if not code:
                continue
            use = (
                f"the code of category {code!r}"
                if code == category.code
                else f"the twin of {category.code!r}"
            )
            if _code_key(code) in seen:
                raise RequirementsError(
                    f"{origin}: {code!r} is used twice, as {seen[_code_key(code)]} and as "
                    f"{use}; every category and twin code must be different"
                )
            seen[_code_key(code)] = use
    renewal = data.get("renewal", {})
    if not isinstance(renewal, dict):
        raise RequirementsError(f"{origin}: [renewal] must be a table")
    extra = sorted(set(renewal) - {"training_hours_per_year"})
    if extra:
        raise RequirementsError(
            f"{origin}: renewal: unknown key {extra[0]!r}; allowed: training_hours_per_year"
        )
    per_year = renewal.get("training_hours_per_year")
    renewal_hours = (
        _number(per_year, f"{origin}: renewal.training_hours_per_year", sources)
        if per_year is not None
        else None
    )
    if "evidence" in data:
        evidence = _evidence(data["evidence"], f"{origin}: evidence", sources)
    else:
        evidence = bundled_evidence_rule()
    return Requirements(categories, sources, origin, evidence, title.strip(), renewal_hours)


def _evidence(raw: Any, where: str, sources: dict[str, Source]) -> EvidenceRule:
    if not isinstance(raw, dict):
        raise RequirementsError(f"{where}: must be a table")
    unknown = sorted(set(raw) - set(_EVIDENCE_KEYS))
    if unknown:
        allowed = ", ".join(_EVIDENCE_KEYS)
        raise RequirementsError(f"{where}: unknown key {unknown[0]!r}; allowed: {allowed}")
    if "specific_max_areas" not in raw:
        raise RequirementsError(f"{where}: 'specific_max_areas' is missing")

    def whole(key: str, default: int) -> int:
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise RequirementsError(f"{where}: {key} must be a whole number ≥ 1, not {value!r}")
        return value

    hours = raw.get("covered_min_hours", 0)
    if isinstance(hours, bool) or not isinstance(hours, int | float) or hours < 0:
        raise RequirementsError(f"{where}: covered_min_hours must be a number ≥ 0, not {hours!r}")
    key = raw.get("source")
    if key is not None and (not isinstance(key, str) or key not in sources):
        known = ", ".join(sorted(sources)) or "none defined"
        raise RequirementsError(f"{where}: unknown source {key!r}; [sources] has: {known}")
    return EvidenceRule(
        specific_max_areas=whole("specific_max_areas", 0),
        covered_min_trainings=whole("covered_min_trainings", 1),
        covered_min_hours=float(hours),
        source=sources[key] if key is not None else None,
    )


def _sources(raw: Any, origin: str) -> dict[str, Source]:
    if not isinstance(raw, dict):
        raise RequirementsError(f"{origin}: [sources] must be a table of tables")
    sources: dict[str, Source] = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str):
            raise RequirementsError(f"{origin}: sources.{key} needs a title (a string)")
        sources[key] = Source(key, entry["title"])
    return sources


def _category(raw: Any, where: str, sources: dict[str, Source]) -> Category:
    if not isinstance(raw, dict):
        raise RequirementsError(f"{where}: must be a table")
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        raise RequirementsError(f"{where}: 'code' is missing or not a string")
    where = f"{where} ({code})"
    unknown = sorted(set(raw) - _CATEGORY_KEYS)
    if unknown:
        allowed = ", ".join(sorted(_CATEGORY_KEYS))
        raise RequirementsError(f"{where}: unknown key {unknown[0]!r}; allowed: {allowed}")
    texts = {key: raw.get(key, "") for key in _TEXT_KEYS}
    for key, value in texts.items():
        if not isinstance(value, str):
            raise RequirementsError(f"{where}: {key!r} must be a string")
    if not texts["title"]:
        raise RequirementsError(f"{where}: 'title' is missing")
    if texts["twin"] and not texts["twin_title"]:
        raise RequirementsError(f"{where}: 'twin' is given without 'twin_title'")
    if texts["twin"] and _code_key(texts["twin"]) == _code_key(code):
        raise RequirementsError(
            f"{where}: 'twin' is the same code as 'code' ({code.strip()!r}); "
            "give the twin its own code (e.g. ECFS for IFS)"
        )
    if "levels" not in raw:
        raise RequirementsError(f'{where}: \'levels\' is missing (e.g. levels = ["", "IMHS"])')
    levels: tuple[str, ...] = ()
    for value in _strings(raw, "levels", where):
        # Any spelling crosswalk.levels knows ("MHS" as the seeds write it, "FS" …);
        # kept as this file spells them, "" for the untagged Family Specialist level.
        level = canonical(value)
        if level is None:
            raise RequirementsError(
                f"{where}: levels: unknown level {value!r}; use {', '.join(map(repr, LEVELS))}"
            )
        levels += ("" if level == FS else level,)

    def number(key: str) -> Requirement | None:
        return _number(raw[key], f"{where}: {key}", sources) if key in raw else None

    tracks = _strings(raw, "tracks", where)
    if tracks and "IMHM" not in levels:
        raise RequirementsError(
            f"{where}: 'tracks' applies only to Mentor categories (levels including "
            '"IMHM"); remove it, or add "IMHM" to levels'
        )
    exam = _flag(raw["exam"], f"{where}: exam", sources) if "exam" in raw else None
    return Category(
        code=code.strip(),
        title=texts["title"],
        levels=levels,
        tracks=tracks,
        twin=texts["twin"].strip(),
        twin_title=texts["twin_title"],
        training_hours=number("training_hours"),
        reflective_supervision_hours=number("reflective_supervision_hours"),
        references=number("references"),
        exam=exam,
    )


def _strings(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RequirementsError(f"{where}: {key!r} must be a list of strings")
    return tuple(v.strip() for v in value)


def _stated(raw: Any, where: str, sources: dict[str, Source]) -> tuple[Any, Source | None]:
    if not isinstance(raw, dict) or "value" not in raw:
        raise RequirementsError(f'{where}: must be a table {{ value = …, source = "…" }}')
    extra = sorted(set(raw) - {"value", "source"})
    if extra:
        raise RequirementsError(f"{where}: unknown key {extra[0]!r}; allowed: value, source")
    key = raw.get("source")
    if key is None:
        return raw["value"], None
    if not isinstance(key, str):
        raise RequirementsError(f"{where}: 'source' must be a string")
    if key not in sources:
        known = ", ".join(sorted(sources)) or "none defined"
        raise RequirementsError(f"{where}: unknown source {key!r}; [sources] has: {known}")
    return raw["value"], sources[key]


def _number(raw: Any, where: str, sources: dict[str, Source]) -> Requirement:
    value, source = _stated(raw, where, sources)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise RequirementsError(f"{where}: value must be a number ≥ 0, not {value!r}")
    return Requirement(value, source)


def _flag(raw: Any, where: str, sources: dict[str, Source]) -> Requirement:
    value, source = _stated(raw, where, sources)
    if not isinstance(value, bool):
        raise RequirementsError(f"{where}: value must be true or false, not {value!r}")
    return Requirement(value, source)
