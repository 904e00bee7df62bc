"""The search engine: one object behind the CLI, the API, the web UI, the evaluation and the tests.

>>> engine = SearchEngine.open("var/index")                     # doctest: +SKIP
>>> engine.search("washer wont drain", limit=3).hits[0].article_id  # doctest: +SKIP
"""

import gc
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from kb.embed import make_embedder
from kb.index.store import IndexStore
from kb.index.vectors import set_threads
from kb.search import lexicon
from kb.search.autocomplete import Autocomplete
from kb.search.groups import counterpart, pick
from kb.search.fusion import FusionWeights, hybrid, minmax, product_adjustment, query_signals, rank_positions, rrf
from kb.search.results import Hit, SearchResult
from kb.search.snippet import make_snippet, query_keys
from kb.search.version import IndexVersion
from kb.settings import Settings

MODES = ("hybrid", "lexical", "semantic")

FILTERS = ("product", "category", "type", "lang", "audience")
log = logging.getLogger(__name__)


def freeze_heap():
    """Move every object alive now (an index version's tables: millions of dicts, lists and strings at 100x) out
    of the cyclic collector's reach. Otherwise each full collection walks them all while a request waits: that
    was the hybrid p95 tail at scale. Objects of a replaced version are still freed by reference counting."""
    gc.collect()
    gc.freeze()


class SearchError(ValueError):
    """Bad search input; ``code`` is the API error code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class SearchEngine:
    """An open, read-only index version plus the embedding model. Thread-safe; ``refresh()`` swaps versions."""

    def __init__(self, store, settings, embedder, weights=None):
        self.store = store
        self.settings = settings
        self.embedder = embedder
        self.weights = weights or FusionWeights()
        self.fusion = "weighted"
        self._lock = threading.Lock()  # held while a version opens
        self._opening, self._opening_lock = False, threading.Lock()  # a short lock: requests never wait for an open
        self._pool, self._pool_pid = None, None
        self.version = IndexVersion.open(store.current_path(), embedder)
        self.autocomplete_index = Autocomplete(self.version)
        freeze_heap()

    @classmethod
    def open(cls, index_dir, settings=None, embedder=None, warm=True):
        """Open the current version of an index store and load the model (``warm=False`` defers the model)."""
        settings = settings or Settings.from_env()
        set_threads(settings.threads)  # FAISS: one OpenMP thread per worker (two are 30x slower for one query here)
        embedder = embedder or make_embedder(settings)
        engine = cls(IndexStore(index_dir), settings, embedder)
        if warm:
            engine.warm_up()
        return engine

    def warm_up(self):
        """Load the model and run one query of each mode, so the first real query is fast."""
        self.embedder.warm_up()
        lexicon.warm_up()
        self.version.warm()
        for mode in MODES:
            self.search("warm up query", mode=mode, limit=1)
        self.search("pralka nie działa", limit=1)
        return self

    def refresh(self, wait=True):
        """Switch to the store's current version if a build published a new one; return True if it did.

        ``wait=False`` (serving): the new version is opened once, in a background thread, and swapped in when it is
        ready; requests meanwhile go on with the open version instead of waiting ~1 s for the open (under load that
        pushed p95 from 0.6 s to 2.3 s at every publish).
        """
        if self.store.current_name() == self.version.name:
            return False
        if not wait:
            with self._opening_lock:
                if self._opening:
                    return False
                self._opening = True
            threading.Thread(target=self._open_current, name="kb-open-version", daemon=True).start()
            return False
        with self._lock:
            self._swap()
        return True

    def _swap(self, warm=False):
        if self.store.current_name() != self.version.name:
            version = IndexVersion.open(self.store.current_path(), self.embedder, previous=self.version)
            if warm:
                version.warm()
            self.autocomplete_index = Autocomplete(version, previous=self.autocomplete_index)
            self.version = version
            freeze_heap()

    def _open_current(self):
        try:
            with self._lock:
                self._swap(warm=True)  # in the background: no request pays for the spelling neighbourhood
        except Exception as exc:  # noqa: BLE001 - keep serving the open version; the next request tries again
            log.warning("could not open the new index version: %s", exc)
        finally:
            self._opening = False

    def _embedding_pool(self):
        """One thread that embeds the query while the lexical side scores (torch releases the GIL meanwhile).

        Created per process: gunicorn forks workers after the engine is open, and threads do not survive a fork.
        """
        if self._pool_pid != os.getpid():
            self._pool, self._pool_pid = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-embed"), os.getpid()
        return self._pool

    @property
    def catalog(self):
        """The catalog of the open version."""
        return self.version.catalog

    # -- search -----------------------------------------------------------------------------------------------------

    def validate(self, query, mode, limit, filters):
        """Raise SearchError for input the engine cannot serve."""
        if not isinstance(query, str) or not query.strip():
            raise SearchError("empty_query", "the query is empty: type a few words, a model code or an error code")
        if len(query) > self.settings.max_query_length:
            raise SearchError("query_too_long", f"the query is longer than {self.settings.max_query_length} characters")
        if mode not in MODES:
            raise SearchError("bad_mode", f"mode must be one of {', '.join(MODES)}")
        if not isinstance(limit, int) or not 1 <= limit <= 100:
            raise SearchError("bad_limit", "limit must be a whole number from 1 to 100")
        for name, value in filters.items():
            if name not in FILTERS:
                raise SearchError("unknown_filter", f"unknown filter {name!r}; use {', '.join(FILTERS)}")
            allowed = self.version.filter_values(name)
            if value and allowed is not None and value not in allowed:
                raise SearchError("bad_filter", f"unknown {name} {value!r}")

    def search(self, query, mode="hybrid", limit=None, explain=False, include_unpublished=False, semantic_text=None,
               correct=True, boosts=None, prefer_lang=None, ticket=False, **filters):
        """Ranked hits for a query: one per article, with snippet and (on request) an explanation.

        ``semantic_text`` lets the embedding read other text than the lexical side (the assist uses a ticket's
        first sentences there and its informative terms as ``query``). ``correct=False`` searches the words as
        typed ("search instead for ..."). ``boosts`` maps article ids to bounded score adjustments computed
        elsewhere (what fixed the problem before); each shows in the explanation. An article and its translations
        count as one result, shown in ``prefer_lang`` (default: the query's language) when that version exists and
        is up to date; a ``lang`` filter shows only that language. ``ticket`` marks a search made for a ticket
        (the assist path), whose lexical side is a bag of its rarest words.
        """
        started = time.perf_counter()
        limit = self.settings.search_limit if limit is None else limit
        filters = {k: v for k, v in filters.items() if v not in (None, "")}
        version = self.version
        self.validate(query, mode, limit, filters)
        if "product" in filters:
            filters["product"] = version.catalog.product(filters["product"]).code
        analysis = version.analyzer.analyze(query, correct=correct)
        if not analysis.searchable and not semantic_text:  # only emoji, punctuation or symbols: nothing to look for
            return SearchResult(query=query, mode=mode, hits=[], analysis=analysis.to_dict(), filters=filters,
                                took_ms=(time.perf_counter() - started) * 1000, index_version=version.name)
        lexical, semantic, lex_result = {}, {}, None
        mask = version.mask(filters, include_unpublished)
        pending = None
        if mode in ("hybrid", "semantic"):
            pending = self._embedding_pool().submit(version.semantic.embed, semantic_text or analysis.semantic_text)
        if mode in ("hybrid", "lexical"):
            lex_result = version.lexical.search(analysis.lexical_words, analysis.products, analysis.families, mask,
                                                version.row_articles)
            lexical = lex_result.scores
        if pending is not None:
            semantic = version.semantic.search(pending.result(), mask)
        scores, parts = self._fuse(mode, analysis, lexical, semantic, lex_result, ticket)
        for art in list(scores) if boosts else ():
            boost = boosts.get(art)
            if boost:
                scores[art] += boost
                parts[art]["usage_boost"] = round(boost, 4)
        marks, origins = {}, {}
        if "lang" not in filters:
            scores, marks, origins = pick(scores, version.articles, version.groups, prefer_lang or analysis.lang,
                                          lambda record: version.passes(record, filters, include_unpublished))
        ranked = sorted(scores, key=lambda a: (-scores[a], a))[:limit]
        hits = [self._hit(version, art, scores[art], analysis, lex_result, semantic, parts.get(origins.get(art, art)),
                          explain, origins.get(art, art), marks.get(art)) for art in ranked]
        return SearchResult(query=query, mode=mode, hits=hits, analysis=analysis.to_dict(), filters=filters,
                            took_ms=(time.perf_counter() - started) * 1000, index_version=version.name)

    def _fuse(self, mode, analysis, lexical, semantic, lex_result, ticket=False):
        w = self.weights
        cosines = {k: v[0] for k, v in semantic.items()}
        share = None
        if mode == "lexical":
            base = minmax(lexical)
        elif mode == "semantic":
            base = cosines
        elif self.fusion == "rrf":
            base = rrf(rank_positions(lexical), rank_positions(cosines))
        else:
            words = lex_result.words if lex_result else len(analysis.words)
            base, share = hybrid(lexical, cosines, words, w, ticket)
        parts, scores = {}, {}
        signals = query_signals(lexical, cosines, lex_result, w)
        for art, score in base.items():
            record = self.version.articles[art]
            boost, kind = product_adjustment(record["product_codes"], record["families"], analysis.products,
                                             analysis.families, w)
            if analysis.categories and set(analysis.categories) & set(record["categories"]):
                boost += w.category_match
            scores[art] = score + (boost if mode != "semantic" or kind != "none" else 0.0)
            parts[art] = {"base": round(score, 4), "product_match": kind, "boost": round(boost, 4),
                          **({"lexical_weight": round(share, 3)} if share is not None else {}),
                          "signals": {**signals(art), "lang_match": record["lang"] == analysis.lang,
                                      "ticket": ticket, "product": kind}}
        return scores, parts

    def _hit(self, version, art, score, analysis, lex_result, semantic, parts, explain, matched=None, mark=None):
        record = version.articles[art]
        matched = matched or art
        chunk_row = None
        if lex_result and matched in lex_result.rows:
            chunk_row = lex_result.rows[matched]
        elif matched in semantic:
            chunk_row = semantic[matched][1]
        if matched != art:  # a translation shown for the member that matched: the same section of it
            chunk_row = counterpart(version.chunks_by_article, version.chunks[chunk_row] if chunk_row is not None
                                    else None, art)
        chunk = version.chunks[chunk_row] if chunk_row is not None else version.first_chunk(art)
        words = analysis.lexical_words + analysis.code_spans
        snippet_html, snippet_text = make_snippet(chunk["text"], query_keys(words, record["lang"]), record["lang"])
        hit = Hit(article_id=art, section=chunk["anchor"], score=round(float(score), 4), title=record["title"],
                  type=record["type"], heading=chunk["heading"], snippet=snippet_html, text_snippet=snippet_text,
                  products=record["products"], categories=record["categories"], lang=record["lang"],
                  escalation=record.get("escalation"), chunk_id=chunk["chunk_id"], group=record.get("group", art),
                  translation=mark, languages=sorted(version.groups.get(record.get("group", art), {})))
        hit.signals = dict((parts or {}).get("signals", {}), words=len(analysis.words))
        if explain:
            hit.explanation = {
                "matched_article": matched,
                "lexical_score": round(lex_result.scores[matched], 4) if lex_result and matched in lex_result.scores else None,
                "matched_words": sorted(lex_result.matched.get(matched, ())) if lex_result else [],
                "semantic_similarity": round(semantic[matched][0], 4) if matched in semantic else None,
                "corrected": analysis.corrected, "query_lang": analysis.lang,
                **{k: v for k, v in (parts or {}).items() if k != "signals"},
            }
        return hit

    # -- neighbours in meaning ----------------------------------------------------------------------------------------

    def similar(self, text, exclude=(), threshold=None, limit=5):
        """Published articles whose sections are close in meaning to a text (a draft's title and answer):
        ``[{"id", "title", "similarity"}]``, closest first, at or above ``threshold`` (default: the embedder's
        duplicate threshold, measured per model)."""
        version = self.version
        threshold = getattr(self.embedder, "duplicate_threshold", 0.8) if threshold is None else threshold
        found = version.semantic.search(version.semantic.embed_passage(text), version.mask({}), k=50)
        out = [{"id": aid, "title": version.articles[aid]["title"], "similarity": round(sim, 3)}
               for aid, (sim, _row) in found.items() if aid not in exclude and sim >= threshold]
        return sorted(out, key=lambda x: -x["similarity"])[:limit]

    def neighbours(self, article_id, candidates):
        """Candidate article ids ordered by how close their answer is in meaning to ``article_id``'s answer."""
        version = self.version
        rows = version.answer_rows()
        if article_id not in rows:
            return list(candidates)
        known = [c for c in candidates if c in rows]
        sims = version.vectors[[rows[c] for c in known]] @ version.vectors[rows[article_id]] if known else []
        ranked = [known[i] for i in sorted(range(len(known)), key=lambda i: -float(sims[i]))]
        return ranked + [c for c in candidates if c not in rows]

    # -- lookups ----------------------------------------------------------------------------------------------------

    def autocomplete(self, prefix, limit=8):
        """Titles and products whose words start with what was typed."""
        return self.autocomplete_index.suggest(prefix, limit)

    def article(self, article_id, include_unpublished=False):
        """The stored record of an article, or None."""
        record = self.version.articles.get(article_id)
        if record is None or (record["status"] != "published" and not include_unpublished):
            return None
        return record

    def health(self):
        """Index version, counts and model, for monitoring."""
        manifest = self.version.manifest
        return {"status": "ok", "index_version": self.version.name, "created": manifest.get("created"),
                "articles": manifest["counts"]["articles"], "published": manifest["counts"]["published"],
                "chunks": manifest["counts"]["chunks"], "model": manifest["model"]["name"],
                "products": len(self.catalog.products)}


__all__ = ["SearchEngine", "SearchError", "MODES", "FILTERS"]
