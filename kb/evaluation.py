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


def group_of(engine, article_id):
    """The translation group of an article (an article and its translations answer the same question)."""
    record = engine.version.articles.get(article_id)
    return record.get("group", article_id) if record else article_id


def judged(engine, item, ranked):
    """Ranked ids and relevant ids as compared: by translation group, or by article when a language filter asks
    for one language (a cross-lingual query must find that language's article)."""
    if item.get("filter_lang"):
        by_group = {}
        for aid, rec in engine.version.articles.items():
            by_group.setdefault((rec.get("group", aid), rec["lang"]), aid)
        relevant = {by_group.get((group_of(engine, r), item["filter_lang"])) for r in item["relevant"]} - {None}
        return ranked, relevant
    groups = list(dict.fromkeys(group_of(engine, a) for a in ranked))  # one place per group
    return groups, {group_of(engine, r) for r in item["relevant"]}


def cross_lingual(engine, queries):
    """For each answerable query, the same query restricted to the other language's article (when one exists):
    an English question must find the Polish article and the reverse."""
    groups = {}
    for aid, rec in engine.version.articles.items():
        groups.setdefault(rec.get("group", aid), set()).add(rec["lang"])
    out = []
    for item in queries:
        other = "en" if item.get("lang") == "pl" else "pl"
        if item["relevant"] and all(other in groups.get(group_of(engine, r), ()) for r in item["relevant"]):
            out.append({**item, "filter_lang": other, "kind": f"cross-{item.get('lang', 'en')}-to-{other}"})
    return out


def run_hits(engine, item, mode, limit, filters):
    """The hits for a labelled item: a query goes to the search box, an e-mail to the ticket path."""
    if item.get("kind") == "email" or len(item["query"]) > engine.settings.max_query_length:
        from kb.assist.assistant import Assistant

        result, _ = Assistant(engine, calibrator=False).retrieve(item["query"], lang=item.get("lang"), limit=limit,
                                                                mode=mode, **filters)
    else:
        result = engine.search(item["query"], mode=mode, limit=limit, **filters)
    return result.hits


def run_query(engine, item, mode, limit, filters):
    """Ranked article ids for a labelled item."""
    return [h.article_id for h in run_hits(engine, item, mode, limit, filters)]


def evaluate(engine, queries, mode="hybrid", limit=10):
    """Run every answerable query through the engine; return overall, per-language and per-kind metrics and rows.

    Queries with no relevant article (the knowledge base has no answer) are left to the confidence report.
    """
    rows = []
    for item in queries:
        if not item["relevant"]:
            continue
        started = time.perf_counter()
        filters = {"lang": item["filter_lang"]} if item.get("filter_lang") else {}
        ids = run_query(engine, item, mode, limit, filters)
        latency = (time.perf_counter() - started) * 1000
        ranked, relevant = judged(engine, item, ids)
        row = score_query(ranked, relevant)
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
