"""Embedding speed and agreement: sentence-transformers on torch against the ONNX Runtime variants.

Run from the project root (the model is loaded from its folder, offline)::

    .venv/bin/python bench/embed_bench.py                 # 512 chunks, every variant (~4 minutes on 2 cores)
    .venv/bin/python bench/embed_bench.py --quick         # baseline and the ONNX variants at batch 16 only

What it measures, warm, in one process:

* build throughput: chunks/s encoding ``--texts`` real chunk texts (the indexer's ``embed_text``: title,
  heading and section body of the articles in ``articles/``), in slices of ``--slice`` texts as the
  indexer does. The variants take turns slice by slice, so a burst of load on the machine hits them
  all alike; ``best`` is the best slice's rate, the least disturbed one.
* single-query latency, p50 and p95 over ``--queries`` labelled queries of ``tests/queries``, also
  taking turns query by query.
* agreement with the baseline (torch, batch 16, ``--threads``): mean and minimum cosine of the chunk
  vectors, and for ``--overlap`` queries the overlap of the top-10 chunks and of the top-1 chunk,
  each variant searching its own chunk vectors with its own query vectors.

The baseline is plain sentence-transformers as the project runs it (``KB_THREADS=1``, batch 16).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def load_texts(content_dir, count):
    """``count`` chunk texts spread evenly over all chunks of the content folder (all if fewer)."""
    from indexer.chunking import chunk_article
    from kb.content import Content

    content = Content.load(content_dir)
    chunks = [c.embed_text for a in content.articles.values() for c in chunk_article(a)]
    if count < len(chunks):
        picks = np.linspace(0, len(chunks) - 1, count).round().astype(int)
        chunks = [chunks[i] for i in picks]
    return chunks


def load_queries(folder, count):
    queries = []
    for path in sorted(Path(folder).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                queries.append(json.loads(line)["query"])
    if count < len(queries):
        picks = np.linspace(0, len(queries) - 1, count).round().astype(int)
        queries = [queries[i] for i in picks]
    return queries


class TorchVariant:
    """sentence-transformers on torch; ``per_batch`` calls encode once per batch (no length sorting)."""

    def __init__(self, model, threads, batch, per_batch=False):
        self.model, self.threads, self.batch, self.per_batch = model, threads, batch, per_batch
        self.name = f"torch t{threads} b{batch}" + (" unsorted" if per_batch else "")

    def encode(self, texts):
        import torch

        if torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)
        kw = {"batch_size": self.batch, "normalize_embeddings": True, "convert_to_numpy": True,
              "show_progress_bar": False}
        if self.per_batch:
            return np.vstack([self.model.encode(texts[i:i + self.batch], **kw)
                              for i in range(0, len(texts), self.batch)])
        return self.model.encode(texts, **kw)


class ProjectVariant:
    """The project's SentenceEmbedder with an ONNX backend (what KB_EMBEDDING_BACKEND selects)."""

    def __init__(self, model_path, backend, threads, batch):
        from kb.embed import SentenceEmbedder

        self.embedder = SentenceEmbedder(model_path, backend, batch, 256, threads).warm_up()
        label = {"onnx": "onnx fp32", "onnx-int8": "onnx int8"}[backend]
        self.name = f"{label} t{threads} b{batch}"

    def encode(self, texts):
        return self.embedder.encode(texts)


def percentile(values, q):
    return float(np.percentile(np.asarray(values) * 1000.0, q))


def topk(query_vecs, chunk_vecs, k=10):
    scores = query_vecs @ chunk_vecs.T
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=int, default=512, help="chunk texts to encode (default 512)")
    ap.add_argument("--slice", type=int, default=128, help="texts per encode call and turn (default 128)")
    ap.add_argument("--queries", type=int, default=200, help="queries for the latency (default 200)")
    ap.add_argument("--overlap", type=int, default=100, help="queries for the top-10 overlap (default 100)")
    ap.add_argument("--threads", type=int, default=1, help="threads of the baseline (default 1 = KB_THREADS)")
    ap.add_argument("--content", default=str(ROOT / "articles"))
    ap.add_argument("--model", default=None, help="model folder (default: the bundled all-MiniLM-L6-v2)")
    ap.add_argument("--onnx-dir", default=None, help="root of the ONNX exports (sets KB_ONNX_DIR)")
    ap.add_argument("--quick", action="store_true", help="skip the torch tricks and the batch-8 ONNX rows")
    ap.add_argument("--json", default=None, help="also write the results to this file")
    args = ap.parse_args(argv)
    if args.onnx_dir:
        os.environ["KB_ONNX_DIR"] = args.onnx_dir

    from kb.settings import default_model_path

    model_path = args.model or default_model_path()
    texts = load_texts(args.content, args.texts)
    queries = load_queries(ROOT / "tests" / "queries", max(args.queries, args.overlap))
    load_before = os.getloadavg()

    import torch
    from sentence_transformers import SentenceTransformer

    from kb.onnx_export import ensure_onnx, file_name

    start = time.perf_counter()
    export = ensure_onnx(model_path)
    export_s = time.perf_counter() - start
    st = SentenceTransformer(model_path, device="cpu", local_files_only=True)
    st.max_seq_length = 256
    tokens = [len(ids) for ids in st.tokenizer(texts, truncation=True, max_length=256)["input_ids"]]
    words = [len(t.split()) for t in texts]
    log(f"{len(texts)} chunks ({np.mean(words):.0f} words, {np.mean(tokens):.0f} tokens on average, "
        f"{sum(t >= 256 for t in tokens)} truncated); {len(queries)} queries; ONNX export {export} "
        f"ready in {export_s:.1f}s; load average {load_before[0]:.2f}")

    t = args.threads
    variants = [TorchVariant(st, t, 16)]
    if not args.quick:
        other = 2 if t == 1 else 1
        variants += [TorchVariant(st, other, 16), TorchVariant(st, t, 8), TorchVariant(st, t, 32),
                     TorchVariant(st, t, 16, per_batch=True)]
    for backend in ("onnx", "onnx-int8"):
        for threads, batch in [(t, 16), (2 if t == 1 else 1, 16)] + ([] if args.quick else [(t, 8)]):
            variants.append(ProjectVariant(model_path, backend, threads, batch))
    base = variants[0]

    # the same short text once per variant: sessions and thread pools up, nothing timed cold
    for v in variants:
        v.encode(texts[:16])

    # build throughput, turn by turn
    vectors = {v.name: [] for v in variants}
    seconds = {v.name: 0.0 for v in variants}
    best = {v.name: 0.0 for v in variants}
    slices = [texts[i:i + args.slice] for i in range(0, len(texts), args.slice)]
    for n, part in enumerate(slices, 1):
        for v in variants:
            v.encode(part[:1])
            t0 = time.perf_counter()
            vectors[v.name].append(v.encode(part))
            dt = time.perf_counter() - t0
            seconds[v.name] += dt
            best[v.name] = max(best[v.name], len(part) / dt)
        log(f"slice {n}/{len(slices)} done, {time.perf_counter() - start:.0f}s since start")
    vectors = {k: np.vstack(parts) for k, parts in vectors.items()}

    # single-query latency, query by query; batch size does not matter for one text, so once per engine
    engines = {}
    for v in variants:
        key = v.name.rsplit(" b", 1)[0]
        if " unsorted" not in v.name:
            engines.setdefault(key, v)
    latencies = {k: [] for k in engines}
    query_vecs = {k: [] for k in engines}
    for q in queries:
        for key, v in engines.items():
            t0 = time.perf_counter()
            vec = v.encode([q])
            latencies[key].append(time.perf_counter() - t0)
            query_vecs[key].append(vec[0])
    query_vecs = {k: np.vstack(vs) for k, vs in query_vecs.items()}
    load_after = os.getloadavg()

    # agreement with the baseline
    base_key = base.name.rsplit(" b", 1)[0]
    nq = min(args.overlap, len(queries))
    base_top = topk(query_vecs[base_key][:nq], vectors[base.name])
    rows = []
    for v in variants:
        key = v.name.rsplit(" b", 1)[0]
        cos = np.sum(vectors[v.name] * vectors[base.name], axis=1)
        qv = query_vecs[key][:nq]
        top = topk(qv, vectors[v.name])
        overlap = float(np.mean([len(set(a) & set(b)) / 10.0 for a, b in zip(top, base_top)]))
        top1 = float(np.mean(top[:, 0] == base_top[:, 0]))
        lat = latencies.get(key) if key in engines and engines[key] is v else None
        rows.append({
            "variant": v.name,
            "chunks_per_s": len(texts) / seconds[v.name],
            "best_slice_per_s": best[v.name],
            "ratio": seconds[base.name] / seconds[v.name],
            "query_p50_ms": percentile(lat, 50) if lat else None,
            "query_p95_ms": percentile(lat, 95) if lat else None,
            "cos_mean": float(cos.mean()),
            "cos_min": float(cos.min()),
            "top10_overlap": overlap,
            "top1_agree": top1,
        })

    def fmt(x, spec):
        return "-" if x is None else format(x, spec)

    print(f"\n{len(texts)} chunks, {np.mean(words):.0f} words / {np.mean(tokens):.0f} tokens on average; "
          f"{len(queries)} queries for latency, {nq} for the top-10 overlap; baseline: {base.name}; "
          f"int8 file {file_name('int8')}; torch {torch.__version__}; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    head = (f"{'variant':<24} {'chunks/s':>8} {'best':>6} {'ratio':>6} {'q p50 ms':>9} {'q p95 ms':>9} "
            f"{'cos mean':>9} {'cos min':>8} {'top10':>6} {'top1':>5}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['variant']:<24} {r['chunks_per_s']:8.1f} {r['best_slice_per_s']:6.1f} {r['ratio']:5.2f}x "
              f"{fmt(r['query_p50_ms'], '9.2f')} {fmt(r['query_p95_ms'], '9.2f')} {r['cos_mean']:9.5f} "
              f"{r['cos_min']:8.5f} {r['top10_overlap']:6.3f} {r['top1_agree']:5.2f}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"texts": len(texts), "queries": len(queries), "rows": rows,
                                               "load": [load_before, load_after]}, indent=2) + "\n")
    return rows


if __name__ == "__main__":
    main()
