"""One open index version: manifest, article and chunk tables, Whoosh, FAISS and the query analyzer."""

import json
from collections import Counter
from pathlib import Path

import numpy as np

from kb.article import AUDIENCES, LANGS, TYPES
from kb.catalog import Catalog
from kb.escalation import EscalationMatrix
from kb.index import store as layout
from kb.index.analysis import plain_words
from kb.search.groups import members as group_members
from kb.search.lexical import LexicalSearcher
from kb.search.query import QueryAnalyzer, Vocabulary
from kb.search.semantic import SemanticSearcher




class IndexVersion:
    """Everything read from one version folder; immutable once open."""

    def __init__(self, path, manifest, articles, chunks, vectors, lexical, semantic, catalog, escalation):
        self.path = Path(path)
        self.name = self.path.name
        self.manifest = manifest
        self.articles = articles
        self.chunks = chunks
        self.vectors = vectors
        self.lexical = lexical
        self.semantic = semantic
        self.catalog = catalog
        self.escalation = escalation
        self.row_of = {c["chunk_id"]: i for i, c in enumerate(chunks)}
        self.row_articles = [c["article_id"] for c in chunks]
        self._first = {}
        for i, c in enumerate(chunks):
            self._first.setdefault(c["article_id"], i)
        self.analyzer = self._make_analyzer()
        self.groups = group_members(articles)
        self.chunks_by_article = {}
        for i, c in enumerate(chunks):
            self.chunks_by_article.setdefault(c["article_id"], []).append((i, c))
        self._rows_cache = {}
        self._answer_rows = None

    @classmethod
    def open(cls, path, embedder):
        """Open a complete version folder; check that the FAISS rows match the manifest's chunk ids."""
        path = Path(path)
        manifest = json.loads((path / layout.MANIFEST).read_text("utf-8"))
        articles = json.loads((path / layout.ARTICLES_FILE).read_text("utf-8"))
        chunks = json.loads((path / layout.CHUNKS_FILE).read_text("utf-8"))
        if [c["chunk_id"] for c in chunks] != manifest["chunk_ids"]:
            raise ValueError(f"{path}: chunk table does not match the manifest's FAISS rows; rebuild the index")
        vectors = np.load(path / layout.VECTORS_FILE)
        semantic = SemanticSearcher(path / layout.FAISS_FILE, vectors, [c["article_id"] for c in chunks], embedder)
        if semantic.index.ntotal != len(chunks):
            raise ValueError(f"{path}: FAISS holds {semantic.index.ntotal} vectors for {len(chunks)} chunks; rebuild")
        lexical = LexicalSearcher(path / layout.WHOOSH_DIR, {c["chunk_id"]: i for i, c in enumerate(chunks)})
        catalog = Catalog.load(path / layout.META_DIR)
        return cls(path, manifest, articles, chunks, vectors, lexical, semantic, catalog,
                   EscalationMatrix.load(path / layout.META_DIR))

    def _make_analyzer(self):
        counts = {"en": Counter(), "pl": Counter()}
        for chunk in self.chunks:
            record = self.articles[chunk["article_id"]]
            if record["status"] != "published":  # corrections must not reveal words of drafts
                continue
            words = plain_words(f"{record['title']} {chunk['heading']} {chunk['text']} {' '.join(record['tags'])}")
            counts["pl" if record["lang"] == "pl" else "en"].update(words)
        category_words = {c.id: [w.lower() for w in c.words] for c in self.catalog.categories.values()}
        return QueryAnalyzer(self.catalog, Vocabulary(counts["en"]), Vocabulary(counts["pl"]), category_words)

    def answer_rows(self):
        """Article id -> chunk row of its answer section (else its first chunk), computed once per version."""
        if self._answer_rows is None:
            rows = {}
            for i, chunk in enumerate(self.chunks):
                art = chunk["article_id"]
                if art not in rows or (chunk["anchor"] in ("answer", "odpowiedz") and
                                       self.chunks[rows[art]]["anchor"] not in ("answer", "odpowiedz")):
                    rows[art] = i
            self._answer_rows = rows
        return self._answer_rows

    def first_chunk(self, article_id):
        """The first chunk of an article (its lead or first section)."""
        return self.chunks[self._first[article_id]]

    def filter_values(self, name):
        """Allowed values of a filter, or None when any value is checked elsewhere."""
        return {"type": set(TYPES), "lang": set(LANGS), "audience": set(AUDIENCES),
                "category": set(self.catalog.categories) | {c for a in self.articles.values() for c in a["categories"]},
                "product": _ProductValues(self.catalog)}.get(name)

    def mask(self, filters, include_unpublished=False):
        """Boolean array over chunk rows: True where the row's article passes the filters; None when all do."""
        key = (tuple(sorted(filters.items())), include_unpublished)
        if key not in self._rows_cache:
            if len(self._rows_cache) > 256:
                self._rows_cache.clear()
            self._rows_cache[key] = self._compute_rows(filters, include_unpublished)
        return self._rows_cache[key]

    def _compute_rows(self, filters, include_unpublished):
        if not filters and (include_unpublished or all(a["status"] == "published" for a in self.articles.values())):
            return None
        ok = {aid for aid, a in self.articles.items() if self._passes(a, filters, include_unpublished)}
        return np.fromiter((art in ok for art in self.row_articles), dtype=bool, count=len(self.row_articles))

    def passes(self, a, filters, include_unpublished=False):
        """Whether an article record passes the filters (and is published, unless unpublished ones are asked for)."""
        return self._passes(a, filters, include_unpublished)

    def _passes(self, a, filters, include_unpublished):
        if not include_unpublished and a["status"] != "published":
            return False
        if "type" in filters and a["type"] != filters["type"]:
            return False
        if "lang" in filters and a["lang"] != filters["lang"]:
            return False
        if "category" in filters and filters["category"] not in a["categories"]:
            return False
        if "audience" in filters and filters["audience"] not in a["audience"]:
            return False
        if "product" in filters:
            code = filters["product"]
            generic = not a["products"] and self.catalog.products[code].category in a["categories"]
            return code in a["product_codes"] or generic
        return True


class _ProductValues:
    """Membership test for product filter values: any spelling of a catalog code or SKU."""

    def __init__(self, catalog):
        self.catalog = catalog

    def __contains__(self, value):
        return self.catalog.product(value) is not None
