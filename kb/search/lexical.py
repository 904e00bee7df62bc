"""Lexical retrieval with Whoosh (BM25F): AND of the query words first, OR when AND finds too little.

One searcher per thread, created once and reused (a new Whoosh searcher costs tens of milliseconds).
"""

import threading
from dataclasses import dataclass, field

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.scoring import BM25F

from kb.catalog import normalize_code
from kb.index.analysis import english_analyzer, polish_analyzer
from kb.index.schema import FIELD_WEIGHTS, GENERIC, TEXT_FIELDS


@dataclass
class LexicalResult:
    """Best chunk score per article, and which query words each article matched."""

    scores: dict = field(default_factory=dict)
    chunks: dict = field(default_factory=dict)
    matched: dict = field(default_factory=dict)
    words: int = 0
    strategy: str = "and"


class LexicalSearcher:
    """Searches one Whoosh index directory."""

    def __init__(self, whoosh_dir, k1=1.2, b=0.75):
        self.ix = whoosh_index.open_dir(str(whoosh_dir))
        self.weighting = BM25F(B=b, K1=k1)
        self._local = threading.local()
        self._analyzers = {"en": english_analyzer(), "pl": polish_analyzer()}

    def searcher(self):
        """This thread's searcher."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self.ix.searcher(weighting=self.weighting)
        return searcher

    def close(self):
        """Close this thread's searcher (others close with their threads)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None

    def terms(self, word, lang):
        """Analyzed terms of one query word in one language's analyzer."""
        return [t.text for t in self._analyzers[lang](word)]

    def word_query(self, word, langs=("en", "pl")):
        """OR over the text fields of each language, with the field weights as boosts."""
        clauses = []
        for lang in langs:
            for term in dict.fromkeys(self.terms(word, lang)):
                for fieldname, role in TEXT_FIELDS[lang].items():
                    clauses.append(wq.Term(fieldname, term, boost=FIELD_WEIGHTS[role]))
        return wq.Or(clauses) if clauses else None

    def product_query(self, products, families):
        """Terms on the product field for detected models (or only their families)."""
        codes = products or families
        clauses = [wq.Term("products", normalize_code(c).lower(), boost=FIELD_WEIGHTS["products"]) for c in codes]
        return wq.Or(clauses) if clauses else None

    def search(self, words, products=(), families=(), filter_query=None, limit=100, min_and_hits=5, langs=("en", "pl")):
        """Run AND (then OR if needed) over the words; collapse chunk hits to articles."""
        clauses = [(w, q) for w in dict.fromkeys(words) if (q := self.word_query(w, langs)) is not None]
        product_q = self.product_query(list(products), list(families))
        result = LexicalResult(words=len(clauses) + (1 if product_q is not None else 0))
        if not clauses and product_q is None:
            return result
        parts = [q for _, q in clauses] + ([product_q] if product_q is not None else [])
        searcher = self.searcher()
        hits = None
        if len(parts) > 1:
            hits = searcher.search(wq.And(parts), limit=limit, filter=filter_query, terms=True)
            if len({h["article_id"] for h in hits}) < min_and_hits:
                hits = None
        if hits is None:
            result.strategy = "or" if len(parts) > 1 else "single"
            hits = searcher.search(wq.Or(parts), limit=limit, filter=filter_query, terms=True)
        term_words = self._term_words(clauses, products or families)
        for hit in hits:
            art = hit["article_id"]
            if art not in result.scores:
                result.scores[art], result.chunks[art] = hit.score, hit["chunk_id"]
            matched = result.matched.setdefault(art, set())
            for fieldname, text in hit.matched_terms():
                word = term_words.get((fieldname, text.decode("utf-8") if isinstance(text, bytes) else text))
                if word:
                    matched.add(word)
        return result

    def _term_words(self, clauses, codes):
        out = {}
        for word, query in clauses:
            for term in query.subqueries:
                out[(term.fieldname, term.text)] = word
        for code in codes:
            out[("products", normalize_code(code).lower())] = "#" + code
        return out


def filter_query(status="published", type=None, lang=None, category=None, audience=None, product=None):
    """A Whoosh filter for the given field values (None means any).

    ``product`` is ``(code, category)``: articles for that model or its family, and category-wide articles.
    """
    terms = []
    if status:
        terms.append(wq.Term("status", status))
    for fieldname, value in (("type", type), ("lang", lang), ("categories", category), ("audience", audience)):
        if value:
            terms.append(wq.Term(fieldname, value))
    if product:
        code, product_category = product
        terms.append(wq.Or([wq.Term("products", normalize_code(code).lower()),
                            wq.And([wq.Term("products", GENERIC), wq.Term("categories", product_category)])]))
    return wq.And(terms) if terms else None
