"""Costly work a few at a time; beyond that, 503 with ``Retry-After`` at once.

Most requests are cheap: the in-memory catalog read, or an answer from a cache.  A few
kinds of work cost a core and tens of megabytes for up to a few seconds: assessing an
uploaded transcript, ranking suggestions, building a large crosswalk's matrix or the
lint report, importing a new edition.  Each is bounded on its own; ``N`` of them at once
cost ``N`` times as much, so every one of them passes through one :class:`Gate` per
process (:data:`COSTLY`): a few run, a few more wait briefly for a slot, and the rest
are told at once to come back (:class:`Busy`, answered 503 with ``Retry-After``).

Waiting is bounded too, on purpose: every route runs in the same thread pool, so an
unbounded queue of requests blocked on a lock would take every thread and stall the
cheap requests behind them — the outage the gate is there to prevent.

A thread already holding a slot passes again freely (a matrix built while the page
that shows it is built), so nested costly work cannot deadlock on its own slots.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI, Request
from fastapi.responses import Response

from crosswalk.web.errors import error_response
from crosswalk.web.schemas.common import ErrorOut

# Per process: one slot per core it may use (two at least), as many waiting, each up to
# a second.
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
SLOTS = max(2, _CORES or 2)
WAIT_SECONDS = 1.0
RETRY_AFTER_SECONDS = 2


class Busy(RuntimeError):
    """Every slot is taken and the queue is full: ask again in ``retry_after`` seconds."""

    def __init__(self, what: str, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(
            f"the server is busy with other {what} requests; try again in a few seconds"
        )
        self.retry_after = retry_after


class Gate:
    """At most ``slots`` holders at once and ``waiting`` more queued for ``wait`` s."""

    def __init__(self, slots: int = SLOTS, waiting: int = SLOTS, wait: float = WAIT_SECONDS):
        self.slots = slots
        self.waiting = waiting
        self.wait = wait
        self._running = 0
        self._queued = 0
        self._changed = threading.Condition()
        self._held = threading.local()

    @contextmanager
    def slot(self, what: str) -> Iterator[None]:
        """Hold a slot for the block, or raise :class:`Busy` (at once when the queue is
        full, after ``wait`` seconds when no slot came free meanwhile)."""
        if getattr(self._held, "depth", 0):
            self._held.depth += 1  # this thread holds a slot already
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        self._enter(what)
        self._held.depth = 1
        try:
            yield
        finally:
            self._held.depth = 0
            with self._changed:
                self._running -= 1
                self._changed.notify()

    @contextmanager
    def at_once(self, what: str) -> Iterator[None]:
        """A slot now or :class:`Busy`, never waiting: for async code on the event loop
        (where one thread serves many requests, so a slot is not the thread's)."""
        with self._changed:
            if self._running >= self.slots:
                raise Busy(what)
            self._running += 1
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._changed.notify()

    def _enter(self, what: str) -> None:
        with self._changed:
            if self._running < self.slots:
                self._running += 1
                return
            if self._queued >= self.waiting:
                raise Busy(what)
            self._queued += 1
            deadline = time.monotonic() + self.wait
            try:
                while self._running >= self.slots:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise Busy(what)
                    self._changed.wait(left)
                self._running += 1
            finally:
                self._queued -= 1

    @property
    def running(self) -> int:
        return self._running


COSTLY = Gate()
# Checking a password: argon2id costs ~150 ms of CPU and 64 MB of memory each, on
# purpose, so 40 sign-ins at once (the thread pool) took 2.5 GB.  A gate of its own: a
# flood of sign-ins is refused without holding up reports and suggestions.
PASSWORDS = Gate(slots=SLOTS, waiting=4 * SLOTS, wait=3.0)
# Uploads being received (each up to the body limit in memory): a few per core.
RECEIVING = Gate(slots=4 * SLOTS, waiting=0)
# The time an upload may take to arrive: a body trickled in byte by byte ("slowloris")
# would otherwise hold its memory and its slot for as long as the sender likes.
UPLOAD_SECONDS = 30.0

# For the OpenAPI document of every route that takes a slot.
BUSY_RESPONSE: dict[int | str, dict[str, object]] = {
    503: {
        "model": ErrorOut,
        "description": "Busy: too many costly requests at once; ask again after "
        "`Retry-After` seconds",
    }
}


def _busy(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Busy)
    headers = {"Retry-After": str(exc.retry_after)}
    return error_response(request, 503, str(exc), (), headers, title="Busy right now")


def install(app: FastAPI) -> None:
    app.add_exception_handler(Busy, _busy)
