"""Every request is bounded, and none holds up the others.

* A map question has at most ``MAX_MAP_CODES`` codes, and its page grows with the codes
  given, not with their square; an address or a body over the app's limits is refused
  with a 4xx naming the limit, for every route.
* A method a route does not take is 405 with ``Allow``, CASE routes included.
* No route or error handler runs on the event loop (the readiness upload only
  receives its body there): a slow request never delays a static file.
"""

from __future__ import annotations

import inspect
import threading
import time
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount
from webpage import on_event_loop, parse, serving

from crosswalk.catalog import Catalog
from crosswalk.web.app import create_app
from crosswalk.web.guards import RequestLimits, allowed_methods, flat_routes
from crosswalk.web.limits import MAX_BODY_BYTES, MAX_MAP_CODES, MAX_TARGET_BYTES

MAP = "/map?from=wv-ckc-2015&to=imh"
API_MAP = "/api/map?from=wv-ckc-2015&to=imh"


def _codes(count: int, start: int = 0) -> str:
    return "&".join(f"codes=9.{n}" for n in range(start, start + count))


# -- a map question is bounded -------------------------------------------------------


def test_a_map_question_has_at_most_so_many_codes(client: TestClient) -> None:
    typed = ", ".join(f"1.{n}" for n in range(MAX_MAP_CODES + 1))
    for url in (MAP, f"{MAP}&format=csv", API_MAP):
        response = client.get(f"{url}&{urlencode({'codes': typed})}")
        assert response.status_code == 422, url
        text = response.json()["detail"] if "api" in url else parse(response.text).words
        assert f"at most {MAX_MAP_CODES} codes" in text, url
    fewer = urlencode({"codes": typed.rsplit(",", 1)[0]})
    assert client.get(f"{API_MAP}&{fewer}").status_code == 200


def test_the_map_page_grows_with_the_codes_not_their_square(client: TestClient) -> None:
    sizes = {n: len(client.get(f"{MAP}&codes=2.1&{_codes(n)}").content) for n in (10, 20, 40)}
    # Linear: doubling the unknown codes adds twice as much; a square would add four times.
    growth = (sizes[40] - sizes[20]) / (sizes[20] - sizes[10])
    assert 1.5 < growth < 2.5, sizes
    assert sizes[40] < 120_000


def test_a_map_answer_stops_at_its_limit_and_says_so(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crosswalk.web.routes import api, explore

    whole = client.get(f"{API_MAP}&codes=2.1&codes=4.1&codes=6.6").json()
    assert whole["complete"] is True and len(whole["results"]) > 2
    for module in (api, explore):
        monkeypatch.setattr(module, "MAX_MAPPINGS", 2)
    cut = client.get(f"{API_MAP}&codes=2.1&codes=4.1&codes=6.6&_=cut").json()
    assert cut["complete"] is False and len(cut["results"]) == 2
    assert all(r in whole["results"] and r["code"] == "2.1" for r in cut["results"])
    assert cut["unmatched"] == []  # codes left out are not said to match nothing
    page = parse(client.get(f"{MAP}&codes=2.1&codes=4.1&_=cut").text)
    assert "These are the first 2 results only" in page.words


def test_a_long_address_is_414_naming_the_limit(client: TestClient) -> None:
    long_query = _codes(1_000)  # about 14 kB, as in the report that found it
    assert len(long_query) > MAX_TARGET_BYTES
    page = client.get(f"{MAP}&{long_query}")
    assert page.status_code == 414
    assert f"{MAX_TARGET_BYTES:,} bytes" in parse(page.text).words
    api = client.get(f"{API_MAP}&{long_query}")
    assert api.status_code == 414 and f"{MAX_TARGET_BYTES:,} bytes" in api.json()["detail"]


def test_a_declared_large_body_is_413_before_it_is_read(client: TestClient) -> None:
    headers = {"content-length": str(MAX_BODY_BYTES + 1), "content-type": "text/plain"}
    response = client.post("/readiness", content=b"x" * 10, headers=headers)
    assert response.status_code == 413
    assert "larger than 12 MB" in parse(response.text).words


async def _read_body(scope: Any, receive: Any, send: Any) -> None:
    """An app that reads its whole body, as an upload route does."""
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def test_a_streamed_body_is_cut_off_at_the_limit() -> None:
    read: list[int] = []

    def chunks() -> Any:
        for _ in range(10):
            read.append(1)
            yield b"x" * 1_000

    limited = TestClient(RequestLimits(_read_body, max_body=3_500))  # no lifespan: no `with`
    response = limited.post("/api/anything", content=chunks())
    assert response.status_code == 413
    assert response.json()["detail"].startswith("the request body is larger than")
    assert limited.post("/upload", content=b"x" * 3_000).text == "3000"


# -- 405 for every route -------------------------------------------------------------


SAMPLES = {
    "framework_id": "imh",
    "crosswalk_id": "imh-wv-ckc-2015",
    "code": "2.1",
    "sourced_id": "00000000-0000-0000-0000-000000000000",
    "unknown": "nothing",
    "path": "style.css",
}


def _sample_path(path: str) -> str:
    for name, value in SAMPLES.items():
        path = path.replace(f"{{{name}:path}}", value).replace(f"{{{name}}}", value)
    return path


def test_a_method_a_route_does_not_take_is_405_with_allow(client: TestClient) -> None:
    routes = list(flat_routes(client.app.router.routes))  # type: ignore[attr-defined]
    checked = 0
    for route in routes:
        path = _sample_path(route.path + ("/{path}" if isinstance(route, Mount) else ""))
        allowed = set()
        for other in routes:
            if getattr(other, "path", None) == route.path:
                allowed |= allowed_methods(other)
        if "{unknown" in route.path:  # the CASE catch-all takes what it takes
            continue
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
            if method in allowed:
                continue
            response = client.request(method, path)
            assert response.status_code == 405, (method, path)
            assert set(response.headers["allow"].split(", ")) == allowed, (method, path)
            checked += 1
    assert checked > 100
    # The CASE API answers in its binding's error shape (tests/web/case checks it whole).
    case = client.delete("/ims/case/v1p1/CFDocuments")
    assert case.status_code == 405 and case.headers["allow"] == "GET, HEAD"
    assert case.json()["imsx_codeMajor"] == "unsupported"


# -- nothing heavy on the event loop -------------------------------------------------


def test_no_route_or_error_handler_runs_on_the_event_loop(client: TestClient) -> None:
    """The rule, structurally: routes and handlers are plain functions, which Starlette
    runs in the thread pool.  The exceptions receive an upload and hand the rest to the
    pool: the readiness transcript (tests/web/test_web_review.py checks that) and a new
    edition's file (tests/web/test_curation_pages.py)."""
    app = client.app
    on_loop = {
        f"{sorted(getattr(r, 'methods', None) or [])} {r.path}"
        for r in flat_routes(app.router.routes)  # type: ignore[attr-defined]
        if inspect.iscoroutinefunction(getattr(r, "endpoint", None))
    }
    assert on_loop == {"['POST'] /readiness", "['POST'] /editions"}
    handlers = app.exception_handlers.values()  # type: ignore[attr-defined]
    ours = [h for h in handlers if h.__module__.startswith("crosswalk.")]
    assert ours and not any(inspect.iscoroutinefunction(h) for h in ours)


def test_no_route_reads_the_catalog_on_the_event_loop(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule, at run time: every route's library work happens off the loop."""
    calls: list[tuple[str, bool]] = []
    for name in ("items_of", "framework", "crosswalk", "is_leaf", "parent_of"):
        original = getattr(Catalog, name)

        def spy(self: Catalog, *args: Any, _name: str = name, _original: Any = original) -> Any:
            calls.append((_name, on_event_loop()))
            return _original(self, *args)

        monkeypatch.setattr(Catalog, name, spy)
    urls = [
        "/",
        "/frameworks/imh",
        "/frameworks/imh/items/Self Awareness",
        "/frameworks/imh/items/nothing-like-it",
        "/crosswalks/imh-wv-ckc-2015",
        "/crosswalks/imh-wv-ckc-2015?format=csv",
        f"{MAP}&codes=2.1&codes=9.9",
        "/search?q=observation",
        "/lint",
        "/readiness",
        "/docs",
        "/api/frameworks/imh/items?tag=IMHS",
        "/api/frameworks/imh/items/2.1",
        "/api/crosswalks/imh-wv-ckc-2015/alignments?target=2.1",
        "/api/crosswalks/imh-wv-ckc-2015/gaps",
        "/api/crosswalks/imh-wv-ckc-2015/coverage",
        f"{API_MAP}&codes=2.1",
        "/api/search?q=observation",
        "/api/crosswalks/nope",
    ]
    for url in urls:
        assert client.get(url).status_code < 500, url
    assert calls and not [name for name, loop in calls if loop]


SLOW = 6.0


@pytest.fixture
def slow_server(database_file: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A real server whose map takes ``SLOW`` seconds of blocking work per request."""
    from crosswalk.web.routes import api, explore

    for module in (api, explore):
        original = module.map_each

        def slow(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            time.sleep(SLOW)  # blocks its thread, as CPU-heavy library work would
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, "map_each", slow)
    with serving(create_app(database_file)) as url:
        yield url


def test_a_slow_request_does_not_delay_a_static_file(slow_server: str) -> None:
    """Ordering, not timing: the file asked for while two slow requests work must be
    answered before either of them, however loaded the machine is."""
    finished: dict[str, float] = {}

    def ask(name: str, path: str) -> None:
        assert httpx.get(slow_server + path, timeout=60).status_code == 200
        finished[name] = time.monotonic()

    slow = [
        threading.Thread(target=ask, args=(f"slow {n}", url))
        for n, url in enumerate([f"{API_MAP}&codes=2.1", f"{MAP}&codes=2.1"])
    ]
    for thread in slow:
        thread.start()
    time.sleep(0.3)  # the slow requests are at work now
    ask("static", "/static/style.css")
    for thread in slow:
        thread.join()
    # Had either slow request held the event loop, the file would have waited for it.
    assert finished["static"] < min(v for k, v in finished.items() if k.startswith("slow"))


def test_a_header_that_never_ends_is_refused_at_16_kb(database_file: str) -> None:
    """The server as ``crosswalk serve`` runs it (``SERVER_OPTIONS``) stops reading a
    request head at 16 KB, answers 400 and closes; with httptools it read 115 MB of one
    header into memory and kept waiting for more."""
    import socket

    with serving(create_app(database_file)) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sender:
            sender.sendall(b"GET / HTTP/1.1\r\nHost: test\r\nX-Padding: ")
            sent = 0
            try:
                while sent < 8 * 1024 * 1024:  # at most 8 MB: the server stops far sooner
                    sender.sendall(b"a" * 65536)
                    sent += 65536
            except OSError:
                pass  # the server closed the connection: it read no more
            answer = sender.recv(200)
    assert answer.startswith(b"HTTP/1.1 400 "), answer
    assert sent < 8 * 1024 * 1024  # cut off, not read to the end
