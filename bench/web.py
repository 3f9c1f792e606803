"""Load the web app over loopback and report latency percentiles and throughput.

Starts ``uvicorn`` with the app factory in a child process on a free port and a fresh
SQLite database (or targets ``--url``), then, for each scenario and each number of
concurrent clients, sends requests until ``--requests`` have completed or ``--seconds``
have passed, whichever comes first.  Clients are keep-alive connections in one asyncio
loop (:mod:`loadgen`), lean enough that the server, not the client, is what is timed.

    .venv/bin/python bench/web.py                 # 1, 10 and 50 clients
    .venv/bin/python bench/web.py --cold          # every request rendered anew
    .venv/bin/python bench/web.py --url http://127.0.0.1:8000 --clients 10

Targets (2-core machine, SQLite): item page and map API p95 < 50 ms at 10 clients;
matrix page p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from loadgen import any_of, load

SCENARIOS = {
    "item page": "/frameworks/imh/items/direct-service-skills/observation-listening",
    "map API": "/api/map?from=iecmhc&to=wv-ckc-2015&codes=6B.2&codes=6C.2",
    "matrix page": "/crosswalks/imh-wv-ckc-2015",
}
TARGETS_MS = {"item page": 50.0, "map API": 50.0, "matrix page": 150.0}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(workers: int, database_url: str | None = None) -> Iterator[tuple[str, int]]:
    """A uvicorn child process on ``database_url`` (default: a temporary database); its
    URL and process id."""
    with tempfile.TemporaryDirectory() as folder:
        port = _free_port()
        env = {
            **os.environ,
            "CROSSWALK_DATABASE_URL": database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
        }
        command = [
            sys.executable, "-m", "uvicorn", "crosswalk.web.app:create_app", "--factory",
            "--http", "h11",  # as crosswalk.web.app.SERVER_OPTIONS
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
            "--workers", str(workers),
        ]  # fmt: skip
        server = subprocess.Popen(command, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120  # a large database loads for a while
            while True:
                try:
                    if httpx.get(url + "/api/frameworks", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.1)
            yield url, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:  # still busy with a request
                server.kill()
                server.wait()


def run(
    url: str, path: str, clients: int, requests: int, seconds: float, cold: bool = False
) -> dict[str, float]:
    asyncio.run(load(url, any_of([path]), 1, seconds, requests=3))  # warm the caches
    served = itertools.count()

    def choose(_: random.Random) -> str:
        # --cold: a unique parameter defeats the response cache, so every request is
        # routed and rendered (the catalog stays in memory).
        return f"{path}{'&' if '?' in path else '?'}_={next(served)}" if cold else path

    began = time.perf_counter()
    timings, errors = asyncio.run(load(url, choose, clients, seconds, requests=requests))
    elapsed = time.perf_counter() - began
    ordered = sorted(taken for _, taken in timings)
    return {
        "requests": len(ordered),
        "errors": errors,
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
        "rps": len(ordered) / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="Target a running app instead of starting one.")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--requests", type=int, default=5000, help="Per scenario and level.")
    parser.add_argument("--seconds", type=float, default=15.0, help="Per scenario and level.")
    parser.add_argument("--cold", action="store_true", help="Bypass the response cache.")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes.")
    args = parser.parse_args()

    def report(url: str) -> bool:
        print(f"{'scenario':<12} {'clients':>7} {'requests':>8} {'errors':>6} "
              f"{'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}  target")  # fmt: skip
        met = True
        for name, path in SCENARIOS.items():
            for clients in args.clients:
                r = run(url, path, clients, args.requests, args.seconds, args.cold)
                verdict = ""
                if clients == 10:
                    ok = r["p95"] < TARGETS_MS[name] and not r["errors"]
                    met &= ok
                    verdict = f"p95 < {TARGETS_MS[name]:.0f} ms: {'met' if ok else 'MISSED'}"
                print(f"{name:<12} {clients:>7} {r['requests']:>8.0f} {r['errors']:>6.0f} "
                      f"{r['p50']:>8.1f} {r['p95']:>8.1f} {r['rps']:>8.1f}  {verdict}")  # fmt: skip
        return met

    if args.url:
        met = report(args.url.rstrip("/"))
    else:
        with served(args.workers) as (url, _pid):
            met = report(url)
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()
