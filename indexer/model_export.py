"""``python -m indexer export-model``: the local ONNX export of the embedding model, a build step.

Why not ``SentenceTransformer(..., backend="onnx")``: sentence-transformers loads ONNX models through
``optimum-onnx``, whose only releases pin ``transformers<4.58``, and this project runs transformers 5.
So the export is done here with ``torch.onnx.export`` (the transformer only: it returns
``last_hidden_state``), quantized with ONNX Runtime's own ``quantize_dynamic``; ``kb.onnx_model`` encodes
with it. Torch is needed only here. The layout is described in ``kb.onnx_model``.
"""

import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path

from kb.onnx_model import (EXPORT_FORMAT, FP32_FILE, INPUT_NAMES, MANIFEST, SKIP_DIRS, WEIGHT_SUFFIXES, cpu_isa,
                           export_dir, file_name, is_current, read_manifest, source_fingerprint, reduce_range,
                           source_files)

OPSET = 17
log = logging.getLogger(__name__)


# --- the export itself -----------------------------------------------------------------------------

def _copy_configs(model_path, dest):
    for rel, path in source_files(model_path):
        if path.name.endswith(WEIGHT_SUFFIXES):
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
                         reduce_range=reduce_range(isa), op_types_to_quantize=["MatMul"], nodes_to_exclude=skip)
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
    model_path = Path(model_path)
    if not (model_path / "config.json").is_file():
        raise FileNotFoundError(f"{model_path} is not a model folder (no config.json)")
    target = export_dir(model_path, root)
    fingerprint = source_fingerprint(model_path)
    isa = cpu_isa() if int8 else None
    if not is_current(target, fingerprint):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; the export is for every user
        try:
            log.info("exporting %s to ONNX in %s", model_path, target)
            _export_all(model_path, tmp, fingerprint, isa)
            if not is_current(target, fingerprint):  # else another process finished first: use theirs
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
                    if not is_current(target, fingerprint):  # lost a race to an equal export: use theirs
                        raise
                if stale:
                    shutil.rmtree(stale, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if isa and not (target / file_name("int8", isa)).is_file():
        _add_int8(target, isa)
    return target
