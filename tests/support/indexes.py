"""The suite's one index factory: real Whoosh and FAISS indexes built with the real model, once per content folder
per session, and private copies (content and index) for apps whose saves write files and update the index.

>>> indexes = IndexFactory(tmp, settings, embedder)               # doctest: +SKIP
>>> content, index = indexes.workspace(FIXTURE_KB, tmp / "app")   # doctest: +SKIP
"""

import shutil
from pathlib import Path

from kb.settings import Settings


def suite_settings(**overrides):
    """Settings for the suite: the environment is ignored, the embedding cache is shared between runs."""
    from tests.support.paths import TEST_CACHE, onnx_dir

    overrides.setdefault("cache_dir", str(TEST_CACHE))
    overrides.setdefault("onnx_dir", str(onnx_dir()))
    overrides.setdefault("threads", 1)
    overrides.setdefault("secret_key", "tests-only-secret-key")
    overrides.setdefault("sync_interval", 0)  # no background catch-up racing the assertions of in-process tests
    return Settings.from_env({}, **overrides)


class IndexFactory:
    """Index stores built once per content folder (cached for the session) with one embedder."""

    def __init__(self, root, settings, embedder):
        self.root, self.settings, self.embedder = Path(root), settings, embedder
        self._built, self._engines = {}, {}

    def index(self, content):
        """The index store of a content folder, built on first use."""
        from indexer import IndexBuilder

        key = Path(content).resolve()
        if key not in self._built:
            dest = self.root / f"{key.name}-{len(self._built)}"
            IndexBuilder(self.settings, self.embedder).build(key, dest)
            self._built[key] = dest
        return self._built[key]

    def use(self, content, index):
        """Serve a content folder from an index store built elsewhere (a benchmark's large copy) instead of
        building one."""
        self._built[Path(content).resolve()] = Path(index).resolve()

    def engine(self, content):
        """A shared, read-only engine over a content folder's index (never give it to an app that saves)."""
        from kb.search.engine import SearchEngine

        key = Path(content).resolve()
        if key not in self._engines:
            self._engines[key] = SearchEngine.open(self.index(key), settings=self.settings, embedder=self.embedder)
        return self._engines[key]

    def workspace(self, content, folder):
        """Private copies of a content folder and of its built index under ``folder``: ``(content, index)``."""
        folder = Path(folder)
        shutil.copytree(content, folder / "content")
        shutil.copytree(self.index(content), folder / "index", ignore=shutil.ignore_patterns("*.lock", "applied-change"))
        return folder / "content", folder / "index"
