"""Edit on one replica to searchable on another, through PostgreSQL (the full form of tests/web/test_replicas.py).

    KB_TEST_POSTGRES_URL=postgresql+psycopg://kb:kb@127.0.0.1:5432/kb_test \\
        python bench/replica_bench.py --content articles --replicas 3 --edits 30
        python bench/replica_bench.py --content var/bench/content-x100 --index var/bench/index-x100 --replicas 2

Starts ``--replicas`` gunicorn replicas (``--workers`` each) on 127.0.0.1, each over its own copy of the content
folder and of its index (built once), all on one PostgreSQL schema (emptied first). Each edit is a reviewer's save
of a new article with a new keyword on replica A (round robin over the replicas); the clock runs from the save's
answer until a lexical search for the keyword on the next replica lists the article. Prints the save time (the
answer comes once A's own folder and index show the edit), the edit-to-searchable time on the next replica from
the start of the save, and what it adds after A's answer (the cost of going through the database: B is notified
at the commit and updates while A does). Bounded: ``--edits`` edits, each waited for at most 30 s.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.search_bench import percentiles  # noqa: E402

ARTICLE = """---
id: replica-bench-{n}
title: Replica benchmark article {n}
type: troubleshooting
products: [QN90D*]
categories: [tv]
---

## Answer

Unplug the TV for a minute, then try again. Keyword: {keyword}.
"""


def run(args):
    """Start the replicas, make the edits, return ``(save ms, elsewhere from the start ms, elsewhere after the
    answer ms, missed)``."""
    from kb.embed import make_embedder
    from tests.support import IndexFactory, postgres_url, suite_settings
    from tests.support.replicas import Cluster

    url = postgres_url()
    if url is None:
        raise SystemExit("set KB_TEST_POSTGRES_URL (a PostgreSQL the benchmark may empty a schema of)")
    folder = Path(tempfile.mkdtemp(prefix="replica-bench-"))
    settings = suite_settings()
    indexes = IndexFactory(folder / "indexes", settings, make_embedder(settings))
    if args.index:  # e.g. the 100x copy search_bench.py --scale 100 built: copied per replica, not rebuilt
        indexes.use(Path(args.content), args.index)
    try:
        with Cluster(Path(args.content).resolve(), folder, indexes, url, count=args.replicas, sync_interval=30,
                     writers=1, workers=args.workers) as cluster:
            rounds = [edit(cluster, n) for n in range(args.edits)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    seen = [r for r in rounds if r[1] is not None]
    return ([r[0] for r in rounds], [r[0] + r[1] for r in seen], [r[1] for r in seen], len(rounds) - len(seen))


def edit(cluster, n):
    """One edit on replica ``n`` (round robin), watched on the next one: ``(save ms, ms after the answer or
    None)``."""
    writer, reader = cluster.replicas[n % len(cluster.replicas)], cluster.replicas[(n + 1) % len(cluster.replicas)]
    keyword = f"okapibench{n}x{int(time.time())}"
    started = time.monotonic()
    status, body = writer.call("POST", "/api/v1/articles", {"text": ARTICLE.format(n=n, keyword=keyword)},
                               cluster.reviewer)
    saved = time.monotonic()
    if status not in (200, 201):
        raise SystemExit(f"save {n} on {writer.name}: {status} {body}")
    seen = reader.wait_for(keyword, f"replica-bench-{n}", cluster.reviewer, timeout=30)
    return (saved - started) * 1000, None if seen is None else seen * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default="articles", help="folder of Markdown articles")
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per replica")
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--index", help="an index store of --content built already (default: build one)")
    args = parser.parse_args()
    saves, total, elsewhere, missed = run(args)
    print(f"{args.replicas} replicas x {args.workers} worker(s), {args.edits} edits, content {args.content}")
    for name, samples in (("save on A (answer)", saves), ("searchable on B from the save", total),
                          ("searchable on B after the answer", elsewhere)):
        p50, p95 = percentiles(samples)
        print(f"{name:34s} n={len(samples):3d}  median {p50:7.1f} ms  p95 {p95:7.1f} ms  max {max(samples):7.1f} ms"
              f"  mean {statistics.mean(samples):7.1f} ms")
    print(f"not searchable within 30 s: {missed}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
