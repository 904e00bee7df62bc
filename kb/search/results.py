"""Typed search results.

>>> Hit("a", "answer", 0.5, "T", "faq").to_dict()["article_id"]
'a'
"""

from dataclasses import dataclass, field, fields


@dataclass
class Hit:
    """One article in a result list, represented by its best section."""

    article_id: str
    section: str
    score: float
    title: str
    type: str
    heading: str = ""
    snippet: str = ""
    text_snippet: str = ""
    products: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    lang: str = "en"
    escalation: str = None
    chunk_id: str = ""
    group: str = ""
    translation: str = None  # "missing" or "outdated" when shown in another language than preferred
    languages: list = field(default_factory=list)
    explanation: dict = None
    signals: dict = field(default_factory=dict, repr=False)  # what the confidence model reads (not sent out)

    def to_dict(self):
        """Plain dict for JSON (no explanation key unless one was asked for)."""
        data = {name: getattr(self, name) for name in _HIT_FIELDS}  # shallow: the JSON encoder walks the rest
        for name in ("products", "categories", "languages"):
            data[name] = list(data[name])
        if data["explanation"] is None:
            del data["explanation"]
        return data


_HIT_FIELDS = tuple(f.name for f in fields(Hit) if f.name != "signals")


@dataclass
class SearchResult:
    """Hits of one query, what the engine understood of it, and how long it took."""

    query: str
    mode: str
    hits: list
    analysis: dict = field(default_factory=dict)
    filters: dict = field(default_factory=dict)
    took_ms: float = 0.0
    index_version: str = ""

    def to_dict(self):
        """Plain dict for JSON."""
        return {"query": self.query, "mode": self.mode, "analysis": self.analysis, "filters": self.filters,
                "took_ms": round(self.took_ms, 2), "index_version": self.index_version,
                "hits": [h.to_dict() for h in self.hits]}
