"""Why a store operation failed, in words a person can act on.

A refused write has very different remedies depending on its cause: bad data is fixed
in the file, a write that lost a race is simply run again, and a full disk, a
read-only file or a lock held by another program are fixed on the storage, not in the
data.  Drivers report these causes in their own codes (SQLite's extended result
names, PostgreSQL's SQLSTATE); :func:`failure` reads them once, here, so every
interface shows the same reason and the same advice.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.exc import DBAPIError


class Cause(StrEnum):
    DATA = "data"  # the data itself was refused (a constraint, a bad value)
    CONFLICT = "conflict"  # another write came first
    FULL = "full"  # no space left for the database
    READ_ONLY = "read-only"  # the file, the directory or the server refuses writes
    LOCKED = "locked"  # another program holds a lock for too long
    UNREACHABLE = "unreachable"  # the database cannot be found or connected to
    STORAGE = "storage"  # any other failure of the disk or the server


# What to do next, per cause; DATA has none here because only the caller knows where
# the data came from (the CLI says "fix the file").
HINTS = {
    Cause.CONFLICT: "run it again",
    Cause.FULL: "free some space on the disk that holds the database, then run it again",
    Cause.READ_ONLY: "reading works; to change the data, use a writable copy of the database",
    Cause.LOCKED: "another program is using the database; run it again when done",
    Cause.UNREACHABLE: "check --database URL or CROSSWALK_DATABASE_URL",
    Cause.STORAGE: "check the disk or the database server, then run it again",
}

_WHAT = {
    Cause.DATA: "the database refused the data",
    Cause.CONFLICT: "another write came in first",
    Cause.FULL: "the disk is full",
    Cause.READ_ONLY: "the database is read-only",
    Cause.LOCKED: "the database is locked by another program",
    Cause.UNREACHABLE: "it cannot be found or reached",
    Cause.STORAGE: "the database failed",
}


class StoreError(Exception):
    """A store operation was refused or failed; nothing was changed in the database.

    ``cause`` says why, ``hint`` what to do about it (empty for bad data, whose fix
    depends on where the data came from).
    """

    def __init__(self, message: str, cause: Cause = Cause.DATA, hint: str | None = None) -> None:
        super().__init__(message)
        self.cause = cause
        self.hint = HINTS.get(cause, "") if hint is None else hint


def failure(error: DBAPIError, doing: str) -> StoreError:
    """``error`` from the driver as a :class:`StoreError`: ``doing``, what went wrong, the
    driver's own words, e.g. ``nothing was changed: the disk is full (database or disk
    is full)``."""
    cause = cause_of(error)
    detail = " ".join(str(error.orig).split()) or type(error.orig).__name__
    return StoreError(f"{doing}: {_WHAT[cause]} ({detail})", cause)


def cause_of(error: DBAPIError) -> Cause:
    """The cause of a driver error, from SQLite's result name or PostgreSQL's SQLSTATE."""
    name = getattr(error.orig, "sqlite_errorname", None)
    if isinstance(name, str):
        return _sqlite_cause(name)
    if hasattr(error.orig, "sqlstate"):  # psycopg: None when the connection failed
        return _postgres_cause(getattr(error.orig, "sqlstate", None))
    return Cause.STORAGE


def _sqlite_cause(name: str) -> Cause:
    # https://www.sqlite.org/rescode.html; SHMSIZE is the shared-memory file of WAL
    # mode failing to grow, which on a full disk is what the first read runs into.
    if name in ("SQLITE_FULL", "SQLITE_IOERR_SHMSIZE"):
        return Cause.FULL
    for prefix, cause in (
        ("SQLITE_READONLY", Cause.READ_ONLY),
        ("SQLITE_BUSY", Cause.LOCKED),
        ("SQLITE_LOCKED", Cause.LOCKED),
        ("SQLITE_CANTOPEN", Cause.UNREACHABLE),
        ("SQLITE_NOTADB", Cause.UNREACHABLE),
        ("SQLITE_CONSTRAINT", Cause.DATA),
        ("SQLITE_MISMATCH", Cause.DATA),
        ("SQLITE_TOOBIG", Cause.DATA),
        ("SQLITE_RANGE", Cause.DATA),
    ):
        if name.startswith(prefix):
            return cause
    return Cause.STORAGE


def _postgres_cause(state: str | None) -> Cause:
    # https://www.postgresql.org/docs/current/errcodes-appendix.html; no SQLSTATE at
    # all means the connection itself failed.
    specific = {
        "53100": Cause.FULL,  # disk_full
        "25006": Cause.READ_ONLY,  # read_only_sql_transaction (a standby, or set so)
        "40001": Cause.CONFLICT,  # serialization_failure
        "40P01": Cause.CONFLICT,  # deadlock_detected
        "55P03": Cause.LOCKED,  # lock_not_available (lock_timeout)
        "57014": Cause.LOCKED,  # query_canceled (statement_timeout)
    }
    if state in specific:
        return specific[state]
    if state is None or state[:2] in ("08", "57", "3D", "28"):
        return Cause.UNREACHABLE
    if state[:2] in ("22", "23"):
        return Cause.DATA
    return Cause.STORAGE
