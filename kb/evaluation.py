"""Retrieval evaluation on labelled queries: accuracy@1, hit@k, recall@10, MRR@10, nDCG@10, latency.

The metric functions are pure and take a ranked list of ids and the set of relevant ids.

>>> mrr_at([ "x", "a"], {"a"})
0.5
>>> round(ndcg_at(["a", "x", "b"], {"a", "b"}), 3)
0.92
"""

import json
import math
import statistics
import time
from collections import defaultdict
from pathlib import Path

METRICS = ("accuracy@1", "hit@5", "hit@10", "recall@10", "mrr@10", "ndcg@10")


def hit_at(ranked, relevant, k):
    """1 if a relevant id is in the top k."""
    return float(any(r in relevant for r in ranked[:k]))


def recall_at(ranked, relevant, k=10):
    """Share of the relevant ids found in the top k."""
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def mrr_at(ranked, relevant, k=10):
    """Reciprocal rank of the first relevant id in the top k."""
    return next((1.0 / i for i, r in enumerate(ranked[:k], 1) if r in relevant), 0.0)


def ndcg_at(ranked, relevant, k=10):
    """Normalized DCG with binary gains."""
    dcg = sum(1.0 / math.log2(i + 1) for i, r in enumerate(ranked[:k], 1) if r in relevant)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), k) + 1))
    return dcg / ideal if ideal else 0.0


def score_query(ranked, relevant):
    """All metrics of one query."""
    return {"accuracy@1": hit_at(ranked, relevant, 1), "hit@5": hit_at(ranked, relevant, 5),
            "hit@10": hit_at(ranked, relevant, 10), "recall@10": recall_at(ranked, relevant),
            "mrr@10": mrr_at(ranked, relevant), "ndcg@10": ndcg_at(ranked, relevant)}


def percentile(values, p):
    """The p-th percentile (nearest rank) of a list of numbers."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def load_queries(path):
    """Read a JSON-lines file (or a folder of them) of ``{"query", "relevant", ...}`` objects."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    queries = []
    for file in files:
        for lineno, line in enumerate(file.read_text("utf-8").splitlines(), 1):
            if line.strip():
                try:
                    item = json.loads(line)
                    item["relevant"] = list(item["relevant"])
                    str(item["query"])
                except (ValueError, KeyError, TypeError) as exc:
                    raise ValueError(f"{file}:{lineno}: not a labelled query ({exc})") from None
                item.setdefault("lang", "en")
                item.setdefault("kind", "plain")
                queries.append(item)
    return queries


def aggregate(rows):
    """Mean metrics over per-query rows, plus n and latency percentiles."""
    out = {"n": len(rows)}
    for metric in METRICS:
        out[metric] = round(statistics.fmean(r[metric] for r in rows), 4) if rows else 0.0
    latencies = [r["latency_ms"] for r in rows]
    out["latency_ms_p50"] = round(percentile(latencies, 50), 2)
    out["latency_ms_p95"] = round(percentile(latencies, 95), 2)
    return out


def evaluate(engine, queries, mode="hybrid", limit=10):
    """Run every query through the engine; return overall, per-language and per-kind metrics and the rows."""
    rows = []
    for item in queries:
        started = time.perf_counter()
        result = engine.search(item["query"], mode=mode, limit=limit)
        latency = (time.perf_counter() - started) * 1000
        ranked = [h.article_id for h in result.hits]
        row = score_query(ranked, set(item["relevant"]))
        row.update(query=item["query"], lang=item["lang"], kind=item["kind"], latency_ms=latency, ranked=ranked[:5],
                   relevant=item["relevant"], product=item.get("product"), twin=item.get("twin"))
        rows.append(row)
    by_lang, by_kind = defaultdict(list), defaultdict(list)
    for row in rows:
        by_lang[row["lang"]].append(row)
        by_kind[row["kind"]].append(row)
    return {"mode": mode, "overall": aggregate(rows),
            "by_lang": {k: aggregate(v) for k, v in sorted(by_lang.items())},
            "by_kind": {k: aggregate(v) for k, v in sorted(by_kind.items())}, "rows": rows}


def format_report(report):
    """A human-readable table of a report."""
    header = f"{'slice':<16}{'n':>5}" + "".join(f"{m:>11}" for m in METRICS) + f"{'p50 ms':>9}{'p95 ms':>9}"
    lines = [f"mode: {report['mode']}", header]

    def line(name, agg):
        return (f"{name:<16}{agg['n']:>5}" + "".join(f"{agg[m]:>11.3f}" for m in METRICS)
                + f"{agg['latency_ms_p50']:>9.1f}{agg['latency_ms_p95']:>9.1f}")

    lines.append(line("all", report["overall"]))
    for name, agg in report["by_lang"].items():
        lines.append(line("lang=" + name, agg))
    for name, agg in report["by_kind"].items():
        lines.append(line("kind=" + name, agg))
    return "\n".join(lines)
