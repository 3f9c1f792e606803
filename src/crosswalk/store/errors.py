"""The store's one error: a write refused or failed, with nothing changed."""

from __future__ import annotations


class StoreError(Exception):
    """A write was refused or failed; nothing was changed in the database."""
