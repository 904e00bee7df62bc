"""Lexical retrieval over the Whoosh index with BM25F scores computed in numpy.

Whoosh stores and analyzes; this module reads its postings (once per term, then cached: an index version never
changes) and scores every chunk with ``kb.search.scoring``. Measured on the sample knowledge base, Whoosh's own
matcher tree took ~20 ms per query (p95 ~55 ms); the same formula over cached postings takes about a millisecond.
"""

import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3LeafMatcher

from kb.catalog import normalize_code
from kb.index.analysis import english_analyzer, polish_analyzer
from kb.index.schema import FIELD_WEIGHTS, TEXT_FIELDS
from kb.search.scoring import bm25_idf, bm25_tf, coordinate

CACHE_TERMS = 50_000


@dataclass
class LexicalResult:
    """Best chunk per article with its score, and which query words each article matched."""

    scores: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    matched: dict = field(default_factory=dict)
    words: int = 0


def lexical_tables(reader, row_of_chunk):
    """``(row of each Whoosh document (-1: deleted), {text field: length by row})`` of an index."""
    row_of_doc = np.full(reader.doc_count_all(), -1, dtype="int64")
    for docnum, stored in reader.iter_docs():  # deleted documents are not listed
        row_of_doc[docnum] = row_of_chunk[stored["chunk_id"]]
    docs = np.nonzero(row_of_doc >= 0)[0]
    lengths = {}
    for fieldname in [f for lang in TEXT_FIELDS.values() for f in lang]:
        by_row = np.zeros(len(row_of_chunk), dtype="float64")
        by_row[row_of_doc[docs]] = np.fromiter((reader.doc_field_length(int(d), fieldname, 0) or 0 for d in docs),
                                               dtype="float64", count=len(docs))
        lengths[fieldname] = by_row
    return row_of_doc, lengths


def save_lexical_tables(path, row_of_doc, lengths):
    """Write ``lexical_tables`` for ``LexicalSearcher(tables=path)``."""
    np.savez(path, row_of_doc=row_of_doc, **{f"len_{name}": values for name, values in lengths.items()})


class LexicalSearcher:
    """BM25F over one Whoosh index; rows are the chunk rows of the index version (the FAISS row order)."""

    def __init__(self, whoosh_dir, row_of_chunk, k1=1.2, b=0.75, coord_power=1.0, tables=None):
        self.k1, self.b, self.coord_power = k1, b, coord_power
        self.reader = whoosh_index.open_dir(str(whoosh_dir)).reader()
        self.n_rows = len(row_of_chunk)
        self._lock = threading.Lock()
        self._postings = {}
        self._analyzers = {"en": english_analyzer(), "pl": polish_analyzer()}
        if tables is not None and Path(tables).exists():  # written by the build: at 100x computing them took 8 s
            with np.load(tables) as stored:
                self.row_of_doc = stored["row_of_doc"]
                self.lengths = {name[4:]: stored[name] for name in stored.files if name.startswith("len_")}
        else:
            self.row_of_doc, self.lengths = lexical_tables(self.reader, row_of_chunk)
        self.n_docs = int((self.row_of_doc >= 0).sum())
        self.avg = {}
        for fieldname, by_row in self.lengths.items():
            filled = by_row[by_row > 0]
            self.avg[fieldname] = float(filled.mean()) if len(filled) else 1.0

    def terms(self, word, lang):
        """Analyzed terms of one query word in one language's analyzer."""
        return list(dict.fromkeys(t.text for t in self._analyzers[lang](word)))

    def postings(self, fieldname, term):
        """``(rows, term frequencies)`` of a term in a field, live documents only; cached."""
        key = (fieldname, term)
        found = self._postings.get(key)
        if found is None:
            with self._lock:
                docs, freqs = read_postings(self.reader, fieldname, term)
                rows = self.row_of_doc[docs]
                live = rows >= 0
                found = (rows[live], freqs[live])
                if len(self._postings) > CACHE_TERMS:
                    self._postings.clear()
                self._postings[key] = found
        return found

    def _field_scores(self, fieldname, term, weight):
        """``(rows, weighted BM25 of the term in the field)`` over the term's postings."""
        rows, tf = self.postings(fieldname, term)
        if not len(rows):
            return rows, tf
        idf = bm25_idf(len(rows), self.n_docs)
        lengths = self.lengths.get(fieldname)
        doc_len = lengths[rows] if lengths is not None else np.ones(len(rows))
        avg = self.avg.get(fieldname, 1.0)
        return rows, weight * idf * bm25_tf(tf, doc_len, avg, self.k1, self.b)

    def word_postings(self, word, langs=("en", "pl")):
        """BM25F of one query word as ``(rows, scores)`` pairs over fields and languages (a row may repeat: its
        scores add up)."""
        return [self._field_scores(fieldname, term, FIELD_WEIGHTS[role])
                for lang in langs for term in self.terms(word, lang) for fieldname, role in TEXT_FIELDS[lang].items()]

    def product_postings(self, codes):
        """Scores of the detected model codes (or families) on the product field, as ``word_postings``."""
        return [self._field_scores("products", normalize_code(code).lower(), FIELD_WEIGHTS["products"])
                for code in codes]

    def search(self, words, products=(), families=(), mask=None, row_articles=None, limit=200):
        """Score the chunks that hold a query word, keep the best chunk per article (``row_articles[row]`` names
        its article). Sparse: the work follows the postings of the query's words, not the number of chunks (a
        dense array per word over every chunk made a 100x knowledge base three times slower per query)."""
        labels, parts = [], []
        for word in dict.fromkeys(words):
            labels.append(word)
            parts.append(self.word_postings(word))
        codes = list(products) or list(families)
        if codes:
            labels.append("#" + codes[0])
            parts.append(self.product_postings(codes))
        result = LexicalResult(words=len(labels))
        pieces = [(i, rows, values) for i, postings in enumerate(parts) for rows, values in postings if len(rows)]
        if not pieces:
            return result
        rows, inverse = np.unique(np.concatenate([r for _, r, _ in pieces]), return_inverse=True)
        totals = np.bincount(inverse, weights=np.concatenate([v for _, _, v in pieces]), minlength=len(rows))
        matched = np.zeros((len(labels), len(rows)), dtype=bool)
        offset = 0
        for i, r, _ in pieces:
            matched[i, inverse[offset:offset + len(r)]] = True
            offset += len(r)
        scores = totals * coordinate(matched.sum(axis=0), len(labels), self.coord_power)
        keep = scores > 0
        if mask is not None:
            keep &= mask[rows]
        positions = np.nonzero(keep)[0]
        for pos in _best_first(positions, scores, limit * ROWS_PER_ARTICLE):
            row = int(rows[pos])
            art = row_articles[row]
            if art not in result.scores:
                result.scores[art], result.rows[art] = float(scores[pos]), row
                result.matched[art] = {labels[i] for i in np.nonzero(matched[:, pos])[0]}
                if len(result.scores) >= limit:
                    break
        return result


def read_postings(reader, fieldname, term):
    """``(document numbers, term frequencies)`` of a term, as arrays. Whoosh's own block format is read a block at
    a time (one unpickled array of ids and one of weights per 128 postings); any other matcher one posting at a
    time. At 100x the posting-by-posting loop took 100-250 ms for a common word's first use after an open."""
    docs, freqs = [], []
    for leaf, offset in reader.leaf_readers():
        if (fieldname, term) not in leaf:
            continue
        matcher = leaf.postings(fieldname, term)
        if _whole_blocks(matcher):
            while matcher.is_active():
                ids, weights = _block(matcher)
                docs.append(ids + offset)
                freqs.append(weights)
                matcher._next_block()
            continue
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id() + offset)
            weights.append(matcher.weight())
            matcher.next()
        docs.append(np.asarray(ids, dtype="int64"))
        freqs.append(np.asarray(weights, dtype="float64"))
    if not docs:
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="float64")
    return np.concatenate(docs), np.concatenate(freqs)


def _whole_blocks(matcher):
    """Whether a matcher is Whoosh 3's block matcher, whose blocks can be read whole."""
    return isinstance(matcher, W3LeafMatcher) and all(hasattr(matcher, name) for name in (
        "_data", "_byteids", "_i", "_blocklength", "_read_data", "_next_block"))


def _block(matcher):
    """The current block's ``(ids, weights)`` from its position on: the stored id gaps summed with numpy (Whoosh
    decodes them one by one in Python)."""
    if matcher._data is None:
        matcher._read_data()
    raw = matcher._data[0]
    ids = np.frombuffer(raw, dtype="uint8").astype("int64") if isinstance(raw, bytes) else np.asarray(raw, "int64")
    if not matcher._byteids:
        ids = np.cumsum(ids)
    stored = matcher._data[1]  # None: every weight 1, a float: all the same, else an array
    if stored is None or isinstance(stored, float):
        weights = np.full(matcher._blocklength, 1.0 if stored is None else stored)
    else:
        weights = np.asarray(stored, dtype="float64")
    return ids[matcher._i:], weights[matcher._i:]


ROWS_PER_ARTICLE = 8  # rows read in score order before sorting all of them: enough for ``limit`` articles mostly


def _best_first(candidates, scores, first):
    """Candidate rows by descending score (ties by row), the best ``first`` (and their ties) sorted first, the rest
    only when the caller reads past them: a common word matches most of a large index, and sorting every match
    on every query grew with the knowledge base."""
    values = scores[candidates]
    if len(candidates) <= first:
        yield from candidates[np.argsort(-values, kind="stable")]
        return
    threshold = np.partition(values, len(values) - first)[len(values) - first]
    top = values >= threshold
    yield from candidates[top][np.argsort(-values[top], kind="stable")]
    rest = ~top
    yield from candidates[rest][np.argsort(-values[rest], kind="stable")]
