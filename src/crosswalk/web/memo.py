"""Results built once per key, however many requests ask at the same moment.

A page that is costly to build (the lint report, a rendered matrix) is kept on the
store's snapshot so that the next request at the same revision reads it instead.  Two
things make that safe under load: the first request for a key builds it while the
others wait for that one build (no stampede of identical builds), and the memo keeps
a bounded number of entries, the least recently used dropped first, so that keys made
from query parameters cannot grow it without end.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")

# Entries kept per revision.  Each is itself bounded (every view is capped, see
# crosswalk.query.grid), so the memo's memory is bounded too.
DEFAULT_ENTRIES = 64


class Memo:
    """``get(key, build)`` builds once per key; concurrent callers wait for that build."""

    def __init__(self, size: int = DEFAULT_ENTRIES) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Future[Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value for ``key``, built by ``build()`` if no one has built it yet.

        While one thread builds, others asking for the same key block until it is done
        and share its result (or its exception; a failed build is not kept, so a later
        call tries again).
        """
        with self._lock:
            future = self._entries.get(key)
            owner = future is None
            if future is None:
                future = self._entries[key] = Future()
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            else:
                self._entries.move_to_end(key)
        if not owner:
            return future.result()  # type: ignore[no-any-return]
        try:
            value = build()
        except BaseException as error:
            with self._lock:
                if self._entries.get(key) is future:
                    del self._entries[key]
            future.set_exception(error)
            raise
        future.set_result(value)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Hashable]:
        with self._lock:
            return iter(list(self._entries))
