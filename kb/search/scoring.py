"""BM25F scoring as pure functions over numpy arrays.

Whoosh's own BM25F scores each field with BM25 and adds the fields up, weighted; this module computes the same
sum for many documents at once, so a query costs a few array operations instead of a tree of matchers.

>>> import numpy as np
>>> round(float(bm25_idf(10, 100)), 3)
2.264
>>> bm25_tf(np.array([1.0, 3.0]), np.array([10.0, 10.0]), 10.0, k1=1.2, b=0.75).round(3).tolist()
[1.0, 1.571]
"""

import numpy as np


def bm25_idf(df, n_docs):
    """Inverse document frequency (the BM25 form that stays positive)."""
    return np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def bm25_tf(tf, doc_len, avg_len, k1=1.2, b=0.75):
    """Saturated, length-normalized term frequency, scaled so that tf=1 at average length gives 1."""
    norm = k1 * (1.0 - b + b * doc_len / max(avg_len, 1e-9))
    return tf * (k1 + 1.0) / (tf + norm)


def coordinate(matched_words, n_words, power=1.0):
    """Share of the query words a document matched, raised to ``power`` (AND-like preference)."""
    if n_words <= 0:
        return np.ones_like(matched_words, dtype="float64")
    return (matched_words / n_words) ** power
