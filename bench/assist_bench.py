"""Assist latency benchmark: POST /api/v1/assist through the app with the database and event logging on.

    python bench/assist_bench.py --index var/index

Each labelled query becomes a contact, alone and wrapped in a realistic e-mail (greeting, quoted reply,
signature), so both short chat contacts and long tickets are timed. Prints median and p95 in milliseconds,
in-process (the assistant alone) and through the test client (HTTP handling, JSON, contact stored in SQLite).
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

EMAIL = """Hello,

{query}. I have had the product for about a year and it worked fine until last week. I tried switching it off
and on again and checked the manual but could not find anything that helps. Could you tell me what to do next?
I am at home most days if someone needs to call me back.

Kind regards,
Maria Kowalska
Sent from my phone

> On Tue, Nordiq Support wrote:
> Thank you for your message. Could you give us the model code from the rating plate?
"""


def main(argv=None):
    """Run the benchmark."""
    from dataclasses import replace

    from kb.assist.assistant import AssistRequest
    from kb.evaluation import load_queries
    from kb.search.engine import SearchEngine
    from kb.settings import Settings
    from server import create_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="var/index")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="kb-assist-bench-")
    settings = replace(Settings.from_env(), index_dir=args.index, database_url=f"sqlite:///{tmp}/bench.sqlite3",
                       secret_key="assist-bench-only-secret", login_limit="100000 per minute")
    engine = SearchEngine.open(args.index, settings=settings)
    app = create_app(settings, engine=engine, testing=True)
    client = signed_in_client(app)
    services = app.extensions["kb_services"]
    queries = [q["query"] for q in load_queries(ROOT / "tests" / "queries")]
    contacts = [{"subject": q[:40], "body": q, "channel": "chat"} for q in queries]
    contacts += [{"subject": "Problem with my product", "body": EMAIL.format(query=q), "channel": "email"} for q in queries]
    long_ticket = {"subject": "Long thread", "body": (EMAIL.format(query=queries[0]) * 40)[:20000], "channel": "email"}
    inproc, http = [], []
    for _ in range(args.repeat):
        for contact in contacts:
            started = time.perf_counter()
            services.assistant.assist(AssistRequest(**contact))
            inproc.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.post("/api/v1/assist", json=contact)
            http.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and response.json["stored"], response.json
    longest = []
    client.post("/api/v1/assist", json=long_ticket)  # warm: its words
    for _ in range(20):
        started = time.perf_counter()
        response = client.post("/api/v1/assist", json=long_ticket)
        longest.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.json
    services.events.flush()
    print(f"{len(contacts)} contacts x {args.repeat} ({len(queries)} chat-length, {len(queries)} e-mails with quote and signature)")
    print(f"{'operation':<40}{'n':>7}{'median ms':>12}{'p95 ms':>10}")
    for name, samples in (("assist in-process", inproc), ("POST /api/v1/assist (stored, logged)", http),
                          ("POST /api/v1/assist, 20,000 characters", longest)):
        median, p95 = percentiles(samples)
        print(f"{name:<40}{len(samples):>7}{median:>12.2f}{p95:>10.2f}")
    print(f"events written {services.events.written}, dropped {services.events.dropped}")


if __name__ == "__main__":
    main()
