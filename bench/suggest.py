"""How good and how fast the suggestions are, on the bundled crosswalks.

Run: ``.venv/bin/python bench/suggest.py`` (``--quality`` or ``--speed`` for one half;
``--markdown`` for tables to paste).  Not run by the test suite.

Quality: for imh-wv-ckc-2015 (IMH → CKC) and iecmhc-imh (IECMHC → IMH), in both
directions and in both honest modes (``blind``: as if the crosswalk did not exist;
``leave-one-out``: each source item without its own links), every method — the fused
score, each signal alone, a plain word-level TF-IDF floor and a random ranking — is
scored against the human links: MAP, R-precision, P@5, Recall@10 and nDCG@10, each a
mean over source items with a 95 % bootstrap interval.  The fused score's weights are
fitted only on what the mode's catalog holds (out of fold, grouped by source item).

Speed: model load, a full 64 × 45 pair (cold and warm), a free-text query (warm), and
the resident memory of a real server (``crosswalk serve``) after it has answered a
free-text request.  Timings on a shared machine are rough.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from crosswalk.catalog import Catalog
from crosswalk.sources.bundled import load_bundled
from crosswalk.suggest import METHODS, METRICS, Embeddings, Mode, evaluate, suggest_pair
from crosswalk.suggest import embeddings as embeddings_module
from crosswalk.suggest.encoder import SentenceEncoder
from crosswalk.suggest.freetext import suggest_text

PAIRS = (
    ("imh", "wv-ckc-2015"),
    ("wv-ckc-2015", "imh"),
    ("iecmhc", "imh"),
    ("imh", "iecmhc"),
)
GOALS = {
    ("imh", "wv-ckc-2015", Mode.BLIND): ("MAP", 0.45),
    ("imh", "wv-ckc-2015", Mode.LEAVE_ONE_OUT): ("MAP", 0.60),
    ("iecmhc", "imh", Mode.BLIND): ("Recall@10", 0.6),
}
TEXT = (
    "Reflective supervision for home visitors: using the supervisory relationship to "
    "reflect on the feelings that work with infants, toddlers and their families stirs up"
)


def quality(catalog: Catalog, embeddings: Embeddings, markdown: bool) -> None:
    for source, target in PAIRS:
        for mode in (Mode.BLIND, Mode.LEAVE_ONE_OUT):
            result = evaluate(catalog, source, target, mode, embeddings=embeddings)
            print(
                f"\n## {source} → {target}, {mode}: {result.items} source items, "
                f"{result.links} human links"
            )
            header = ["method", *METRICS]
            if markdown:
                print("| " + " | ".join(header) + " |")
                print("|" + "---|" * len(header))
            else:
                print("  ".join(f"{h:<22}" if n else f"{h:<11}" for n, h in enumerate(header)))
            for method in METHODS:
                metrics = result.results[method].metrics
                cells = [str(metrics[m]) for m in METRICS]
                if markdown:
                    print(f"| {method} | " + " | ".join(cells) + " |")
                else:
                    print(f"{method:<11}  " + "  ".join(f"{c:<22}" for c in cells))
            goal = GOALS.get((source, target, mode))
            if goal:
                metric, wanted = goal
                got = result.results["fused"].metrics[metric]
                floor = result.results["tfidf"].metrics[metric]
                verdict = "met" if got.mean >= wanted else "NOT met"
                clear = "clear of" if got.low > floor.high else "overlaps"
                print(
                    f"goal: fused {metric} ≥ {wanted}: {got.mean:.3f} → {verdict}; "
                    f"its interval {clear} TF-IDF's ({floor})"
                )


def speed(catalog: Catalog) -> None:
    began = time.perf_counter()
    encoder = SentenceEncoder()
    print(f"\nmodel load: {time.perf_counter() - began:.2f} s")

    def pair(label: str, embeddings: Embeddings) -> None:
        began = time.perf_counter()
        rankings = suggest_pair(catalog, "imh", "wv-ckc-2015", top=None, embeddings=embeddings)
        pairs = sum(len(r.suggestions) for r in rankings)
        print(
            f"full imh × wv-ckc-2015 pair, {label}: {time.perf_counter() - began:.2f} s "
            f"({len(rankings)} source items, {pairs} ranked pairs, model ran "
            f"{embeddings.model_runs} texts)"
        )

    shipped = embeddings_module.shipped_vectors
    with tempfile.TemporaryDirectory() as empty:
        embeddings_module.shipped_vectors = dict  # as if nothing were shipped
        try:
            pair("cold (empty cache, nothing shipped)", Embeddings(Path(empty), encoder))
        finally:
            embeddings_module.shipped_vectors = shipped
    with tempfile.TemporaryDirectory() as cold:
        embeddings = Embeddings(Path(cold), encoder)
        pair("new installation (empty cache, the shipped vectors)", embeddings)
        pair("warm", embeddings)
        suggest_text(catalog, "wv-ckc-2015", "warm the index", embeddings=embeddings)
        runs = []
        for n in range(20):
            began = time.perf_counter()
            suggest_text(catalog, "wv-ckc-2015", f"{TEXT} ({n})", embeddings=embeddings)
            runs.append(time.perf_counter() - began)
        runs.sort()
        print(
            f"free-text query, warm (new text each time, 20 runs): median "
            f"{runs[10] * 1000:.0f} ms, worst {runs[-1] * 1000:.0f} ms"
        )
    print(f"server RSS with the model: {server_rss()}")


def server_rss() -> str:
    """Start ``crosswalk serve``, ask it one free-text question, read its VmRSS."""
    exe = shutil.which("crosswalk", path=str(Path(sys.executable).parent))
    if exe is None or not Path("/proc").exists():
        return "not measured (needs the crosswalk command and /proc)"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "CROSSWALK_DATABASE_URL": f"sqlite:///{home}/bench.sqlite3"}
        server = subprocess.Popen(
            [exe, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/api/suggest/text?to=wv-ckc-2015&text=" + (
                urllib.request.quote(TEXT)
            )
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=30) as response:
                        response.read()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        return "not measured (the server did not answer)"
                    time.sleep(0.5)
            status = Path(f"/proc/{server.pid}/status").read_text()
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            return f"{int(match[1]) / 1024:.0f} MB" if match else "not measured"
        finally:
            server.terminate()
            server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", action="store_true", help="only the quality tables")
    parser.add_argument("--speed", action="store_true", help="only the speed figures")
    parser.add_argument("--markdown", action="store_true", help="quality as Markdown tables")
    args = parser.parse_args()
    catalog = Catalog(load_bundled())
    if not args.speed:
        quality(catalog, Embeddings(), args.markdown)
    if not args.quality:
        speed(catalog)


if __name__ == "__main__":
    main()
