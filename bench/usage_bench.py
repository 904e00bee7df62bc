"""Latency with the usage feature on: search and assist with boosts learned from a generated history, against the
same calls without them, interleaved so that both see the same machine load. Prints medians and 95th percentiles.

    python bench/usage_bench.py --index var/index

In-process (the engine, and the assistant as the services wire it) and through the app (``GET /api/v1/search`` and
``POST /api/v1/assist`` with the contact stored and the events logged, SQLite), over the labelled queries.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.search_bench import percentiles, signed_in_client  # noqa: E402


def learned_stats(engine, weeks=8):
    """The feature as learned online over a generated history (``kb.usage_eval``)."""
    from kb.search.usage_prior import UsageConfig
    from kb.usage_eval import WEEK, Behaviour, History, learn

    history = History(engine, Behaviour(weeks=weeks, test_weeks=0))
    shown, signals = history.run(UsageConfig())
    return learn(engine, shown, signals, weeks * WEEK, UsageConfig()), len(shown), len(signals)


def timed_pair(items, off, on, repeat):
    """Latencies of ``off(item)`` and ``on(item)``, called one after the other for every item."""
    a, b = [], []
    for _ in range(repeat):
        for item in items:
            for fn, out in ((off, a), (on, b)):
                started = time.perf_counter()
                fn(item)
                out.append((time.perf_counter() - started) * 1000)
    return a, b


def main(argv=None):
    """Run the benchmark."""
    from kb.assist.assistant import AssistRequest
    from kb.evaluation import load_queries
    from kb.search.engine import SearchEngine
    from kb.settings import Settings
    from server import create_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="var/index")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="kb-usage-bench-")
    settings = Settings.from_env(index_dir=args.index, database_url=f"sqlite:///{tmp}/bench.sqlite3")
    engine = SearchEngine.open(args.index, settings=settings)
    stats, shown, signals = learned_stats(engine)
    app = create_app(settings, engine=engine, testing=True)
    services = app.extensions["kb_services"]
    learning = services.learning
    learning.stats, learning.loaded_at = stats.warm(), time.monotonic() + 10 ** 6  # as a refresh leaves it
    assistant = services.assistant
    assistant.usage = None  # "off" calls run without the feature; "on" calls set it for their duration
    queries = [q["query"] for q in load_queries(ROOT / "tests" / "queries")]
    print(f"feature learned from {shown} result lists and {signals} signals of a generated history; "
          f"{len(queries)} queries x {args.repeat}")

    def with_usage(fn):
        def call(item):
            assistant.usage = learning
            try:
                return fn(item)
            finally:
                assistant.usage = None
        return call

    search = lambda q: assistant.search(q, limit=10)  # noqa: E731 - what GET /search runs
    assist = lambda q: assistant.assist(AssistRequest(body=q, channel="chat"))  # noqa: E731
    boosts_only = lambda q: learning.boosts(q)  # noqa: E731 - the feature's own cost per query
    rows = [("boosts only (the feature's own cost)", *timed_pair(queries, lambda q: None, boosts_only, args.repeat)),
            ("search in-process", *timed_pair(queries, search, with_usage(search), args.repeat)),
            ("assist in-process", *timed_pair(queries, assist, with_usage(assist), args.repeat))]
    client = signed_in_client(app)
    api_search = lambda q: client.get("/api/v1/search", query_string={"q": q})  # noqa: E731
    api_assist = lambda q: client.post("/api/v1/assist", json={"body": q, "channel": "chat"})  # noqa: E731
    rows += [("GET /api/v1/search", *timed_pair(queries, api_search, with_usage(api_search), 1)),
             ("POST /api/v1/assist (stored, logged)", *timed_pair(queries, api_assist, with_usage(api_assist), 1))]
    services.events.flush()
    print(f"{'operation':<38}{'n':>6}{'off p50':>10}{'off p95':>10}{'on p50':>10}{'on p95':>10}")
    for name, off, on in rows:
        (m0, p0), (m1, p1) = percentiles(off), percentiles(on)
        print(f"{name:<38}{len(on):>6}{m0:>10.2f}{p0:>10.2f}{m1:>10.2f}{p1:>10.2f}")


if __name__ == "__main__":
    main()
