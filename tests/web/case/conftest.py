"""CASE web tests: every answer is checked against the official REST binding.

``case_client`` is the real app (TestClient) with a response hook that validates
each answer (HEAD aside) under ``/ims/case/v1p1`` against the binding's schema for its
operation and status, failing the test on the first mismatch.  The number of answers
checked is printed at the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from case_binding import binding, validated
from fastapi.testclient import TestClient

from crosswalk.web.app import create_app


@pytest.fixture(scope="module")
def case_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('case') / 'db.sqlite3'}"
    with TestClient(create_app(url)) as client:
        yield validated(client)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    validator = binding()
    if validator is not None and validator.validated:
        statuses = ", ".join(f"{n} × {s}" for s, n in sorted(validator.by_status.items()))
        terminalreporter.write_line(
            f"CASE answers validated against the official 1EdTech binding: "
            f"{validator.validated} ({statuses})"
        )
