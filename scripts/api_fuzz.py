"""The full schemathesis run over the API's OpenAPI document (the suite runs a bounded one: tests/api/test_fuzz.py).

    python scripts/api_fuzz.py --examples 100 --role admin --role consultant --role none

Builds an app over a private copy of the fixture knowledge base (real indexes, real model, its own SQLite), then
sends generated requests (valid and, in negative mode, invalid) to every operation with each role's token, plus
every undocumented method. Prints the statuses seen and every response that is a 5xx, a status the operation does
not document, or a 405 without Allow; exits 1 when there is any. Bounded by ``--examples`` per operation and mode.
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


def main(argv=None):
    """Run the fuzzing; returns the exit code."""
    from kb.embed import make_embedder
    from tests.support import IndexFactory, bearer, close_app, make_app, suite_settings
    from tests.support.fuzz import fuzz

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="examples per operation and generation mode")
    parser.add_argument("--role", action="append", help="a role's token, or 'none' (repeat; default admin, none)")
    parser.add_argument("--seed", type=int, default=None, help="fixed seed (default: random each run)")
    args = parser.parse_args(argv)
    settings = suite_settings()
    folder = Path(tempfile.mkdtemp(prefix="kb-api-fuzz-"))
    app = make_app(folder / "app", IndexFactory(folder / "indexes", settings, make_embedder(settings).warm_up()),
                   testing=False)
    problems = 0
    try:
        for role in args.role or ["admin", "none"]:
            started = time.perf_counter()
            report = fuzz(app, {} if role == "none" else bearer(app, role), args.examples, seed=args.seed)
            print(f"{role}: {report.summary()} in {time.perf_counter() - started:.0f} s", flush=True)
            for line in sorted(set(report.problems)):
                print("  " + line)
            problems += len(report.problems)
    finally:
        close_app(app)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
