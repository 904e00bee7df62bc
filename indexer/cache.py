"""Embedding cache: vectors keyed by model name and chunk-text hash, so rebuilds embed only what changed.

>>> import numpy as np, tempfile, os
>>> c = EmbeddingCache(os.path.join(tempfile.mkdtemp(), "e.sqlite3"))
>>> c.put_many("m", {"h": np.ones(3, dtype="float32")}); sorted(c.get_many("m", ["h", "x"]))
['h']
"""

import sqlite3
from pathlib import Path

import numpy as np


class EmbeddingCache:
    """A SQLite file of (model, text hash) -> float32 vector."""

    def __init__(self, path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS embedding (model TEXT, hash TEXT, vector BLOB, PRIMARY KEY (model, hash))")

    def _connect(self):
        return sqlite3.connect(self.path, timeout=30)

    def get_many(self, model, hashes):
        """Cached vectors for the given hashes (missing ones are absent from the result)."""
        out, hashes = {}, list(dict.fromkeys(hashes))
        with self._connect() as db:
            for i in range(0, len(hashes), 500):
                batch = hashes[i:i + 500]
                marks = ",".join("?" * len(batch))
                rows = db.execute(f"SELECT hash, vector FROM embedding WHERE model = ? AND hash IN ({marks})", [model, *batch])
                for key, blob in rows:
                    out[key] = np.frombuffer(blob, dtype="float32")
        return out

    def put_many(self, model, vectors):
        """Store vectors by hash."""
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?, ?)",
                           [(model, key, np.asarray(vec, dtype="float32").tobytes()) for key, vec in vectors.items()])
