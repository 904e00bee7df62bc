"""Fitting and checking the confidence model (``python -m kb calibrate``): training rows from real searches,
cross-validation grouped by situation, precision among confident answers and a reliability table per language.

>>> reliability([0.95, 0.9, 0.2], [1, 0, 0], bins=(0.0, 0.5, 0.8, 1.0))[-1]["n"]
2
"""

import numpy as np

from kb.assist.calibration import Calibrator, FEATURES, fit_logistic, hit_features, signals_of
from kb.evaluation import group_of, run_hits

CONFIDENT = 0.8


def training_rows(engine, queries, limit=5):
    """``(features, labels, meta)``: the top hits of every query (no-answer queries give only negatives)."""
    xs, ys, meta = [], [], []
    for item in queries:
        hits = run_hits(engine, item, "hybrid", limit, {})
        relevant = {group_of(engine, r) for r in item["relevant"]}
        if not hits:
            continue
        xs.append(hit_features(signals_of(hits)))
        for rank, hit in enumerate(hits):
            ys.append(1.0 if group_of(engine, hit.article_id) in relevant else 0.0)
            meta.append({"lang": item.get("lang", "en"), "rank": rank, "group": item.get("sid") or item["query"],
                         "answerable": bool(item["relevant"])})
    return np.vstack(xs), np.asarray(ys), meta


def fit(x, y, info=None):
    """A calibrator fitted on training rows."""
    return Calibrator(fit_logistic(x, y), {**(info or {}), "rows": int(len(y)), "positives": int(y.sum())})


def cross_validated(x, y, meta, folds=5):
    """Confidence of every row predicted by a model that did not see its situation (k folds by group)."""
    groups = sorted({m["group"] for m in meta})
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    out = np.zeros(len(y))
    for k in range(folds):
        test = np.array([fold_of[m["group"]] == k for m in meta])
        model = fit(x[~test], y[~test])
        out[test] = 1.0 / (1.0 + np.exp(-(x[test] @ model.weights)))
    return out


def confident_precision(confidence, labels, meta, threshold=CONFIDENT, lang=None):
    """Precision of top answers with confidence >= threshold, and the share of queries that get one."""
    tops = [i for i, m in enumerate(meta) if m["rank"] == 0 and (lang is None or m["lang"] == lang)]
    confident = [i for i in tops if confidence[i] >= threshold]
    precision = float(np.mean([labels[i] for i in confident])) if confident else 1.0
    return precision, len(confident) / len(tops) if tops else 0.0, len(confident)


def reliability(confidence, labels, bins=(0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 0.9, 1.0)):
    """Reliability table: per confidence bin, how many answers and how many of them were right."""
    out = []
    for low, high in zip(bins, bins[1:]):
        idx = [i for i, c in enumerate(confidence) if low <= c < high or (high == bins[-1] and c == high)]
        out.append({"from": low, "to": high, "n": len(idx),
                    "mean_confidence": round(float(np.mean([confidence[i] for i in idx])), 3) if idx else None,
                    "right": round(float(np.mean([labels[i] for i in idx])), 3) if idx else None})
    return out


__all__ = ["FEATURES", "training_rows", "fit", "cross_validated", "confident_precision", "reliability"]
