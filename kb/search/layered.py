"""A delta version layered over the full version it was made from, the way Lucene's near-real-time search adds a
small segment: the full version's rows stay where they are (those of replaced articles are masked out) and the
delta's rows follow them. Nothing of the full version is copied or re-read, so opening a delta costs what the delta
holds plus a few array copies, not a re-read of the whole knowledge base.

Scores equal a full rebuild's: BM25 statistics (document frequency, document count, average field lengths) are
taken over the live rows of both layers, and the semantic side ranks the same cosines.

>>> IndexVersion.open(delta_path, embedder, previous=version_over_the_same_base)   # doctest: +SKIP
"""

import threading
from collections import Counter

import numpy as np

from kb.index.analysis import plain_words
from kb.search.lexical import LexicalSearcher
from kb.search.semantic import SemanticSearcher


def chunk_words(record, chunk):
    """The words a chunk lends the spelling vocabulary (see ``IndexVersion``)."""
    return plain_words(f"{record['title']} {chunk['heading']} {chunk['text']} {' '.join(record['tags'])}")


def count_words(articles, chunks):
    """Per-language word counts of a version's published chunks (corrections must not reveal words of drafts)."""
    counts = {"en": Counter(), "pl": Counter()}
    for chunk in chunks:
        record = articles[chunk["article_id"]]
        if record["status"] == "published":
            counts["pl" if record["lang"] == "pl" else "en"].update(chunk_words(record, chunk))
    return counts


class LayeredLexical(LexicalSearcher):
    """BM25F over the live rows of a full version's searcher followed by a delta's searcher."""

    def __init__(self, base, delta, alive):
        self.k1, self.b, self.coord_power = base.k1, base.b, base.coord_power
        self.base, self.delta, self.alive = base, delta, alive
        self.offset = base.n_rows
        self.n_rows = base.n_rows + delta.n_rows
        self._lock = threading.Lock()
        self._postings = {}
        self._analyzers = base._analyzers
        self.n_docs = int(alive[:self.offset].sum()) + delta.n_docs
        self.lengths, self.avg = {}, {}
        for fieldname, lengths in base.lengths.items():
            by_row = np.concatenate([np.where(alive[:self.offset], lengths, 0.0), delta.lengths[fieldname]])
            self.lengths[fieldname] = by_row
            filled = by_row[by_row > 0]
            self.avg[fieldname] = float(filled.mean()) if len(filled) else 1.0

    def postings(self, fieldname, term):
        """Live rows of the full version's postings, then the delta's (shifted past the full version's rows)."""
        key = (fieldname, term)
        found = self._postings.get(key)
        if found is None:
            rows, tf = self.base.postings(fieldname, term)
            keep = self.alive[rows] if len(rows) else np.zeros(0, dtype=bool)
            d_rows, d_tf = self.delta.postings(fieldname, term)
            found = (np.concatenate([rows[keep], d_rows + self.offset]), np.concatenate([tf[keep], d_tf]))
            with self._lock:
                if len(self._postings) > 50_000:
                    self._postings.clear()
                self._postings[key] = found
        return found


class LayeredVectors:
    """Row vectors of both layers without stacking them (``vectors[row]`` and ``vectors[[rows]]``)."""

    def __init__(self, base, delta):
        self.base, self.delta, self.offset = base, delta, len(base)
        self.shape = (len(base) + len(delta), base.shape[1] if base.ndim == 2 else delta.shape[1])

    def __len__(self):
        return self.shape[0]

    def __getitem__(self, rows):
        if isinstance(rows, (list, np.ndarray)):
            return np.stack([self[int(r)] for r in rows]) if len(rows) else np.zeros((0, self.shape[1]), "float32")
        rows = int(rows)
        return self.base[rows] if rows < self.offset else self.delta[rows - self.offset]


class LayeredSemantic(SemanticSearcher):
    """The full version's FAISS index (dead rows skipped) plus the delta's vectors, searched exactly."""

    def __init__(self, base, delta_vectors, chunk_articles, alive):
        self.index, self.embedder, self._lock = base.index, base.embedder, base._lock
        self.base, self.delta_vectors = base, delta_vectors
        self.vectors = LayeredVectors(base.vectors, delta_vectors)
        self.chunk_articles, self.alive, self.offset = chunk_articles, alive, len(base.vectors)
        self.dead = int(len(base.vectors) - alive[:self.offset].sum())

    def search(self, vector, mask=None, k=100):
        """Best cosine per article over the live rows of both layers (``mask`` restricts them further)."""
        mask = self.alive if mask is None else mask
        out = {}
        if mask is self.alive and self.index.ntotal:  # no filter: FAISS, asking for as many more as rows are dead
            n = min(k + self.dead, self.index.ntotal)
            sims, ids = self.index.search(vector.reshape(1, -1).astype("float32"), n)
            pairs = [(s, i) for s, i in zip(sims[0].tolist(), ids[0].tolist()) if i >= 0 and mask[i]]
        else:
            rows = np.nonzero(mask[:self.offset])[0]
            sims = self.base.vectors[rows] @ vector if len(rows) else np.zeros(0)
            top = np.argsort(-sims)[:k]
            pairs = list(zip(sims[top].tolist(), rows[top].tolist()))
        d_rows = np.nonzero(mask[self.offset:])[0]
        if len(d_rows):
            d_sims = self.delta_vectors[d_rows] @ vector
            pairs += list(zip(d_sims.tolist(), (d_rows + self.offset).tolist()))
        pairs.sort(key=lambda p: (-p[0], p[1]))
        for sim, row in pairs[:k]:
            art = self.chunk_articles[row]
            if art not in out:
                out[art] = (float(sim), int(row))
        return out


def vocabulary_counts(base, replaced, delta_articles, delta_chunks):
    """Per-language word counts of the layered version: the full version's, less the replaced articles' published
    chunks, plus the delta's published chunks (corrections never reveal words of drafts)."""
    counts = {"en": Counter(base.analyzer.en_vocab.counts), "pl": Counter(base.analyzer.pl_vocab.counts)}
    for art in replaced:
        record = base.articles.get(art)
        if record is None or record["status"] != "published":
            continue
        lang = "pl" if record["lang"] == "pl" else "en"
        for _row, chunk in base.chunks_by_article.get(art, ()):
            counts[lang].subtract(chunk_words(record, chunk))
    for lang, added in count_words(delta_articles, delta_chunks).items():
        counts[lang].update(added)
    return {lang: +c for lang, c in counts.items()}  # unary plus drops the words that reached zero
