"""Search latency benchmark: warm, in-process, many repetitions; prints median and p95 in milliseconds.

    python bench/search_bench.py --index var/index                          # the sample knowledge base
    python bench/search_bench.py --index var/index --scale 10               # also a 10x copy (built into var/bench)
    python bench/search_bench.py --index var/index --scale 10 --baseline main   # and main's code, same run, ratios

Measures each search mode, autocomplete, and the API round trip through Flask's test client, warm (one untimed
pass first reads each query word's postings, as a serving worker has after its first requests), over the labelled
queries (each query once per repetition, so no result is served from a cache the next query would not hit), and
the time to open an index version. ``--baseline REF`` first runs this same script over ``git archive REF`` (the
same index, the same copies) and then prints, per row, this code's figures and ``p95 before / p95 now``.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def api_client(engine, folder):
    """A Flask test client of the whole app over ``engine``, with a consultant's API token (own SQLite file)."""
    from server import create_app

    settings = engine.settings.__class__.from_env(index_dir=str(engine.store.root),
                                                  database_url=f"sqlite:///{folder}/bench.sqlite3")
    return signed_in_client(create_app(settings, engine=engine, testing=True))


def signed_in_client(app):
    """A test client of ``app`` sending a consultant's API token (made in the benchmark's own database)."""
    from services import accounts

    with app.extensions["kb_services"].database.begin() as conn:
        user_id = accounts.create_user(conn, "bench", "bench-password-1", "consultant")
        _, token = accounts.create_token(conn, user_id, "bench")
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def open_seconds(engine, runs=3):
    """Seconds to open the engine's current version again (what a worker pays at every publish)."""
    from kb.search.version import IndexVersion

    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        IndexVersion.open(engine.store.current_path(), engine.embedder)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def bench_engine(label, engine, queries, repeat, folder):
    """Print the latency table of one engine; return ``{operation: (n, median, p95)}``."""
    client = api_client(engine, folder)
    for query in queries:  # warm: each term's postings are read once per version, as a serving worker does
        engine.search(query)
    rows = []
    for mode in ("hybrid", "lexical", "semantic"):
        rows.append((f"search {mode}", timed(lambda q, m=mode: engine.search(q, mode=m), queries, repeat)))
    rows.append(("autocomplete", timed(engine.autocomplete, prefixes(queries), repeat)))
    rows.append(("API /search (test client)",
                 timed(lambda q: client.get("/api/v1/search", query_string={"q": q}), queries, repeat)))
    rows.append(("open a version", open_seconds(engine)))
    print(f"\n{label}: {engine.health()['articles']} articles, {engine.health()['chunks']} chunks")
    print(f"{'operation':<28}{'n':>7}{'median ms':>12}{'p95 ms':>10}")
    out = {}
    for name, samples in rows:
        median, p95 = percentiles(samples)
        out[name] = (len(samples), median, p95)
        print(f"{name:<28}{len(samples):>7}{median:>12.2f}{p95:>10.2f}")
    return out


def run(args):
    """Benchmark this checkout's code; return ``{table label: {operation: (n, median, p95)}}``."""
    from dataclasses import replace

    from kb.evaluation import load_queries
    from kb.search.engine import SearchEngine
    from kb.settings import Settings

    settings = Settings.from_env()
    queries = [q["query"] for q in load_queries(args.queries)]
    folder = Path(tempfile.mkdtemp(prefix="kb-search-bench-"))
    tables = {}
    engine = SearchEngine.open(args.index, settings=settings)
    tables["sample"] = bench_engine("sample knowledge base", engine, queries, args.repeat, folder / "a")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process (one serving worker's engine + model): {rss_mb:.0f} MB")
    if args.scale:
        from indexer import IndexBuilder
        from indexer.scale import scaled_copy

        bench_dir = Path(args.bench_dir)
        content = bench_dir / f"content-x{args.scale}"
        if not content.exists():
            scaled_copy(args.content, content, args.scale)
        index = bench_dir / f"index-x{args.scale}"
        # the copies' texts equal the originals', so the sample index's embedding cache serves them
        cached = replace(settings, cache_dir=settings.cache_dir or str(Path(args.index) / "cache"))
        IndexBuilder(cached, embedder=engine.embedder).update(content, index)
        big = SearchEngine.open(index, settings=settings, embedder=engine.embedder)
        tables[f"{args.scale}x"] = bench_engine(f"{args.scale}x copy", big, queries, max(1, args.repeat - 1),
                                                folder / "b")
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory with both engines open: {rss_mb:.0f} MB")
    return tables


def baseline(args, ref):
    """Run this script over ``git archive ref`` (same index, copies and cache); return its tables."""
    work = Path(tempfile.mkdtemp(prefix="kb-search-baseline-"))
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
        shutil.copyfile(__file__, work / "bench" / "search_bench.py")
        (work / "var").mkdir(exist_ok=True)
        (work / "var" / "models").symlink_to((ROOT / "var" / "models").resolve())
        out = work / "tables.json"
        cmd = [sys.executable, str(work / "bench" / "search_bench.py"), "--index", str(Path(args.index).resolve()),
               "--queries", str(Path(args.queries).resolve()), "--repeat", str(args.repeat), "--scale",
               str(args.scale), "--content", str(Path(args.content).resolve()), "--bench-dir",
               str(Path(args.bench_dir).resolve()), "--json", str(out)]
        print(f"== baseline: {ref} ==", flush=True)
        subprocess.run(cmd, check=True, cwd=work)
        return json.loads(out.read_text())
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compare(before, now, ref):
    """Print each row's median and p95 before and now, with the p95 ratio (before / now: above 1 is faster)."""
    print(f"\n== {ref} -> this checkout (ratio = before / now, above 1 is faster) ==")
    print(f"{'table':<8}{'operation':<28}{'med before':>11}{'med now':>9}{'p95 before':>11}{'p95 now':>9}"
          f"{'p95 ratio':>10}")
    for label, rows in now.items():
        for name, (_n, median, p95) in rows.items():
            old = before.get(label, {}).get(name)
            if old:
                print(f"{label:<8}{name:<28}{old[1]:>11.2f}{median:>9.2f}{old[2]:>11.2f}{p95:>9.2f}"
                      f"{old[2] / p95 if p95 else 0:>10.2f}")


def main(argv=None):
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="var/index")
    parser.add_argument("--queries", default=str(ROOT / "tests" / "queries"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=int, default=0, help="also benchmark an N-times copy of the content")
    parser.add_argument("--content", default="articles")
    parser.add_argument("--bench-dir", default=str(ROOT / "var" / "bench"), help="where the scaled copies live")
    parser.add_argument("--baseline", help="git ref whose code runs first, for ratios")
    parser.add_argument("--json", help="write the tables to this file")
    args = parser.parse_args(argv)
    before = baseline(args, args.baseline) if args.baseline else None
    if before is not None:
        print("\n== this checkout ==", flush=True)
    tables = run(args)
    if args.json:
        Path(args.json).write_text(json.dumps(tables))
    if before is not None:
        compare(before, tables, args.baseline)


if __name__ == "__main__":
    main()
