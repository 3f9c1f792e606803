"""The hostile files of ``bench/hostile_files.py``, for the tests: one set of makers.

The benches run ``bench/`` as scripts; the tests import the same module through this
one line, so a file the bench sends and a file a test refuses are made the same way.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import hostile_files as files

__all__ = ["files"]
