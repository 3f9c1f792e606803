"""The JSON API keeps the promises of its OpenAPI document, checked by Schemathesis.

Every operation of ``/openapi.json`` (the CASE routes aside: their own tests cover them
against the official binding) is called with values the schema allows and values it
refuses, and with methods it does not list; each answer must have a documented status,
content type and body, valid input must not be refused (422) and invalid input must
not be accepted, and an unlisted method must be 405 with ``Allow``.  The examples are
drawn deterministically and their number per operation is bounded, so the run is
repeatable and takes about a minute.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis

from crosswalk.web.app import create_app

# Examples per operation and phase: enough to reach every parameter's edges, few enough
# that the whole contract runs in about a minute on two cores.
MAX_EXAMPLES = 30


# Schemathesis builds its tests when the module is collected, so the app and its
# database are made here (a folder of its own, removed after the module's tests).
FOLDER = Path(tempfile.mkdtemp(prefix="crosswalk-contract-"))
APP = create_app(f"sqlite:///{FOLDER / 'contract.sqlite3'}")
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).exclude(path_regex=r"^/ims/case/")
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")
# A request refused for its length (an address over 8 kB: 414, before any parameter is
# read — a text past its maxLength in a query) is refused, as negative data must be.
rejection = schema.config.checks.negative_data_rejection
rejection.expected_statuses = [*rejection.expected_statuses, "414"]


@pytest.fixture(scope="module", autouse=True)
def _remove_database() -> Iterator[None]:
    yield
    shutil.rmtree(FOLDER, ignore_errors=True)


@schema.parametrize()
def test_every_operation_keeps_its_contract(case: schemathesis.Case) -> None:
    case.call_and_validate()
