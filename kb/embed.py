"""Text embedders: the sentence-transformers model (loaded by path, offline) and a tiny hashing one for plumbing tests.

>>> e = HashEmbedder(dim=8)
>>> e.encode(["hello world"]).shape
(1, 8)
"""

import hashlib
import os
import re

import numpy as np


class SentenceEmbedder:
    """A sentence-transformers model folder; nothing loads until ``warm_up()`` (or the first ``encode``).

    >>> emb = SentenceEmbedder("/path/to/all-MiniLM-L6-v2")   # doctest: +SKIP
    >>> emb.warm_up(); emb.encode(["washer not draining"]).shape  # doctest: +SKIP
    (1, 384)
    """

    def __init__(self, model_path, backend="torch", batch_size=16, max_seq_length=256, threads=None, onnx_dir=None):
        self.model_path = str(model_path)
        self.backend = backend
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.threads = threads
        self.onnx_dir = onnx_dir
        self._model = None

    @property
    def name(self):
        """A name that identifies the model and its settings (keys the embedding cache)."""
        base = os.path.basename(os.path.normpath(self.model_path))
        if base == "model":  # the bundled package folder
            base = os.path.basename(os.path.dirname(os.path.normpath(self.model_path)))
        return f"{base}:{self.backend}:{self.max_seq_length}"

    def warm_up(self):
        """Load the model from its folder with the hub switched off; idempotent."""
        if self._model is not None:
            return self
        if not os.path.isdir(self.model_path):
            raise FileNotFoundError(f"embedding model folder {self.model_path} does not exist (KB_EMBEDDING_MODEL)")
        if self.backend in ("onnx", "onnx-int8"):
            # exported by ``python -m indexer export-model`` (a build step); encoded with ONNX Runtime, with the
            # same tokenizer, mean pooling and normalization. No torch needed here.
            from kb.onnx_model import load_onnx_model

            variant = "int8" if self.backend == "onnx-int8" else "fp32"
            self._model = load_onnx_model(self.model_path, variant, self.max_seq_length, self.threads, self.onnx_dir)
            return self
        if self.backend != "torch":
            raise ValueError(f"unknown embedding backend {self.backend!r}: use torch, onnx or onnx-int8")
        import torch
        from sentence_transformers import SentenceTransformer

        if self.threads:
            torch.set_num_threads(self.threads)
        # local_files_only: the model is loaded from its folder, never from a hub
        self._model = SentenceTransformer(self.model_path, device="cpu", local_files_only=True)
        self._model.max_seq_length = self.max_seq_length
        return self

    @property
    def dim(self):
        """Embedding dimension."""
        self.warm_up()
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        return int(getter())

    def token_count(self, text):
        """Number of word-piece tokens of a text (without the special tokens)."""
        self.warm_up()
        return len(self._model.tokenizer(text, add_special_tokens=False, truncation=False, verbose=False)["input_ids"])

    def encode(self, texts, progress=False):
        """Unit-length float32 vectors, one row per text."""
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype="float32")
        vectors = self._model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=progress)
        return np.ascontiguousarray(vectors, dtype="float32")


class HashEmbedder:
    """Deterministic bag-of-words hashing vectors: for unit tests of the plumbing, never for quality."""

    name = "hash"

    def __init__(self, dim=64):
        self.dim = dim

    def warm_up(self):
        """Nothing to load."""
        return self

    def token_count(self, text):
        """Words count as tokens."""
        return len(text.split())

    def encode(self, texts, progress=False):
        """Hash each word into a bucket; normalize."""
        out = np.zeros((len(texts), self.dim), dtype="float32")
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def make_embedder(settings):
    """The embedder the settings ask for (not loaded yet)."""
    if settings.embedding_model == "hash":
        return HashEmbedder()
    return SentenceEmbedder(settings.model_path, settings.embedding_backend, settings.embedding_batch,
                            settings.max_seq_length, settings.threads, settings.onnx_dir)
