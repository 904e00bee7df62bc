"""The local ONNX export of the embedding model (``indexer.model_export``), and the ONNX embedders
(``kb.onnx_model``) against the torch one.

One export into a temporary folder for the whole module (about 8 s); the bundled model folder in
site-packages must come out of it untouched.
"""

import hashlib
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime", reason="onnxruntime is not installed: the ONNX backend is unavailable")

from indexer.model_export import ensure_onnx  # noqa: E402
from kb.embed import SentenceEmbedder  # noqa: E402
from kb.onnx_model import (  # noqa: E402
    FP32_FILE, OnnxSentenceModel, cpu_isa, export_dir, file_name, read_manifest, source_fingerprint,
)

# five pairs of paraphrases (2k, 2k+1): each one's nearest neighbour is its pair; the last one is long
# enough (~270 word pieces) to be cut at the 256-token window
SENTENCES = [
    "washer not draining",
    "my washing machine won't pump the water out",
    "dishwasher shows error E24 and water stays at the bottom",
    "dish washer E24 code, standing water in the bottom",
    "my laptop battery drains fast even when it is asleep",
    "notebook loses charge quickly in sleep mode",
    "earbuds won't pair with my phone",
    "wireless earphones do not connect to my smartphone over bluetooth",
    "refrigerator buzzing loudly and ice building up in the freezer",
    "The fridge is making a loud buzzing noise at night and the freezer compartment is icing up. " * 14,
]


def snapshot(folder):
    """Every file of a folder: size, mtime and content hash (the weights by size and mtime only)."""
    out = {}
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir():
            out[rel] = "dir"
            continue
        stat = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.st_size < 5_000_000 else ""
        out[rel] = (stat.st_size, stat.st_mtime_ns, digest)
    return out


def nearest(vectors):
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1)
    return sims.argmax(axis=1).tolist()


@pytest.fixture(scope="module")
def model_path(settings):
    return Path(settings.model_path)


@pytest.fixture(scope="module")
def export(tmp_path_factory, model_path):
    """(export folder, seconds, model folder snapshot before, after) of one export into a tmp root."""
    root = tmp_path_factory.mktemp("onnx-exports")
    before = snapshot(model_path)
    start = time.perf_counter()
    folder = ensure_onnx(model_path, root=root)
    seconds = time.perf_counter() - start
    return folder, seconds, before, snapshot(model_path)


@pytest.fixture(scope="module")
def torch_embedder(model_path):
    return SentenceEmbedder(model_path, backend="torch", threads=1).warm_up()


@pytest.fixture(scope="module")
def torch_vectors(torch_embedder):
    return torch_embedder.encode(SENTENCES)


def test_export_leaves_the_model_folder_alone(export, model_path):
    folder, _, before, after = export
    assert before == after
    assert not (model_path / "onnx").exists()
    assert model_path.resolve() not in folder.resolve().parents


def test_export_folder_is_standalone(export, model_path):
    folder, _, _, _ = export
    assert folder == export_dir(model_path, folder.parent)
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json", "modules.json",
                 "sentence_bert_config.json", "1_Pooling/config.json", FP32_FILE, file_name("int8")):
        assert (folder / name).is_file(), name
    assert not list(folder.glob("*.safetensors"))
    manifest = read_manifest(folder)
    assert manifest["source"] == source_fingerprint(model_path)
    assert manifest["int8"] == {cpu_isa(): file_name("int8")}
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")], "temporary folders left behind"


def test_second_call_reuses_the_export(export, model_path, monkeypatch):
    folder, first_seconds, _, _ = export
    files = snapshot(folder)

    def no_export(*args, **kwargs):
        raise AssertionError("exported again")

    monkeypatch.setattr("indexer.model_export.export_fp32", no_export)
    monkeypatch.setattr("indexer.model_export.quantize_int8", no_export)
    start = time.perf_counter()
    again = ensure_onnx(model_path, root=folder.parent)
    seconds = time.perf_counter() - start
    assert again == folder
    assert snapshot(folder) == files
    assert seconds < 1.0 and seconds < first_seconds / 5, (seconds, first_seconds)


def test_a_missing_int8_file_is_added_without_a_new_export(export, model_path, monkeypatch):
    folder, _, _, _ = export
    int8 = folder / file_name("int8")
    fp32_mtime = (folder / FP32_FILE).stat().st_mtime_ns
    int8.unlink()  # as on a machine of another CPU flavour sharing the folder

    def no_export(*args, **kwargs):
        raise AssertionError("exported again")

    monkeypatch.setattr("indexer.model_export.export_fp32", no_export)
    assert ensure_onnx(model_path, root=folder.parent) == folder
    assert int8.is_file()
    assert (folder / FP32_FILE).stat().st_mtime_ns == fp32_mtime
    assert read_manifest(folder)["int8"][cpu_isa()] == file_name("int8")
    assert not [p for p in (folder / "onnx").iterdir() if p.name.startswith(".")]


def test_kb_onnx_dir_sets_the_root(export, model_path):
    from kb.embed import make_embedder
    from kb.settings import Settings

    folder, _, _, _ = export
    settings = Settings.from_env({"KB_ONNX_DIR": str(folder.parent), "KB_EMBEDDING_MODEL": str(model_path)})
    assert make_embedder(settings).onnx_dir == str(folder.parent)
    assert export_dir(model_path, settings.onnx_dir) == folder


@pytest.mark.parametrize("backend, floor", [("onnx", 0.9999), ("onnx-int8", 0.98)])
def test_onnx_vectors_agree_with_torch(export, model_path, torch_vectors, backend, floor):
    # measured on these sentences (avx512_vnni): fp32 >= 0.99999, int8 0.992-0.997 (0.994 mean on 512 chunks)
    folder, _, _, _ = export
    emb = SentenceEmbedder(model_path, backend=backend, threads=1, onnx_dir=str(folder.parent)).warm_up()
    vectors = emb.encode(SENTENCES)
    assert vectors.shape == (len(SENTENCES), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(vectors * torch_vectors, axis=1)
    assert cosines.min() > floor, cosines.round(5).tolist()
    # each sentence's nearest neighbour is its paraphrase, as with torch
    pairs = [i ^ 1 for i in range(len(SENTENCES))]
    assert nearest(torch_vectors) == pairs
    assert nearest(vectors) == pairs
    # one at a time (the query path) gives the batch's vectors
    single = np.vstack([emb.encode([s]) for s in SENTENCES[:3]])
    assert np.allclose(single, vectors[:3], atol=1e-4)


def test_onnx_embedder_interface(export, model_path, torch_embedder):
    embedder = torch_embedder
    folder, _, _, _ = export
    fp32 = SentenceEmbedder(model_path, backend="onnx", onnx_dir=str(folder.parent))
    int8 = SentenceEmbedder(model_path, backend="onnx-int8", onnx_dir=str(folder.parent))
    assert len({embedder.name, fp32.name, int8.name}) == 3
    assert fp32.dim == int8.dim == embedder.dim == 384
    assert fp32.encode([]).shape == (0, 384)
    for text in SENTENCES:
        assert fp32.token_count(text) == embedder.token_count(text)


def test_tokenization_matches_sentence_transformers(export, torch_embedder):
    embedder = torch_embedder
    folder, _, _, _ = export
    model = OnnxSentenceModel(folder, max_seq_length=256)
    expected = embedder._model.tokenizer(SENTENCES, truncation=True, max_length=256)["input_ids"]
    assert model._tokenize(SENTENCES) == expected
    assert max(len(ids) for ids in expected) == 256  # the long one is cut at the window


def test_session_is_made_again_after_fork(export):
    folder, _, _, _ = export
    model = OnnxSentenceModel(folder, file_name("int8"), threads=1)
    first = model.session
    assert model.session is first
    model._pid = -1  # as seen from a forked child
    assert model.session is not first


def test_unknown_backend_is_refused(model_path):
    with pytest.raises(ValueError, match="unknown embedding backend"):
        SentenceEmbedder(model_path, backend="tensorflow").warm_up()
