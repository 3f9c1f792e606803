"""The lint finds each kind of slip the seeds contain, and nothing else, on the fixture."""

from __future__ import annotations

import dataclasses

import pytest

from crosswalk.catalog import Catalog
from crosswalk.lint import CHECKS, Finding, lint, summary
from crosswalk.model import Alignment
from fixtures import sample_catalog, sample_dataset


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return lint(sample_catalog())


def by_check(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


def test_statement_printed_under_another_code(findings: list[Finding]) -> None:
    (found,) = by_check(findings, "statement-mismatch")
    assert found.scope == "imh-wv-ckc-2015"
    assert found.codes == ("direct-service-skills/observation-listening", "1.2", "1.1")
    assert "statement of 1.1" in found.message
    assert found.provenance and found.provenance[0].document == "seed 000"


def test_variant_wording_is_not_a_mismatch(findings: list[Finding]) -> None:
    # 1.2's variant wording (an alias) reads like 1.2 itself: no statement-mismatch for it.
    flagged = {f.codes[1] for f in by_check(findings, "statement-mismatch")}
    assert flagged == {"1.2"}
    assert len(by_check(findings, "statement-mismatch")) == 1


def test_two_items_with_one_description(findings: list[Finding]) -> None:
    (found,) = by_check(findings, "duplicate-description")
    assert found.codes == ("direct-service-skills/advocacy", "direct-service-skills/safety")
    assert "'Advocacy'" in found.message and "'Safety'" in found.message
    assert len(found.provenance) == 2


def test_variant_wordings_listed_with_where_printed(findings: list[Finding]) -> None:
    (found,) = by_check(findings, "variant-wording")
    assert found.codes == ("1.2",) and found.severity == "info"
    assert "childrens growth" in found.message and "seed 000, line 47" in found.message


def test_pair_cited_twice(findings: list[Finding]) -> None:
    (found,) = by_check(findings, "duplicate-citation")
    assert found.scope == "iecmhc-imh"
    assert found.codes == (
        "6A.2",
        "theoretical-foundations/relationship-focused-therapeutic-practice",
    )
    assert len(found.provenance) == 2


def test_cited_but_never_defined(findings: list[Finding]) -> None:
    found = by_check(findings, "undefined-reference")
    messages = " | ".join(f.message for f in found)
    assert "'T&TA Competencies'" in messages
    assert "area 'Administration'" in messages
    assert len(found) == 2  # no-match rows are information, not undefined references


def test_summary_lists_every_check(findings: list[Finding]) -> None:
    counts = summary(findings)
    assert list(counts) == list(CHECKS)
    assert counts == {
        "statement-mismatch": 1,
        "evidence-mismatch": 0,
        "level-mismatch": 2,  # the two untagged 6A.2 links to an IMHS knowledge area
        "duplicate-description": 1,
        "variant-wording": 1,
        "duplicate-citation": 1,
        "undefined-reference": 2,
    }


def test_only_chosen_checks_run() -> None:
    chosen = lint(sample_catalog(), ["duplicate-citation"])
    assert {f.check for f in chosen} == {"duplicate-citation"}
    with pytest.raises(ValueError, match="unknown check"):
        lint(sample_catalog(), ["spelling"])


def test_clean_data_has_no_findings() -> None:
    """Remove each planted slip from the fixture and the lint falls silent."""
    data = sample_dataset()
    safety = "direct-service-skills/safety"
    data.items = [
        dataclasses.replace(i, aliases=tuple(a for a in i.aliases if a.kind == "name"))
        for i in data.items
        if i.code != safety
    ]
    kept: list[Alignment] = []
    cited: set[tuple[str, str]] = set()
    for a in data.alignments:
        if a.source_code == safety or (a.target_code is None and not a.is_no_match):
            continue
        if a.target_code is not None and (a.source_code, a.target_code) in cited:
            continue
        if a.target_code is not None:
            cited.add((a.source_code, a.target_code))
        # The highest level tag: no link sits below its knowledge area's level.
        level = "MHM" if a.crosswalk == "iecmhc-imh" else a.level
        kept.append(dataclasses.replace(a, printed_target="", level=level))
    data.alignments = kept
    assert lint(Catalog(data)) == []


def test_pair_cited_twice_says_how_the_citations_differ(findings: list[Finding]) -> None:
    """The fixture cites 6A.2 twice with two strengths: perhaps on purpose, so info."""
    (found,) = by_check(findings, "duplicate-citation")
    assert found.severity == "info"
    assert found.message.startswith("6A.2 → Relationship focused therapeutic practice")
    assert "strength (Important and Essential)" in found.message
    assert "lines 24–27 and 28–31" in found.message


def test_pair_cited_twice_names_the_levels() -> None:
    data = sample_dataset()
    data.alignments = [
        dataclasses.replace(a, level="MHM", strength="Important")
        if (a.crosswalk, a.position) == ("iecmhc-imh", 2)
        else a
        for a in data.alignments
    ]
    (found,) = lint(Catalog(data), ["duplicate-citation"])
    assert "level (– and MHM)" in found.message and "strength" not in found.message
