"""Local ONNX export of a sentence-transformers model folder, and a small ONNX Runtime encoder for it.

Why not ``SentenceTransformer(..., backend="onnx")``: sentence-transformers loads ONNX models through
``optimum-onnx``, whose only releases pin ``transformers<4.58``, and this project runs transformers 5.
So the export is done here with ``torch.onnx.export`` (the transformer only: it returns
``last_hidden_state``), quantized with ONNX Runtime's own ``quantize_dynamic``, and encoded by
``OnnxSentenceModel``: the model's own ``tokenizer.json``, ONNX Runtime, then the mean pooling and L2
normalization that the model's ``1_Pooling`` and ``Normalize`` modules apply. Only ``onnxruntime`` and
``onnx`` are needed, and torch only while exporting.

The export goes to ``var/models/<model-name>-onnx/`` under the working directory (the root
``var/models`` is the ``KB_ONNX_DIR`` setting), never into the model folder. It is laid out like a
sentence-transformers ONNX model folder (tokenizer, configs and pooling config copied, weights in
``onnx/``), so it is usable on its own::

    <model-name>-onnx/
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
import logging
import os
import platform
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

EXPORT_FORMAT = 1
MANIFEST = "kb_onnx.json"
FP32_FILE = "onnx/model.onnx"
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17
# weights files of the source folder: never copied (the ONNX files replace them)
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".h5", ".msgpack", ".ckpt", ".onnx", ".onnx_data")
_SKIP_DIRS = {"onnx", "openvino", ".git", ".cache"}

log = logging.getLogger(__name__)


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


def _reduce_range(isa):
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


def _source_files(model_path):
    root = Path(model_path)
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not (set(rel.parts[:-1]) & _SKIP_DIRS) and not rel.name.startswith("."):
            yield rel, path


def source_fingerprint(model_path):
    """Hash of the model folder: contents of its small files, size and mtime of its weights files."""
    digest = hashlib.sha256()
    for rel, path in _source_files(model_path):
        digest.update(rel.as_posix().encode() + b"\0")
        if path.name.endswith(_WEIGHT_SUFFIXES):
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


def _is_current(folder, fingerprint):
    manifest = read_manifest(folder)
    return bool(manifest and manifest.get("format") == EXPORT_FORMAT and manifest.get("source") == fingerprint
                and (Path(folder) / FP32_FILE).is_file())


# --- the export itself -----------------------------------------------------------------------------

def _copy_configs(model_path, dest):
    for rel, path in _source_files(model_path):
        if path.name.endswith(_WEIGHT_SUFFIXES):
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest / rel)


def export_fp32(model_path, dest_file):
    """Export the model's transformer (inputs ids/mask/type ids, output ``last_hidden_state``) to ONNX."""
    import torch
    from transformers import AutoModel

    # eager attention: plain MatMul/Softmax that ONNX Runtime fuses; the mask stays an input of the graph
    model = AutoModel.from_pretrained(str(model_path), local_files_only=True, attn_implementation="eager")
    model.eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    # a padded dummy batch, so nothing "all tokens are real" can be baked into the trace
    ids = torch.tensor([[101, 7592, 2088, 2003, 1037, 3231, 102], [101, 7592, 102, 0, 0, 0, 0]])
    mask = (ids != 0).long()
    axes = {name: {0: "batch_size", 1: "sequence_length"} for name in (*INPUT_NAMES, "last_hidden_state")}
    with warnings.catch_warnings(), torch.no_grad():
        # the TorchScript exporter's deprecation notice and tracer notes are expected here
        warnings.simplefilter("ignore")
        torch.onnx.export(LastHiddenState(model), (ids, mask, torch.zeros_like(ids)), str(dest_file),
                          dynamo=False, opset_version=OPSET, input_names=list(INPUT_NAMES),
                          output_names=["last_hidden_state"], dynamic_axes=axes, do_constant_folding=True,
                          external_data=False)


class _DropPreprocessHint(logging.Filter):
    def filter(self, record):
        return "pre-processing before quantization" not in record.getMessage()


def quantize_int8(src_file, dest_file, isa):
    """Dynamic int8 quantization of the weight MatMuls, per channel (per-tensor loses too much: cosine ~0.95)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = onnx.load(str(src_file), load_external_data=False)
    # the 36 weight MatMuls are quantized; the 12 of two activations (Q.K^T, attention.V) stay float:
    # quantizing them too measured no faster and no closer to torch
    weights = {init.name for init in model.graph.initializer}
    skip = [node.name for node in model.graph.node if node.op_type == "MatMul" and not set(node.input) & weights]
    del model
    hint = _DropPreprocessHint()
    logging.getLogger().addFilter(hint)
    try:
        quantize_dynamic(str(src_file), str(dest_file), weight_type=QuantType.QInt8, per_channel=True,
                         reduce_range=_reduce_range(isa), op_types_to_quantize=["MatMul"], nodes_to_exclude=skip)
    finally:
        logging.getLogger().removeFilter(hint)


def _versions():
    import importlib.metadata as md

    out = {}
    for pkg in ("torch", "transformers", "onnx", "onnxruntime"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out


def _export_all(model_path, dest, fingerprint, isa):
    start = time.perf_counter()
    _copy_configs(model_path, dest)
    (dest / "onnx").mkdir(exist_ok=True)
    export_fp32(model_path, dest / FP32_FILE)
    if isa:
        quantize_int8(dest / FP32_FILE, dest / file_name("int8", isa), isa)
    manifest = {"format": EXPORT_FORMAT, "source": fingerprint, "source_path": str(Path(model_path).resolve()),
                "opset": OPSET, "fp32": FP32_FILE, "int8": {isa: file_name("int8", isa)} if isa else {},
                "versions": _versions(), "seconds": round(time.perf_counter() - start, 1)}
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _add_int8(folder, isa):
    """Quantize an existing export for another CPU flavour, atomically (temp file, then rename)."""
    target = folder / file_name("int8", isa)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".onnx", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        quantize_int8(folder / FP32_FILE, tmp, isa)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    manifest = read_manifest(folder) or {}
    manifest.setdefault("int8", {})[isa] = file_name("int8", isa)
    tmp_manifest = folder / f".{MANIFEST}.{os.getpid()}"
    tmp_manifest.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_manifest, folder / MANIFEST)


def ensure_onnx(model_path, root=None, int8=True):
    """Export a sentence-transformers model folder to ONNX once; return the export folder (a ``Path``).

    Made locally from the folder's weights (nothing is downloaded) into a temporary folder beside the
    target, then renamed into place, so a reader never sees half an export. Later calls find it (its
    manifest matches the source folder's fingerprint) and return at once; a changed source is exported
    again. ``int8`` also makes the int8 file for this CPU (``file_name("int8")``) if it is missing.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    model_path = Path(model_path)
    if not (model_path / "config.json").is_file():
        raise FileNotFoundError(f"{model_path} is not a model folder (no config.json)")
    target = export_dir(model_path, root)
    fingerprint = source_fingerprint(model_path)
    isa = cpu_isa() if int8 else None
    if not _is_current(target, fingerprint):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; the export is for every user
        try:
            log.info("exporting %s to ONNX in %s", model_path, target)
            _export_all(model_path, tmp, fingerprint, isa)
            if not _is_current(target, fingerprint):  # else another process finished first: use theirs
                stale = None
                if target.exists():  # an export of an older source: move it aside, then swap
                    stale = target.parent / f".{target.name}.stale-{os.getpid()}-{time.time_ns()}"
                    try:
                        os.rename(target, stale)
                    except FileNotFoundError:
                        stale = None
                try:
                    os.rename(tmp, target)
                except OSError:
                    if not _is_current(target, fingerprint):  # lost a race to an equal export: use theirs
                        raise
                if stale:
                    shutil.rmtree(stale, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if isa and not (target / file_name("int8", isa)).is_file():
        _add_int8(target, isa)
    return target


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
    """Export if needed, then open the ``fp32`` or ``int8`` ONNX model of a sentence-transformers folder."""
    folder = ensure_onnx(model_path, root=root, int8=(variant == "int8"))
    return OnnxSentenceModel(folder, file_name(variant), max_seq_length=max_seq_length, threads=threads)
