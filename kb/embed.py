"""Text embedders: multilingual-e5-small on ONNX Runtime (the default), a sentence-transformers model folder
(all-MiniLM-L6-v2 as bundled, loaded by path, offline), and a tiny hashing one for plumbing tests.

Every embedder has ``encode(texts)`` for passages (what the index stores) and ``encode_queries(texts)`` for what
people type; models trained with prefixes (e5) embed the two differently.

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

    ``duplicate_threshold``: cosine of a draft's title and answer to a published section above which the editor
    warns of a duplicate. Measured on the sample with all-MiniLM-L6-v2: at 0.80, 4.6 % of distinct articles warn
    about their nearest neighbour and 75 % of same-article texts are caught.

    >>> emb = SentenceEmbedder("/path/to/all-MiniLM-L6-v2")   # doctest: +SKIP
    >>> emb.warm_up(); emb.encode(["washer not draining"]).shape  # doctest: +SKIP
    (1, 384)
    """

    duplicate_threshold = 0.80

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

    def encode_queries(self, texts):
        """Query vectors: the same as passages for a model trained without prefixes."""
        return self.encode(texts)

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
    duplicate_threshold = 0.8

    def __init__(self, dim=64):
        self.dim = dim

    def warm_up(self):
        """Nothing to load."""
        return self

    def token_count(self, text):
        """Words count as tokens."""
        return len(text.split())

    def encode_queries(self, texts):
        """Queries are hashed like passages."""
        return self.encode(texts)

    def encode(self, texts, progress=False):
        """Hash each word into a bucket; normalize."""
        out = np.zeros((len(texts), self.dim), dtype="float32")
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


class E5Embedder:
    """multilingual-e5-small (``kb.e5_model``) behind the embedder interface; loads in ``warm_up()``.

    e5 packs cosines high: on the sample, a draft's title and answer reach 0.94 with a distinct article's section
    for 9 % of articles (0.95: 4 %), and reach its own other sections for 57 % (0.95: 32 %); 0.94 it is.
    """

    duplicate_threshold = 0.94

    def __init__(self, model_dir, variant="int8", threads=None):
        from kb.e5_model import E5Model

        self.model = E5Model(model_dir, variant, threads or os.cpu_count() or 1)
        self.model_path = str(model_dir)

    @property
    def name(self):
        """Model and variant (keys the embedding cache and the index manifest)."""
        return self.model.name

    @property
    def dim(self):
        """Embedding dimension."""
        return self.model.warm_up().dim

    def warm_up(self):
        """Load the exported model; fails with the export command when it is missing."""
        self.model.warm_up()
        return self

    def token_count(self, text):
        """Tokens of a text as the model counts them."""
        return self.model.token_count(text)

    def encode(self, texts, progress=False):
        """Passage vectors (``passage: `` prefix)."""
        return self.model.encode_passages(list(texts)) if len(texts) else np.zeros((0, self.dim), "float32")

    def encode_queries(self, texts):
        """Query vectors (``query: `` prefix)."""
        return self.model.encode_queries(list(texts))


def make_embedder(settings):
    """The embedder the settings ask for (not loaded yet)."""
    if settings.embedding_model == "hash":
        return HashEmbedder()
    if settings.uses_e5:
        variant = "fp32" if settings.embedding_backend == "onnx" else "int8"
        return E5Embedder(settings.e5_dir, variant, settings.embedding_threads)
    return SentenceEmbedder(settings.model_path, settings.embedding_backend, settings.embedding_batch,
                            settings.max_seq_length, settings.threads, settings.onnx_dir)
