"""Time the readiness report on a 5,000-row transcript (target: under 2 s).

Run: ``.venv/bin/python bench/readiness.py``.  Generates a transcript shaped like a long
WV STARS export (CKC codes, a few IECMHC items and IMH area names, mixed separators),
then times reading it, assessing it for IMHS and rendering HTML and JSON — what
``crosswalk readiness FILE -c IMHS -o report.html`` does after loading the catalog.
Not run by the test suite.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import time

from crosswalk.catalog import Catalog
from crosswalk.readiness import assess, read_transcript, render_html, to_json
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
    writer.writerow(["Training Title", "Date Completed", "Clock Hours", "Sponsor", "Codes"])
    start = dt.date(2015, 1, 1)
    for n in range(rows):
        pick = rng.random()
        if pick < 0.9:
            codes = rng.choice(["; ", ", ", " "]).join(rng.sample(ckc, rng.randint(1, 4)))
        elif pick < 0.95:
            codes = "IECMHC " + rng.choice(iecmhc)
        else:
            codes = rng.choice(imh)
        day = start + dt.timedelta(days=rng.randint(0, 3600))
        writer.writerow(
            [f"Training {n}", day.strftime("%m/%d/%Y"), rng.choice([1, 1.5, 2, 3, 6]),
             rng.choice(["WV STARS", "TRAILS", "WV-AIMH"]), codes]
        )  # fmt: skip
    return out.getvalue().encode()


def main() -> None:
    catalog = Catalog(load_bundled())
    data = transcript_bytes()
    timings: dict[str, float] = {}
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
    total = time.perf_counter() - began
    parts = ", ".join(f"{name} {seconds:.3f} s" for name, seconds in timings.items())
    print(
        f"readiness: {len(transcript.rows)} rows ({len(data) / 1024:.0f} kB), "
        f"{len(report.covered)}/{len(report.areas)} areas covered, "
        f"HTML {len(html) / 1024:.0f} kB, JSON {len(text) / 1024:.0f} kB"
    )
    verdict = "OK" if total < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(f"{parts}; total {total:.3f} s (target < {TARGET_SECONDS:.0f} s): {verdict}")


if __name__ == "__main__":
    main()
