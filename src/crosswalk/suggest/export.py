"""Suggestions as an SSSOM mapping set: confidence and SEMAPV justification per row.

The rows are the proposed alignments that accepting each suggestion would create, put in
a draft crosswalk of their own and written by the one SSSOM writer
(:mod:`crosswalk.formats.sssom`), so a file of suggestions reads like any other mapping
set and comes back through ``crosswalk import`` as proposed alignments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from crosswalk.catalog import Catalog
from crosswalk.formats import sssom
from crosswalk.model import Crosswalk, Dataset
from crosswalk.suggest.suggestion import Mode, Suggestion


def suggested_crosswalk(source: str, target: str, mode: Mode) -> Crosswalk:
    return Crosswalk(
        id=f"suggested-{source}-{target}",
        title=f"Suggested alignments {source} → {target} ({mode.value})",
        source_framework=source,
        target_framework=target,
        description=(
            "Machine suggestions, not reviewed: each row is a proposed alignment with its "
            "score as confidence and the matching process that carried it."
        ),
        status="draft",
    )


def to_sssom(
    catalog: Catalog, source: str, target: str, suggestions: Iterable[Suggestion], mode: Mode
) -> str:
    """SSSOM TSV of pair suggestions (free-text suggestions have no subject: refused)."""
    crosswalk = suggested_crosswalk(source, target, mode)
    alignments = [
        replace(s.to_alignment(crosswalk.id), position=n) for n, s in enumerate(suggestions)
    ]
    data = catalog.dataset
    view = Catalog(
        Dataset(
            frameworks=list(data.frameworks),
            items=list(data.items),
            crosswalks=[crosswalk],
            alignments=alignments,
        )
    )
    return sssom.dumps(view, crosswalk.id)
