"""The index store: versioned index directories, a manifest each, and an atomic ``current`` pointer.

A build writes ``versions/<name>.partial/``, renames it to ``versions/<name>/`` when complete and only then
replaces the ``current`` file (write to a temporary file, fsync, ``os.replace``). A build killed at any point
leaves ``current`` naming a complete version. Readers open the version ``current`` names and keep it until
they reopen.

>>> store = IndexStore("/tmp/kb-doctest-store")     # doctest: +SKIP
>>> store.current_path()                            # doctest: +SKIP
"""

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import uuid
from pathlib import Path

MANIFEST = "manifest.json"
WHOOSH_DIR = "whoosh"
FAISS_FILE = "vectors.faiss"
VECTORS_FILE = "vectors.npy"
ARTICLES_FILE = "articles.json"
CHUNKS_FILE = "chunks.json"
VOCABULARY_FILE = "vocabulary.json"  # spelling vocabulary counts of a full version (optional: computed when absent)
LEXICAL_FILE = "lexical.npz"  # Whoosh document -> row and field lengths by row (optional: computed when absent)
META_DIR = "meta"  # copies of catalog, categories, escalation and synonyms files


class IndexNotFound(FileNotFoundError):
    """No built index at this location."""


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(path, data):
    """Write JSON to ``path`` so that readers see the old or the new file, never a torn one."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False))  # dumps uses the C encoder; dump the pure-Python one
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


_MANIFESTS = {}  # (path, mtime, size) -> manifest: a complete version's manifest never changes


def read_manifest(folder):
    """The manifest of a version folder, parsed once per process (a 100x manifest lists 46,500 files and 214,700
    chunks; an update read three of them). Shared: callers must not change it."""
    path = Path(folder) / MANIFEST
    key = _manifest_key(path)
    found = _MANIFESTS.get(key)
    if found is None:
        found = json.loads(path.read_text("utf-8"))
        _remember(key, found)
    return found


def _manifest_key(path):
    st = path.stat()
    return str(path), st.st_mtime_ns, st.st_size


def _remember(key, manifest):
    if len(_MANIFESTS) > 16:
        _MANIFESTS.clear()
    _MANIFESTS[key] = manifest


class IndexStore:
    """A folder of index versions with a ``current`` pointer."""

    def __init__(self, root):
        self.root = Path(root)
        self.versions = self.root / "versions"

    def current_name(self):
        """Name of the current version, or None before the first build."""
        try:
            name = (self.root / "current").read_text("utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def current_path(self):
        """Folder of the current version; raises IndexNotFound when there is none."""
        name = self.current_name()
        if not name or not (self.versions / name / MANIFEST).exists():
            raise IndexNotFound(f"no index in {self.root}: build one with 'python -m indexer build --index {self.root}'")
        return self.versions / name

    def manifest(self, path=None):
        """The manifest of a version (default: current)."""
        return read_manifest(Path(path) if path else self.current_path())

    @contextlib.contextmanager
    def build_lock(self, wait=False):
        """Exclusive lock held by the one process that writes; a second builder fails fast (or, with ``wait``,
        waits: a merge's last step waits for an update to finish)."""
        with self._lock("build.lock", wait, "another build is writing to {root}; wait for it to finish"):
            yield

    @contextlib.contextmanager
    def merge_lock(self):
        """Held by the one merge of this store (``IndexBuilder.merge``); its stale ``.merging`` folders (a merge that
        was killed) are deleted on entry."""
        with self._lock("merge.lock", False, "a merge of {root} is running already"):
            for path in self.versions.glob("*.merging"):
                shutil.rmtree(path, ignore_errors=True)
            yield

    @contextlib.contextmanager
    def _lock(self, name, wait, busy):
        self.versions.mkdir(parents=True, exist_ok=True)
        with open(self.root / name, "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RuntimeError(busy.format(root=self.root)) from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def new_version(self, suffix=".partial"):
        """Create and return an empty folder for a build (``.partial``: call under ``build_lock``, which deletes the
        partials a killed build left; ``.merging``: under ``merge_lock``)."""
        if suffix == ".partial":
            self._clean_partials()
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        path = self.versions / f"v{stamp}-{uuid.uuid4().hex[:6]}{suffix}"
        path.mkdir(parents=True)
        return path

    def publish(self, partial, manifest, keep=3):
        """Finish a build: write its manifest, rename it complete, switch ``current`` to it, prune old ones."""
        final = self.complete(partial, manifest)
        self.switch(final, keep)
        return final

    def complete(self, partial, manifest):
        """Write a build's manifest and rename its folder complete (``current`` is not changed); return it."""
        partial = Path(partial)
        final = partial.with_name(partial.name.rsplit(".", 1)[0])
        manifest = dict(manifest, version=final.name)
        write_json_atomic(partial / MANIFEST, manifest)
        os.rename(partial, final)
        _fsync_dir(self.versions)
        _remember(_manifest_key(final / MANIFEST), manifest)  # the writer reads it next: no need to parse it
        return final

    def switch(self, final, keep=3):
        """Point ``current`` at a complete version (atomically, durably), then prune old ones."""
        tmp = self.root / f".current.{uuid.uuid4().hex}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(Path(final).name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / "current")
        _fsync_dir(self.root)
        self.prune(keep)

    def complete_versions(self):
        """Complete versions, oldest first."""
        if not self.versions.exists():
            return []
        return sorted(p for p in self.versions.iterdir() if p.is_dir() and (p / MANIFEST).exists()
                      and not p.name.endswith((".partial", ".merging")))

    def prune(self, keep=3):
        """Delete all but the newest ``keep`` complete versions; never the current one, nor the full version a
        kept delta stands on."""
        current = self.current_name()
        old = [p for p in self.complete_versions() if p.name != current][: -max(keep - 1, 0) or None]
        needed = {self._base(p) for p in self.complete_versions() if p not in old}  # full versions deltas stand on
        for path in old:
            if path.name not in needed:
                shutil.rmtree(path, ignore_errors=True)

    def _base(self, path):
        try:
            return read_manifest(path).get("base")
        except (OSError, ValueError):
            return None

    def _clean_partials(self):
        for path in self.versions.glob("*.partial"):
            shutil.rmtree(path, ignore_errors=True)
