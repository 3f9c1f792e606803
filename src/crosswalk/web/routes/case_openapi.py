"""How ``/openapi.json`` describes the CASE 1.1 routes: what they really answer.

The shapes follow the 1EdTech CASE 1.1 REST binding (its OpenAPI is the reference the
test suite validates every answer against); here they are written down as far as a
client needs them: the required fields and their types, the error payload, the status
codes.  Parameters are declared here rather than in the route signatures because the
binding wants its own error payload (400 ``invalid_selection_field``, 404
``invalid_uuid`` …), not FastAPI's 422.
"""

from __future__ import annotations

from typing import Any

UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
TEXT = {"type": "string"}
TIME = {"type": "string", "format": "date-time"}


def _object(required: dict[str, Any], **optional: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(required),
        "properties": required | optional,
        "additionalProperties": True,
    }


LINK = _object({"title": TEXT, "identifier": TEXT, "uri": {"type": "string", "format": "uri"}})
EXTENSIONS = {"type": "object"}
_RECORD = {"identifier": TEXT, "uri": TEXT}
DOCUMENT = _object(
    _RECORD | {"creator": TEXT, "title": TEXT, "lastChangeDateTime": TIME},
    CFPackageURI=LINK,
    licenseURI=LINK,
    extensions=EXTENSIONS,
)
ITEM = _object(
    _RECORD | {"fullStatement": TEXT, "lastChangeDateTime": TIME},
    CFItemTypeURI=LINK,
    educationLevel={"type": "array", "items": TEXT},
    extensions=EXTENSIONS,
)
ASSOCIATION = _object(
    _RECORD
    | {
        "associationType": TEXT,
        "originNodeURI": LINK,
        "destinationNodeURI": LINK,
        "lastChangeDateTime": TIME,
    },
    sequenceNumber={"type": "integer"},
    CFAssociationGroupingURI=LINK,
    extensions=EXTENSIONS,
)
_DEFINITION = _RECORD | {"title": TEXT, "lastChangeDateTime": TIME}
ITEM_TYPE = _object(_DEFINITION | {"description": TEXT, "hierarchyCode": TEXT})
GROUPING = _object(_DEFINITION, description=TEXT, extensions=EXTENSIONS)
LICENSE = _object(_DEFINITION | {"licenseText": TEXT})
SUBJECT = _object(_DEFINITION | {"hierarchyCode": TEXT})
CONCEPT = _object(_DEFINITION | {"hierarchyCode": TEXT})
RUBRIC = _object({"identifier": TEXT, "uri": TEXT, "lastChangeDateTime": TIME})


def _set(name: str, record: dict[str, Any]) -> dict[str, Any]:
    return _object({name: {"type": "array", "minItems": 1, "items": record}})


PACKAGE = _object(
    {"CFDocument": DOCUMENT},
    CFItems={"type": "array", "items": ITEM},
    CFAssociations={"type": "array", "items": ASSOCIATION},
    CFDefinitions={"type": "object"},
    CFRubrics={"type": "array", "items": RUBRIC},
)
ITEM_ASSOCIATIONS = _object(
    {"CFItem": ITEM, "CFAssociations": {"type": "array", "minItems": 1, "items": ASSOCIATION}}
)
STATUS_INFO = {
    "type": "object",
    "required": ["imsx_codeMajor", "imsx_severity"],
    "properties": {
        "imsx_codeMajor": {"type": "string", "enum": ["failure", "unsupported"]},
        "imsx_severity": {"type": "string", "enum": ["error"]},
        "imsx_description": TEXT,
        "imsx_codeMinor": _object(
            {
                "imsx_codeMinorField": {
                    "type": "array",
                    "items": _object(
                        {"imsx_codeMinorFieldName": TEXT, "imsx_codeMinorFieldValue": TEXT}
                    ),
                }
            }
        ),
    },
}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


NOT_FOUND = _json(
    "No object with this identifier (codeMinor unknownobject), or the identifier is not "
    "a UUID (invalid_uuid).",
    STATUS_INFO,
)


def responses(schema: dict[str, Any], *, bad_request: bool = False) -> dict[int | str, Any]:
    """The documented answers of one read endpoint."""
    found: dict[int | str, Any] = {200: _json("The object.", schema), 404: NOT_FOUND}
    if bad_request:
        found[400] = _json(
            "A parameter is not valid (invalid_selection_field, invalid_sort_field).",
            STATUS_INFO,
        )
    return found


SOURCED_ID = {
    "parameters": [
        {
            "name": "sourcedId",
            "in": "path",
            "required": True,
            "description": "The object's identifier (a UUID).",
            "schema": {"type": "string"},
        }
    ]
}


def list_parameters(
    sortable: tuple[str, ...], fields: tuple[str, ...], filter_pattern: str
) -> dict[str, Any]:
    """``limit``, ``offset``, ``sort``, ``orderBy``, ``filter``, ``fields`` of CFDocuments."""

    def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": schema,
        }

    return {
        "parameters": [
            query("limit", {"type": "integer", "minimum": 1}, "Documents per page (100)."),
            query("offset", {"type": "integer", "minimum": 0}, "First document (0)."),
            query("sort", {"type": "string", "enum": list(sortable)}, "Sort by this field."),
            query("orderBy", {"type": "string", "enum": ["asc", "desc"]}, "Sort order."),
            query(
                "filter",
                {"type": "string", "pattern": filter_pattern},
                "`field op value` (op one of = != > >= < <= ~, text compared without "
                "regard to case, ~ is 'contains'), joined by AND or by OR; a value with "
                "spaces in 'single quotes'.  Anything else: 400 invalid_selection_field.",
            ),
            {
                **query(
                    "fields",
                    {"type": "array", "items": {"type": "string", "enum": list(fields)}},
                    "Only these fields (besides the required ones).",
                ),
                "style": "form",
                "explode": False,
            },
        ]
    }
