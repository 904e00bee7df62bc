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


class FileTable:
    """The article files a version indexed, ``relative path -> {"hash", "article"}``: a full version's manifest
    lists them all (``files``); a delta's lists only those that differ from its full version (``changed_files``,
    null for a file deleted since), so publishing an edit does not write, and the next one read, 46,500 entries."""

    def __init__(self, store, manifest):
        if manifest.get("base") and "changed_files" in manifest:
            self.full = layout.read_manifest(store.versions / manifest["base"])["files"]
            self.changes = manifest["changed_files"]
        else:  # a full version (or a delta written before deltas listed only their changes)
            self.full, self.changes = manifest["files"], {}

    def get(self, rel):
        """The entry of one file, or None when the version has no article from it."""
        return self.changes[rel] if rel in self.changes else self.full.get(rel)

    def rels(self):
        """Every file the version indexed."""
        return (self.full.keys() | self.changes.keys()) - {rel for rel, entry in self.changes.items() if entry is None}


def entry_of(content, rel):
    """What a manifest records of the file ``rel`` of ``content``: ``{"hash", "article"}``, None for no article."""
    article = content.ids_by_path().get(rel)
    return None if article is None else {"hash": content.hashes.get(rel), "article": article}


def differing(content, old, rels):
    """``{relative path: (entry now, entry in old)}`` of the files among ``rels`` whose article is not the one
    ``old`` (a manifest's ``files`` or a ``FileTable``) records."""
    found = {}
    for rel in rels:
        now, was = entry_of(content, rel), old.get(rel)
        if (now and now["hash"]) != (was and was["hash"]):
            found[rel] = (now, was)
    return found


def changed_since(content, base_manifest, rels=None):
    """``(article ids to re-index, changed files)`` over the full version ``base_manifest``: the articles of files
    added, changed or deleted since it, with the other members of their translation groups (whose records say
    whether a translation is outdated), and ``{relative path: entry or None}`` of those files. ``rels``: the only
    files that may differ from it (a patched content's candidates); by default every file is compared."""
    old = base_manifest["files"]
    found = differing(content, old, content.ids_by_path().keys() | old.keys() if rels is None else rels)
    files = {rel: now for rel, (now, _was) in found.items()}
    ids = {entry["article"] for pair in found.values() for entry in pair if entry}
    groups = {content.group_of(content.articles[a]) for a in ids if a in content.articles} | ids
    translators = content.translators()
    # a translation of a deleted source is its own group now: ``translation_of`` still names the source
    members = {t for g in groups | ids for t in translators.get(g, ())}
    return ids | {g for g in groups if g in content.articles} | members, files


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


def write_delta(builder, store, content, partial, base, report, changes=None):
    """Write the delta of ``content`` over the full version ``base = (path, manifest)`` into ``partial``; publish
    it and return its folder. ``changes``: ``changed_since(content, base manifest)`` when the caller has it."""
    base_path, base_manifest = base
    replaced, changed_files = changed_since(content, base_manifest) if changes is None else changes
    replaced = sorted(replaced)
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
    manifest = builder._manifest(content, chunks, vectors, report, changed_files=changed_files)
    manifest["counts"]["chunks"] = base_chunks + len(chunks)
    manifest.update(base=base_path.name, replaced=replaced, faiss=base_manifest["faiss"])
    final = store.publish(partial, manifest, keep=builder.settings.keep_versions)
    report.mode, report.version = "delta", final.name
    report.articles, report.chunks = len(content.articles), manifest["counts"]["chunks"]
    return final
