"""Benchmark: import and export of a large CASE package, next to a plain ``json.load``.

Generates a synthetic framework of 20,000 items and 50,000 associations (20,000
``isChildOf`` for the hierarchy, 30,000 links between items), then times

* ``json.load`` of the file (the floor any importer pays),
* ``import_file`` into an empty SQLite database (parse, resolve, diff, one transaction),
* export of the stored framework back to a CASE file,

and measures each step's peak Python memory with ``tracemalloc`` in a second, untimed
pass (tracing slows code down).  Then the CASE REST API on the imported database: the
first ``CFPackages`` request of a revision (cold: every package written once to its
temporary file), the same request again (warm: streamed from the file), and the
request with a ``Host`` never seen before (must cost what a warm one does: the Host
plays no part).  Targets: import < 10 s and < 500 MB, export < 5 s.
Not run by the test suite.  Run: ``.venv/bin/python bench/exchange.py [--items N]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crosswalk.catalog import Catalog
from crosswalk.formats import case
from crosswalk.formats.exchange import import_file
from crosswalk.store import open_repository

NAMESPACE = uuid.UUID("0b3c1a52-0000-4000-8000-000000000000")
CHANGED = "2020-01-01T00:00:00+00:00"


def _id(kind: str, n: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}{n}"))


def _link(identifier: str, title: str) -> dict[str, str]:
    return {"title": title, "identifier": identifier, "uri": f"https://example.org/{identifier}"}


def synthetic_package(items: int, associations: int) -> dict[str, Any]:
    """A CASE 1.1 package shaped like a large state framework (100 items per area)."""
    doc = _id("doc", 0)
    records, links = [], []
    for n in range(items):
        code = f"{n // 100}.{n % 100}" if n % 100 else f"{n // 100}"
        records.append(
            {
                "identifier": _id("item", n),
                "uri": f"https://example.org/{_id('item', n)}",
                "fullStatement": f"Synthetic competency statement number {n} for benchmarking",
                "humanCodingScheme": code,
                "CFItemType": "area" if n % 100 == 0 else "competency",
                "lastChangeDateTime": CHANGED,
            }
        )
        parent = doc if n % 100 == 0 else _id("item", n - n % 100)
        links.append(
            {
                "identifier": _id("child", n),
                "associationType": "isChildOf",
                "uri": f"https://example.org/{_id('child', n)}",
                "originNodeURI": _link(_id("item", n), code),
                "destinationNodeURI": _link(parent, "parent"),
                "sequenceNumber": n,
                "lastChangeDateTime": CHANGED,
            }
        )
    for n in range(associations - items):
        origin, destination = (n * 7) % items, (n * 13 + 1) % items
        links.append(
            {
                "identifier": _id("link", n),
                "associationType": "isRelatedTo" if n % 3 else "exactMatchOf",
                "uri": f"https://example.org/{_id('link', n)}",
                "originNodeURI": _link(_id("item", origin), "o"),
                "destinationNodeURI": _link(_id("item", destination), "d"),
                "lastChangeDateTime": CHANGED,
            }
        )
    document = {
        "identifier": doc,
        "uri": f"https://example.org/{doc}",
        "creator": "bench",
        "title": "Synthetic Framework",
        "lastChangeDateTime": CHANGED,
    }
    return {"CFDocument": document, "CFItems": records, "CFAssociations": links}


def _measure(step: Callable[[], object], memory: bool) -> tuple[float, float]:
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    step()
    elapsed = time.perf_counter() - started
    peak = 0.0
    if memory:
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return elapsed, peak


def run(items: int, associations: int, folder: Path) -> list[tuple[str, float, float, str]]:
    source = folder / "synthetic.json"
    source.write_text(json.dumps(synthetic_package(items, associations)), encoding="utf-8")
    size = source.stat().st_size / 1e6
    results = []

    def load() -> object:
        with source.open(encoding="utf-8") as stream:
            return json.load(stream)

    for memory in (False, True):
        url = f"sqlite:///{folder / f'bench-{memory}.sqlite3'}"
        with open_repository(url, seed=None):
            pass
        exported = folder / f"export-{memory}.json"

        def do_import(url: str = url) -> object:
            return import_file(source, url=url, seed=False)

        def do_export(url: str = url, exported: Path = exported) -> object:
            with open_repository(url, seed=None) as repository:
                catalog = Catalog(repository.load())
            fid = next(f for f in catalog.frameworks if not f.endswith("-external"))
            with exported.open("wb") as stream:
                case.write_package(case.framework_parts(catalog, fid), stream)
            return exported

        steps = [("json.load", load), ("import", do_import), ("export", do_export)]
        for name, step in steps:
            seconds, peak = _measure(step, memory)
            if memory:
                for n, row in enumerate(results):
                    if row[0] == name:
                        results[n] = (name, row[1], peak, row[3])
            else:
                results.append((name, seconds, 0.0, f"{size:.1f} MB file"))
    return results


def case_api(url: str) -> list[tuple[str, float, float, str]]:
    """Cold, warm and new-Host ``GET CFPackages/<id>`` of the synthetic framework, from a
    real uvicorn server in this process, read in chunks and discarded (so the traced
    peak is the server's, not a client buffer's)."""
    import socket
    import threading
    import urllib.request

    import uvicorn

    from crosswalk.web.app import create_app
    from crosswalk.web.memo import Memo

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(url, base_url=f"http://127.0.0.1:{port}")
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    root = f"http://127.0.0.1:{port}/ims/case/v1p1"

    def get(path: str, host: str | None = None) -> int:
        request = urllib.request.Request(root + path, headers={"Host": host} if host else {})
        size = 0
        with urllib.request.urlopen(request, timeout=600) as answer:
            while chunk := answer.read(1 << 20):
                size += len(chunk)
        return size

    rows = []
    try:
        documents = json.loads(urllib.request.urlopen(root + "/CFDocuments").read())
        big = next(d for d in documents["CFDocuments"] if d["title"] == "Synthetic Framework")
        # The CFDocuments request built the index: each pass starts from a fresh one.
        snapshot = app.state.catalog_store.snapshot()
        path = f"/CFPackages/{big['identifier']}"
        steps = (
            ("CASE cold", None),
            ("CASE warm", None),
            ("CASE new Host", "never-seen.example"),
        )
        # Timed without tracing, then again (cold from a fresh index) with tracemalloc.
        for memory in (False, True):
            snapshot._memo = Memo()  # a fresh index for each pass
            for number, (name, host) in enumerate(steps):
                if memory:
                    tracemalloc.start()
                started = time.perf_counter()
                size = get(path, host)
                seconds = time.perf_counter() - started
                if memory:
                    peak = tracemalloc.get_traced_memory()[1] / 1e6
                    tracemalloc.stop()
                    rows[number] = (name, rows[number][1], peak, rows[number][3])
                else:
                    rows.append((name, seconds, 0.0, f"{size / 1e6:.1f} MB answer"))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--associations", type=int, default=50_000)
    args = parser.parse_args()
    targets = {"import": (10.0, 500.0), "export": (5.0, None)}
    with tempfile.TemporaryDirectory() as tmp:
        rows = run(args.items, args.associations, Path(tmp))
        rows += case_api(f"sqlite:///{Path(tmp) / 'bench-False.sqlite3'}")
    print(f"CASE package: {args.items:,} items, {args.associations:,} associations")
    print(f"{'step':<14} {'seconds':>8} {'peak MB':>8}  target / note")
    for name, seconds, peak, note in rows:
        limit = targets.get(name)
        target = ""
        if limit:
            ok = seconds < limit[0] and (limit[1] is None or peak < limit[1])
            target = f"< {limit[0]:.0f} s" + (f", < {limit[1]:.0f} MB" if limit[1] else "")
            target += "  ok" if ok else "  MISSED"
        print(f"{name:<14} {seconds:>8.2f} {peak:>8.1f}  {target or note}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (whole run, incl. SQLite and generation): {rss:.0f} MB")


if __name__ == "__main__":
    main()
