"""Search latency benchmark: warm, in-process, many repetitions; prints median and p95 in milliseconds.

    python bench/search_bench.py --index var/index                 # the sample knowledge base
    python bench/search_bench.py --index var/index --scale 10      # also a 10x copy (built into var/bench)

Measures each search mode, autocomplete, and the API round trip through Flask's test client, over the labelled
queries (each query once per repetition, so no result is served from a cache the next query would not hit).
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def percentiles(samples):
    """(median, p95) of a list of milliseconds."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def timed(fn, items, repeat):
    """Call fn on every item, ``repeat`` times; return the latencies in ms."""
    out = []
    for _ in range(repeat):
        for item in items:
            started = time.perf_counter()
            fn(item)
            out.append((time.perf_counter() - started) * 1000)
    return out


def prefixes(queries):
    """What a consultant types on the way to each query: 2, 4 and 6 characters."""
    return [q[:n] for q in queries for n in (2, 4, 6) if len(q) >= n]


def bench_engine(label, engine, queries, repeat):
    """Print the latency table of one engine."""
    from assist_api import create_app

    client = create_app({"TESTING": True}, engine=engine).test_client()
    rows = []
    for mode in ("hybrid", "lexical", "semantic"):
        rows.append((f"search {mode}", timed(lambda q, m=mode: engine.search(q, mode=m), queries, repeat)))
    rows.append(("autocomplete", timed(engine.autocomplete, prefixes(queries), repeat)))
    rows.append(("API /search (test client)",
                 timed(lambda q: client.get("/api/v1/search", query_string={"q": q}), queries, repeat)))
    print(f"\n{label}: {engine.health()['articles']} articles, {engine.health()['chunks']} chunks")
    print(f"{'operation':<28}{'n':>7}{'median ms':>12}{'p95 ms':>10}")
    for name, samples in rows:
        median, p95 = percentiles(samples)
        print(f"{name:<28}{len(samples):>7}{median:>12.2f}{p95:>10.2f}")
    return rows


def main(argv=None):
    """Run the benchmark."""
    from kb.evaluation import load_queries
    from kb.search.engine import SearchEngine
    from kb.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="var/index")
    parser.add_argument("--queries", default=str(ROOT / "tests" / "queries"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=int, default=0, help="also benchmark an N-times copy of the content")
    parser.add_argument("--content", default="articles")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    queries = [q["query"] for q in load_queries(args.queries)]
    engine = SearchEngine.open(args.index, settings=settings)
    bench_engine("sample knowledge base", engine, queries, args.repeat)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process (one serving worker's engine + model): {rss_mb:.0f} MB")
    if args.scale:
        from indexer import IndexBuilder
        from indexer.scale import scaled_copy

        content = scaled_copy(args.content, ROOT / "var" / "bench" / f"content-x{args.scale}", args.scale)
        index = ROOT / "var" / "bench" / f"index-x{args.scale}"
        # the copies' texts equal the originals', so the sample index's embedding cache serves them
        from dataclasses import replace

        cached = replace(settings, cache_dir=settings.cache_dir or str(Path(args.index) / "cache"))
        IndexBuilder(cached, embedder=engine.embedder).update(content, index)
        big = SearchEngine.open(index, settings=settings, embedder=engine.embedder)
        bench_engine(f"{args.scale}x copy", big, queries, max(1, args.repeat - 1))
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory with both engines open: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
