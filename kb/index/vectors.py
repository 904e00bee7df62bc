"""FAISS indexes of unit-length chunk vectors: exact inner product, or HNSW above a size threshold.

>>> import numpy as np
>>> idx = build_faiss(np.eye(4, dtype="float32"), hnsw_threshold=100)
>>> idx.ntotal, type(idx).__name__
(4, 'IndexFlatIP')
"""

import faiss
import numpy as np


def build_faiss(vectors, hnsw_threshold=50000, m=32, ef_construction=80):
    """Row i of the index is row i of ``vectors`` (the manifest's chunk_ids[i])."""
    vectors = np.ascontiguousarray(vectors, dtype="float32")
    dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[1] else 1
    if len(vectors) > hnsw_threshold:
        index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index


def save_faiss(index, path):
    """Write an index file."""
    faiss.write_index(index, str(path))


def load_faiss(path, ef_search=64):
    """Read an index file (HNSW search breadth set to ``ef_search``)."""
    index = faiss.read_index(str(path))
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = ef_search
    return index


def set_threads(n):
    """FAISS OpenMP threads (one per serving worker: two are slower for single queries)."""
    faiss.omp_set_num_threads(max(1, int(n)))
