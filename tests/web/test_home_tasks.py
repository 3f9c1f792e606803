"""The home page starts from what people come to do: check trainings, look up a code,
compare two frameworks; the two forms lead straight to the page that answers.

"2.1" is printed only as a CKC code (seed 000), "6B.2" only as an IECMHC code (seed
002 line 50); "Advocacy" names two IMH knowledge areas (seed 000 lines 33 and 120);
"Self Awareness" is seed 002's spelling of Self-awareness (line 74).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from webpage import parse


def test_home_offers_the_three_tasks(client: TestClient) -> None:
    page = parse(client.get("/").text)
    assert page.texts("h3")[:3] == [
        "Check my trainings",
        "Look up a code",
        "Compare two frameworks",
    ]
    assert "/readiness" in page.hrefs()
    assert page.find("form", action="/lookup") and page.find("form", action="/compare")
    assert page.find("label", for_="lookup-code") and page.find("label", for_="compare-from")


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ({"code": "2.1"}, "/frameworks/wv-ckc-2015/items/2.1"),
        ({"code": " 6B.2 "}, "/frameworks/iecmhc/items/6B.2"),
        ({"code": "Self Awareness"}, "/frameworks/imh/items/reflection/self-awareness"),
        (
            {"code": "Advocacy", "framework": "wv-ckc-2015"},
            "/search?q=Advocacy&framework=wv-ckc-2015",
        ),
        ({"code": "reflectve supervison"}, "/search?q=reflectve+supervison"),
        ({"code": "4.4", "framework": "wv-ckc-2015"}, "/frameworks/wv-ckc-2015/items/4.4"),
        ({"code": ""}, "/#lookup"),
    ],
)
def test_lookup_goes_to_the_one_item_or_to_search(
    client: TestClient, query: dict[str, str], where: str
) -> None:
    response = client.get("/lookup", params=query, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == where


def test_lookup_of_a_shared_name_asks_which(client: TestClient) -> None:
    response = client.get("/lookup", params={"code": "Advocacy"})
    assert response.status_code == 300
    page = parse(response.text)
    assert {a["href"] for a, _ in page.find("a") if "/items/" in a.get("href", "")} == {
        "/frameworks/imh/items/direct-service-skills/advocacy",
        "/frameworks/imh/items/leading-people/advocacy",
    }


@pytest.mark.parametrize(
    ("pair", "where", "status"),
    [
        (("imh", "wv-ckc-2015"), "/crosswalks/imh-wv-ckc-2015", 303),
        (("wv-ckc-2015", "imh"), "/crosswalks/imh-wv-ckc-2015", 303),
        (("iecmhc", "wv-ckc-2015"), "/map?from=iecmhc&to=wv-ckc-2015", 303),
        (("imh", "imh"), "", 422),
        (("imh", "nope"), "", 422),
    ],
)
def test_compare_goes_to_the_crosswalk_or_the_map(
    client: TestClient, pair: tuple[str, str], where: str, status: int
) -> None:
    response = client.get(
        "/compare", params={"from": pair[0], "to": pair[1]}, follow_redirects=False
    )
    assert response.status_code == status
    if where:
        assert response.headers["location"] == where
