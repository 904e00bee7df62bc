"""Retrieval quality on the sample knowledge base and the labelled queries, with the real model.

Floors are set a little under what `python -m kb eval` measures, so a regression fails the suite.
"""

import statistics

import pytest

from kb.evaluation import evaluate, load_queries, mrr_at
from tests.support import QUERIES

pytestmark = [pytest.mark.quality, pytest.mark.slow]


@pytest.fixture(scope="module")
def queries():
    return load_queries(QUERIES)


@pytest.fixture(scope="module")
def reports(sample_engine, queries):
    return {mode: evaluate(sample_engine, queries, mode=mode) for mode in ("hybrid", "lexical", "semantic")}


def test_labelled_set_is_big_and_varied(queries):
    assert len(queries) >= 300
    kinds = {q["kind"] for q in queries}
    assert {"plain", "colloquial", "typo", "model-code", "symptom", "polish"} <= kinds
    assert sum(1 for q in queries if q["lang"] == "pl") >= 30


def test_every_labelled_id_exists(sample_engine, queries):
    missing = {r for q in queries for r in q["relevant"] if r not in sample_engine.version.articles}
    assert missing == set()


def test_quality_floor(reports):
    hybrid = reports["hybrid"]["overall"]
    assert hybrid["mrr@10"] >= 0.90
    assert hybrid["accuracy@1"] >= 0.85
    assert hybrid["hit@5"] >= 0.95
    for lang in ("en", "pl"):
        assert reports["hybrid"]["by_lang"][lang]["mrr@10"] >= 0.85, lang


@pytest.mark.xfail(strict=True, reason="with the Polish translations, the English-only model makes Polish hybrid worse "
                   "than Polish lexical; the multilingual model of the search-quality issue replaces it")
def test_hybrid_beats_each_single_mode(reports):
    hybrid = reports["hybrid"]["overall"]["mrr@10"]
    assert hybrid > reports["lexical"]["overall"]["mrr@10"]
    assert hybrid > reports["semantic"]["overall"]["mrr@10"]
    for lang in ("en", "pl"):  # at least as good as the better single mode in each language
        best_single = max(reports[m]["by_lang"][lang]["mrr@10"] for m in ("lexical", "semantic"))
        assert reports["hybrid"]["by_lang"][lang]["mrr@10"] >= best_single - 0.01, lang


def test_typos_lose_at_most_ten_percent_against_their_twins(sample_engine, queries):
    typo = [q for q in queries if q["kind"] == "typo"]
    assert len(typo) >= 30
    rank = lambda text, q: mrr_at([h.article_id for h in sample_engine.search(text).hits], set(q["relevant"]))
    misspelt = statistics.fmean(rank(q["query"], q) for q in typo)
    twins = statistics.fmean(rank(q["twin"], q) for q in typo)
    assert misspelt >= 0.9 * twins


def test_model_code_queries_put_that_product_or_family_first(sample_engine, queries):
    coded = [q for q in queries if q.get("product")]
    assert len(coded) >= 40
    good = 0
    for q in coded:
        top = sample_engine.version.articles[sample_engine.search(q["query"]).hits[0].article_id]
        product = sample_engine.catalog.products[q["product"]]
        good += q["product"] in top["product_codes"] or product.family in top["families"]
    assert good / len(coded) >= 0.95


def test_confidence_means_something(sample_engine, queries):
    from kb.assist.calibration import Calibrator, precision_above

    precision, n = precision_above(Calibrator.load(), sample_engine, queries, threshold=0.8)
    assert n >= 100, "too few confident answers to judge"
    assert precision >= 0.8
