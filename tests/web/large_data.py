"""A crosswalk far larger than the bundled ones, for the tests of bounded responses.

Two frameworks of ``AREAS`` areas × ``PER_AREA`` items and a crosswalk between them
with links spread over every pair of areas, added to the bundled data.  Large enough
that drawing its whole item matrix (230,000 cells) would blow any response bound,
small enough to load in a second.
"""

from __future__ import annotations

from crosswalk.model import Alignment, Crosswalk, Dataset, Framework, Item, Relation
from crosswalk.sources.bundled import load_bundled

AREAS = 8
PER_AREA = 60
CROSSWALK = "big-a-big-b"


def _framework(framework: str) -> list[Item]:
    items: list[Item] = []
    for area in range(1, AREAS + 1):
        items.append(Item(framework, str(area), f"Area {area}", kind="area", position=area))
        for n in range(1, PER_AREA + 1):
            items.append(
                Item(
                    framework,
                    f"{area}.{n}",
                    f"Competency {area}.{n} of {framework}",
                    parent=str(area),
                    position=n,
                )
            )
    return items


def large_dataset() -> Dataset:
    """The bundled data plus ``big-a`` → ``big-b`` (3 links per source item, 1 no-match)."""
    data = load_bundled()
    frameworks = [Framework("big-a", "Big A"), Framework("big-b", "Big B")]
    leaves = [f"{a}.{n}" for a in range(1, AREAS + 1) for n in range(1, PER_AREA + 1)]
    alignments = [
        Alignment(
            CROSSWALK, source, leaves[(k * 37 + step * 101) % len(leaves)], position=3 * k + step
        )
        for k, source in enumerate(leaves)
        for step in range(3)
    ]
    alignments.append(
        Alignment(CROSSWALK, "1.1", None, Relation.NO_MATCH, position=len(alignments))
    )
    return Dataset(
        [*data.frameworks, *frameworks],
        [*data.items, *_framework("big-a"), *_framework("big-b")],
        [*data.crosswalks, Crosswalk(CROSSWALK, "Big A to Big B", "big-a", "big-b")],
        [*data.alignments, *alignments],
    )
