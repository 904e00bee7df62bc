"""Answer confidence: a logistic model of "this hit is relevant", fitted on the labelled queries.

Features of the hit at rank r: its fused score, its lead over the next hit, and 1/r. The fitted weights are
committed in ``calibration.json`` (``python -m kb calibrate`` refits them) and checked by a test: among answers
with confidence >= 0.8, at least 80% must be relevant, on queries the fit did not see as well.

>>> c = Calibrator([0.0, 0.0, 0.0, 0.0])
>>> c.confidences([1.0, 0.5])
[0.5, 0.5]
"""

import json
from pathlib import Path

import numpy as np

DEFAULT_PATH = Path(__file__).with_name("calibration.json")


def features(scores):
    """Feature rows [1, score, lead over next, 1/rank] for a ranked list of fused scores."""
    rows = []
    for i, score in enumerate(scores):
        nxt = scores[i + 1] if i + 1 < len(scores) else 0.0
        rows.append([1.0, float(score), float(score - nxt), 1.0 / (i + 1)])
    return np.asarray(rows, dtype="float64").reshape(-1, 4)


def fit_logistic(x, y, l2=1e-3, iterations=50):
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
    """Maps a ranked list of fused scores to confidences in [0, 1]."""

    def __init__(self, weights, meta=None):
        self.weights = np.asarray(weights, dtype="float64")
        self.meta = meta or {}

    @classmethod
    def load(cls, path=DEFAULT_PATH):
        """Read committed weights."""
        data = json.loads(Path(path).read_text("utf-8"))
        return cls(data["weights"], data)

    def save(self, path=DEFAULT_PATH):
        """Write the weights and how they were fitted."""
        Path(path).write_text(json.dumps({**self.meta, "weights": self.weights.round(6).tolist()}, indent=1) + "\n")

    def confidences(self, scores):
        """Confidence of each hit of a ranked list."""
        if not len(scores):
            return []
        z = features(scores) @ self.weights
        return [round(float(v), 4) for v in 1.0 / (1.0 + np.exp(-z))]


def training_rows(engine, queries, limit=5):
    """(features, labels) of the top hits of every labelled query."""
    xs, ys = [], []
    for item in queries:
        hits = engine.search(item["query"], limit=limit).hits
        relevant = set(item["relevant"])
        xs.append(features([h.score for h in hits]))
        ys.extend(1.0 if h.article_id in relevant else 0.0 for h in hits)
    return np.vstack(xs), np.asarray(ys)


def fit(engine, queries, limit=5):
    """A calibrator fitted on the labelled queries."""
    x, y = training_rows(engine, queries, limit)
    return Calibrator(fit_logistic(x, y), {"fitted_on": len(queries), "hits_per_query": limit, "positives": int(y.sum()),
                                           "features": ["bias", "score", "lead_over_next", "inverse_rank"]})


def precision_above(calibrator, engine, queries, threshold=0.8, limit=5):
    """Share of hits with confidence >= threshold that are relevant, and how many there were."""
    good = total = 0
    for item in queries:
        hits = engine.search(item["query"], limit=limit).hits
        for hit, conf in zip(hits, calibrator.confidences([h.score for h in hits])):
            if conf >= threshold:
                total += 1
                good += hit.article_id in set(item["relevant"])
    return (good / total if total else 1.0), total
