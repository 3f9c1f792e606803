"""Embeddings are cached by text: on disk for item texts, in memory only for free text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from crosswalk.suggest import embeddings as embeddings_module
from crosswalk.suggest.embeddings import Embeddings


def test_a_new_process_reads_vectors_back_instead_of_running_the_model(
    embeddings: Embeddings, tmp_path: Path
) -> None:
    first = Embeddings(tmp_path, embeddings.encoder)
    vectors = first.embed(["Observation & listening", "Safety"])
    assert first.model_runs == 2
    assert len(list(tmp_path.rglob("*.npy"))) == 2
    second = Embeddings(tmp_path, embeddings.encoder)
    again = second.embed(["Safety", "Observation & listening"])
    assert second.model_runs == 0
    assert np.array_equal(again, vectors[::-1])


def test_free_text_never_reaches_the_disk(embeddings: Embeddings, tmp_path: Path) -> None:
    cache = Embeddings(tmp_path, embeddings.encoder)
    cache.embed(["a private training description"], persist=False)
    assert not list(tmp_path.rglob("*.npy"))
    cache.embed(["a private training description"], persist=False)
    assert cache.model_runs == 1  # the second time from memory


def test_a_damaged_cache_file_is_embedded_again(embeddings: Embeddings, tmp_path: Path) -> None:
    Embeddings(tmp_path, embeddings.encoder).embed(["Curiosity"])
    (path,) = tmp_path.rglob("*.npy")
    path.write_bytes(b"not a vector")
    fresh = Embeddings(tmp_path, embeddings.encoder)
    vector = fresh.embed(["Curiosity"])
    assert fresh.model_runs == 1
    assert vector.shape == (1, 384)


def test_memory_is_bounded(
    embeddings: Embeddings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embeddings_module, "MEMORY_ENTRIES", 3)
    cache = Embeddings(tmp_path, embeddings.encoder)
    cache.embed([f"text {n}" for n in range(5)], persist=False)
    assert len(cache._memory) == 3


def test_no_texts_no_rows(embeddings: Embeddings) -> None:
    assert embeddings.embed([]).shape == (0, 384)


def test_the_bundled_data_comes_embedded(embeddings: Embeddings, tmp_path: Path) -> None:
    """A new installation answers its first suggestions without running the model over
    the items: the vectors shipped with the package cover every text the bundled data
    embeds, and are the model's own.  Fails when the data or the model changed and
    ``crosswalk-build-data`` was not run again."""
    from crosswalk.catalog import Catalog
    from crosswalk.store import open_repository
    from crosswalk.suggest.engine import embedded_texts, suggest_pair
    from crosswalk.suggest.freetext import suggest_text
    from crosswalk.suggest.suggestion import Mode

    with open_repository(f"sqlite:///{tmp_path / 'new.sqlite3'}") as store:
        catalog = Catalog(store.load())  # what a new installation holds
    texts = embedded_texts(catalog)
    assert len(texts) > 100
    shipped = embeddings_module.shipped_vectors()
    assert {embeddings_module._key(t) for t in texts} <= set(shipped)
    sample = texts[:: len(texts) // 5]
    assert np.allclose(
        embeddings.encoder.encode(sample), Embeddings(tmp_path).embed(sample), atol=1e-5
    )

    new_machine = Embeddings(tmp_path / "empty-cache", embeddings.encoder)
    suggest_text(catalog, "wv-ckc-2015", "Observing infants at play", embeddings=new_machine)
    suggest_pair(catalog, "imh", "wv-ckc-2015", mode=Mode.BLIND, embeddings=new_machine)
    assert new_machine.model_runs == 1  # the free text only
    assert not (tmp_path / "empty-cache").exists()  # nothing had to be cached
