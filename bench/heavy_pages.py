"""What the heaviest web requests cost on a large dataset: time, size and server memory.

Imports the synthetic CASE package of ``bench/exchange.py`` (20,000 items, 30,000
links between them, as the crosswalk ``synthetic-framework-internal``) on top of the
bundled data, starts ``uvicorn`` on it in a child process, and sends each case below
one at a time, printing its status, time, response size and the server's peak RSS
while it ran (sampled from ``/proc`` every 20 ms).  The last case asks for a static
file while ``/api/map`` requests keep the server busy, and prints that file's latency.

    .venv/bin/python bench/heavy_pages.py                 # every case
    .venv/bin/python bench/heavy_pages.py --database sqlite:////tmp/big.sqlite3
    .venv/bin/python bench/heavy_pages.py --rss-limit 3000 --timeout 120

The machine is shared: a request that drives the server past ``--rss-limit`` MB or
takes longer than ``--timeout`` s is stopped and reported as such (the server is then
started again for the next case).  Not run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from exchange import synthetic_package

from web import served

CROSSWALK = "/crosswalks/synthetic-framework-internal"
UNKNOWN_CODES = 1_000
STATIC = "/static/style.css"


def _unknown_codes(count: int) -> str:
    return "&".join(f"codes=99.{n}" for n in range(count))


def cases(unknown: int) -> dict[str, str]:
    codes = _unknown_codes(unknown)
    return {
        "crosswalk page": CROSSWALK,
        "crosswalk ?columns=all": f"{CROSSWALK}?columns=all",
        "crosswalk drill-down": f"{CROSSWALK}?source_area=1&target_area=2",
        "crosswalk CSV": f"{CROSSWALK}?format=csv",
        "crosswalk XLSX": f"{CROSSWALK}?format=xlsx",
        "links table": f"{CROSSWALK}/links",
        "links table 2nd request": f"{CROSSWALK}/links?sort=-target&page=40",
        "links filtered+words": f"{CROSSWALK}/links?area=1&area=2&q=competency&size=200",
        "links CSV": f"{CROSSWALK}/links?format=csv",
        "links XLSX (filtered)": f"{CROSSWALK}/links?area=1&format=xlsx",
        "framework page": "/frameworks/synthetic-framework",
        "item page (404 + near)": "/frameworks/synthetic-framework/items/nope",
        "API items limit=500": "/api/frameworks/synthetic-framework/items?limit=500",
        "API alignments 500": "/api/crosswalks/synthetic-framework-internal/alignments?limit=500",
        "API gaps": "/api/crosswalks/synthetic-framework-internal/gaps",
        "API search": "/api/search?q=synthetic+competency&limit=500",
        "lint page": "/lint",
        f"/map {unknown:,} unknown": f"/map?from=wv-ckc-2015&to=imh&{codes}",
        f"/api/map {unknown:,} unknown": f"/api/map?from=wv-ckc-2015&to=imh&{codes}",
    }


def build_database(folder: Path) -> str:
    """Bundled data plus the 20,000-item synthetic package, in a SQLite file."""
    from crosswalk.formats.exchange import import_file
    from crosswalk.store import open_repository

    url = f"sqlite:///{folder / 'heavy.sqlite3'}"
    package = folder / "synthetic.json"
    package.write_text(json.dumps(synthetic_package(20_000, 50_000)), encoding="utf-8")
    open_repository(url).close()  # the bundled dataset first
    import_file(package, url=url, seed=False)
    return url


class PeakRss:
    """Samples a process's resident memory; past ``limit`` MB it kills the process (the
    machine is shared) and sets ``over``."""

    def __init__(self, pid: int, limit_mb: float) -> None:
        self.pid = pid
        self.limit = limit_mb
        self.peak = 0.0
        self.over = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> float:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            now = self.rss()
            self.peak = max(self.peak, now)
            if now > self.limit and not self.over.is_set():
                self.over.set()
                os.kill(self.pid, signal.SIGKILL)
            time.sleep(0.02)

    def __enter__(self) -> PeakRss:
        self.peak = self.rss()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Result:
    status: str
    seconds: float
    megabytes: float
    peak_mb: float


def fetch(url: str, pid: int, timeout: float, rss_limit: float) -> Result:
    """One GET, its body counted as it streams in (never held whole)."""
    size = 0
    status = "?"
    started = time.perf_counter()
    with PeakRss(pid, rss_limit) as memory:
        try:
            with (
                httpx.Client(timeout=timeout) as client,
                client.stream("GET", url) as response,
            ):
                status = str(response.status_code)
                for chunk in response.iter_raw():
                    size += len(chunk)
                    if time.perf_counter() - started > timeout:
                        status = f"stopped: > {timeout:.0f} s"
                        break
        except httpx.TimeoutException:
            status = f"stopped: > {timeout:.0f} s"
        except httpx.TransportError as error:
            status = f"failed: {type(error).__name__}"
        if memory.over.is_set():
            status = f"killed: RSS > {rss_limit:.0f} MB"
    return Result(status, time.perf_counter() - started, size / 1e6, memory.peak)


def static_while_busy(base: str, busy_path: str, clients: int, timeout: float) -> tuple[float, str]:
    """The static file's latency while ``clients`` requests of ``busy_path`` run."""
    statuses: list[str] = []

    def busy() -> None:
        try:
            response = httpx.get(base + busy_path, timeout=timeout)
            statuses.append(str(response.status_code))
        except httpx.HTTPError as error:
            statuses.append(type(error).__name__)

    threads = [threading.Thread(target=busy) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # let them reach the server
    started = time.perf_counter()
    httpx.get(f"{base}{STATIC}?busy={time.time()}", timeout=timeout)
    latency = time.perf_counter() - started
    for thread in threads:
        thread.join()
    return latency, ",".join(sorted(set(statuses)))


@contextmanager
def server(url: str) -> Iterator[tuple[str, int]]:
    with served(1, database_url=url) as (base, pid):
        yield base, pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="A database already holding the synthetic data.")
    parser.add_argument("--timeout", type=float, default=120.0, help="Seconds per request.")
    parser.add_argument("--rss-limit", type=float, default=3000.0, help="Server MB at most.")
    parser.add_argument("--unknown", type=int, default=UNKNOWN_CODES, help="Codes for /map.")
    parser.add_argument("--only", nargs="*", help="Run only the cases whose name has these.")
    parser.add_argument("--busy-clients", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or build_database(Path(folder))
        print(f"{'case':<28} {'status':<26} {'seconds':>8} {'MB':>9} {'peak RSS MB':>11}")
        chosen = {
            name: path
            for name, path in cases(args.unknown).items()
            if not args.only or any(word in name for word in args.only)
        }
        remaining = list(chosen.items())
        while remaining:
            with server(url) as (base, pid):
                while remaining:
                    name, path = remaining.pop(0)
                    r = fetch(base + path, pid, args.timeout, args.rss_limit)
                    print(f"{name:<28} {r.status:<26} {r.seconds:>8.2f} {r.megabytes:>9.2f} "
                          f"{r.peak_mb:>11.0f}", flush=True)  # fmt: skip
                    if r.status.startswith(("stopped", "failed", "killed")):
                        break  # start a fresh server for the next case
        with server(url) as (base, _pid):
            for unknown in sorted({args.unknown, 100}):
                busy = f"/api/map?from=wv-ckc-2015&to=imh&{_unknown_codes(unknown)}"
                latency, statuses = static_while_busy(base, busy, args.busy_clients, args.timeout)
                print(f"{STATIC} while {args.busy_clients} × /api/map with {unknown:,} unknown "
                      f"codes ({statuses}) run: {latency * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
