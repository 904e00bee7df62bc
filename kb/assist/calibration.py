"""Answer confidence: a logistic model of "this hit answers the question", over signals that transfer to text
nobody here wrote: the fused score and its lead over the next hit, the rank, whether lexical and semantic
retrieval agree on the hit, the cosine, the share of the query's words the hit matched, whether the hit is in the
query's language, the query's length and whether it came from a ticket.

Fitted with ``python -m kb calibrate`` on the blind queries (written by people who never saw the articles, with
no-answer queries among them) and the labelled ones; the weights are committed in ``calibration.json``. The fit is
checked by cross-validation grouped by the caller situation a query was written from, so no situation is in both
the fitted and the measured part.

>>> c = Calibrator([0.0] * len(FEATURES))
>>> c.confidences([{"score": 1.0}, {"score": 0.5}])
[0.5, 0.5]
"""

import json
import math
from pathlib import Path

import numpy as np

DEFAULT_PATH = Path(__file__).with_name("calibration.json")
FEATURES = ("bias", "score", "lead", "inverse_rank", "lex", "cos", "both", "coverage", "lang_match", "log_words",
            "ticket", "product_exact")


def hit_features(hits, rank_offset=0):
    """Feature rows for a ranked list of hit signal dicts (each with ``score`` and the engine's signals)."""
    rows = []
    for i, hit in enumerate(hits):
        score = float(hit.get("score", 0.0))
        nxt = float(hits[i + 1].get("score", 0.0)) if i + 1 < len(hits) else 0.0
        rows.append([1.0, score, score - nxt, 1.0 / (i + 1 + rank_offset), float(hit.get("lex", 0.0)),
                     float(hit.get("cos", 0.0)), float(bool(hit.get("both"))), float(hit.get("coverage", 0.0)),
                     float(bool(hit.get("lang_match", True))), math.log1p(float(hit.get("words", 0))),
                     float(bool(hit.get("ticket"))), float(hit.get("product") == "exact")])
    return np.asarray(rows, dtype="float64").reshape(-1, len(FEATURES))


def signals_of(hits):
    """The signal dicts of engine hits (score included)."""
    return [dict(h.signals, score=h.score) for h in hits]


def fit_logistic(x, y, l2=1e-2, iterations=60):
    """Logistic regression by Newton's method (IRLS) with a little L2; returns the weights."""
    w = np.zeros(x.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


class Calibrator:
    """Maps a ranked list of hits (their signals) to confidences in [0, 1]."""

    def __init__(self, weights, meta=None):
        self.weights = np.asarray(weights, dtype="float64")
        self.meta = meta or {}

    @classmethod
    def load(cls, path=DEFAULT_PATH):
        """Read committed weights (a file for other features falls back to 0.5 everywhere, never a crash)."""
        data = json.loads(Path(path).read_text("utf-8"))
        if data.get("features") != list(FEATURES):
            return cls([0.0] * len(FEATURES), {"stale": True})
        return cls(data["weights"], data)

    def save(self, path=DEFAULT_PATH):
        """Write the weights and how they were fitted."""
        Path(path).write_text(json.dumps({**self.meta, "features": list(FEATURES),
                                          "weights": self.weights.round(6).tolist()}, indent=1) + "\n")

    def confidences(self, hits):
        """Confidence of each hit of a ranked list (signal dicts, or engine hits)."""
        if not len(hits):
            return []
        signals = signals_of(hits) if hasattr(hits[0], "signals") else hits
        z = hit_features(signals) @ self.weights
        return [round(float(v), 4) for v in 1.0 / (1.0 + np.exp(-z))]
