"""The pure formulas of ranking: per-query normalization, the adaptive weight, reciprocal rank fusion, the product
adjustment and BM25's pieces."""

import numpy as np
import pytest

from kb.search.fusion import (FusionWeights, agreement, convex, hybrid, lexical_weight, minmax, product_adjustment,
                              query_signals, rank_positions, rrf)
from kb.search.scoring import bm25_idf, bm25_tf, coordinate


def test_rrf_sums_reciprocal_ranks():
    fused = rrf({"a": 1, "b": 2}, {"b": 1, "c": 2}, k=60)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)
    assert rank_positions({"x": 0.1, "y": 0.9, "z": 0.9}) == {"y": 1, "z": 2, "x": 3}


def test_each_side_is_normalized_per_query_so_the_model_scale_does_not_matter():
    # e5 packs cosines into 0.7-0.9, MiniLM spreads them over 0.1-0.8: the fused ranking is the same
    lex = {"a": 12.0, "b": 3.0, "c": 1.0}
    narrow, wide = {"a": 0.80, "b": 0.88, "c": 0.70}, {"a": 0.40, "b": 0.80, "c": 0.00}
    w = FusionWeights()
    ranked = lambda sem: sorted(hybrid(lex, sem, 5, w)[0].items(), key=lambda kv: -kv[1])
    assert [k for k, _ in ranked(narrow)] == [k for k, _ in ranked(wide)]
    assert minmax({"a": 4.0, "b": 1.0}) == {"a": 1.0, "b": 0.0}
    assert minmax({"a": 2.0}) == {"a": 1.0} and minmax({}) == {}


def test_lexical_weight_falls_with_query_length_and_with_a_ticket_that_disagrees():
    w = FusionWeights(short=0.8, long=0.3, long_words=13)
    assert lexical_weight(2, w) == 0.8 and lexical_weight(13, w) == 0.3 and lexical_weight(40, w) == 0.3
    assert 0.3 < lexical_weight(8, w) < 0.8
    lex = {f"l{i}": 10.0 - i for i in range(10)}
    agreeing = {f"l{i}": 0.9 - i / 100 for i in range(10)}
    disagreeing = {f"s{i}": 0.9 - i / 100 for i in range(10)}
    assert agreement(lex, agreeing) == 1.0 and agreement(lex, disagreeing) == 0.0
    assert hybrid(lex, agreeing, 30, w, ticket=True)[1] == pytest.approx(0.3)
    assert hybrid(lex, disagreeing, 30, w, ticket=True)[1] == 0.0
    assert hybrid({}, agreeing, 2, w)[1] == 0.0 and hybrid(lex, {}, 2, w)[1] == 1.0


def test_convex_fusion_and_query_signals():
    fused = convex({"a": 10.0, "b": 0.0}, {"b": 0.9, "a": 0.5}, 0.25)
    assert fused["a"] == pytest.approx(0.25) and fused["b"] == pytest.approx(0.75)

    class Lex:
        words, matched = 4, {"a": {"x", "y"}}

    signals = query_signals({"a": 5.0, "b": 1.0}, {"a": 0.8, "c": 0.7}, Lex(), FusionWeights())
    assert signals("a") == {"lex": 1.0, "cos": 0.8, "both": True, "coverage": 0.5}
    assert signals("c")["both"] is False and signals("c")["lex"] == 0.0


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
