"""Time the readiness report on a 5,000-row transcript (target: under 2 s).

Run: ``.venv/bin/python bench/readiness.py``.  Generates a transcript shaped like a long
WV STARS export (CKC codes, a few IECMHC items and IMH area names, mixed separators,
some reflective-supervision rows, repeated rows and rows dated in the future), then
times reading it, assessing it for IMHS — evidence, states, the plan and the renewal
years — and rendering HTML, JSON and CSV: what ``crosswalk readiness FILE -c IMHS -o
report.html`` does after loading the catalog.  Not run by the test suite.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import time

from crosswalk.catalog import Catalog
from crosswalk.readiness import assess, read_transcript, render_html, to_csv, to_json
from crosswalk.sources.bundled import load_bundled

ROWS = 5_000
TARGET_SECONDS = 2.0


def transcript_bytes(rows: int = ROWS, seed: int = 5) -> bytes:
    """A reproducible transcript: same file on every run."""
    rng = random.Random(seed)
    catalog = Catalog(load_bundled())
    ckc = [i.code for i in catalog.items_of("wv-ckc-2015") if catalog.is_leaf(i)]
    iecmhc = [i.code for i in catalog.items_of("iecmhc") if catalog.is_leaf(i)]
    imh = [i.name for i in catalog.items_of("imh") if catalog.is_leaf(i)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Training Title", "Date Completed", "Clock Hours", "Sponsor", "Codes", "Type"])
    start = dt.date.today() - dt.timedelta(days=3600)
    previous: list[object] = []
    for n in range(rows):
        pick = rng.random()
        if pick < 0.9:
            codes = rng.choice(["; ", ", ", " "]).join(rng.sample(ckc, rng.randint(1, 4)))
        elif pick < 0.95:
            codes = "IECMHC " + rng.choice(iecmhc)
        else:
            codes = rng.choice(imh)
        kind = "reflective supervision" if rng.random() < 0.03 else "training"
        day = start + dt.timedelta(days=rng.randint(0, 3650))  # a few in the future
        row = [f"Training {n}", day.strftime("%m/%d/%Y"), rng.choice([1, 1.5, 2, 3, 6]),
               rng.choice(["WV STARS", "TRAILS", "WV-AIMH"]), codes, kind]  # fmt: skip
        if previous and rng.random() < 0.01:  # the same training listed again
            row = [*previous[:4], rng.choice(ckc), previous[5]]
        writer.writerow(row)
        previous = row
    return out.getvalue().encode()


def main() -> None:
    catalog = Catalog(load_bundled())
    data = transcript_bytes()
    timings: dict[str, float] = {}
    cpu = time.process_time()
    began = time.perf_counter()
    transcript = read_transcript(data, "bench.csv")
    timings["read"] = time.perf_counter() - began
    mark = time.perf_counter()
    report = assess(catalog, transcript, "IMHS")
    timings["assess"] = time.perf_counter() - mark
    mark = time.perf_counter()
    html = render_html(report)
    timings["html"] = time.perf_counter() - mark
    mark = time.perf_counter()
    text = json.dumps(to_json(report))
    timings["json"] = time.perf_counter() - mark
    mark = time.perf_counter()
    table = to_csv(report)
    timings["csv"] = time.perf_counter() - mark
    total = time.perf_counter() - began
    cpu = time.process_time() - cpu
    parts = ", ".join(f"{name} {seconds:.3f} s" for name, seconds in timings.items())
    print(
        f"readiness: {len(transcript.rows)} rows ({len(data) / 1024:.0f} kB), "
        f"{len(report.covered)} covered / {len(report.touched)} touched / "
        f"{len(report.not_covered)} not covered of {len(report.areas)} areas, "
        f"plan {len(report.plan.steps)} codes, renewal {len(report.renewal.years)} years, "
        f"{len(report.problems)} problems; HTML {len(html) / 1024:.0f} kB, "
        f"JSON {len(text) / 1024:.0f} kB, CSV {len(table) / 1024:.0f} kB"
    )
    verdict = "OK" if total < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(f"{parts}; total {total:.3f} s (target < {TARGET_SECONDS:.0f} s): {verdict}")
    # On a shared machine the wall clock also counts other people's work; the CPU time
    # of this process is the steadier figure.
    print(f"CPU time of this process: {cpu:.3f} s")


if __name__ == "__main__":
    main()
