"""The pure formulas of ranking: reciprocal rank fusion, weighted fusion, normalization, calibration, the product
adjustment and BM25's pieces."""

import numpy as np
import pytest

from kb.search.fusion import (FusionWeights, calibrate_cosine, normalize_lexical, product_adjustment, rank_positions,
                              rrf, weighted)
from kb.search.scoring import bm25_idf, bm25_tf, coordinate


def test_rrf_sums_reciprocal_ranks():
    fused = rrf({"a": 1, "b": 2}, {"b": 1, "c": 2}, k=60)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)
    assert rank_positions({"x": 0.1, "y": 0.9, "z": 0.9}) == {"y": 1, "z": 2, "x": 3}


def test_weighted_fusion_depends_on_language_and_lexical_confidence():
    w = FusionWeights(lexical_en=0.5, semantic_en=0.5, lexical_pl=0.9, semantic_pl=0.1, sem_floor=0.0, sem_ceiling=1.0)
    lex, sem = {"a": 10.0, "b": 5.0}, {"b": 0.9}
    en = weighted(lex, sem, w, "en")
    assert en == pytest.approx({"a": 0.5, "b": 0.5 * 0.5 + 0.5 * 0.9})
    pl = weighted(lex, sem, w, "pl")
    assert pl["a"] > pl["b"]  # Polish leans on the lexical side
    unsure = weighted(lex, sem, w, "en", lexical_confidence=0.0)
    assert unsure["a"] == 0.0 and unsure["b"] == pytest.approx(0.9)


def test_normalization_and_calibration_are_bounded():
    assert normalize_lexical({"a": 4.0, "b": 1.0}) == {"a": 1.0, "b": 0.25}
    assert normalize_lexical({"a": 0.0}) == {"a": 0.0}
    assert calibrate_cosine(0.1, 0.2, 0.7) == 0.0 and calibrate_cosine(0.95, 0.2, 0.7) == 1.0
    assert calibrate_cosine(0.45, 0.2, 0.7) == pytest.approx(0.5)


def test_product_adjustment_prefers_the_right_model():
    w = FusionWeights()
    assert product_adjustment(["X1"], ["X"], ["X1"], ["X"], w) == (w.product_exact, "exact")
    assert product_adjustment(["X2"], ["X"], ["X1"], ["X"], w) == (w.product_family, "family")
    assert product_adjustment(["Y1"], ["Y"], ["X1"], ["X"], w) == (w.product_other, "other")
    assert product_adjustment([], [], ["X1"], ["X"], w) == (0.0, "generic")
    assert product_adjustment(["Y1"], ["Y"], [], [], w) == (0.0, "none")


def test_bm25_formula_properties():
    tf = bm25_tf(np.array([1.0, 2.0, 50.0]), np.full(3, 10.0), 10.0, k1=1.2, b=0.75)
    assert tf[0] < tf[1] < tf[2] < 2.2  # grows with tf, saturates below k1 + 1
    short, long_ = bm25_tf(np.array([2.0, 2.0]), np.array([5.0, 50.0]), 10.0)
    assert short > long_  # the same count means more in a shorter field
    assert bm25_idf(1, 1000) > bm25_idf(500, 1000) > 0
    assert coordinate(np.array([1, 2]), 2).tolist() == [0.5, 1.0]
