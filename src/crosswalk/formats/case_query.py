"""``GET CFDocuments``: paging, sorting, ``filter`` and ``fields`` as the binding has them.

The CASE 1.1 REST binding takes the 1EdTech conventions (OneRoster's): ``limit`` ≥ 1
and ``offset`` ≥ 0; ``sort`` names a field and ``orderBy`` is ``asc`` or ``desc``;
``filter`` is ``field op value`` (``=``, ``!=``, ``>``, ``>=``, ``<``, ``<=``, ``~``
for "contains"), predicates joined by ``AND`` or by ``OR``, values optionally in
single quotes, text compared without regard to case; ``fields`` lists the fields to
send.  Anything else is refused with the binding's error codes
(``invalid_selection_field``, ``invalid_sort_field``), never silently ignored.

A page always holds at least one document (the binding's CFDocumentSet requires
one): an offset past the end, or a filter that matches nothing, is "unknown object".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

DEFAULT_LIMIT = 100
SORTABLE = ("title", "identifier", "lastChangeDateTime", "creator", "publisher", "version")
# CFDocument fields a client may filter on or ask for (the binding's CFDocumentDType).
FIELDS = (
    "identifier", "uri", "frameworkType", "caseVersion", "creator", "title",
    "lastChangeDateTime", "officialSourceURL", "publisher", "description", "subject",
    "subjectURI", "language", "version", "adoptionStatus", "statusStartDate",
    "statusEndDate", "licenseURI", "notes", "extensions", "CFPackageURI",
)  # fmt: skip
REQUIRED = ("identifier", "uri", "creator", "title", "lastChangeDateTime", "CFPackageURI")
FILTERABLE = tuple(f for f in FIELDS if f not in ("subjectURI", "licenseURI", "extensions"))


class QueryError(ValueError):
    """A request the binding refuses: ``status`` 400 or 404 and an IMS code minor."""

    def __init__(self, status: int, minor: str, parameter: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.minor = minor
        self.parameter = parameter


@dataclass(frozen=True)
class Page:
    documents: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


def select_documents(documents: Sequence[dict[str, Any]], params: Mapping[str, str]) -> Page:
    """The page of ``documents`` the query parameters ask for (``params``: the query
    string as given; a repeated ``fields`` arrives comma-joined)."""
    limit = _whole(params, "limit", DEFAULT_LIMIT, minimum=1)
    offset = _whole(params, "offset", 0, minimum=0)
    order = params.get("orderBy", "asc")
    if order not in ("asc", "desc"):
        raise QueryError(
            400, "invalid_sort_field", "orderBy", f"orderBy={order!r}; use asc or desc"
        )
    sort = params.get("sort")
    if sort is not None and sort not in SORTABLE:
        raise QueryError(
            400, "invalid_sort_field", "sort", f"sort={sort!r}; sortable: {', '.join(SORTABLE)}"
        )
    fields = _fields(params.get("fields"))
    keep = _filter(params.get("filter"))
    found = [d for d in documents if keep(d)]
    if sort is not None:
        found.sort(key=lambda d: _text(d.get(sort)).lower(), reverse=order == "desc")
    elif order == "desc":
        found.reverse()
    if offset >= len(found):
        what = "no CFDocuments match the filter" if found == [] else f"offset {offset} is past"
        raise QueryError(
            404, "unknownobject", "offset", f"{what} (total {len(found)}); nothing to send"
        )
    page = found[offset : offset + limit]
    if fields is not None:
        page = [{k: v for k, v in d.items() if k in fields or k in REQUIRED} for d in page]
    return Page(page, len(found), limit, offset)


def _whole(params: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    value = params.get(name)
    if value is None:
        return default
    # ASCII digits only (str.isdigit takes '²' and '١٢'); more than 18 is no page size.
    number = int(value) if re.fullmatch(r"[0-9]{1,18}", value) else -1
    if number < minimum:
        raise QueryError(
            400,
            "invalid_selection_field",
            name,
            f"{name}={value[:40]!r} is not a whole number >= {minimum}",
        )
    return number


def _fields(value: str | None) -> set[str] | None:
    if value is None:
        return None
    names = {n.strip() for n in value.split(",") if n.strip()}  # none: the required only
    unknown = sorted(names - set(FIELDS))
    if unknown:
        raise QueryError(
            400,
            "invalid_selection_field",
            "fields",
            f"unknown field(s) {', '.join(unknown)[:200]}; fields: {', '.join(FIELDS)}",
        )
    return names


_FIELD = "(" + "|".join(FILTERABLE) + ")"
_OP = "(>=|<=|!=|=|>|<|~)"
_VALUE = "('[^']*'|[^' \\t]+)"
# Blanks are spelt out: JSON Schema's \s and Python's differ (NEL, separators …).
_ONE = rf"[ \t]*{_FIELD}[ \t]*{_OP}[ \t]*{_VALUE}"
# The grammar as one regular expression (published as the parameter's pattern, so the
# documentation and the parser cannot disagree): predicates joined by AND, or by OR.
FILTER_PATTERN = rf"^{_ONE}([ \t]+AND[ \t]+{_ONE})*[ \t]*$|^{_ONE}([ \t]+OR[ \t]+{_ONE})*[ \t]*$"
_PREDICATE_AT = re.compile(_ONE)
_JOIN_AT = re.compile(r"[ \t]+(AND|OR)[ \t]+")


def _filter(expression: str | None) -> Callable[[dict[str, Any]], bool]:
    if expression is None:
        return lambda _document: True
    predicates, joins, at = [], set(), 0
    while True:
        match = _PREDICATE_AT.match(expression, at)
        if match is None:
            raise QueryError(
                400,
                "invalid_selection_field",
                "filter",
                f"{expression[at : at + 80]!r} is not 'field op value' (op: = != > >= < <= ~; "
                f"fields: {', '.join(FILTERABLE)})",
            )
        predicates.append(_predicate(match[1], match[2], match[3]))
        at = match.end()
        join = _JOIN_AT.match(expression, at)
        if join is None:
            break
        joins.add(join[1])
        at = join.end()
    if expression[at:].strip(" \t"):
        raise QueryError(
            400, "invalid_selection_field", "filter", f"unexpected {expression[at:][:80]!r}"
        )
    if len(joins) > 1:
        raise QueryError(
            400, "invalid_selection_field", "filter", "filter mixes AND and OR; use one of them"
        )
    if joins == {"OR"}:
        return lambda document: any(p(document) for p in predicates)
    return lambda document: all(p(document) for p in predicates)


def _predicate(name: str, op: str, raw: str) -> Callable[[dict[str, Any]], bool]:
    wanted = (raw[1:-1] if raw.startswith("'") else raw).lower()

    def test(document: dict[str, Any]) -> bool:
        value = document.get(name)
        values = value if isinstance(value, list) else [value]
        return any(_compare(_text(v).lower(), op, wanted) for v in values if v is not None)

    return test


def _compare(value: str, op: str, wanted: str) -> bool:
    if op == "~":
        return wanted in value
    return {
        "=": value == wanted,
        "!=": value != wanted,
        ">": value > wanted,
        ">=": value >= wanted,
        "<": value < wanted,
        "<=": value <= wanted,
    }[op]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def link_header(url: str, page: Page, params: Mapping[str, str]) -> str:
    """RFC 8288 ``Link``: first, prev, next and last pages, other parameters kept."""
    from urllib.parse import urlencode

    kept = [(k, v) for k, v in params.items() if k not in ("limit", "offset")]

    def link(rel: str, offset: int) -> str:
        query = urlencode([("limit", str(page.limit)), ("offset", str(offset)), *kept])
        return f'<{url}?{query}>; rel="{rel}"'

    last = ((page.total - 1) // page.limit) * page.limit
    found = [link("first", 0)]
    if page.offset > 0:
        found.append(link("prev", max(0, page.offset - page.limit)))
    if page.offset + page.limit < page.total:
        found.append(link("next", page.offset + page.limit))
    found.append(link("last", last))
    return ", ".join(found)
