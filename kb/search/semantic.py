"""Semantic retrieval: the query's embedding against the chunk vectors (FAISS, or numpy over a filtered subset)."""

import threading

import numpy as np

from kb.index.vectors import load_faiss


class SemanticSearcher:
    """Chunk vectors of one index version; the embedder is shared across versions."""

    def __init__(self, faiss_path, vectors, chunk_articles, embedder):
        self.index = load_faiss(faiss_path)
        self.vectors = vectors
        self.chunk_articles = chunk_articles
        self.embedder = embedder
        self._lock = threading.Lock()

    def embed(self, text):
        """Unit-length query vector."""
        with self._lock:  # one model, one inference at a time
            return self.embedder.encode_queries([text])[0]

    def embed_passage(self, text):
        """Unit-length vector of a text embedded as the indexed passages are (for passage-to-passage similarity)."""
        with self._lock:
            return self.embedder.encode([text])[0]

    def search(self, vector, mask=None, k=100):
        """Best cosine per article: ``{article_id: (cosine, row)}``; a boolean ``mask`` restricts the rows."""
        if mask is not None:
            rows = np.nonzero(mask)[0]
            if not len(rows):
                return {}
            sims = self.vectors[rows] @ vector
            top = np.argsort(-sims)[:k]
            pairs = zip(sims[top].tolist(), rows[top].tolist())
        else:
            if self.index.ntotal == 0:
                return {}
            sims, ids = self.index.search(vector.reshape(1, -1).astype("float32"), min(k, self.index.ntotal))
            pairs = ((s, i) for s, i in zip(sims[0].tolist(), ids[0].tolist()) if i >= 0)
        out = {}
        for sim, row in pairs:
            art = self.chunk_articles[row]
            if art not in out:
                out[art] = (float(sim), int(row))
        return out
