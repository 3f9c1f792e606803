"""Every provenance links to the document as printed, the cited lines marked, and where
we corrected the text, the printed line beside our reading with the reason.

Read off the documents: seed 002 (``002_23138a9850aa3d8a.txt``) prints 6A.2's first
link on lines 9–13 (line 9 "6A.2. Helps families and staff understand …", line 13 its
"As Demonstrated by" text); seed 000 line 25 is the overprinted page break where
erratum E03 names the row "Agency policy" and E02 breaks the row at " 6.7".
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from webpage import parse

from crosswalk.model import Provenance
from crosswalk.sources.documents import source_text
from crosswalk.web.views import source_link


def test_item_page_links_each_provenance_to_its_lines(client: TestClient) -> None:
    page = parse(client.get("/frameworks/iecmhc/items/6A.2").text)
    links = [(a["href"], text) for a, text in page.find("a", class_="provenance")]
    # The item's own source names the document; in the links table, where the crosswalk
    # is named beside it, the lines (the document's title is still read out).
    assert ("/sources/002?lines=9#L9", "IECMHC → IMH Endorsement® crosswalk, line 9") in links
    assert (
        "/sources/002?lines=9-13#L9",
        "Lines 9–13 of IECMHC competencies (domain 6) crosswalked to the Infant Mental Health "
        "Endorsement® competencies",
    ) in links
    assert all(href.startswith("/sources/") for href, _ in links)
    assert "seed 002" not in page.words


def test_the_source_view_marks_the_cited_lines(client: TestClient) -> None:
    response = client.get("/sources/002?lines=9-13")
    assert response.status_code == 200
    page = parse(response.text)
    cited = [a["id"] for a, _ in page.find("li") if "cited" in a.get("class", "").split()]
    assert cited == ["L9", "L10", "L11", "L12", "L13"]
    line_9 = next(text for a, text in page.find("li") if a.get("id") == "L9")
    assert "6A.2. Helps families and staff understand" in line_9
    assert "Lines 9–13 are the source of the link you came from" in page.words
    (title,) = page.texts("h1")
    assert title.startswith("IECMHC competencies (domain 6) crosswalked to the Infant Mental")


def test_a_corrected_line_shows_print_and_reading_with_the_reason(client: TestClient) -> None:
    page = parse(client.get("/sources/000?lines=25").text)
    line = next(text for a, text in page.find("li") if a.get("id") == "L25")
    assert "As printed" in line and "Our reading" in line
    assert "Agency policy" in line  # the name E03 gives the row
    assert "Law, Regulation & Agency Policy" in line  # E03's reason
    text = source_text("000")
    assert text is not None
    corrected = text.lines[24]
    assert corrected.number == 25 and [e.id for e in corrected.corrections][:3] == [
        "E02",
        "E03",
        "E04",
    ]
    assert len(corrected.reading) == 2  # E02 breaks the line into two rows


def test_an_item_read_through_an_erratum_links_to_that_line(client: TestClient) -> None:
    page = client.get("/frameworks/imh/items/law-regulation-agency-policy/agency-policy").text
    assert 'href="/sources/000?lines=25#L25"' in page


def test_unknown_documents_and_lines(client: TestClient) -> None:
    assert client.get("/sources/999").status_code == 404
    assert client.get("/sources/002?lines=0").status_code == 422
    assert client.get("/sources/002?lines=90-200").status_code == 422
    assert client.get("/sources/002?lines=nine").status_code == 422
    # Provenance naming a document we do not ship (imported data) stays text.
    assert source_link("minutes of 3 May, line 4") is None
    assert source_link(Provenance("seed 002", 9, 13)) is not None


def test_pages_name_documents_by_title(client: TestClient) -> None:
    for url in (
        "/",
        "/lint",
        "/sources",
        "/frameworks/imh",
        "/frameworks/wv-ckc-2015",
        "/frameworks/iecmhc",
        "/frameworks/wv-ckc-2015/items/1.2",
        "/frameworks/imh/items/direct-service-skills/observation-listening",
    ):
        words = parse(client.get(url).text).words
        assert not re.search(r"\bseed \d{3}\b", words), url
