"""A lean HTTP/1.1 load generator: many keep-alive clients in one asyncio loop.

Why not httpx: on this 2-core machine an ``httpx.AsyncClient`` spends about 4 ms of CPU
per request, so 50 clients saturate the client's core at ~250 requests a second while
the server sits at 16 % — and the percentiles then measure the client's own queue, not
the server.  These clients write a request line and read the answer off a stream
(``Content-Length`` or chunked), tens of microseconds each, so what is timed is the
server.  An answer counts as an error when its status is not 200, it is cut short, or
the connection fails (the client then opens a new one).

    timings, errors = asyncio.run(load("http://127.0.0.1:8000", any_of(["/"]), 50, 60))
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

Timing = tuple[str, float]  # the path and its seconds, from request written to body read
Chooser = Callable[[random.Random], str]  # the next path a client asks for


def any_of(paths: Sequence[str]) -> Chooser:
    """Each request a path of ``paths``, at random."""
    return lambda pick: pick.choice(paths)


class _Connection:
    """One keep-alive connection; :meth:`get` answers the status of a full GET."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        headers = head.lower()
        if b"transfer-encoding: chunked" in headers:
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readline()
        else:
            start = headers.find(b"content-length:")
            if start >= 0:
                length = int(headers[start + 15 : headers.index(b"\r\n", start)])
                await self.reader.readexactly(length)
        if b"connection: close" in headers:
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load(
    url: str, choose: Chooser, clients: int, seconds: float, requests: int | None = None
) -> tuple[list[Timing], int]:
    """``clients`` connections each GETting the path ``choose`` gives in a loop, until
    ``seconds`` have passed or ``requests`` have been sent in all."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    timings: list[Timing] = []
    errors = 0
    stop_at = time.perf_counter() + seconds
    budget = [requests if requests is not None else -1]

    async def client(seed: int) -> None:
        nonlocal errors
        pick = random.Random(seed)
        connection = _Connection(host, port)
        while time.perf_counter() < stop_at and budget[0] != 0:
            budget[0] -= 1
            path = choose(pick)
            started = time.perf_counter()
            try:
                ok = await asyncio.wait_for(connection.get(path), 30) == 200
            except (OSError, ValueError, asyncio.IncompleteReadError, TimeoutError):
                connection.close()
                ok = False
            timings.append((path, time.perf_counter() - started))
            errors += not ok
        connection.close()

    await asyncio.gather(*(client(n) for n in range(clients)))
    return timings, errors
