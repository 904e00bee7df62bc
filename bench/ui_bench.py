"""Keystroke-to-paint benchmark in a real browser (Debian's chromium via Playwright).

    python bench/ui_bench.py --index var/index --queries 100

Serves the app on 127.0.0.1, types each labelled query into the console at a consultant's pace, and measures,
inside the page, from the last keystroke's input event to the frame after the results for that exact query are
in the DOM (the console sets ``window.__kbPainted`` in a requestAnimationFrame callback). Prints median and p95.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

RECORD_KEYSTROKES = """
window.__kbKeys = [];
document.addEventListener('input', (e) => { window.__kbKeys.push({t: performance.now(), v: e.target.value}); }, true);
"""


def main(argv=None):
    """Run the benchmark."""
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from assist_api import create_app
    from kb.evaluation import load_queries
    from kb.search.engine import SearchEngine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="var/index")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--key-delay", type=int, default=60, help="milliseconds between keystrokes")
    args = parser.parse_args(argv)
    engine = SearchEngine.open(args.index)
    db = f"sqlite:///{tempfile.mkdtemp(prefix='kb-ui-bench-')}/bench.sqlite3"
    app = create_app({"KB_SETTINGS": {"database_url": db}}, engine=engine)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    queries = [q["query"] for q in load_queries(ROOT / "tests" / "queries")][: args.queries]
    samples = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=True).new_page()
        page.add_init_script(RECORD_KEYSTROKES)
        page.goto(base + "/")
        for query in queries:
            page.fill("#q", "")
            page.wait_for_function("!window.__kbPainted || document.querySelectorAll('#results .result').length === 0")
            page.evaluate("window.__kbKeys = []")
            page.type("#q", query, delay=args.key_delay)
            page.wait_for_function("q => window.__kbPainted && window.__kbPainted.q === q", arg=query, timeout=10_000)
            last_key = page.evaluate("window.__kbKeys.filter(k => k.v === document.getElementById('q').value).pop().t")
            samples.append(page.evaluate("window.__kbPainted.t") - last_key)
        browser.close()
    server.shutdown()
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
    print(f"keystroke-to-paint over {len(samples)} queries typed at {args.key_delay} ms per key "
          f"(debounce included): median {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms, max {samples[-1]:.1f} ms")


if __name__ == "__main__":
    main()
