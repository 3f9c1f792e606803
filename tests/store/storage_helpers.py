"""Real unhelpful storage for tests: read-only folders, tiny and full filesystems.

Tests may run as root, where file modes stop no write, so read-only storage is a
read-only bind mount there, and a full disk is a tmpfs of a few kilobytes; both need
the right to mount, and a test that cannot get one is skipped (saying why) rather
than faked.  As another user, modes are enough for read-only storage.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

CLI = [sys.executable, "-c", "from crosswalk.cli import main; main()"]


def _mount(*arguments: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a filesystem needs root")
    done = subprocess.run(["mount", *arguments], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip() or done.returncode}")


def _unmount(target: Path) -> None:
    subprocess.run(["umount", "--lazy", str(target)], capture_output=True, check=False)


@contextlib.contextmanager
def tmpfs(target: Path, size: str) -> Iterator[Path]:
    """A filesystem of ``size`` (``64k``) mounted on ``target`` for the block's duration."""
    target.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(target))
    try:
        yield target
    finally:
        _unmount(target)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` seen through storage this process cannot write: its files and itself.

    As root, a read-only bind mount of it (root ignores file modes, not a read-only
    mount); as anyone else, its modes set to read-only and restored afterwards.
    """
    if os.geteuid() != 0:
        files = [p for p in folder.iterdir() if p.is_file()]
        for path in files:
            path.chmod(0o444)
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
            for path in files:
                path.chmod(0o644)
        return
    view = folder.with_name(folder.name + "-read-only")
    view.mkdir()
    _mount("--bind", str(folder), str(view))
    try:
        subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(view)], check=True, capture_output=True
        )
        yield view
    finally:
        _unmount(view)


def fill(folder: Path) -> Path:
    """Write a file in ``folder`` until its filesystem has no byte left; return it."""
    filler = folder / "filler"
    block = b"\0" * 4096
    with filler.open("wb", buffering=0) as stream, contextlib.suppress(OSError):
        while True:
            stream.write(block)
    with filler.open("ab", buffering=0) as stream, contextlib.suppress(OSError):
        while True:  # the last partial block, byte by byte
            stream.write(b"\0")
    return filler


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
