"""Suggestion tests run the real model on the real bundled data.

The model's vectors are cached on disk; the whole session shares one cache in a
temporary directory (never the user's), and every interface under test — library,
CLI, web — is pointed at the same :class:`Embeddings`, so the model embeds each item
text once per run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crosswalk.catalog import Catalog
from crosswalk.sources.bundled import load_bundled
from crosswalk.suggest import embeddings as embeddings_module
from crosswalk.suggest.embeddings import Embeddings


@pytest.fixture(scope="session")
def embeddings(tmp_path_factory: pytest.TempPathFactory) -> Embeddings:
    return Embeddings(tmp_path_factory.mktemp("embeddings"))


@pytest.fixture(autouse=True)
def _shared_embeddings(embeddings: Embeddings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Interfaces use ``shared_embeddings()``: make it the session's cache."""
    monkeypatch.setattr(embeddings_module, "_shared", embeddings)
    monkeypatch.setenv("CROSSWALK_CACHE_DIR", str(embeddings.directory))
    yield


@pytest.fixture(scope="session")
def bundled() -> Catalog:
    return Catalog(load_bundled())
