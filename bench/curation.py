"""Benchmark: reviewed changes on a large store, and how soon other processes see them.

On the 20,000-item, 50,000-association dataset that ``bench/exchange.py`` generates,
imported into SQLite (a temporary file) and PostgreSQL (a schema of its own, when one
is reachable), this measures

* approving 100 small change sets one after another (each edits one alignment's
  note: start, add, submit are timed apart from the approval itself);
* how long after an approval commits a *second process* — an app process's
  ``CatalogStore``, checking the revision every 0.5 s as the web app does — serves
  the change, and what catching up cost it (events applied, not a reload).

Targets (issue 12): each approval < 300 ms; the change visible elsewhere < 1 s.
Not run by the test suite.  Run: ``.venv/bin/python bench/curation.py [--items N]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exchange import synthetic_package

from crosswalk.curation import actor_of, changes, edits, people
from crosswalk.formats.exchange import import_file
from crosswalk.store import open_repository
from crosswalk.web.deps import CatalogStore
from store import postgres_schema

PASSWORD = "bench password 1"
APPROVALS = 100
VISIBILITY_ROUNDS = 10


def _watch(url: str, tasks: Any, answers: Any) -> None:
    """Another app process: serve snapshots, report when a watched change shows."""
    store = CatalogStore(url)  # the web app's own cache, default check interval
    store.snapshot()
    answers.put(("ready", 0.0, 0.0))
    while True:
        task = tasks.get()
        if task is None:
            return
        alignment_id, note = task
        while True:
            started = time.perf_counter()
            snapshot = store.snapshot()
            took = time.perf_counter() - started
            if snapshot.catalog.alignments[alignment_id].note == note:
                answers.put(("seen", time.time(), took))
                break
            time.sleep(0.005)


def run(name: str, url: str, source: Path) -> dict[str, Any]:
    started = time.perf_counter()
    import_file(source, url=url, seed=False)
    imported = time.perf_counter() - started
    with open_repository(url, seed=None) as repository:
        editor = actor_of(repository, people.add_user(repository, "editor", PASSWORD, "editor"))
        reviewer = actor_of(
            repository, people.add_user(repository, "reviewer", PASSWORD, "reviewer")
        )
        catalog = repository.load_catalog()
        links = sorted(catalog.alignments)[:APPROVALS]
        propose, approve = [], []
        for n, link in enumerate(links):
            t0 = time.perf_counter()
            draft = changes.start(repository, editor, f"Note {n}")
            changes.add(
                repository, editor, draft.id, [edits.edit_alignment(catalog, link, note=f"n{n}")]
            )
            changes.submit(repository, editor, draft.id)
            t1 = time.perf_counter()
            changes.approve(repository, reviewer, draft.id)
            t2 = time.perf_counter()
            propose.append(t1 - t0)
            approve.append(t2 - t1)

        context = multiprocessing.get_context("spawn")
        tasks, answers = context.Queue(), context.Queue()
        watcher = context.Process(target=_watch, args=(url, tasks, answers))
        watcher.start()
        assert answers.get(timeout=120)[0] == "ready"
        latencies, catch_ups = [], []
        catalog = repository.load_catalog()
        for n in range(VISIBILITY_ROUNDS):
            link = links[n]
            note = f"seen elsewhere {n}"
            tasks.put((link, note))
            time.sleep(0.2)  # the watcher is polling an unchanged store meanwhile
            draft = changes.start(repository, editor, f"Visible {n}")
            edit = edits.edit_alignment(catalog, link, note=note)
            changes.add(repository, editor, draft.id, [edit])
            changes.submit(repository, editor, draft.id)
            changes.approve(repository, reviewer, draft.id)
            committed = time.time()
            _, seen, took = answers.get(timeout=30)
            latencies.append(seen - committed)
            catch_ups.append(took)
            catalog = repository.load_catalog()
        tasks.put(None)
        watcher.join(timeout=30)
    return {
        "engine": name,
        "import_s": imported,
        "propose_ms": [1000 * x for x in propose],
        "approve_ms": [1000 * x for x in approve],
        "visible_s": latencies,
        "catch_up_ms": [1000 * x for x in catch_ups],
    }


def _line(label: str, values: list[float], unit: str, target: float | None = None) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    text = (
        f"  {label:<34} median {statistics.median(values):8.1f} {unit}  "
        f"p95 {p95:8.1f} {unit}  max {max(values):8.1f} {unit}"
    )
    if target is not None:
        text += f"   target < {target:g} {unit}: " + ("ok" if max(values) < target else "MISSED")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--associations", type=int, default=50_000)
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "synthetic.json"
        package = synthetic_package(args.items, args.associations)
        source.write_text(json.dumps(package), encoding="utf-8")
        results.append(run("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}", source))
        found = postgres_schema()
        if found is None:
            print("PostgreSQL unreachable, skipped", file=sys.stderr)
        else:
            url, drop = found
            try:
                results.append(run("PostgreSQL", url, source))
            finally:
                drop()
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(
        f"{args.items:,} items, {args.associations:,} associations; "
        f"{APPROVALS} change sets approved one after another; cores: {os.cpu_count()}"
    )
    for result in results:
        print(f"{result['engine']} (import {result['import_s']:.1f} s)")
        print(_line("start + add + submit", result["propose_ms"], "ms"))
        print(_line("approve", result["approve_ms"], "ms", 300))
        print(_line("visible in another process after", result["visible_s"], "s", 1))
        print(_line("its catch-up (events applied)", result["catch_up_ms"], "ms"))


if __name__ == "__main__":
    main()
