"""One open index version: manifest, article and chunk tables, Whoosh, FAISS and the query analyzer."""

import json
from collections import Counter
from pathlib import Path

import numpy as np

from kb.article import AUDIENCES, LANGS, TYPES
from kb.catalog import Catalog
from kb.escalation import EscalationMatrix
from kb.index import store as layout
from kb.search import layered
from kb.search.groups import layered_members, member_lists, members as group_members
from kb.search.lexical import LexicalSearcher
from kb.search.query import QueryAnalyzer, Vocabulary
from kb.search.semantic import SemanticSearcher




class IndexVersion:
    """Everything read from one version folder; immutable once open. A delta version (its manifest names a
    ``base``) is layered over that full version (``kb.search.layered``); ``full`` is the full version either way."""

    def __init__(self, path, manifest, articles, chunks, vectors, lexical, semantic, catalog, escalation,
                 previous=None, layered=None):
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
        self._rows_cache = {}
        self._answer_rows = None
        self._every_published = None
        if layered is not None:  # computed from the full version and the delta, not from every row again
            self.full, self.alive = layered["full"], layered["alive"]
            self.row_articles, self.chunks_by_article = layered["row_articles"], layered["chunks_by_article"]
            self.analyzer = self._make_analyzer(previous, layered["counts"])
            self.groups = layered["groups"]
        else:
            self.full, self.alive = self, None
            self.row_articles = [c["article_id"] for c in chunks]
            self.chunks_by_article = {}
            for i, c in enumerate(chunks):
                self.chunks_by_article.setdefault(c["article_id"], []).append((i, c))
            self.analyzer = self._make_analyzer(previous)
            self.groups, self.group_lists = group_members(articles), member_lists(articles)

    @classmethod
    def open(cls, path, embedder, previous=None):
        """Open a complete version folder; check that the FAISS rows match the manifest's chunk ids. A
        ``previous`` version lends its spelling neighbourhood (see ``Vocabulary.follow``) and, when it stands on
        the same full version, that full version to a delta."""
        path = Path(path)
        manifest = layout.read_manifest(path)
        if manifest.get("base"):
            return cls._open_delta(path, manifest, embedder, previous)
        articles = json.loads((path / layout.ARTICLES_FILE).read_text("utf-8"))
        chunks = json.loads((path / layout.CHUNKS_FILE).read_text("utf-8"))
        if [c["chunk_id"] for c in chunks] != manifest["chunk_ids"]:
            raise ValueError(f"{path}: chunk table does not match the manifest's FAISS rows; rebuild the index")
        vectors = np.load(path / layout.VECTORS_FILE)
        semantic = SemanticSearcher(path / layout.FAISS_FILE, vectors, [c["article_id"] for c in chunks], embedder)
        if semantic.index.ntotal != len(chunks):
            raise ValueError(f"{path}: FAISS holds {semantic.index.ntotal} vectors for {len(chunks)} chunks; rebuild")
        lexical = LexicalSearcher(path / layout.WHOOSH_DIR, {c["chunk_id"]: i for i, c in enumerate(chunks)},
                                  tables=path / layout.LEXICAL_FILE)
        catalog = Catalog.load(path / layout.META_DIR)
        return cls(path, manifest, articles, chunks, vectors, lexical, semantic, catalog,
                   EscalationMatrix.load(path / layout.META_DIR), previous)

    @classmethod
    def _open_delta(cls, path, manifest, embedder, previous):
        full_path = path.parent / manifest["base"]
        if previous is not None and previous.full.name == manifest["base"]:
            full = previous.full
        else:
            full = cls.open(full_path, embedder, previous)
        delta_articles = json.loads((path / layout.ARTICLES_FILE).read_text("utf-8"))
        delta_chunks = json.loads((path / layout.CHUNKS_FILE).read_text("utf-8"))
        if [c["chunk_id"] for c in delta_chunks] != manifest["chunk_ids"]:
            raise ValueError(f"{path}: chunk table does not match the manifest's rows; rebuild the index")
        replaced = manifest["replaced"]
        offset = len(full.chunks)
        alive = np.ones(offset + len(delta_chunks), dtype=bool)
        chunks_by_article = dict(full.chunks_by_article)
        articles = dict(full.articles)
        for art in replaced:
            alive[[row for row, _c in chunks_by_article.pop(art, ())]] = False
            articles.pop(art, None)
        for i, chunk in enumerate(delta_chunks):
            chunks_by_article.setdefault(chunk["article_id"], []).append((offset + i, chunk))
        articles.update(delta_articles)
        row_articles = full.row_articles + [c["article_id"] for c in delta_chunks]
        delta_rows = {c["chunk_id"]: i for i, c in enumerate(delta_chunks)}
        delta_lexical = LexicalSearcher(path / layout.WHOOSH_DIR, delta_rows)
        vectors = np.load(path / layout.VECTORS_FILE)
        semantic = layered.LayeredSemantic(full.semantic, vectors, row_articles, alive)
        lexical = layered.LayeredLexical(full.lexical, delta_lexical, alive)
        counts = layered.vocabulary_counts(full, replaced, delta_articles, delta_chunks)
        groups = layered_members(full.groups, full.group_lists, full.articles, replaced, delta_articles)
        parts = {"full": full, "alive": alive, "row_articles": row_articles, "chunks_by_article": chunks_by_article,
                 "counts": counts, "groups": groups}
        return cls(path, manifest, articles, full.chunks + delta_chunks, semantic.vectors, lexical, semantic,
                   full.catalog, full.escalation, previous or full, parts)

    def warm(self):
        """Build what the first query with a typo would otherwise build (the spelling neighbourhoods)."""
        self.analyzer.en_vocab.warm()
        self.analyzer.pl_vocab.warm()
        return self

    def _make_analyzer(self, previous=None, counts=None):
        if counts is None:
            counts = self._count_words()
        category_words = {c.id: [w.lower() for w in c.words] for c in self.catalog.categories.values()}
        if previous is not None:
            en, pl = previous.analyzer.en_vocab.follow(counts["en"]), previous.analyzer.pl_vocab.follow(counts["pl"])
        else:
            en, pl = Vocabulary(counts["en"]), Vocabulary(counts["pl"])
        return QueryAnalyzer(self.catalog, en, pl, category_words)

    def _count_words(self):
        stored = self.path / layout.VOCABULARY_FILE  # written by the build (counting 214,700 chunks took 10 s)
        if stored.exists():
            return {lang: Counter(words) for lang, words in json.loads(stored.read_text("utf-8")).items()}
        return layered.count_words(self.articles, self.chunks)

    def answer_rows(self):
        """Article id -> chunk row of its answer section (else its first chunk), computed once per version."""
        if self._answer_rows is None:
            rows = {}
            for art, pairs in self.chunks_by_article.items():
                answers = [row for row, chunk in pairs if chunk["anchor"] in ("answer", "odpowiedz")]
                rows[art] = answers[0] if answers else pairs[0][0]
            self._answer_rows = rows
        return self._answer_rows

    def first_chunk(self, article_id):
        """The first chunk of an article (its lead or first section)."""
        return self.chunks_by_article[article_id][0][1]

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
        if not filters and (include_unpublished or self._all_published()):
            return self.alive  # None for a full version: every row
        ok = {aid for aid, a in self.articles.items() if self._passes(a, filters, include_unpublished)}
        rows = np.fromiter((art in ok for art in self.row_articles), dtype=bool, count=len(self.row_articles))
        return rows if self.alive is None else rows & self.alive

    def _all_published(self):
        if self._every_published is None:
            if self.full is not self and self.full._all_published():  # then only the delta's articles can differ
                changed = (self.articles.get(art) for art in self.manifest["replaced"])
                self._every_published = all(a["status"] == "published" for a in changed if a is not None)
            else:
                self._every_published = all(a["status"] == "published" for a in self.articles.values())
        return self._every_published

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
