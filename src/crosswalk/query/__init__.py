"""Questions asked of a catalog: lookup, map (direct and chained), gaps, coverage, matrix,
search and the flat alignment rows.

Every function takes a :class:`~crosswalk.catalog.Catalog` and returns small frozen
dataclasses, so the CLI, the web pages and the JSON API render the same answers and
none of them needs to know how the data is stored.
"""

from crosswalk.catalog import NotFound
from crosswalk.query.lookup import Description, Link, LinkGroup, describe, find_item, suggestions
from crosswalk.query.mapping import Hop, Mapping, NoRoute, map_codes, shortest_routes
from crosswalk.query.report import (
    ALIGNMENT_COLUMNS,
    AxisGroup,
    Coverage,
    Gaps,
    Matrix,
    NoMatch,
    SourceAreaCoverage,
    TargetAreaCoverage,
    TargetUse,
    alignment_rows,
    coverage,
    gaps,
    matrix,
)
from crosswalk.query.search import SearchHit, search

__all__ = [
    "ALIGNMENT_COLUMNS",
    "AxisGroup",
    "Coverage",
    "Description",
    "Gaps",
    "Hop",
    "Link",
    "LinkGroup",
    "Mapping",
    "Matrix",
    "NoMatch",
    "NoRoute",
    "NotFound",
    "SearchHit",
    "SourceAreaCoverage",
    "TargetAreaCoverage",
    "TargetUse",
    "alignment_rows",
    "coverage",
    "describe",
    "find_item",
    "gaps",
    "map_codes",
    "matrix",
    "search",
    "shortest_routes",
    "suggestions",
]
