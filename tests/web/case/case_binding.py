"""The official CASE 1.1 REST binding as a validator of our answers (and the hook).

``../shared/interop/case-v1p1-openapi3.json`` is 1EdTech's OpenAPI document of the
binding; it is read in place (never copied into the project).  Every CASE answer a
test receives is checked against the schema the binding gives for that operation and
status (``default``, the ``imsx_StatusInfo`` shape, for statuses it does not list),
and counted, so the suite can say how many it checked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import jsonschema
from fastapi.testclient import TestClient

BINDING = Path(__file__).resolve().parents[4] / "shared" / "interop" / "case-v1p1-openapi3.json"
PREFIX = "/ims/case/v1p1"


class Binding:
    def __init__(self, path: Path = BINDING) -> None:
        spec = json.loads(path.read_text(encoding="utf-8"))
        self.components = spec["components"]
        self.operations: list[tuple[re.Pattern[str], dict[str, Any]]] = []
        for template, methods in spec["paths"].items():
            pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
            self.operations.append((re.compile(pattern + "$"), methods["get"]))
        self.validated = 0
        self.by_status: dict[int, int] = {}

    def schema_for(self, path: str, status: int) -> dict[str, Any]:
        local = path.removeprefix(PREFIX)
        for pattern, operation in self.operations:
            if pattern.match(local):
                responses = operation["responses"]
                answer = responses.get(str(status), responses["default"])
                return dict(answer["content"]["application/json"]["schema"])
        # Not an operation of the binding (an unknown path): its error shape.
        return {"$ref": "#/components/schemas/imsx_StatusInfoDType"}

    def errors(self, path: str, status: int, body: Any) -> list[str]:
        schema = self.schema_for(path, status) | {"components": self.components}
        validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
        found = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        self.validated += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in found[:5]]


_binding: Binding | None = None


def binding() -> Binding | None:
    """The shared validator, or None when ../shared/interop is absent."""
    global _binding
    if _binding is None and BINDING.exists():
        _binding = Binding()
    return _binding


def check_case_answer(response: httpx.Response) -> None:
    """Validate one answer against the binding (no-op without ../shared/interop)."""
    request = response.request
    validator = binding()
    if validator is None or request.method == "HEAD" or not request.url.path.startswith(PREFIX):
        return
    if response.status_code == 304:
        return
    response.read()
    body = json.loads(response.content)
    errors = validator.errors(request.url.path, response.status_code, body)
    assert not errors, (request.url.path, response.status_code, errors)


def validated(client: TestClient) -> TestClient:
    client.event_hooks["response"] = [*client.event_hooks["response"], check_case_answer]
    return client
