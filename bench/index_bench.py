"""Index build benchmark: full build and incremental update, on the sample knowledge base and a scaled copy.

    python bench/index_bench.py                 # sample (cold embedding cache) + 10x copy (warm cache)
    python bench/index_bench.py --scale 0       # sample only

Prints articles/s, chunks/s embedded, peak RSS of the build process, index size on disk, and the
update-to-searchable time (edit one article, update, refresh the engine, find the new word) as median and p95.
"""

import argparse
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


def du(path):
    """Bytes on disk under a folder."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def build_subprocess(content, index, cache):
    """Run ``python -m indexer build`` in a child; return (summary line, seconds, child's peak RSS in MB)."""
    env = dict(os.environ, KB_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "indexer", "build", "--content", str(content), "--index", str(index),
                          "--quiet"], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return out.stdout.strip().splitlines()[-1], seconds, max(peak, before) / 1024


def parse_counts(summary):
    """articles, chunks, embedded from the indexer's summary line."""
    words = summary.replace(",", "").split()
    return int(words[1]), int(words[3]), int(words[5])


def report_build(label, content, index, cache):
    """Build once in a child process and print its figures."""
    summary, seconds, rss = build_subprocess(content, index, cache)
    articles, chunks, embedded = parse_counts(summary)
    from kb.index.store import IndexStore

    size = du(IndexStore(index).current_path()) / 1e6
    print(f"{label:<34}{articles:>7}{chunks:>8}{embedded:>9}{seconds:>9.1f}{articles / seconds:>11.1f}"
          f"{(embedded / seconds if embedded else 0):>12.1f}{rss:>9.0f}{size:>9.1f}")


def update_to_searchable(content, index, runs):
    """Median and p95 seconds from saving an edited article to finding its new word (warm model, open engine)."""
    from indexer import IndexBuilder
    from kb.content import article_files
    from kb.search.engine import SearchEngine
    from kb.settings import Settings

    settings = Settings.from_env()
    engine = SearchEngine.open(index, settings=settings)
    builder = IndexBuilder(settings, embedder=engine.embedder)
    target = article_files(content)[0]
    samples = []
    for i in range(runs):
        word = f"zebraword{i}x{int(time.time())}"
        target.write_text(target.read_text("utf-8") + f"\n\nNote {word}.\n", "utf-8")
        started = time.perf_counter()
        builder.update(content, index)
        engine.refresh()
        found = engine.search(word, mode="lexical").hits
        samples.append(time.perf_counter() - started)
        assert found, "the edited article must be searchable"
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def main(argv=None):
    """Run the benchmark."""
    from indexer.scale import scaled_copy

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "articles"))
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kb-index-bench-"))
    try:
        content = work / "content"
        shutil.copytree(args.content, content)
        print(f"{'build':<34}{'arts':>7}{'chunks':>8}{'embedded':>9}{'sec':>9}{'arts/s':>11}{'chunks/s emb':>12}"
              f"{'RSS MB':>9}{'size MB':>9}")
        report_build("sample, cold embedding cache", content, work / "index", work / "cache")
        report_build("sample, warm cache (rebuild)", content, work / "index", work / "cache")
        if args.scale:
            big = scaled_copy(content, work / f"content-x{args.scale}", args.scale)
            report_build(f"{args.scale}x copy, warm cache", big, work / "index-big", work / "cache")
        os.environ["KB_CACHE_DIR"] = str(work / "cache")
        median, p95 = update_to_searchable(content, work / "index", args.runs)
        print(f"\nupdate-to-searchable, sample, {args.runs} edits: median {median:.2f} s, p95 {p95:.2f} s")
        if args.scale:
            median, p95 = update_to_searchable(big, work / "index-big", args.runs)
            print(f"update-to-searchable, {args.scale}x copy, {args.runs} edits: median {median:.2f} s, p95 {p95:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
