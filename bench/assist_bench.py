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

from bench.search_bench import percentiles  # noqa: E402

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
    from assist_api import create_app
    from kb.assist.assistant import AssistRequest
    from kb.evaluation import load_queries
    from kb.search.engine import SearchEngine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="var/index")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    engine = SearchEngine.open(args.index)
    tmp = tempfile.mkdtemp(prefix="kb-assist-bench-")
    app = create_app({"TESTING": True, "KB_SETTINGS": {"database_url": f"sqlite:///{tmp}/bench.sqlite3"}}, engine=engine)
    client = app.test_client()
    services = app.extensions["kb_services"]
    queries = [q["query"] for q in load_queries(ROOT / "tests" / "queries")]
    contacts = [{"subject": q[:40], "body": q, "channel": "chat"} for q in queries]
    contacts += [{"subject": "Problem with my product", "body": EMAIL.format(query=q), "channel": "email"} for q in queries]
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
    services.events.flush()
    print(f"{len(contacts)} contacts x {args.repeat} ({len(queries)} chat-length, {len(queries)} e-mails with quote and signature)")
    print(f"{'operation':<40}{'n':>7}{'median ms':>12}{'p95 ms':>10}")
    for name, samples in (("assist in-process", inproc), ("POST /api/v1/assist (stored, logged)", http)):
        median, p95 = percentiles(samples)
        print(f"{name:<40}{len(samples):>7}{median:>12.2f}{p95:>10.2f}")
    print(f"events written {services.events.written}, dropped {services.events.dropped}")


if __name__ == "__main__":
    main()
