"""Delta versions: an update indexes only the articles that differ from the last full version into a small version
(its own Whoosh index, vectors, article and chunk tables) that names that full version as its ``base``; readers
layer it over the full version (``kb.search.layered``). Each delta holds every change since its base, so a reader
opens one full version and one delta, and the cost of an edit grows with the edits since the last merge, not with
the knowledge base. ``IndexBuilder.merge`` writes a full version again (``python -m indexer merge``).

>>> IndexBuilder(settings).update("articles", "var/index").mode   # doctest: +SKIP
'delta'
"""

import shutil
from collections import Counter

import numpy as np

from whoosh.filedb.filestore import RamStorage

from indexer.chunking import chunk_article
from kb.index import store as layout
from kb.index.schema import build_schema

MAX_DELTA_ARTICLES = 200  # above this many articles changed since the full version, an update merges instead


def base_of(store, previous_path, previous):
    """``(path, manifest)`` of the full version a version stands on (itself when it is full)."""
    if previous.get("base"):
        path = store.versions / previous["base"]
        return path, layout.read_manifest(path)
    return previous_path, previous


def changed_since(content, base_manifest):
    """Article ids to re-index over the full version: files added, changed or deleted since it, with the other
    members of their translation groups (whose records say whether a translation is outdated)."""
    files = {a.path: a.id for a in content.articles.values()}
    old = base_manifest["files"]
    ids = {files[rel] for rel in files if old.get(rel, {}).get("hash") != content.hashes.get(rel)}
    ids |= {v["article"] for rel, v in old.items() if rel not in files or old[rel]["hash"] != content.hashes.get(rel)}
    groups = {content.group_of(content.articles[a]) for a in ids if a in content.articles} | ids
    # a translation of a deleted source is its own group now: ``translation_of`` still names the source
    return ids | {a.id for a in content.articles.values() if content.group_of(a) in groups or a.translation_of in ids}


class _MemoryStorage(RamStorage):
    """Whoosh in memory, its temporary files too: ``RamStorage`` puts them in ``/tmp/MAIN.tmp``, one folder
    shared by every process on the machine, which another writer's clean-up deleted mid-commit."""

    def temp_storage(self, name=None):
        """A private in-memory storage for the writer's temporary files."""
        return RamStorage()


def _write_whoosh(builder, partial, content, chunks):
    """The delta's Whoosh index, built in memory and then written file by file: small, and a full disk fails with
    every file closed (Whoosh leaves its table-of-contents file open when a write to disk fails)."""
    storage = _MemoryStorage()
    ix = storage.create_index(build_schema(content.synonyms.filter_maps()))
    writer = ix.writer()
    builder._add_chunks(writer, content, chunks)
    writer.commit()
    folder = partial / layout.WHOOSH_DIR
    folder.mkdir()
    for name in storage.list():
        (folder / name).write_bytes(storage.files[name])


_CHUNK_COUNTS = {}  # full version name -> {article id: its chunks in that version}


def _chunks_per_article(name, manifest):
    found = _CHUNK_COUNTS.get(name)
    if found is None:
        found = Counter(cid.split("#", 1)[0] for cid in manifest["chunk_ids"])
        _CHUNK_COUNTS.clear()  # one full version at a time is the base of new deltas
        _CHUNK_COUNTS[name] = found
    return found


def write_delta(builder, store, content, partial, base, report, replaced=None):
    """Write the delta of ``content`` over the full version ``base = (path, manifest)`` into ``partial``; publish
    it and return its folder. ``replaced``: ``changed_since(content, base manifest)`` when the caller has it."""
    base_path, base_manifest = base
    replaced = sorted(changed_since(content, base_manifest) if replaced is None else replaced)
    live = [art for art in replaced if art in content.articles]
    chunks = [c for art in live for c in chunk_article(content.articles[art], builder.settings.max_seq_length - 26,
                                                       builder._counter())]
    _write_whoosh(builder, partial, content, chunks)
    vectors = builder._embed(store, chunks, report)
    np.save(partial / layout.VECTORS_FILE, vectors)
    builder._write_tables(partial, content, chunks, only=set(live))
    shutil.copytree(base_path / layout.META_DIR, partial / layout.META_DIR)
    per_article = _chunks_per_article(base_path.name, base_manifest)
    base_chunks = len(base_manifest["chunk_ids"]) - sum(per_article.get(art, 0) for art in replaced)
    manifest = builder._manifest(content, chunks, vectors, report)
    manifest["counts"]["chunks"] = base_chunks + len(chunks)
    manifest.update(base=base_path.name, replaced=replaced, faiss=base_manifest["faiss"])
    final = store.publish(partial, manifest, keep=builder.settings.keep_versions)
    report.mode, report.version = "delta", final.name
    report.articles, report.chunks = len(content.articles), manifest["counts"]["chunks"]
    return final
