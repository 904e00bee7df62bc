"""Bounded load test of the gunicorn setup of ``make run``: mixed search / autocomplete / assist / article traffic.

    python bench/load_bench.py --index var/index --content articles                 # 8, 32, 64 clients
    python bench/load_bench.py --index var/index --clients 8 --requests 300 --seconds 20
    python bench/load_bench.py --index var/index --clients 0 --rate 100 --rate 150    # open loop only

Starts gunicorn exactly as ``make serve`` does (``-c python:server.gunicorn_conf``, 2 workers, 127.0.0.1 on a free
port) over private copies of the index store and the content folder, with its own SQLite database and a
consultant's API token. For each number of clients it sends ``--requests`` requests (at most ``--seconds``
seconds): 45 % searches, 30 % autocomplete of a query's first letters, 15 % article pages, 10 % assists of a
contact. Closed-loop phases (8, 32, 64 clients, each waiting for its answer) measure capacity; open-loop phases
(``--rate``: requests start at a fixed rate, latency counted from the scheduled start) measure the latency at a
given load, the figure a target like "100 requests per second at p95 <= 100 ms" is about. Then the same again while
an article is edited and published every second (an ``IndexBuilder`` in this
process updates the store, as ``indexer update`` on the node does; the workers open the new version in the
background). Prints throughput, p50/p95/p99 in ms and errors (any status but 200, or no answer in 30 s), overall
and per kind. Bounded: fixed requests and seconds per phase, loopback only, the server killed at the end.
The client threads run on the same 2 cores as the server, so the figures are a floor.
"""

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.swap_bench import token_for  # noqa: E402

MIX = (("search", 45), ("autocomplete", 30), ("article", 15), ("assist", 10))


def pct(values, q):
    """The q-quantile (0..1) of a list of numbers (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def article_ids(content):
    """Published article ids of a content folder (from the front matter, without parsing it all)."""
    ids = []
    for path in sorted(Path(content).rglob("*.md")):
        head = path.read_text("utf-8", errors="replace")[:2000]
        found = re.search(r"^id:\s*(\S+)", head, re.M)
        if found and not re.search(r"^status:\s*(draft|review|archived)", head, re.M):
            ids.append(found.group(1))
    return ids


def request_for(kind, rng, queries, ids):
    """``(path, body)`` of one request of a kind."""
    query = rng.choice(queries)
    if kind == "search":
        return f"/api/v1/search?q={urllib.parse.quote(query)}", None
    if kind == "autocomplete":
        return f"/api/v1/autocomplete?q={urllib.parse.quote(query[:rng.choice((2, 4, 6))])}", None
    if kind == "article":
        return f"/api/v1/articles/{urllib.parse.quote(rng.choice(ids))}", None
    return "/api/v1/assist", json.dumps({"body": query, "channel": "chat"}).encode()


KINDS = [k for k, w in MIX for _ in range(w)]


def send(url, token, rng, queries, ids):
    """One request of a random kind; ``(kind, status)`` (0 when no answer came)."""
    kind = rng.choice(KINDS)
    path, body = request_for(kind, rng, queries, ids)
    headers = {"Authorization": f"Bearer {token}", **({"Content-Type": "application/json"} if body else {})}
    try:
        with urllib.request.urlopen(urllib.request.Request(url + path, data=body, headers=headers),
                                    timeout=30) as response:
            response.read()
            return kind, response.status
    except OSError as exc:
        return kind, getattr(exc, "code", 0)


def phase(url, token, queries, ids, clients, requests, seconds, seed):
    """Closed loop: ``clients`` threads each send their next request when the last is answered, sharing
    ``requests`` requests and stopping at ``seconds``; returns (samples, wall seconds). Latency here is bounded by
    Little's law (clients / throughput): it measures capacity, not the latency at a given load."""
    samples, lock, left = [], threading.Lock(), [requests]
    deadline = time.monotonic() + seconds

    def client(n):
        rng = random.Random(seed * 1000 + n)
        while time.monotonic() < deadline:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            started = time.monotonic()
            kind, status = send(url, token, rng, queries, ids)
            samples.append((kind, (time.monotonic() - started) * 1000, status))

    return samples, _run(client, clients)


def paced(url, token, queries, ids, rate, requests, seconds, seed, threads=64):
    """Open loop: requests start at a fixed rate (``rate`` per second, evenly spaced), whatever the answers do,
    as many consultants' clicks arrive; each latency counts from the request's scheduled start, so a server that
    falls behind shows it (no coordinated omission). Returns (samples, wall seconds)."""
    total = int(min(requests, rate * seconds))
    samples, lock, nxt = [], threading.Lock(), [0]
    begin = time.monotonic() + 0.05

    def client(n):
        rng = random.Random(seed * 1000 + n)
        while True:
            with lock:
                i = nxt[0]
                nxt[0] += 1
            if i >= total:
                return
            scheduled = begin + i / rate
            time.sleep(max(0.0, scheduled - time.monotonic()))
            kind, status = send(url, token, rng, queries, ids)
            samples.append((kind, (time.monotonic() - scheduled) * 1000, status))

    return samples, _run(client, threads)


def _run(client, n):
    """Run ``client(i)`` in ``n`` threads; the wall seconds until the last one ends."""
    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    begin = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - begin


class Editor:
    """Edits one article and publishes it (an index update) every ``every`` seconds until stopped."""

    def __init__(self, content, index, every=1.0):
        from indexer import IndexBuilder
        from kb.content import article_files
        from kb.settings import Settings

        self.content, self.index, self.every = content, index, every
        self.builder = IndexBuilder(Settings.from_env())
        self.target = article_files(content)[0]
        self.builder.embedder.warm_up()  # the model loaded, as in a running server
        self.builder.warm(content, index)  # the content parsed by a long-lived builder, as in the server
        self.published, self.seconds, self._stop, self.thread = 0, [], threading.Event(), None

    def _run(self):
        i = 0
        while not self._stop.is_set():
            started = time.monotonic()
            i += 1
            self.target.write_text(self.target.read_text("utf-8") + f"\n\nLoad note {i}.\n", "utf-8")
            self.builder.update(self.content, self.index, paths=[self.target])  # told, as the publisher tells it
            self.published += 1
            self.seconds.append(time.monotonic() - started)
            self._stop.wait(max(0.0, self.every - (time.monotonic() - started)))

    def __enter__(self):
        self._stop.clear()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()


def memory(master_pid):
    """``[(pid, role, RSS MB, PSS MB, peak RSS MB)]`` of gunicorn's master and workers (PSS divides the pages the
    preloaded master's fork left in common among the processes that hold them)."""
    pids = [(master_pid, "master")]
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    if children.exists():
        pids += [(int(pid), "worker") for pid in children.read_text().split()]
    out = []
    for pid, role in pids:
        try:
            fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
            fields.update(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
        except OSError:
            continue
        out.append((pid, role, *(int(fields[k].split()[0]) / 1024 for k in ("Rss", "Pss", "VmHWM"))))
    return out


def report(label, samples, wall):
    """Print one phase's line and its per-kind p95."""
    ms = [m for _k, m, _s in samples]
    errors = sum(1 for *_, s in samples if s != 200)
    print(f"{label:<26}{len(samples):>6}{wall:>7.1f}{len(samples) / wall:>8.1f}{pct(ms, .5):>8.0f}{pct(ms, .95):>8.0f}"
          f"{pct(ms, .99):>8.0f}{errors:>7}   " + "  ".join(
              f"{k} {pct([m for kk, m, _ in samples if kk == k], .95):.0f}" for k, _w in MIX), flush=True)
    return {"requests": len(samples), "seconds": wall, "rps": len(samples) / wall, "p50": pct(ms, .5),
            "p95": pct(ms, .95), "p99": pct(ms, .99), "errors": errors}


def main(argv=None):
    """Run the benchmark."""
    from tests.support.gunicorn import Gunicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="var/index")
    parser.add_argument("--content", default="articles")
    parser.add_argument("--clients", type=int, action="append", help="concurrent clients (repeat); 8, 32, 64")
    parser.add_argument("--rate", type=float, action="append",
                        help="open-loop phases at this many requests per second (repeat); 100")
    parser.add_argument("--requests", type=int, default=1500, help="requests per phase")
    parser.add_argument("--seconds", type=float, default=60, help="at most this long per phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (make run: 2)")
    parser.add_argument("--no-edits", action="store_true", help="skip the phases with an edit every second")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    queries = [json.loads(line)["query"] for path in sorted((ROOT / "tests" / "queries").glob("*.jsonl"))
               for line in path.read_text("utf-8").splitlines() if line.strip()]
    folder = Path(tempfile.mkdtemp(prefix="kb-load-bench-"))
    index = Path(args.index).resolve()
    content = shutil.copytree(Path(args.content).resolve(), folder / "content")
    store = shutil.copytree(index, folder / "index", ignore=shutil.ignore_patterns("cache", "*.lock"))
    cache = os.environ.get("KB_CACHE_DIR") or str(index / "cache")
    os.environ.pop("KB_CACHE_DIR", None)
    server = Gunicorn(content, store, folder / "run", workers=args.workers)
    server.env["KB_CACHE_DIR"] = os.environ["KB_CACHE_DIR"] = cache  # the editor's cache too
    token = token_for(server.env, str(ROOT))
    server.start()
    ids, results = article_ids(content), {}
    try:
        print(f"{'phase':<26}{'reqs':>6}{'sec':>7}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>7}"
              "   p95 by kind (ms)")
        phases = [(f"{c} clients", phase, c) for c in args.clients or [8, 32, 64] if c > 0]
        phases += [(f"{r:g} req/s offered", paced, r) for r in args.rate or [100] if r > 0]
        for label, run, load in phases:
            samples, wall = run(server.url, token, queries, ids, load, args.requests, args.seconds, int(load))
            results[label] = report(label, samples, wall)
        if not args.no_edits:
            editor = Editor(content, store)
            for label, run, load in phases:
                with editor:
                    samples, wall = run(server.url, token, queries, ids, load, args.requests, args.seconds,
                                        int(load) + 1)
                results[f"{label} + edits"] = report(f"{label} + edits", samples, wall)
            print(f"edits published: {editor.published}, update median {pct(editor.seconds, .5):.2f} s, "
                  f"p95 {pct(editor.seconds, .95):.2f} s")
        for pid, role, rss, pss, peak in memory(server.process.pid):
            print(f"{role} {pid}: RSS {rss:.0f} MB, PSS {pss:.0f} MB, peak RSS {peak:.0f} MB")
    finally:
        server.kill()
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
