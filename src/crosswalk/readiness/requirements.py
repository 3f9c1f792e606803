"""Endorsement® categories and their requirements, read from a data file.

Requirements differ between associations and change over time, so they never live in
code: the bundled ``data/endorsement/requirements.toml`` holds the published initial
requirements, each value with the source it comes from, and an association can pass
its own file.  A value a file does not state is absent, never guessed; the report then
says "not stated" instead of inventing a minimum.

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
    origin: str
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
    """The requirements in ``path``, or the bundled ones when no path is given."""
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


def parse_requirements(text: str, origin: str) -> Requirements:
    """Validate and read a requirements file's text; ``origin`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RequirementsError(f"{origin}: not valid TOML ({error})") from None
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
    per_year = renewal.get("training_hours_per_year")
    renewal_hours = (
        _number(per_year, f"{origin}: renewal.training_hours_per_year", sources)
        if per_year is not None
        else None
    )
    return Requirements(categories, sources, origin, renewal_hours)


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
