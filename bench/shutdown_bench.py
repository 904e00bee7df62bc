"""Gunicorn stop time on SIGTERM, as ``make serve`` starts it, before and after ``server/gunicorn_conf.py``.

    python bench/shutdown_bench.py --index var/index --content articles --runs 3

Before (``--preload`` alone) every stop took 34 s: the forked workers hung at exit in onnxruntime's C++
destructors (``pthread_cond_destroy`` on a condition variable of threads that exist only in the master; seen with
py-spy and gdb) until gunicorn killed them after its 30 s graceful timeout. Prints each stop and the median.
Bounded: at most ``runs`` starts per variant, each stop waited for at most 60 s.
"""

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main(argv=None):
    """Run the benchmark."""
    from tests.support.gunicorn import Gunicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="var/index")
    parser.add_argument("--content", default="articles")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="kb-shutdown-bench-"))
    for name, config in (("before: --preload alone", False), ("after: -c python:server.gunicorn_conf", True)):
        times = []
        for run in range(args.runs):
            server = Gunicorn(Path(args.content).resolve(), Path(args.index).resolve(), folder / f"{config}-{run}",
                              workers=args.workers, config=config).start()
            try:
                seconds, code = server.stop()
            finally:
                server.kill()
            times.append(seconds)
            print(f"{name}: stop {run + 1} took {seconds:.1f} s (exit code {code})", flush=True)
        print(f"{name}: median {statistics.median(times):.1f} s over {len(times)} stops\n", flush=True)


if __name__ == "__main__":
    main()
