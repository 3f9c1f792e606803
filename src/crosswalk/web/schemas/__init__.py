"""The JSON API's documents: pydantic models, so /openapi.json describes them exactly.

Keys follow the CLI's ``--format json`` (``framework, code, name`` for an item,
``relation, strength, level, evidence, note, provenance`` for a link), so a consumer
sees the same words whichever interface it reads.  Each ``of_*`` function turns a
library answer into its document; routes do nothing else.
"""

from crosswalk.web.schemas.analysis import (
    CoverageOut,
    FindingOut,
    GapsOut,
    NoMatchOut,
    SourceAreaOut,
    TargetAreaOut,
    TargetUseOut,
)
from crosswalk.web.schemas.common import ErrorOut, ItemRef, Page
from crosswalk.web.schemas.crosswalks import (
    AlignmentFields,
    AlignmentOut,
    ChainOut,
    CrosswalkOut,
    HopOut,
    ItemDetail,
    LinkOut,
    MapOut,
    MappingOut,
    UnknownCodeOut,
)
from crosswalk.web.schemas.items import (
    AliasOut,
    FrameworkOut,
    ItemOut,
    SearchHitOut,
    framework_counts,
)

__all__ = [
    "AliasOut",
    "AlignmentFields",
    "AlignmentOut",
    "ChainOut",
    "CoverageOut",
    "CrosswalkOut",
    "ErrorOut",
    "FindingOut",
    "FrameworkOut",
    "GapsOut",
    "HopOut",
    "ItemDetail",
    "ItemOut",
    "ItemRef",
    "LinkOut",
    "MapOut",
    "MappingOut",
    "NoMatchOut",
    "Page",
    "SearchHitOut",
    "SourceAreaOut",
    "TargetAreaOut",
    "TargetUseOut",
    "UnknownCodeOut",
    "framework_counts",
]
