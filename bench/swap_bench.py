"""Search latency under load while new index versions are published, before and after the background open.

    python bench/swap_bench.py --index var/index --content articles --code /path/to/old/checkout --code .

For each ``--code`` checkout: gunicorn (2 workers, as ``make serve``) over a private copy of the index store, in
which a second version (a copy of the current one) lets ``current`` be flipped every ``--every`` seconds, each flip
being a new version every worker must open. ``--clients`` threads send searches for ``--seconds`` seconds. Prints
median and p95 of requests in the ``--window`` seconds after each flip and of the others. Before: the first
request a worker served after a flip opened the new version itself (~1 s, more under load). Bounded: a fixed
duration, each request waited for at most 30 s, the server killed at the end.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
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

from bench.search_bench import percentiles  # noqa: E402


def private_store(index, folder):
    """A copy of the index store with its current version twice (two names): ``(store, [name a, name b])``."""
    store = folder / "index"
    shutil.copytree(index, store, ignore=shutil.ignore_patterns("cache", "*.lock", "applied-change"))
    current = (store / "current").read_text().strip()
    twin = current + "-twin"
    shutil.copytree(store / "versions" / current, store / "versions" / twin)
    return store, [current, twin]


def flip(store, name):
    """Point ``current`` at ``name`` atomically, as a build does."""
    tmp = store / ".current.bench.tmp"
    tmp.write_text(name + "\n")
    os.replace(tmp, store / "current")


def token_for(server_env, code):
    """A consultant's API token in the server's database (made with ``python -m server``)."""
    run = dict(cwd=code, env=server_env, capture_output=True, text=True, timeout=120, check=True)
    subprocess.run([sys.executable, "-m", "server", "users", "add", "bench", "--role", "consultant",
                    "--password-stdin"], input="a bench password\n", **run)
    out = subprocess.run([sys.executable, "-m", "server", "tokens", "create", "bench", "bench"], **run).stdout
    return out.split(": ", 1)[1].split()[0]


def load(url, token, queries, seconds, clients):
    """``clients`` threads searching for ``seconds``; returns ``[(start time, ms, status)]``."""
    samples, stop = [], time.monotonic() + seconds

    def client(seed):
        rng = random.Random(seed)
        while time.monotonic() < stop:
            q = urllib.parse.quote(rng.choice(queries))
            request = urllib.request.Request(f"{url}/api/v1/search?q={q}", headers={"Authorization": f"Bearer {token}"})
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status = response.status
            except OSError as exc:
                status = getattr(exc, "code", 0)
            samples.append((started, (time.monotonic() - started) * 1000, status))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples


def run(code, args, queries):
    """One checkout: start, load while flipping, report."""
    from tests.support.gunicorn import Gunicorn

    folder = Path(tempfile.mkdtemp(prefix="kb-swap-bench-"))
    store, names = private_store(Path(args.index).resolve(), folder)
    config = (Path(code) / "server" / "gunicorn_conf.py").exists()
    server = Gunicorn(Path(args.content).resolve(), store, folder / "run", config=config, code=code)
    token = token_for(server.env, code)
    server.start()
    flips = []
    try:
        def flipper():
            begin = time.monotonic()
            i = 0
            while time.monotonic() - begin < args.seconds - args.every:
                time.sleep(args.every)
                i += 1
                flips.append(time.monotonic())
                flip(store, names[i % 2])

        thread = threading.Thread(target=flipper)
        thread.start()
        samples = load(server.url, token, queries, args.seconds, args.clients)
        thread.join()
    finally:
        server.kill()
    after = [ms for t, ms, _ in samples if any(0 <= t - f < args.window for f in flips)]
    steady = [ms for t, ms, _ in samples if not any(0 <= t - f < args.window for f in flips)]
    errors = sum(1 for *_, status in samples if status != 200)
    print(f"{code}: {len(samples)} searches, {len(flips)} new versions, {errors} errors", flush=True)
    for name, values in (("steady", steady), (f"within {args.window:g} s of a new version", after)):
        if values:
            p50, p95 = percentiles(values)
            print(f"  {name}: {len(values)} requests, median {p50:.0f} ms, p95 {p95:.0f} ms, max {max(values):.0f} ms",
                  flush=True)


def main(argv=None):
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="var/index")
    parser.add_argument("--content", default="articles")
    parser.add_argument("--code", action="append", help="checkout to serve (repeat for before/after)")
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--every", type=float, default=5, help="seconds between new versions")
    parser.add_argument("--window", type=float, default=3, help="seconds after a new version counted as 'after'")
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args(argv)
    queries = [json.loads(line)["query"] for path in sorted((ROOT / "tests" / "queries").glob("*.jsonl"))
               for line in path.read_text("utf-8").splitlines() if line.strip()]
    for code in args.code or [str(ROOT)]:
        run(str(Path(code).resolve()), args, queries)


if __name__ == "__main__":
    main()
