"""ONNX Runtime encoder for a sentence-transformers model exported by ``python -m indexer export-model``.

Serving only loads: when the export is missing or was made from another source, ``load_onnx_model`` fails at
once with the command that makes it. The export layout (``<KB_ONNX_DIR>/<model-name>-onnx/``)::

    kb_onnx.json                     what was exported, from which source (fingerprint), with what
    config.json tokenizer.json ... 1_Pooling/config.json modules.json sentence_bert_config.json
    onnx/model.onnx                  float32: the torch vectors (cosine 1.00000), 1.7x torch's speed
    onnx/model_qint8_<isa>.onnx      int8 MatMul weights for this CPU: cosine 0.994, 3.8x torch's speed

>>> file_name("fp32")
'onnx/model.onnx'
>>> file_name("int8", isa="avx2")
'onnx/model_qint8_avx2.onnx'
"""

import hashlib
import json
import os
import platform
from pathlib import Path

import numpy as np

EXPORT_FORMAT = 1
MANIFEST = "kb_onnx.json"
FP32_FILE = "onnx/model.onnx"
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
# weights files of the source folder: never copied (the ONNX files replace them)
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".h5", ".msgpack", ".ckpt", ".onnx", ".onnx_data")
SKIP_DIRS = {"onnx", "openvino", ".git", ".cache"}


# --- which int8 flavour suits this CPU ------------------------------------------------------------

def cpu_flags():
    """The CPU feature flags of this machine (empty on systems without /proc/cpuinfo)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith(("flags", "Features")):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_isa(flags=None, machine=None):
    """The int8 flavour for this CPU, named as sentence-transformers names them.

    >>> cpu_isa({"avx2", "avx512f", "avx512bw", "avx512_vnni"}, "x86_64"), cpu_isa({"avx2"}, "x86_64")
    ('avx512_vnni', 'avx2')
    """
    flags = cpu_flags() if flags is None else flags
    if (machine or platform.machine()).lower() in ("aarch64", "arm64"):
        return "arm64"
    if "avx512_vnni" in flags or "avx512vnni" in flags:
        return "avx512_vnni"
    if "avx_vnni" in flags:
        return "avx_vnni"
    if "avx512bw" in flags:
        return "avx512"
    if "avx2" in flags:
        return "avx2"
    return "generic"


def reduce_range(isa):
    # Without VNNI, x86 int8 kernels multiply u8*s8 pairs into saturating int16 (vpmaddubsw): 7-bit
    # weights avoid the overflow. VNNI and ARM dot products accumulate in int32, so full 8 bits are safe.
    return isa not in ("avx512_vnni", "avx_vnni", "arm64")


def file_name(variant="fp32", isa=None):
    """Path, inside an export folder, of the ONNX file of a variant (``fp32`` or ``int8``)."""
    if variant == "fp32":
        return FP32_FILE
    if variant == "int8":
        return f"onnx/model_qint8_{isa or cpu_isa()}.onnx"
    raise ValueError(f"unknown ONNX variant {variant!r}: use 'fp32' or 'int8'")


# --- where exports go, and whether one is current --------------------------------------------------

def model_name(model_path):
    """A folder name for a model: its folder's name (the package's name for the bundled ``.../model``)."""
    path = Path(model_path).resolve()
    return path.parent.name if path.name == "model" else path.name


def export_dir(model_path, root=None):
    """``<root>/<model-name>-onnx``; root: the ``KB_ONNX_DIR`` setting, passed in by the embedder."""
    root = root or "var/models"
    return Path(root).resolve() / f"{model_name(model_path)}-onnx"


def source_files(model_path):
    root = Path(model_path)
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not (set(rel.parts[:-1]) & SKIP_DIRS) and not rel.name.startswith("."):
            yield rel, path


def source_fingerprint(model_path):
    """Hash of the model folder: contents of its small files, size and mtime of its weights files."""
    digest = hashlib.sha256()
    for rel, path in source_files(model_path):
        digest.update(rel.as_posix().encode() + b"\0")
        if path.name.endswith(WEIGHT_SUFFIXES):
            stat = path.stat()
            digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
        else:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def read_manifest(folder):
    """The export's manifest, or None if there is no readable one."""
    try:
        return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(folder, fingerprint):
    manifest = read_manifest(folder)
    return bool(manifest and manifest.get("format") == EXPORT_FORMAT and manifest.get("source") == fingerprint
                and (Path(folder) / FP32_FILE).is_file())


# --- encoding with ONNX Runtime --------------------------------------------------------------------

class _TokenizerCall:
    """Enough of a Hugging Face tokenizer's call for ``SentenceEmbedder.token_count``."""

    def __init__(self, tokenizer):
        self._tok = tokenizer

    def __call__(self, text, add_special_tokens=True, truncation=False, verbose=False, **_):
        if isinstance(text, str):
            return {"input_ids": self._tok.encode(text, add_special_tokens=add_special_tokens).ids}
        return {"input_ids": [e.ids for e in self._tok.encode_batch(list(text), add_special_tokens=add_special_tokens)]}


class OnnxSentenceModel:
    """Mean-pooled, normalized sentence vectors from an exported folder, with ONNX Runtime on the CPU.

    Mirrors what ``SentenceEmbedder`` uses of a ``SentenceTransformer``: ``encode``, ``tokenizer``,
    ``max_seq_length`` and ``get_embedding_dimension``.

    By default each text is its own run (``one_text_per_run``; ``batch_size`` is then unused), and with
    ``threads`` > 1 that many single-threaded runs go in parallel (a run releases the GIL). Why:

    * a dynamically quantized (int8) model computes its activation scales per run, over the whole
      batch, padding included, so a text's vector would depend on its batch-mates (cosine ~0.994
      between a text alone and in a batch of 16), and the embedding cache, keyed by the text, needs the
      same vector every time; one text per run gives exactly the query path's vector;
    * it is no slower on this model at 1 thread (no padding), and at 2 threads parallel runs beat one
      two-threaded run (measured: fp32 64/s against 30-54/s, int8 138/s against 42/s, 256 chunks).

    With ``one_text_per_run=False`` texts are sorted by token count and encoded ``batch_size`` at a time,
    each batch padded to its longest text, on ``threads`` intra-op threads.

    The session is made again in a forked child (ONNX Runtime's thread pool does not survive ``fork``,
    e.g. gunicorn ``--preload``).
    """

    def __init__(self, folder, onnx_file=FP32_FILE, max_seq_length=256, threads=None, one_text_per_run=True):
        from tokenizers import Tokenizer

        self.folder = Path(folder)
        self.onnx_file = onnx_file
        self.threads = threads
        self.max_seq_length = max_seq_length
        self.one_text_per_run = bool(one_text_per_run)
        pooling = json.loads((self.folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        modes = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v]
        if modes != ["pooling_mode_mean_tokens"]:
            raise NotImplementedError(f"only mean pooling is supported by the ONNX encoder, not {modes}")
        self._dim = int(pooling["word_embedding_dimension"])
        self._plain = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self._plain.no_truncation()
        self._plain.no_padding()
        self.tokenizer = _TokenizerCall(self._plain)
        self._batch_tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self._batch_tok.no_padding()
        self._window = None
        self._session = None
        self._pid = None

    def get_embedding_dimension(self):
        """Length of the vectors."""
        return self._dim

    get_sentence_embedding_dimension = get_embedding_dimension

    @property
    def workers(self):
        """Parallel single-threaded runs (in one-text-per-run mode; else 1)."""
        if not self.one_text_per_run:
            return 1
        return max(1, int(self.threads or os.cpu_count() or 1))

    @property
    def session(self):
        """The ONNX Runtime session of this process (made on first use, again after a fork)."""
        if self._session is None or self._pid != os.getpid():
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            options.inter_op_num_threads = 1
            if self.one_text_per_run:
                options.intra_op_num_threads = 1  # parallel runs instead, see ``workers``
            elif self.threads:
                options.intra_op_num_threads = int(self.threads)
            self._session = ort.InferenceSession(str(self.folder / self.onnx_file), options,
                                                 providers=["CPUExecutionProvider"])
            self._inputs = [i.name for i in self._session.get_inputs()]
            self._pid = os.getpid()
        return self._session

    def _tokenize(self, texts):
        window = int(min(self.max_seq_length, 512))
        if self._window != window:
            self._batch_tok.enable_truncation(max_length=window)
            self._window = window
        return [e.ids for e in self._batch_tok.encode_batch(texts)]

    def _run(self, session, batch, normalize):
        """Vectors of a list of token id lists (padded to the longest)."""
        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for j, row in enumerate(batch):
            ids[j, :len(row)] = row
            mask[j, :len(row)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(None, {k: feeds[k] for k in self._inputs})[0]
        weights = mask[:, :, None].astype(np.float32)
        vectors = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        if normalize:
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors

    def encode(self, texts, batch_size=16, normalize_embeddings=True, convert_to_numpy=True,
               show_progress_bar=False, **_):
        """One float32 row per text (unit length unless ``normalize_embeddings=False``)."""
        if isinstance(texts, str):
            return self.encode([texts], batch_size, normalize_embeddings)[0]
        texts = list(texts)
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        if not texts:
            return out
        session = self.session
        ids_list = self._tokenize(texts)
        order = np.argsort([-len(ids) for ids in ids_list], kind="stable")
        step = 1 if self.one_text_per_run else max(1, int(batch_size))
        batches = [order[i:i + step] for i in range(0, len(texts), step)]
        bar = None
        if show_progress_bar:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), unit="text", desc="onnx")

        def work(rows):
            return rows, self._run(session, [ids_list[i] for i in rows], normalize_embeddings)

        if self.workers > 1 and len(batches) > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(min(self.workers, len(batches))) as pool:  # runs release the GIL
                results = pool.map(work, batches)
                for rows, vectors in results:
                    out[rows] = vectors
                    if bar:
                        bar.update(len(rows))
        else:
            for rows in batches:
                rows, vectors = work(rows)
                out[rows] = vectors
                if bar:
                    bar.update(len(rows))
        if bar:
            bar.close()
        return out


def load_onnx_model(model_path, variant="fp32", max_seq_length=256, threads=None, root=None):
    """Open the ``fp32`` or ``int8`` ONNX export of a sentence-transformers folder; fail fast when it is missing."""
    folder = export_dir(model_path, root)
    if not is_current(folder, source_fingerprint(model_path)) or not (folder / file_name(variant)).is_file():
        raise FileNotFoundError(f"no current {variant} ONNX export of {model_path} in {folder}: run "
                                "'python -m indexer export-model' (make run and make test do)")
    return OnnxSentenceModel(folder, file_name(variant), max_seq_length=max_seq_length, threads=threads)
