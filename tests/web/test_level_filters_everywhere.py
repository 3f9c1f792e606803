"""The command line, the JSON API and the crosswalk page count one level alike.

The expected numbers are the hand count of seed 002 in ``tests/test_level_filters.py``:
at the Family Specialist level (untagged links) IECMHC → IMH has 5 links from 4
competencies, at IMHM 8 links from 7; Observation & listening and Consulting are cited
only by MHM links, so at FS they are never cited.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from webpage import parse

from crosswalk.cli import app

# scope: (links, competencies linked)
COUNTS = {"FS": (5, 4), "IMHM": (8, 7), "IMHS": (6, 4), "upto-IMHS": (11, 8)}
ONLY_MHM = {"direct-service-skills/observation-listening", "working-with-others/consulting"}


@pytest.mark.parametrize("scope", list(COUNTS))
def test_cli_api_and_page_count_the_links_at_a_level(client: TestClient, scope: str) -> None:
    links, linked = COUNTS[scope]
    runner = CliRunner()
    shown = runner.invoke(app, ["coverage", "iecmhc-imh", "--level", scope, "-f", "json"])
    assert shown.exit_code == 0, shown.output
    cli = json.loads(shown.stdout)
    assert sum(a["links"] for a in cli["source_areas"]) == links
    assert sum(a["linked"] for a in cli["source_areas"]) == linked

    api = client.get("/api/crosswalks/iecmhc-imh/coverage", params={"level": scope}).json()
    assert sum(a["links"] for a in api["source_areas"]) == links
    assert sum(a["linked"] for a in api["source_areas"]) == linked

    page = parse(client.get("/crosswalks/iecmhc-imh", params={"level": scope}).text)
    rows = page.table("cov-source")  # Area, Items, Linked, No match, Links
    assert sum(int(row[3]) for row in rows) == links
    assert sum(int(row[1]) for row in rows) == linked


def test_cli_api_and_page_list_areas_only_mhm_links_cite_as_never_cited_at_fs(
    client: TestClient,
) -> None:
    shown = CliRunner().invoke(app, ["gaps", "iecmhc-imh", "--level", "FS", "-f", "json"])
    cli = {row["code"] for row in json.loads(shown.stdout)["unreferenced"]}
    api = client.get("/api/crosswalks/iecmhc-imh/gaps?level=FS").json()
    assert cli >= ONLY_MHM
    assert {i["code"] for i in api["unreferenced"]} >= ONLY_MHM
    assert cli == {i["code"] for i in api["unreferenced"]}
    page = client.get("/crosswalks/iecmhc-imh?level=FS").text
    never = page.split('id="gaps-unreferenced"')[1]
    assert "Observation &amp; listening" in never and ">Consulting<" in never
