"""Bulk work with Python's cyclic garbage collector paused.

Importing or exporting a large framework allocates millions of small dicts, tuples and
dataclasses that stay alive until the step ends.  CPython runs a full collection
whenever the objects that survived earlier ones have grown by a quarter, and each
walks every live container: on the 20,000-item package of ``bench/exchange.py`` an
import spent 1.9–3.0 s of its time in 7–11 full collections that freed about 11,000
objects, and an export 1.0–1.9 s in 5–6 that freed under 5,000.  Nothing these steps
build refers to itself in a cycle (reference counting frees what they drop), so the
collector waits until they end; cycles made meanwhile elsewhere in the process are
collected then, as they would have been a little later anyway.

The pause is process-wide (the collector is), so it is counted: threads doing bulk
work at once (two imports in the web app) resume the collector when the last ends,
and a collector someone else disabled stays disabled.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0  # bulk steps running now
_resume = False  # whether the collector was enabled when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block without cyclic garbage collection (see the module's docstring)."""
    global _paused, _resume
    with _lock:
        if _paused == 0:
            _resume = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _resume:
                gc.enable()
