"""Sentence embeddings cached by text, so that a warm query costs one matrix product.

Item texts are embedded once per machine: each vector is kept in memory and in a file
under the user cache directory named by a hash of the model and the text, so a new
process reads them back instead of running the model.  The bundled data's texts come
embedded with the package (:data:`SHIPPED`, written by ``crosswalk-build-data``), so a
new installation answers its first suggestion without running the model over every
item (4 s of a core and ~250 MB more at peak); a text curation changed, or another
model, simply misses there.  Free text (a training's
description) is kept in memory only, in a bounded LRU, so that no visitor can fill the
disk.  The model is loaded lazily, once per process, behind a lock.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path

import numpy as np
import platformdirs

from crosswalk.config import APP_NAME
from crosswalk.files import replacing_binary
from crosswalk.suggest.encoder import MODEL_NAME, Matrix, SentenceEncoder

MEMORY_ENTRIES = 4096  # ~6 MB of vectors
_DIMENSION = 384
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "suggest-vectors.npz"


def cache_dir() -> Path:
    """``CROSSWALK_CACHE_DIR`` or the user cache directory, per model."""
    root = os.environ.get("CROSSWALK_CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME)
    return Path(root) / "embeddings" / MODEL_NAME.replace("/", "__")


class Embeddings:
    """Text → unit vector, through memory, then disk, then the model."""

    def __init__(self, directory: Path | None = None, encoder: SentenceEncoder | None = None):
        self.directory = directory if directory is not None else cache_dir()
        self._encoder = encoder
        self._memory: OrderedDict[str, Matrix] = OrderedDict()
        self._lock = threading.Lock()
        self.model_runs = 0  # texts the model had to embed (tests and benchmarks read it)

    @property
    def encoder(self) -> SentenceEncoder:
        with self._lock:
            if self._encoder is None:
                self._encoder = SentenceEncoder()
            return self._encoder

    def embed(self, texts: list[str], *, persist: bool = True) -> Matrix:
        """One unit row per text; ``persist=False`` keeps new vectors off the disk."""
        keys = [_key(text) for text in texts]
        found: dict[str, Matrix] = {}
        with self._lock:
            for key in keys:
                if key in self._memory:
                    self._memory.move_to_end(key)
                    found[key] = self._memory[key]
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
        shipped = shipped_vectors()
        for key in list(missing):
            if key in shipped:
                found[key] = shipped[key]
                del missing[key]
        if persist:
            for key in list(missing):
                vector = self._read(key)
                if vector is not None:
                    found[key] = vector
                    del missing[key]
        if missing:
            vectors = self.encoder.encode(list(missing.values()))
            self.model_runs += len(missing)
            for key, vector in zip(missing, vectors, strict=True):
                found[key] = vector
                if persist:
                    self._write(key, vector)
        with self._lock:
            for key in keys:
                self._memory[key] = found[key]
                self._memory.move_to_end(key)
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)
        if not keys:
            return np.zeros((0, _DIMENSION), dtype=np.float32)
        return np.stack([found[key] for key in keys])

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.npy"

    def _read(self, key: str) -> Matrix | None:
        try:
            vector: Matrix = np.load(self._path(key), allow_pickle=False)
        except (OSError, ValueError):
            return None
        if vector.shape != (_DIMENSION,) or vector.dtype != np.float32:
            return None  # a damaged or foreign file: embed again
        return vector

    def _write(self, key: str, vector: Matrix) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            with temporary.open("wb") as handle:
                np.save(handle, vector, allow_pickle=False)
            temporary.replace(path)  # atomic: a reader never sees half a file
        except OSError:
            pass  # a read-only or full disk only costs speed


def _key(text: str) -> str:
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()


@cache
def shipped_vectors() -> dict[str, Matrix]:
    """The vectors shipped with the package, by key (empty when there are none)."""
    try:
        with np.load(SHIPPED, allow_pickle=False) as shipped:
            keys, vectors = shipped["keys"], shipped["vectors"]
    except (OSError, KeyError, ValueError):
        return {}
    if vectors.shape != (len(keys), _DIMENSION) or vectors.dtype != np.float32:
        return {}
    return {str(key): vector for key, vector in zip(keys, vectors, strict=True)}


def write_shipped(texts: list[str], embeddings: Embeddings, path: Path = SHIPPED) -> Path:
    """Embed ``texts`` (the model runs for those not cached) and ship them as ``path``."""
    unique = sorted(set(texts))
    vectors = embeddings.embed(unique) if unique else np.zeros((0, _DIMENSION), np.float32)
    with replacing_binary(path) as handle:
        np.savez_compressed(handle, keys=np.array([_key(t) for t in unique]), vectors=vectors)
    shipped_vectors.cache_clear()
    return path


_shared: Embeddings | None = None
_shared_lock = threading.Lock()


def shared_embeddings() -> Embeddings:
    """The process-wide cache (one model in memory however many requests use it)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Embeddings()
        return _shared
