"""Costly work a few requests at a time, 503 with Retry-After at once beyond that
(:mod:`crosswalk.web.busy`), so that a burst of costly requests neither takes every
core nor every thread of the pool that the cheap requests need too."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from webpage import serving

from crosswalk.web import busy
from crosswalk.web.app import create_app
from crosswalk.web.busy import Busy, Gate


def _hold(gate: Gate, seconds: float, started: threading.Event) -> None:
    with gate.slot("test"):
        started.set()
        time.sleep(seconds)


def test_beyond_the_slots_a_few_wait_briefly_and_the_rest_are_refused_at_once() -> None:
    gate = Gate(slots=2, waiting=1, wait=0.4)
    holders = []
    for _ in range(2):
        started = threading.Event()
        holders.append(threading.Thread(target=_hold, args=(gate, 1.5, started)))
        holders[-1].start()
        started.wait()
    waited: dict[str, float] = {}

    def wait_in_queue() -> None:
        began = time.perf_counter()
        with pytest.raises(Busy), gate.slot("test"):
            pass
        waited["queued"] = time.perf_counter() - began

    queued = threading.Thread(target=wait_in_queue)
    queued.start()
    time.sleep(0.1)  # the queue is full now
    began = time.perf_counter()
    with pytest.raises(Busy, match="busy with other test requests"), gate.slot("test"):
        pass
    assert time.perf_counter() - began < 0.1  # refused at once, not queued
    queued.join()
    assert 0.3 < waited["queued"] < 1.0  # waited its turn, briefly
    for holder in holders:
        holder.join()
    with gate.slot("test"):  # the slots are free again
        assert gate.running == 1


def test_a_thread_holding_a_slot_passes_again() -> None:
    """Nested costly work (a matrix built for the page being built) takes no second
    slot, so it cannot deadlock when every slot is held."""
    gate = Gate(slots=1, waiting=0)
    with gate.slot("page"), gate.slot("matrix"):
        assert gate.running == 1
    assert gate.running == 0


@pytest.fixture
def held_suggestions(
    database_file: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, dict[str, int], threading.Event]]:
    """A real server whose free-text suggestions block their thread until the test
    sets the event it is handed (as the model's work would block it), with its running
    suggestions counted."""
    from crosswalk.web.routes import suggest

    counts = {"now": 0, "most": 0}
    lock = threading.Lock()
    release = threading.Event()

    def held(*args: Any, **kwargs: Any) -> list[Any]:
        with lock:
            counts["now"] += 1
            counts["most"] = max(counts["most"], counts["now"])
        release.wait(60)
        with lock:
            counts["now"] -= 1
        return []

    monkeypatch.setattr(suggest, "suggest_text", held)
    with serving(create_app(database_file)) as url:
        try:
            yield url, counts, release
        finally:
            release.set()


def test_a_burst_of_costly_requests_is_refused_not_queued(
    held_suggestions: tuple[str, dict[str, int], threading.Event],
) -> None:
    """60 suggestion requests at once while the work is held: as many run as there are
    slots, every other one is a 503 with Retry-After (at once, or after its brief wait
    in the queue), and a cheap request is still answered while the slots are held (the
    thread pool, 40 threads, is not taken by requests waiting their turn: without the
    gate the cheap request waited for the costly ones).  Events, not timings: the
    machine may be busy."""
    server, counts, release = held_suggestions
    url = server + "/api/suggest/text?to=imh&text=observation"
    client = httpx.Client(timeout=60, limits=httpx.Limits(max_connections=100))
    client.get(server + "/api/frameworks")  # warm: the catalog is loaded

    def ask(_: int) -> tuple[int, str]:
        answer = client.get(url)
        return answer.status_code, answer.headers.get("retry-after", "")

    with ThreadPoolExecutor(60) as pool:
        burst = [pool.submit(ask, n) for n in range(60)]
        deadline = time.monotonic() + 30
        while sum(f.done() for f in burst) < 60 - busy.SLOTS:  # the rest are refused
            assert time.monotonic() < deadline, "the requests beyond the slots hang"
            time.sleep(0.01)
        assert counts["now"] == busy.SLOTS  # the slots are held all this time
        cheap = client.get(server + "/api/frameworks?limit=1", timeout=10)  # not cached
        release.set()
        answers = [f.result() for f in burst]
    assert cheap.status_code == 200
    refused = [a for a in answers if a[0] == 503]
    served = [a for a in answers if a[0] == 200]
    assert (len(served), len(refused)) == (busy.SLOTS, 60 - busy.SLOTS), answers
    assert all(retry == str(busy.RETRY_AFTER_SECONDS) for _, retry in refused)
    assert counts["most"] == busy.SLOTS


def _start_upload(url: str, declared: int) -> socket.socket:
    """An upload whose headers and first bytes are sent, and then nothing more."""
    host, port = url.removeprefix("http://").split(":")
    sender = socket.create_connection((host, int(port)))
    head = (
        "POST /readiness HTTP/1.1\r\nHost: test\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\n"
        f"Content-Length: {declared}\r\n\r\n--xyz\r\n"
    )
    sender.sendall(head.encode())
    return sender


def _status(sender: socket.socket, timeout: float) -> int:
    sender.settimeout(timeout)
    line = sender.recv(4096).split(b"\r\n", 1)[0]
    return int(line.split()[1])


def test_an_upload_that_trickles_in_is_cut_off_and_few_are_received_at_once(
    database_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A "slowloris" upload (headers, a few bytes, then silence) would hold its memory
    and a connection for as long as the sender liked: it is 408 after the upload
    deadline, and only so many uploads are received at once (503 beyond)."""
    from crosswalk.web.routes import readiness

    monkeypatch.setattr(readiness, "UPLOAD_SECONDS", 1.0)
    monkeypatch.setattr(readiness, "RECEIVING", Gate(slots=1, waiting=0))
    with serving(create_app(database_file)) as url:
        began = time.perf_counter()
        stalled = _start_upload(url, 1_000_000)
        time.sleep(0.2)
        second = _start_upload(url, 1_000_000)
        assert _status(second, 5) == 503  # the one slot for receiving is taken
        assert _status(stalled, 5) == 408
        assert time.perf_counter() - began < 10  # not the sender's pace
        stalled.close()
        second.close()


def test_sign_ins_beyond_the_password_gate_are_refused_not_hashed(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checking a password costs 64 MB and ~150 ms on purpose; sign-ins pass through a
    gate of their own, so a flood of them is answered 503, not hashed 40 at a time."""
    from webpage import csrf_token

    from crosswalk.curation import people
    from crosswalk.web.routes import account

    checked: list[str] = []
    monkeypatch.setattr(people, "sign_in", lambda *args: checked.append("hashed"))
    monkeypatch.setattr(account, "PASSWORDS", Gate(slots=0, waiting=0))  # every slot taken
    form = {"name": "ada", "password": "a long enough password"}
    answer = client.post("/login", data={**form, "csrf_token": csrf_token(client, "/login")})
    assert answer.status_code == 503 and answer.headers["retry-after"] == "2"
    assert "busy with other sign-in requests" in answer.text
    assert checked == []
