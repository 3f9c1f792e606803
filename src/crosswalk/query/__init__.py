"""Questions asked of a catalog: lookup, map (direct and chained), gaps, coverage, matrix,
search and the flat alignment rows.

Every function takes a :class:`~crosswalk.catalog.Catalog` and returns small frozen
dataclasses, so the CLI, the web pages and the JSON API render the same answers and
none of them needs to know how the data is stored.
"""

from crosswalk.catalog import NotFound
from crosswalk.query.lookup import (
    Description,
    Link,
    LinkGroup,
    describe,
    find_item,
    looks_like_code,
    suggestions,
)
from crosswalk.query.mapping import (
    Hop,
    MapAnswer,
    Mapping,
    NoRoute,
    UnknownCode,
    Unmatched,
    map_codes,
    map_each,
    shortest_routes,
)
from crosswalk.query.report import (
    ALIGNMENT_COLUMNS,
    AxisGroup,
    Coverage,
    Gaps,
    Matrix,
    NoMatch,
    SourceAreaCoverage,
    SourceFilter,
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
    "MapAnswer",
    "Mapping",
    "Matrix",
    "NoMatch",
    "NoRoute",
    "NotFound",
    "SearchHit",
    "SourceAreaCoverage",
    "SourceFilter",
    "TargetAreaCoverage",
    "TargetUse",
    "UnknownCode",
    "Unmatched",
    "alignment_rows",
    "coverage",
    "describe",
    "find_item",
    "gaps",
    "looks_like_code",
    "map_codes",
    "map_each",
    "matrix",
    "search",
    "shortest_routes",
    "suggestions",
]
