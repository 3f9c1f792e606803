"""``crosswalk import URL``: read a CFPackage from a CASE server, as peers do.

CASE servers publish each framework at ``…/ims/case/v1p1/CFPackages/<id>``; a peer
imports it by reading that URL.  The answer is bounded like a file: the import size
limit (``CROSSWALK_MAX_IMPORT_BYTES``) is checked against ``Content-Length`` before
reading and again while reading, and the whole transfer has a deadline, so a slow or
endless server cannot hold the command.  A CFDocument URL is followed to its
package (``CFPackageURI``).  The package is then imported exactly as a file would be
(:func:`~crosswalk.formats.exchange.import_file`).
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from crosswalk import __version__
from crosswalk.formats.errors import ExchangeError
from crosswalk.formats.exchange import ImportReport, Progress, import_file, max_bytes
from crosswalk.formats.limits import show_bytes

DEFAULT_TIMEOUT = 60.0  # seconds for the whole transfer
CHUNK = 64 * 1024


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https")


def fetch(url: str, timeout: float = DEFAULT_TIMEOUT, limit: int | None = None) -> bytes:
    """The body at ``url`` (http or https), within the size limit and the deadline.

    A socket's timeout bounds each read, not the transfer: a server sending a byte a
    second is always "in time".  So the transfer runs in a thread of its own, and the
    caller stops waiting at the deadline (the thread, a daemon, stops at its next read).
    """
    if not is_url(url):
        raise ExchangeError(f"{url}: only http:// and https:// URLs can be imported")
    limit = max_bytes() if limit is None else limit
    deadline = time.monotonic() + timeout
    outcome: list[bytes | ExchangeError] = []
    worker = threading.Thread(
        target=lambda: outcome.append(_transfer(url, timeout, limit, deadline)),
        name="crosswalk-fetch",
        daemon=True,
    )
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise _late(url, timeout)
    if isinstance(outcome[0], ExchangeError):
        raise outcome[0]
    return outcome[0]


def _late(url: str, timeout: float) -> ExchangeError:
    return ExchangeError(f"{url}: no complete answer within {timeout:g} s")


def _transfer(url: str, timeout: float, limit: int, deadline: float) -> bytes | ExchangeError:
    """The body, or the error to report (raised in the caller's thread)."""
    try:
        return _read(url, timeout, limit, deadline)
    except ExchangeError as error:
        return error
    except Exception as error:  # a malformed answer (http.client's own errors)
        return ExchangeError(f"{url}: cannot read it ({error!r})")


def _read(url: str, timeout: float, limit: int, deadline: float) -> bytes:
    request = urllib.request.Request(
        url,
        headers={"Accept": "application/json", "User-Agent": f"competency-crosswalk/{__version__}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # http(s) only
            declared = answer.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise _too_large(url, int(declared), limit)
            chunks, size = [], 0
            while chunk := answer.read1(CHUNK):  # what has arrived, not a full chunk
                size += len(chunk)
                if size > limit:
                    raise _too_large(url, size, limit)
                if time.monotonic() > deadline:
                    raise _late(url, timeout)
                chunks.append(chunk)
            return b"".join(chunks)
    except urllib.error.HTTPError as error:
        raise ExchangeError(f"{url}: the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ExchangeError(f"{url}: cannot read it ({reason})") from None


def _too_large(url: str, size: int, limit: int) -> ExchangeError:
    return ExchangeError(
        f"{url}: {show_bytes(size)} or more is over the import limit of {show_bytes(limit)} "
        "(set CROSSWALK_MAX_IMPORT_BYTES to raise it)"
    )


def fetch_package(url: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """A CFPackage's JSON text; a CFDocument's ``CFPackageURI`` is followed once."""
    body = fetch(url, timeout)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return body  # the importer reports what is wrong with it, naming the URL
    link = data.get("CFPackageURI") if isinstance(data, dict) else None
    if isinstance(link, dict) and "CFItems" not in data and isinstance(link.get("uri"), str):
        if not is_url(link["uri"]):
            raise ExchangeError(f"{url}: its CFPackageURI {link['uri']!r} is not an http(s) URL")
        return fetch(link["uri"], timeout)
    return body


def import_url(
    url: str,
    check: bool = False,
    *,
    database_url: str | None = None,
    seed: bool = True,
    progress: Progress | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    propose: bool = False,
    actor: str | None = None,
) -> ImportReport:
    """Import the CFPackage at ``url`` (see :func:`import_file`: ``propose`` and
    ``actor`` as there); messages and the change set's title name the URL."""
    if progress:
        progress(f"reading {url}")
    body = fetch_package(url, timeout)
    with tempfile.TemporaryDirectory(prefix="crosswalk-import-") as folder:
        path = Path(folder) / "package.json"
        path.write_bytes(body)
        try:
            report = import_file(
                path,
                "case",
                check,
                url=database_url,
                seed=seed,
                progress=progress,
                propose=propose,
                actor=actor,
                title=f"Import of {url}",
            )
        except ExchangeError as error:
            raise ExchangeError(str(error).replace(str(path), url)) from None
    report.warnings = [w.replace(str(path), url) for w in report.warnings]
    return report
