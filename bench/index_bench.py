"""Index build benchmark: full build and incremental update, on the sample knowledge base and a scaled copy.

    python bench/index_bench.py                 # sample (cold embedding cache) + 10x copy (warm cache)
    python bench/index_bench.py --scale 0       # sample only
    python bench/index_bench.py --updates-only --index var/index --baseline main   # edit-to-searchable, ratios

Prints articles/s, chunks/s embedded, peak RSS of the build process, index size on disk, and the
update-to-searchable time (edit one article, update, refresh the engine, find the new word) as median and p95;
the builder is told the edited file, as the server's publisher tells it (``--walk``: it walks the folder, as
``python -m server update`` after a git pull does).
The builder and the engine stay open between edits, as in the server, where the gunicorn master parses the content
folder once and freezes the heap before the workers fork (``server/wsgi.py``): the bench does the same before the
first edit, which is reported apart. ``--updates-only`` copies an existing index store (``--index``, and the
scaled copies of ``--bench-dir`` that ``search_bench.py --scale N`` made) instead of building; ``--baseline REF``
first runs this script over ``git archive REF`` and prints ``p95 before / p95 now``.
"""

import argparse
import gc
import json
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


def update_to_searchable(content, index, runs, walk=False):
    """(first edit's seconds, median, p95) from saving an edited article to finding its new word (warm model, open
    engine, one builder kept between edits). The builder is told the file, as the server's publisher tells it
    what it wrote, unless ``walk`` (as ``server update`` after a git pull: it walks the folder); code from before
    builders could be told (a ``--baseline``) walks."""
    from indexer import IndexBuilder
    from kb.content import Content, article_files
    from kb.search.engine import SearchEngine
    from kb.settings import Settings

    settings = Settings.from_env()
    engine = SearchEngine.open(index, settings=settings)
    builder = IndexBuilder(settings, embedder=engine.embedder)
    target = article_files(content)[0]
    told = not walk and _can_be_told()
    if hasattr(builder, "warm"):  # as the server's gunicorn master does, then freezes the heap
        builder.warm(content, index)
    else:
        Content.load(content, cache=builder.parsed)
    gc.collect()
    gc.freeze()
    samples = []
    for i in range(runs + 1):
        word = f"zebraword{i}x{int(time.time())}"
        target.write_text(target.read_text("utf-8") + f"\n\nNote {word}.\n", "utf-8")
        started = time.perf_counter()
        builder.update(content, index, **({"paths": [target]} if told else {}))
        engine.refresh()
        found = engine.search(word, mode="lexical").hits
        samples.append(time.perf_counter() - started)
        assert found, "the edited article must be searchable"
    first, rest = samples[0], sorted(samples[1:])
    return first, statistics.median(rest), rest[min(len(rest) - 1, int(0.95 * len(rest)))]


def _can_be_told():
    """Whether this checkout's builder can be told the files an update must read (a ``--baseline`` may not)."""
    import inspect

    from indexer import IndexBuilder

    return "paths" in inspect.signature(IndexBuilder.update).parameters


def copy_store(index, dst):
    """A private copy of an index store (its embedding cache stays where it is)."""
    shutil.copytree(index, dst, ignore=shutil.ignore_patterns("cache", "*.lock"))
    return dst


def updates_only(args, work):
    """Edit-to-searchable over copies of existing stores: ``{label: [first, median, p95]}``."""
    cache = Path(args.cache or Path(args.index) / "cache").resolve()
    os.environ["KB_CACHE_DIR"] = str(cache)
    out = {}
    pairs = [("sample", Path(args.content), Path(args.index))]
    for scale in args.scales:
        bench_dir = Path(args.bench_dir)
        pairs.append((f"{scale}x", bench_dir / f"content-x{scale}", bench_dir / f"index-x{scale}"))
    for label, content, index in pairs:
        if not index.exists():
            print(f"{label}: no index at {index} (run search_bench.py --scale N first); skipped")
            continue
        shutil.copytree(content, work / f"content-{label}")
        copy_store(index, work / f"index-{label}")
        out[label] = update_to_searchable(work / f"content-{label}", work / f"index-{label}", args.runs, args.walk)
        first, median, p95 = out[label]
        how = "told the file" if _can_be_told() and not args.walk else "walking the folder"
        print(f"update-to-searchable, {label}, {how}, {args.runs} edits: median {median:.2f} s, p95 {p95:.2f} s "
              f"(first edit of the process {first:.2f} s)", flush=True)
    return out


def baseline(args, ref):
    """Run this script over ``git archive ref`` with the same arguments; return its figures."""
    work = Path(tempfile.mkdtemp(prefix="kb-index-baseline-"))
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
        shutil.copyfile(__file__, work / "bench" / "index_bench.py")
        (work / "var").mkdir(exist_ok=True)
        (work / "var" / "models").symlink_to((ROOT / "var" / "models").resolve())
        out = work / "figures.json"
        cmd = [sys.executable, str(work / "bench" / "index_bench.py"), "--updates-only", "--runs", str(args.runs),
               "--index", str(Path(args.index).resolve()), "--content", str(Path(args.content).resolve()),
               "--bench-dir", str(Path(args.bench_dir).resolve()), "--json", str(out),
               *[f"--scales={s}" for s in args.scales], *(["--walk"] if args.walk else []),
               *(["--cache", str(Path(args.cache).resolve())] if args.cache else [])]
        print(f"== baseline: {ref} ==", flush=True)
        subprocess.run(cmd, check=True, cwd=work)
        return json.loads(out.read_text())
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None):
    """Run the benchmark."""
    from indexer.scale import scaled_copy

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "articles"))
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--updates-only", action="store_true", help="only edit-to-searchable, over copies of --index")
    parser.add_argument("--index", default=str(ROOT / "var" / "index"))
    parser.add_argument("--cache", help="embedding cache folder (default: the index store's)")
    parser.add_argument("--bench-dir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--scales", type=int, action="append", help="scaled copies to update (repeat); default 10")
    parser.add_argument("--baseline", help="git ref whose code runs first, for ratios (with --updates-only)")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--walk", action="store_true",
                        help="updates walk the folder (as server update does) instead of being told the file")
    args = parser.parse_args(argv)
    args.scales = args.scales or [10]
    work = Path(tempfile.mkdtemp(prefix="kb-index-bench-"))
    try:
        if args.updates_only:
            before = baseline(args, args.baseline) if args.baseline else None
            if before is not None:
                print("\n== this checkout ==", flush=True)
            now = updates_only(args, work)
            if args.json:
                Path(args.json).write_text(json.dumps(now))
            if before:
                print(f"\n{'edit-to-searchable':<12}{'med before':>11}{'med now':>9}{'p95 before':>11}{'p95 now':>9}"
                      f"{'p95 ratio':>10}")
                for label, (_first, median, p95) in now.items():
                    if label in before:
                        b = before[label]
                        print(f"{label:<12}{b[1]:>11.2f}{median:>9.2f}{b[2]:>11.2f}{p95:>9.2f}{b[2] / p95:>10.2f}")
            return
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
        first, median, p95 = update_to_searchable(content, work / "index", args.runs)
        print(f"\nupdate-to-searchable, sample, {args.runs} edits: median {median:.2f} s, p95 {p95:.2f} s "
              f"(first edit {first:.2f} s)")
        if args.scale:
            first, median, p95 = update_to_searchable(big, work / "index-big", args.runs)
            print(f"update-to-searchable, {args.scale}x copy, {args.runs} edits: median {median:.2f} s, "
                  f"p95 {p95:.2f} s "
                  f"(first edit {first:.2f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
