"""Where the ONNX export lives and when it is current: pure functions of ``kb.onnx_model`` (the export itself and
the vectors are checked in tests/engine/test_onnx.py)."""

import json

import pytest

from kb.onnx_model import cpu_isa, export_dir, file_name, is_current, load_onnx_model, model_name, source_fingerprint


def test_fingerprint_follows_the_source(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}))
    (tmp_path / "model.safetensors").write_bytes(b"0" * 10)
    first = source_fingerprint(tmp_path)
    assert source_fingerprint(tmp_path) == first
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert", "x": 1}))
    second = source_fingerprint(tmp_path)
    assert second != first
    (tmp_path / "model.safetensors").write_bytes(b"0" * 11)
    assert source_fingerprint(tmp_path) != second


def test_int8_flavour_follows_the_cpu():
    assert cpu_isa({"avx2", "avx512f", "avx512bw", "avx512_vnni"}, "x86_64") == "avx512_vnni"
    assert cpu_isa({"avx2", "avx_vnni"}, "x86_64") == "avx_vnni"
    assert cpu_isa({"avx2", "avx512bw"}, "x86_64") == "avx512"
    assert cpu_isa(set(), "x86_64") == "generic" and cpu_isa(set(), "aarch64") == "arm64"
    assert file_name("int8", isa="avx2") == "onnx/model_qint8_avx2.onnx"
    with pytest.raises(ValueError, match="unknown ONNX variant"):
        file_name("fp16")


def test_export_folder_is_named_after_the_model(tmp_path):
    (tmp_path / "gt_pkg" / "model").mkdir(parents=True)
    assert model_name(tmp_path / "gt_pkg" / "model") == "gt_pkg"
    assert export_dir(tmp_path / "my-model", tmp_path / "exports") == (tmp_path / "exports" / "my-model-onnx").resolve()


def test_serving_refuses_a_missing_or_stale_export(tmp_path):
    source = tmp_path / "m"
    source.mkdir()
    (source / "config.json").write_text("{}")
    with pytest.raises(FileNotFoundError, match="python -m indexer export-model"):
        load_onnx_model(source, root=tmp_path / "exports")
    folder = export_dir(source, tmp_path / "exports")
    (folder / "onnx").mkdir(parents=True)
    (folder / "onnx" / "model.onnx").write_bytes(b"x")
    (folder / "kb_onnx.json").write_text(json.dumps({"format": 1, "source": "an older source"}))
    assert not is_current(folder, source_fingerprint(source))
    with pytest.raises(FileNotFoundError):
        load_onnx_model(source, root=tmp_path / "exports")
