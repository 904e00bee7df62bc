"""Embedding speed and agreement: sentence-transformers on torch against the ONNX Runtime variants.

Run from the project root (the model is loaded from its folder, offline)::

    .venv/bin/python bench/embed_bench.py             # 512 chunks, every variant: about 4 minutes on 2 cores
    .venv/bin/python bench/embed_bench.py --quick     # the baseline and the four ONNX variants only

What it measures, warm (one throw-away encode first), for each variant:

* build throughput: chunks/s encoding ``--texts`` real chunk texts (the indexer's ``embed_text``: title,
  heading and section body of the articles in ``articles/``, spread evenly over all chunks), in calls
  of 256 texts as the indexer makes them; ``best`` is the rate of the fastest call, the least disturbed.
* single-query latency, p50 and p95 over ``--queries`` labelled queries of ``tests/queries``.
* agreement with the baseline: mean and minimum cosine of the chunk vectors, and for ``--overlap``
  queries the share of the baseline's top-10 chunks found in the variant's top 10, and how often the
  top-1 chunk is the same, each variant searching its own chunk vectors with its own query vectors.

The baseline is plain sentence-transformers as the project runs it: torch, batch 16, ``KB_THREADS=1``.
Each variant runs in a process of its own, one after the other: thread pools of different engines in
one process (OpenMP's and ONNX Runtime's spin while they wait) slow each other down on 2 cores.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

STEP = 256  # texts per encode call, as indexer/build.py encodes them


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def spread(items, count):
    """``count`` items picked evenly over the list (all of them if fewer)."""
    if count >= len(items):
        return list(items)
    return [items[i] for i in np.linspace(0, len(items) - 1, count).round().astype(int)]


def load_texts(content_dir, count):
    from indexer.chunking import chunk_article
    from kb.content import Content

    content = Content.load(content_dir)
    return spread([c.embed_text for a in content.articles.values() for c in chunk_article(a)], count)


def load_queries(folder, count):
    queries = []
    for path in sorted(Path(folder).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                queries.append(json.loads(line)["query"])
    return spread(queries, count)


# --- the variants: a spec string names one ----------------------------------------------------------

def variant_specs(threads, quick):
    """(spec, label) of the variants to run; the first one is the baseline."""
    other = 2 if threads == 1 else 1
    specs = [(f"torch:{threads}:16", f"torch t{threads} b16")]
    if not quick:
        specs += [(f"torch:{other}:16", f"torch t{other} b16"), (f"torch:{threads}:8", f"torch t{threads} b8"),
                  (f"torch:{threads}:32", f"torch t{threads} b32"),
                  (f"torch-unsorted:{threads}:16", f"torch t{threads} b16 unsorted")]
    for backend, label in (("onnx", "onnx fp32"), ("onnx-int8", "onnx int8")):
        for t in (threads, other):
            specs.append((f"{backend}:{t}", f"{label} t{t}"))
    if not quick:
        specs += [(f"batched:fp32:{other}:16", f"onnx fp32 t{other} b16 batched"),
                  (f"batched:int8:{threads}:16", f"onnx int8 t{threads} b16 batched")]
    return specs


def make_encoder(spec, model_path):
    """A function texts -> unit vectors for a spec.

    ``torch:T:B``            sentence-transformers, T torch threads, batch B (it sorts texts by length)
    ``torch-unsorted:T:B``   the same, one encode call per B texts in their order (no sorting across batches)
    ``onnx:T`` ``onnx-int8:T``  the project's SentenceEmbedder (one text per run, T runs in parallel)
    ``batched:V:T:B``        ONNX Runtime in padded batches of B on T intra-op threads (V: fp32 or int8)
    """
    kind, *rest = spec.split(":")
    if kind in ("torch", "torch-unsorted"):
        import torch
        from sentence_transformers import SentenceTransformer

        threads, batch = int(rest[0]), int(rest[1])
        torch.set_num_threads(threads)
        model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        model.max_seq_length = 256
        kw = {"batch_size": batch, "normalize_embeddings": True, "convert_to_numpy": True,
              "show_progress_bar": False}
        if kind == "torch":
            return lambda texts: model.encode(texts, **kw)
        return lambda texts: np.vstack([model.encode(texts[i:i + batch], **kw) for i in range(0, len(texts), batch)])
    if kind in ("onnx", "onnx-int8"):
        from kb.embed import SentenceEmbedder

        embedder = SentenceEmbedder(model_path, kind, 16, 256, int(rest[0]), os.environ.get("KB_ONNX_DIR")).warm_up()
        return embedder.encode
    if kind == "batched":
        from indexer.model_export import OnnxSentenceModel, ensure_onnx, file_name

        variant, threads, batch = rest[0], int(rest[1]), int(rest[2])
        model = OnnxSentenceModel(ensure_onnx(model_path), file_name(variant), 256, threads, one_text_per_run=False)
        return lambda texts: model.encode(texts, batch_size=batch)
    raise ValueError(f"unknown variant {spec!r}")


def run_worker(args):
    """Measure one variant; save vectors and timings to ``args.out`` (an .npz file)."""
    texts = load_texts(args.content, args.texts)
    queries = load_queries(ROOT / "tests" / "queries", max(args.queries, args.overlap))
    encode = make_encoder(args.worker, args.model)
    encode(texts[:8])  # warm: sessions, thread pools, first allocations
    parts, seconds, best = [], 0.0, 0.0
    cpu0 = time.process_time()
    for i in range(0, len(texts), STEP):
        part = texts[i:i + STEP]
        t0 = time.perf_counter()
        parts.append(encode(part))
        dt = time.perf_counter() - t0
        seconds += dt
        best = max(best, len(part) / dt)
    cpu_seconds = time.process_time() - cpu0
    encode(queries[:5])
    latencies, query_vecs = [], []
    for q in queries:
        t0 = time.perf_counter()
        vec = encode([q])
        latencies.append(time.perf_counter() - t0)
        query_vecs.append(vec[0])
    np.savez(args.out, vectors=np.vstack(parts).astype(np.float32), query_vecs=np.vstack(query_vecs),
             latencies=np.asarray(latencies), seconds=seconds, best=best, cpu_seconds=cpu_seconds)


# --- the comparison ----------------------------------------------------------------------------------

def topk(query_vecs, chunk_vecs, k=10):
    return np.argsort(-(query_vecs @ chunk_vecs.T), axis=1, kind="stable")[:, :k]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=int, default=512, help="chunk texts to encode (default 512)")
    ap.add_argument("--queries", type=int, default=200, help="queries for the latency (default 200)")
    ap.add_argument("--overlap", type=int, default=100, help="queries for the top-10 overlap (default 100)")
    ap.add_argument("--threads", type=int, default=1, help="threads of the baseline (default 1 = KB_THREADS)")
    ap.add_argument("--content", default=str(ROOT / "articles"))
    ap.add_argument("--model", default=None, help="model folder (default: the bundled all-MiniLM-L6-v2)")
    ap.add_argument("--onnx-dir", default=None, help="root of the ONNX exports (sets KB_ONNX_DIR)")
    ap.add_argument("--quick", action="store_true", help="only the baseline and the ONNX variants")
    ap.add_argument("--json", default=None, help="also write the results to this file")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.onnx_dir:
        os.environ["KB_ONNX_DIR"] = str(Path(args.onnx_dir).resolve())
    if not args.model:
        from kb.settings import default_model_path

        args.model = default_model_path()
    if args.worker:
        return run_worker(args)

    from indexer.model_export import ensure_onnx, file_name

    start = time.perf_counter()
    export = ensure_onnx(args.model)  # once, before the workers, so no worker times an export
    log(f"ONNX export {export} ready in {time.perf_counter() - start:.1f}s")
    texts = load_texts(args.content, args.texts)
    queries = load_queries(ROOT / "tests" / "queries", max(args.queries, args.overlap))
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(export / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(256)
    tokens = [len(e.ids) for e in tok.encode_batch(texts)]
    words = [len(t.split()) for t in texts]
    load_before = os.getloadavg()

    results = {}
    specs = variant_specs(args.threads, args.quick)
    with tempfile.TemporaryDirectory(prefix="embed-bench-") as tmp:
        for n, (spec, label) in enumerate(specs, 1):
            out = Path(tmp) / f"{n}.npz"
            cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", spec, "--out", str(out),
                   "--texts", str(args.texts), "--queries", str(args.queries), "--overlap", str(args.overlap),
                   "--content", args.content, "--model", args.model]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if proc.returncode:
                log(proc.stderr[-3000:])
                raise SystemExit(f"variant {spec} failed")
            with np.load(out) as data:
                results[label] = {k: data[k] for k in data.files}
            log(f"[{n}/{len(specs)}] {label}: {time.perf_counter() - t0:.0f}s "
                f"({time.perf_counter() - start:.0f}s since start)")
    load_after = os.getloadavg()

    base_label = specs[0][1]
    base = results[base_label]
    nq = min(args.overlap, len(queries))
    base_top = topk(base["query_vecs"][:nq], base["vectors"])
    rows = []
    for _, label in specs:
        r = results[label]
        cos = np.sum(r["vectors"] * base["vectors"], axis=1)
        top = topk(r["query_vecs"][:nq], r["vectors"])
        lat = r["latencies"][:args.queries] * 1000.0
        rows.append({
            "variant": label,
            "chunks_per_s": len(texts) / float(r["seconds"]),
            "best_call_per_s": float(r["best"]),
            "chunks_per_cpu_s": len(texts) / float(r["cpu_seconds"]),
            "ratio": float(base["seconds"]) / float(r["seconds"]),
            "query_p50_ms": float(np.percentile(lat, 50)),
            "query_p95_ms": float(np.percentile(lat, 95)),
            "cos_mean": float(cos.mean()),
            "cos_min": float(cos.min()),
            "top10_overlap": float(np.mean([len(set(a) & set(b)) / 10.0 for a, b in zip(top, base_top)])),
            "top1_agree": float(np.mean(top[:, 0] == base_top[:, 0])),
        })

    print(f"\n{len(texts)} chunks ({np.mean(words):.0f} words, {np.mean(tokens):.0f} tokens on average, "
          f"{sum(t >= 256 for t in tokens)} cut at 256); {min(args.queries, len(queries))} queries for the "
          f"latency, {nq} for the top-10 overlap; baseline {base_label}; int8 file {file_name('int8')}; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    head = (f"{'variant':<27} {'chunks/s':>8} {'best':>6} {'/cpu-s':>6} {'ratio':>6} {'q p50 ms':>9} {'q p95 ms':>9} "
            f"{'cos mean':>9} {'cos min':>8} {'top10':>6} {'top1':>5}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['variant']:<27} {r['chunks_per_s']:8.1f} {r['best_call_per_s']:6.1f} {r['chunks_per_cpu_s']:6.1f} "
              f"{r['ratio']:5.2f}x "
              f"{r['query_p50_ms']:9.2f} {r['query_p95_ms']:9.2f} {r['cos_mean']:9.5f} {r['cos_min']:8.5f} "
              f"{r['top10_overlap']:6.3f} {r['top1_agree']:5.2f}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"texts": len(texts), "queries": len(queries), "rows": rows,
                                               "load": [load_before, load_after]}, indent=2) + "\n")
    return rows


if __name__ == "__main__":
    main()
