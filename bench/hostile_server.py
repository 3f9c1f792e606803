"""The app as a real server process, its memory watched, and a client that never hangs.

Used by ``bench/hostile.py``.  :class:`Server` runs ``uvicorn`` with the app factory
on a free port; :class:`Memory` samples a process's RSS from ``/proc`` every 20 ms
(and reads ``VmHWM``, reset before each case), and kills the process above a cap so a
bomb cannot take a shared machine down.  :func:`send` answers every request within a
time limit, however the server behaves; :func:`read_load` is the mixed read load.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from loadgen import any_of, load

KEPT_BYTES = 2 * 1024 * 1024  # of each answer, kept for the checks


class Memory:
    """The peak RSS of process ``pid`` since :meth:`reset`; kills it above ``cap_mb``."""

    def __init__(self, pid: int, cap_mb: float) -> None:
        self.pid, self.cap_mb = pid, cap_mb
        self.peak_mb, self.killed = 0.0, False
        self._stop = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def status(self, name: str) -> float:
        """A ``VmRSS``-like field of ``/proc/PID/status``, in MB (0 once it is gone)."""
        with suppress(OSError, ValueError):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith(name + ":"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            rss = self.status("VmRSS")
            self.peak_mb = max(self.peak_mb, rss)
            if rss > self.cap_mb and not self.killed:
                self.killed = True
                with suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)

    def reset(self) -> None:
        with suppress(OSError):  # "5" resets VmHWM to the current RSS (Linux ≥ 4.0)
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        self.peak_mb = self.status("VmRSS")

    def peak(self) -> float:
        return max(self.peak_mb, self.status("VmHWM"))

    def stop(self) -> None:
        self._stop.set()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """``uvicorn --factory crosswalk.web.app:create_app`` on ``database_url``; restartable.

    ``CROSSWALK_BASE_URL`` is left unset: requests' own ``Host`` headers then count, as
    they do in a deployment that forgot to set it.
    """

    def __init__(self, database_url: str, log: Path, cap_mb: float) -> None:
        self.database_url, self.log, self.cap_mb = database_url, log, cap_mb
        self.process: subprocess.Popen[bytes] | None = None
        self.memory = Memory(0, cap_mb)
        self.url = ""

    def start(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "CROSSWALK_DATABASE_URL": self.database_url}
        env.pop("CROSSWALK_BASE_URL", None)
        command = [
            sys.executable, "-m", "uvicorn", "crosswalk.web.app:create_app", "--factory",
            "--http", "h11",  # as crosswalk.web.app.SERVER_OPTIONS
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        self.memory = Memory(self.process.pid, self.cap_mb)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and self.process.poll() is None:
            with suppress(httpx.TransportError):
                if httpx.get(self.url + "/api/frameworks", timeout=10).status_code == 200:
                    return
            time.sleep(0.3)
        raise SystemExit(f"the server did not start; see {self.log}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        self.memory.stop()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_size(self) -> int:
        return self.log.stat().st_size

    def last_logged(self, since: int) -> str:
        """The last line the server logged after byte ``since`` (an exception, say)."""
        text = self.log.read_bytes()[since:].decode("utf-8", "replace").strip()
        return text.splitlines()[-1][:120] if text else ""


# -- one request, bounded -------------------------------------------------------------


@dataclass
class Request:
    """A request; ``raw`` ones go over a plain socket (URLs longer than httpx allows,
    bodies streamed until the server answers)."""

    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes, str]] | None = None
    data: dict[str, str] | None = None
    body: Iterator[bytes] | None = None
    body_size: int = 0
    raw: bool = False


@dataclass
class Answer:
    status: int | None = None  # None: no answer (time ran out, connection closed)
    seconds: float = 0.0
    size: int = 0
    body: bytes = b""
    problem: str = ""


def send(base: str, request: Request, timeout: float) -> Answer:
    """One request, its answer read in full (sized, its start kept) within ``timeout``."""
    started = time.perf_counter()
    try:
        answer = (_send_raw if request.raw else _send)(base, request, timeout, started)
    except (httpx.HTTPError, OSError) as error:
        answer = Answer(problem=f"no answer: {type(error).__name__}")
        if isinstance(error, httpx.TimeoutException | TimeoutError):
            answer.problem = f"no answer within {timeout:.0f} s"
    answer.seconds = time.perf_counter() - started
    return answer


def _send(base: str, request: Request, timeout: float, started: float) -> Answer:
    answer = Answer()
    with (
        httpx.Client(base_url=base, timeout=timeout) as client,
        client.stream(
            request.method,
            request.path,
            headers=request.headers,
            files=request.files,
            data=request.data,
        ) as response,
    ):
        answer.status = response.status_code
        answer.body = _read(response.iter_bytes(), answer, timeout, started)
    return answer


def _read(chunks: Iterator[bytes], answer: Answer, timeout: float, started: float) -> bytes:
    kept = bytearray()
    for chunk in chunks:
        answer.size += len(chunk)
        if len(kept) < KEPT_BYTES:
            kept += chunk[: KEPT_BYTES - len(kept)]
        if time.perf_counter() - started > timeout:
            answer.problem = f"answer still coming after {timeout:.0f} s"
            break
    return bytes(kept)


def _send_raw(base: str, request: Request, timeout: float, started: float) -> Answer:
    """Send the head, then the body while nothing comes back; read until the server
    closes.  httpx would send a whole body first, and lose an early answer."""
    host, port = base.removeprefix("http://").split(":")
    head = f"{request.method} {request.path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
    for name, value in request.headers.items():
        head += f"{name}: {value}\r\n"
    if request.body is not None:
        head += f"Content-Length: {request.body_size}\r\n"
    answer = Answer()
    received = bytearray()
    chunks = request.body if request.body is not None else iter(())
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall((head + "\r\n").encode("latin-1"))
        connection.setblocking(False)
        sending = True
        while time.perf_counter() - started < timeout:
            try:
                data: bytes | None = connection.recv(65536)
            except BlockingIOError:
                data = None
            except OSError:
                break
            if data == b"":
                break  # the server closed: the answer is complete
            if data:
                received += data[: KEPT_BYTES - len(received)]
                answer.size += len(data)
                continue
            chunk = next(chunks, None) if sending else None
            if chunk is None:
                time.sleep(0.005)
                continue
            try:
                connection.send(chunk)
            except BlockingIOError:
                time.sleep(0.001)
            except OSError:
                sending = False  # the server stopped reading; its answer may follow
        else:
            answer.problem = f"no complete answer within {timeout:.0f} s"
    if received.startswith(b"HTTP/"):
        answer.status = int(received.split()[1])
        head_end = received.find(b"\r\n\r\n")
        answer.body = bytes(received[head_end + 4 :]) if head_end >= 0 else b""
    elif not answer.problem:
        answer.problem = "connection closed without an answer"
    return answer


# -- the read load --------------------------------------------------------------------


@dataclass
class Load:
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    peak_mb: float
    slowest: list[tuple[str, float]]  # the paths with the highest p95, in ms


def read_load(server: Server, paths: list[str], clients: int, seconds: float) -> Load:
    """``clients`` keep-alive connections (:mod:`loadgen`) each GETting a random path of
    ``paths`` in a loop for ``seconds``; an error is an answer other than 200, or none.
    The caches are warmed first, as a running service's would be."""
    for path in paths:
        httpx.get(server.url + path, timeout=120)
    server.memory.reset()
    timings, errors = asyncio.run(load(server.url, any_of(paths), clients, seconds))
    every = sorted(t for _, t in timings)
    by_path: dict[str, list[float]] = {}
    for path, taken in timings:
        by_path.setdefault(path, []).append(taken)
    slowest = sorted(
        ((p, _percentile(sorted(t), 0.95)) for p, t in by_path.items()), key=lambda x: -x[1]
    )
    return Load(
        len(every),
        errors,
        _percentile(every, 0.5),
        _percentile(every, 0.95),
        _percentile(every, 0.99),
        server.memory.peak(),
        slowest[:3],
    )


def _percentile(ordered: list[float], share: float) -> float:
    """In ms, of seconds sorted ascending."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000
