"""Full and incremental builds into an index store, crash-safe (see ``kb.index.store``).

>>> from kb.settings import Settings
>>> builder = IndexBuilder(Settings.from_env(embedding_model="hash"))   # doctest: +SKIP
>>> builder.build("tests/fixture_kb", "/tmp/idx").chunks                 # doctest: +SKIP
"""

import datetime as dt
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from indexer import delta
from indexer.cache import EmbeddingCache
from indexer.chunking import chunk_article
from indexer.documents import article_record, product_tokens, whoosh_document
from kb.content import Content, ParseCache, file_digest
from kb.embed import make_embedder
from kb.index import store as layout
from kb.index.schema import analyzer_settings, build_schema
from kb.index.store import IndexStore
from kb.search.layered import count_words
from kb.search.lexical import lexical_tables, save_lexical_tables
from kb.index.vectors import build_faiss, save_faiss

META_FILES = ("catalog.yaml", "categories.yaml", "escalation.yaml", "synonyms.yaml", "replies.yaml")


@dataclass
class BuildReport:
    """What a build did: counts, what was skipped and why, timings."""

    version: str = ""
    articles: int = 0
    chunks: int = 0
    embedded: int = 0
    reused: int = 0
    changed: list = field(default_factory=list)
    deleted: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    seconds: float = 0.0
    mode: str = "build"

    def summary(self):
        """One line for the CLI."""
        line = (f"{self.mode}: {self.articles} articles, {self.chunks} chunks, {self.embedded} embedded, "
                f"{self.reused} from cache, {len(self.skipped)} skipped, {self.seconds:.1f} s -> {self.version}")
        if self.mode in ("update", "delta", "merge"):
            line += f" ({len(self.changed)} changed, {len(self.deleted)} deleted)"
        return line


def _meta_hashes(root):
    root = Path(root)
    return {name: file_digest((root / name).read_bytes()) if (root / name).exists() else None for name in META_FILES}


def _refuse_empty(store, content, allow_empty):
    """A content folder with no article (a wrong path, a folder not mounted) must not replace a served index."""
    if content.articles or allow_empty:
        return
    try:
        serving = store.manifest()["counts"]["articles"]
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        return
    if serving:
        raise RuntimeError(f"found no article in {content.root} ({len(content.problems)} problems) while the serving "
                           f"version has {serving}: check --content, or pass --allow-empty to serve an empty index")


def _changed_between(store, name, manifest):
    """Relative paths of the files that may differ between the version ``name`` and the version ``manifest``
    (both over one full version: the files either lists as changed since it); None when that is not known
    cheaply (another full version since, or ``name`` pruned)."""
    if name == manifest["version"]:
        return set()
    try:
        known = layout.read_manifest(store.versions / name)
    except (OSError, ValueError):
        return None
    if (known.get("base") or known["version"]) != (manifest.get("base") or manifest["version"]):
        return None
    if any(m.get("base") and "changed_files" not in m for m in (known, manifest)):
        return None
    return known.get("changed_files", {}).keys() | manifest.get("changed_files", {}).keys()


def _since_base(manifest, candidates):
    """The files that may differ from the full version under the version ``manifest``: the ``candidates`` that
    may differ from that version, and those it changed since its full version; None (any file) when unknown."""
    if candidates is None or not manifest.get("base"):
        return candidates
    if "changed_files" not in manifest:
        return None
    return candidates | manifest["changed_files"].keys()


class IndexBuilder:
    """Builds indexes with one embedder; keep one builder to keep its model loaded between updates."""

    def __init__(self, settings, embedder=None, progress=False):
        self.settings = settings
        self.embedder = embedder or make_embedder(settings)
        self.progress = progress
        self.parsed = ParseCache()  # a builder kept between updates parses only the files that changed
        self._indexed = None  # (version name, the content it indexed) of this builder's last write

    # -- public verbs -------------------------------------------------------------------------------------------

    def build(self, content_dir, index_dir, allow_empty=False):
        """Index a whole content folder into a new version and switch ``current`` to it; a folder with no article
        never replaces a version that has some, unless ``allow_empty``."""
        started = time.perf_counter()
        store = IndexStore(index_dir)
        content = Content.load(content_dir, cache=self.parsed)
        _refuse_empty(store, content, allow_empty)
        with store.build_lock():
            return self._build_locked(store, content, started)

    def _build_locked(self, store, content, started):
        report = self._write_version(store, content, store.new_version(), previous=None)
        report.seconds = time.perf_counter() - started
        return report

    def merge(self, content_dir, index_dir, allow_empty=False):
        """Fold the deltas into a full version again while updates go on (Lucene's background merge): the full
        version is written from the folder as it is now, outside the build lock, so updates keep publishing deltas
        meanwhile; then, under the lock, what changed since becomes a delta over the new full version and is
        published with it. Readers never see the merged version without the edits made during the merge; a killed
        merge leaves only a ``.merging`` folder, which the next merge deletes."""
        started = time.perf_counter()
        store = IndexStore(index_dir)
        with store.merge_lock():
            content = Content.load(content_dir, cache=self.parsed)
            _refuse_empty(store, content, allow_empty)
            partial = store.new_version(".merging")
            report = BuildReport(mode="merge")
            manifest = self._write_full(store, content, partial, report)
            with store.build_lock(wait=True):
                full = store.complete(partial, manifest)
                content = Content.load(content_dir, cache=self.parsed)
                base = (full, store.manifest(full))
                changes = delta.changed_since(content, base[1])
                if changes[1]:
                    delta.write_delta(self, store, content, store.new_version(), base, report, changes)
                else:
                    store.switch(full, keep=self.settings.keep_versions)
                    report.version, report.articles = full.name, len(content.articles)
                    report.chunks = len(base[1]["chunk_ids"])
                self._indexed = (report.version, content)
        report.mode, report.seconds = "merge", time.perf_counter() - started
        return report

    def update(self, content_dir, index_dir, allow_empty=False, paths=None):
        """Re-index only added, changed and deleted article files, as a delta over the last full version
        (``indexer.delta``); a full build when nothing is built yet or too much changed since the full version.

        ``paths``: the article files the caller wrote or deleted since its last update (a publisher knows them).
        Then the folder is not walked: the content this builder indexed last is patched with those files (and
        with the files other writers' versions changed meanwhile), so an edit costs what changed, not the size
        of the knowledge base. Files changed by hand are found by an update without ``paths`` (``server update``
        after a ``git pull``) or the next merge."""
        started = time.perf_counter()
        store = IndexStore(index_dir)
        with store.build_lock():
            try:
                previous_path = store.current_path()
                previous = store.manifest(previous_path)
            except (FileNotFoundError, json.JSONDecodeError):
                previous = None
            if previous is None or not self._compatible(previous, content_dir):
                content = Content.load(content_dir, cache=self.parsed)
                _refuse_empty(store, content, allow_empty)
                return self._build_locked(store, content, started)
            content, candidates = self._content(store, content_dir, previous, paths)
            _refuse_empty(store, content, allow_empty)
            report = self._write_version(store, content, store.new_version(), (previous_path, previous), candidates)
            report.seconds = time.perf_counter() - started
            return report

    def warm(self, content_dir, index_dir):
        """Parse the content folder into this builder's cache; when the current version indexed exactly these
        files, remember it as what that version indexed, so the first update told its ``paths`` patches it
        instead of walking the folder. A server calls it once before its workers fork (they share both)."""
        content = Content.load(content_dir, cache=self.parsed)
        store = IndexStore(index_dir)
        try:
            manifest = store.manifest()
        except (FileNotFoundError, json.JSONDecodeError):
            return content
        table = delta.FileTable(store, manifest)
        if not delta.differing(content, table, table.rels() | content.ids_by_path().keys()):
            self._indexed = (manifest["version"], content)
        return content

    # -- steps ----------------------------------------------------------------------------------------------------

    def _content(self, store, content_dir, previous, paths):
        """``(content, candidates)``: the folder's content and the files that may differ from ``previous``
        (None: any file). Patched from what this builder indexed last when the caller names its ``paths``."""
        known = self._indexed
        if paths is not None and known is not None and os.path.abspath(known[1].root) == os.path.abspath(content_dir):
            since = _changed_between(store, known[0], previous)
            if since is not None:
                rels = {rel for rel in map(known[1].article_rel, paths) if rel is not None} | since
                content = known[1].patched(rels)
                if content is not None:
                    return content, rels
        return Content.load(content_dir, cache=self.parsed), None

    def _compatible(self, manifest, content_dir):
        return (manifest.get("analyzers") == json.loads(json.dumps(analyzer_settings()))
                and manifest.get("model", {}).get("name") == self.embedder.name
                and manifest.get("meta_hashes") == _meta_hashes(content_dir))

    def _write_version(self, store, content, partial, previous, candidates=None):
        """Write (and publish) the version of ``content``: a delta over the full version ``previous`` stands on
        when there is one and little changed since it, else a full version. ``candidates``: the only files that
        may differ from ``previous`` (None: any)."""
        report = BuildReport(mode="update" if previous else "build")
        report.skipped = [{"path": p.path, "line": p.line, "problem": p.message, "fix": p.fix}
                          for p in content.problems if p.severity == "error"]
        if previous:
            old = delta.FileTable(store, previous[1])
            differ = delta.differing(content, old, old.rels() | content.ids_by_path().keys()
                                     if candidates is None else candidates)
            report.changed = sorted({now["article"] for now, _was in differ.values() if now})
            gone = {was["article"] for _now, was in differ.values() if was}
            report.deleted = sorted(art for art in gone if art not in content.articles)
            if not differ:
                shutil.rmtree(partial)
                report.version = previous[0].name
                report.articles, report.chunks = len(content.articles), previous[1]["counts"]["chunks"]
                self._indexed = (report.version, content)
                return report
            base = delta.base_of(store, *previous)
            changes = delta.changed_since(content, base[1], _since_base(previous[1], candidates))
            if len(changes[0]) <= delta.MAX_DELTA_ARTICLES:
                delta.write_delta(self, store, content, partial, base, report, changes)
                self._indexed = (report.version, content)
                return report
            report.mode = "merge"  # too much changed since the full version: write a full one
        manifest = self._write_full(store, content, partial, report)
        final = store.publish(partial, manifest, keep=self.settings.keep_versions)
        report.version, report.articles, report.chunks = final.name, len(content.articles), len(manifest["chunk_ids"])
        self._indexed = (report.version, content)
        return report

    def _write_full(self, store, content, partial, report):
        """Write a full version of ``content`` into ``partial``; return its manifest (nothing is published)."""
        chunks_by_article = {a.id: chunk_article(a, self.settings.max_seq_length - 26, self._counter())
                             for a in content.articles.values()}
        all_chunks = [c for art_id in sorted(chunks_by_article) for c in chunks_by_article[art_id]]
        self._create_whoosh(partial, content, all_chunks)
        vectors = self._embed(store, all_chunks, report)
        save_faiss(build_faiss(vectors, self.settings.hnsw_threshold), partial / layout.FAISS_FILE)
        np.save(partial / layout.VECTORS_FILE, vectors)
        self._write_open_tables(partial, *self._write_tables(partial, content, all_chunks))
        (partial / layout.META_DIR).mkdir()
        for name in META_FILES:
            if (content.root / name).exists():
                shutil.copyfile(content.root / name, partial / layout.META_DIR / name)
        return self._manifest(content, all_chunks, vectors, report)

    def _counter(self):
        if getattr(self.embedder, "name", "") == "hash":
            return None
        return self.embedder.token_count

    def _create_whoosh(self, partial, content, chunks):
        (partial / layout.WHOOSH_DIR).mkdir()
        ix = whoosh_index.create_in(partial / layout.WHOOSH_DIR, build_schema(content.synonyms.filter_maps()))
        big = len(chunks) > 3000
        writer = ix.writer(procs=2, multisegment=True, limitmb=128) if big else ix.writer(limitmb=128)
        self._add_chunks(writer, content, chunks)
        writer.commit()

    def _add_chunks(self, writer, content, chunks):
        tokens = {}
        for chunk in chunks:
            article = content.articles[chunk.article_id]
            if article.id not in tokens:
                tokens[article.id] = product_tokens(content, article)
            writer.add_document(**whoosh_document(content, article, chunk, tokens[article.id]))

    def _embed(self, store, chunks, report):
        cache_dir = Path(self.settings.cache_dir) if self.settings.cache_dir else store.root / "cache"
        cache = EmbeddingCache(cache_dir / "embeddings.sqlite3")
        name = self.embedder.name
        hashes = [c.text_hash for c in chunks]
        found = cache.get_many(name, hashes)
        missing = [c for c in dict((c.text_hash, c) for c in chunks).values() if c.text_hash not in found]
        # longest first, so every batch holds texts of similar length (less padding)
        missing.sort(key=lambda c: len(c.embed_text), reverse=True)
        new = self._encode_with_progress([c.embed_text for c in missing])
        fresh = {c.text_hash: vec for c, vec in zip(missing, new)}
        cache.put_many(name, fresh)
        found.update(fresh)
        report.embedded, report.reused = len(missing), len(chunks) - len(missing)
        dim = self._dim(found)
        return np.vstack([found[h] for h in hashes]).astype("float32") if chunks else np.zeros((0, dim), "float32")

    def _dim(self, found):
        return next(iter(found.values())).shape[0] if found else self.embedder.dim

    def _encode_with_progress(self, texts, step=256):
        if not texts:
            return []
        out = []
        bar = None
        if self.progress:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), unit="chunk", desc="embedding")
        for i in range(0, len(texts), step):
            out.append(self.embedder.encode(texts[i:i + step]))
            if bar:
                bar.update(len(texts[i:i + step]))
        if bar:
            bar.close()
        return list(np.vstack(out))

    def _write_tables(self, partial, content, chunks, only=None):
        articles = content.articles.values() if only is None else [content.articles[art] for art in only]
        records = {a.id: article_record(content, a, content.hashes.get(a.path)) for a in articles}
        rows = [c.to_dict() for c in chunks]
        (partial / layout.ARTICLES_FILE).write_text(json.dumps(records, ensure_ascii=False), "utf-8")
        (partial / layout.CHUNKS_FILE).write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
        return records, rows

    def _write_open_tables(self, partial, records, rows):
        """What a reader would otherwise compute at every open of a full version (10 and 8 s at 100x): the
        spelling vocabulary's counts, and the Whoosh document -> row and field-length tables."""
        counts = count_words(records, rows)
        (partial / layout.VOCABULARY_FILE).write_text(json.dumps(counts, ensure_ascii=False), "utf-8")
        reader = whoosh_index.open_dir(str(partial / layout.WHOOSH_DIR)).reader()
        try:
            save_lexical_tables(partial / layout.LEXICAL_FILE,
                                *lexical_tables(reader, {r["chunk_id"]: i for i, r in enumerate(rows)}))
        finally:
            reader.close()

    def _manifest(self, content, chunks, vectors, report, changed_files=None):
        """The manifest of a full version, or with ``changed_files`` of a delta (which lists only those)."""
        if changed_files is None:
            files = {"files": {a.path: {"hash": content.hashes.get(a.path), "article": a.id}
                               for a in content.articles.values()}}
        else:
            files = {"changed_files": changed_files}
        return {
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "content_dir": str(content.root.resolve()),
            "content_hash": content.fingerprint(),
            "counts": {"articles": len(content.articles), "published": content.published_count(),
                       "chunks": len(chunks), "skipped": len(report.skipped)},
            "model": {"name": self.embedder.name, "path": getattr(self.embedder, "model_path", None),
                      "dim": int(vectors.shape[1]) if vectors.size else None},
            "faiss": {"kind": "hnsw" if len(chunks) > self.settings.hnsw_threshold else "flat",
                      "threshold": self.settings.hnsw_threshold},
            "analyzers": analyzer_settings(),
            "meta_hashes": _meta_hashes(content.root),
            **files,
            "skipped": report.skipped,
            "chunk_ids": [c.chunk_id for c in chunks],
        }
