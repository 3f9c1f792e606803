"""The requirements file: the bundled one, twins, an association's own, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswalk.readiness import (
    RequirementsError,
    UnknownCategory,
    load_requirements,
    parse_requirements,
)

MINIMAL = """
[sources.assoc]
title = "Our association's 2025 handbook"

[[category]]
code = "IFS"
twin = "ECFS"
title = "Infant Family Specialist"
twin_title = "Early Childhood Family Specialist"
levels = [""]
training_hours = { value = 40, source = "assoc" }
"""


def test_bundled_requirements_state_the_published_minimums() -> None:
    rules = load_requirements()
    assert [c.code for c in rules.categories] == [
        "IFA", "IFS", "IFRS", "IMHS", "IMHM-C", "IMHM-P", "IMHM-R/F",
    ]  # fmt: skip
    ifs, imhs, clinical = (rules.category(c) for c in ("IFS", "IMHS", "IMHM-C"))
    assert ifs.training_hours is not None and ifs.training_hours.value == 30
    assert ifs.reflective_supervision_hours is not None
    assert ifs.reflective_supervision_hours.value == 24
    assert imhs.reflective_supervision_hours is not None
    assert imhs.reflective_supervision_hours.value == 50
    assert imhs.exam is not None and imhs.exam.value is True
    assert clinical.tracks == ("Clinical",)
    assert clinical.training_hours is None  # not published by our sources: absent
    assert ifs.training_hours.source is not None
    assert "Alliance" in ifs.training_hours.cited


@pytest.mark.parametrize("asked", ["ECFS", "ecfs", "IFS", "ifs"])
def test_twin_codes_and_spellings(asked: str) -> None:
    category = load_requirements().category(asked)
    assert category.levels == ("",)
    assert category.code == asked.upper()


def test_mentor_code_spellings() -> None:
    rules = load_requirements()
    assert rules.category("imhm-rf").code == "IMHM-R/F"
    assert rules.category("ECMHM-R/F").title.startswith("Early Childhood")


def test_unknown_category_lists_the_known_ones() -> None:
    with pytest.raises(RequirementsError, match="known: IFA, ECFA"):
        load_requirements().category("XYZ")


def test_an_associations_own_file(tmp_path: Path) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    rules = load_requirements(path)
    category = rules.category("ECFS")
    assert category.training_hours is not None
    assert category.training_hours.value == 40
    assert category.training_hours.cited == "Our association's 2025 handbook"
    assert category.reflective_supervision_hours is None
    assert rules.origin == str(path)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (("levels = [\"\"]", "levels = [\"\", \"IMHX\"]"),
         "category[1] (IFS): levels: unknown level 'IMHX'"),
        (("levels = [\"\"]", ""), "category[1] (IFS): 'levels' is missing"),
        (("training_hours", "trainng_hours"), "category[1] (IFS): unknown key 'trainng_hours'"),
        (("value = 40", "value = \"forty\""),
         "category[1] (IFS): training_hours: value must be a number"),
        (("source = \"assoc\"", "source = \"nobody\""), "training_hours: unknown source 'nobody'"),
        (("= { value = 40, source = \"assoc\" }", "= 40"), "training_hours: must be a table"),
        (("code = \"IFS\"", "code = \"ECFS\""),
         "category[1] (ECFS): 'twin' is the same code as 'code' ('ECFS'); give the twin its own"),
        # QA: tracks on a non-Mentor category used to be accepted and silently ignored.
        (("levels = [\"\"]", "levels = [\"\"]\ntracks = [\"Clinical\"]"),
         "category[1] (IFS): 'tracks' applies only to Mentor categories"),
        (("[[category]]", "[[category]"), "not valid TOML"),
    ],
)  # fmt: skip
def test_errors_name_the_file_and_the_key(
    tmp_path: Path, change: tuple[str, str], complaint: str
) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(MINIMAL.replace(*change), encoding="utf-8")
    with pytest.raises(RequirementsError) as caught:
        load_requirements(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert complaint in str(caught.value)


def test_missing_file_and_no_categories(tmp_path: Path) -> None:
    with pytest.raises(RequirementsError, match="no such file"):
        load_requirements(tmp_path / "absent.toml")
    with pytest.raises(RequirementsError, match=r"x\.toml: no \[\[category\]\] tables"):
        parse_requirements("[sources]\n", "x.toml")


def test_a_code_used_by_two_categories_is_named_with_both_uses(tmp_path: Path) -> None:
    """QA: the clash message read "category code 'ECFS' is used twice (also by IFS)"."""
    second = '[[category]]\ncode = "ECFS"\ntitle = "Another"\nlevels = [""]\n'
    with pytest.raises(RequirementsError) as caught:
        parse_requirements(MINIMAL + second, "ours.toml")
    assert str(caught.value) == (
        "ours.toml: 'ECFS' is used twice, as the twin of 'IFS' and as the code of category "
        "'ECFS'; every category and twin code must be different"
    )


def test_mentor_tracks_and_empty_tracks_are_accepted() -> None:
    text = MINIMAL.replace('levels = [""]', 'levels = ["", "IMHS", "IMHM"]\ntracks = ["Policy"]')
    assert parse_requirements(text, "x.toml").categories[0].tracks == ("Policy",)
    text = MINIMAL.replace('levels = [""]', 'levels = [""]\ntracks = []')
    assert parse_requirements(text, "x.toml").categories[0].tracks == ()


def test_only_an_unknown_category_is_an_unknown_category(tmp_path: Path) -> None:
    """The CLI suggests `crosswalk readiness categories` for this error only."""
    with pytest.raises(UnknownCategory):
        load_requirements().category("XYZ")
    with pytest.raises(RequirementsError) as caught:
        load_requirements(tmp_path / "absent.toml")
    assert not isinstance(caught.value, UnknownCategory)
