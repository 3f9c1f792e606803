"""Questions asked of a catalog: lookup, map (direct and chained), gaps, coverage, matrix,
search, and the flat rows of alignments, maps and lint findings.

Every function takes a :class:`~crosswalk.catalog.Catalog` and returns small frozen
dataclasses, so the CLI, the web pages and the JSON API render the same answers and
none of them needs to know how the data is stored.
"""

from crosswalk.catalog import NotFound
from crosswalk.query.chains import Chain, chains, chains_by_target
from crosswalk.query.filters import (
    alignment_rows_at,
    alignments_at,
    levels_on_links,
    levels_present,
    scope_text,
    source_filter,
)
from crosswalk.query.lookup import (
    Description,
    Link,
    LinkGroup,
    describe,
    find_item,
    locate,
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
    CrosswalkCounts,
    Gaps,
    Matrix,
    NoMatch,
    SourceAreaCoverage,
    SourceFilter,
    TargetAreaCoverage,
    TargetUse,
    alignment_rows,
    coverage,
    crosswalk_counts,
    gaps,
    matrix,
)
from crosswalk.query.rows import (
    LINT_COLUMNS,
    MAP_COLUMNS,
    alignment_fields,
    lint_rows,
    map_rows,
    path_text,
)
from crosswalk.query.search import SearchHit, search
from crosswalk.query.tree import TreeLevel, TreeNode, framework_tree

__all__ = [
    "ALIGNMENT_COLUMNS",
    "LINT_COLUMNS",
    "MAP_COLUMNS",
    "AxisGroup",
    "Chain",
    "Coverage",
    "CrosswalkCounts",
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
    "TreeLevel",
    "TreeNode",
    "UnknownCode",
    "Unmatched",
    "alignment_fields",
    "alignment_rows",
    "alignment_rows_at",
    "alignments_at",
    "chains",
    "chains_by_target",
    "coverage",
    "crosswalk_counts",
    "describe",
    "find_item",
    "framework_tree",
    "gaps",
    "levels_on_links",
    "levels_present",
    "lint_rows",
    "locate",
    "looks_like_code",
    "map_codes",
    "map_each",
    "map_rows",
    "matrix",
    "path_text",
    "scope_text",
    "search",
    "shortest_routes",
    "source_filter",
    "suggestions",
]
