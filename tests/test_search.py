"""The search engine on the fixture knowledge base, and the pure fusion formulas."""

import json
import subprocess
import sys

import pytest

from kb.search.engine import SearchError
from kb.search.fusion import (FusionWeights, calibrate_cosine, normalize_lexical, product_adjustment,
                              rank_positions, rrf, weighted)
from tests.conftest import ROOT


def top(engine, query, **kw):
    return [h.article_id for h in engine.search(query, **kw).hits]


# -- fusion formulas -----------------------------------------------------------------------------------------------------

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


# -- the engine ----------------------------------------------------------------------------------------------------------

def test_typos_are_corrected_only_when_needed(engine):
    result = engine.search("wasing mashine wont drain")
    assert result.hits[0].article_id == "ww90t-not-draining"
    assert result.analysis["corrected"] == {"wasing": "washing", "mashine": "machine"}
    assert engine.search("washing machine drain").analysis["corrected"] == {}


def test_model_code_puts_that_family_first(engine):
    result = engine.search("my ww90t554daw shows 4C")
    assert result.hits[0].article_id == "ww90t-4c-water-supply"
    assert result.analysis["products"] == ["WW90T554DAW"] and result.analysis["families"] == ["WW90T"]


def test_another_model_of_the_category_does_not_outrank_the_right_one(engine):
    ids = top(engine, "WW80T554DAW door will not open")
    assert ids[0] == "ww80t-door-locked"
    ids = top(engine, "WW90T554DAW water left in the drum")
    assert ids.index("ww90t-not-draining") < ids.index("ww80t-door-locked") if "ww80t-door-locked" in ids else True


def test_polish_query_finds_the_polish_article(engine):
    result = engine.search("pralka nie odpompowuje wody")
    assert result.analysis["lang"] == "pl"
    assert result.hits[0].article_id == "pralka-nie-odpompowuje-pl"


def test_one_hit_per_article_with_snippet_and_section(engine):
    hits = engine.search("drain filter", limit=10).hits
    assert len({h.article_id for h in hits}) == len(hits)
    first = hits[0]
    assert first.section in {"answer", "steps", "when-to-escalate"}
    assert "<mark>" in first.snippet and "<" not in first.text_snippet
    assert first.type == "troubleshooting" and first.products == ["WW90T*"]


def test_filters_and_unpublished_articles(engine):
    assert top(engine, "QN90D firmware") and "draft-new-firmware" not in top(engine, "QN90D firmware", limit=20)
    assert "draft-new-firmware" in top(engine, "QN90D firmware draft", include_unpublished=True)
    polish = top(engine, "drain", lang="pl")
    assert polish[0] == "pralka-nie-odpompowuje-pl" and set(polish) <= {"pralka-nie-odpompowuje-pl", "reklamacja-pl"}
    assert all(a in {"tv-wifi-drops", "qn90d-no-sound", "hostile-html"} for a in top(engine, "sound", category="tv"))
    ids = top(engine, "not working", product="qn90d55atxxh", limit=20)
    assert "qn90d-no-sound" in ids and "tv-wifi-drops" in ids  # model articles and category-wide articles
    assert "ww90t-not-draining" not in ids
    assert set(top(engine, "repair", type="procedure")) == {"repair-registration", "identity-verification", "reklamacja-pl"}


@pytest.mark.parametrize("kwargs, code", [
    ({"query": ""}, "empty_query"), ({"query": "   "}, "empty_query"), ({"query": "x" * 501}, "query_too_long"),
    ({"query": "x", "mode": "fuzzy"}, "bad_mode"), ({"query": "x", "limit": 0}, "bad_limit"),
    ({"query": "x", "type": "howto"}, "bad_filter"), ({"query": "x", "product": "ZZ1"}, "bad_filter"),
    ({"query": "x", "colour": "red"}, "unknown_filter"),
])
def test_bad_input_raises_a_search_error(engine, kwargs, code):
    with pytest.raises(SearchError) as info:
        engine.search(**kwargs)
    assert info.value.code == code


def test_explain_names_the_signals(engine):
    hit = engine.search("ww90t554daw drain filter", explain=True).hits[0]
    exp = hit.explanation
    assert exp["product_match"] == "exact"
    assert {"drain", "filter", "#WW90T554DAW"} <= set(exp["matched_words"])
    assert 0 < exp["semantic_similarity"] <= 1 and exp["lexical_score"] > 0


def test_modes_all_answer(engine):
    for mode in ("hybrid", "lexical", "semantic"):
        assert top(engine, "television keeps dropping the wireless network", mode=mode)[0] == "tv-wifi-drops"


def test_autocomplete_titles_and_codes(engine):
    kinds = engine.autocomplete("ww90t5")
    assert kinds[0]["kind"] == "product" and kinds[0]["code"].startswith("WW90T5")
    titles = [s["text"] for s in engine.autocomplete("washing mach")]
    assert "Washing machine will not drain and shows 5C" in titles
    assert all(s["id"] != "draft-new-firmware" for s in engine.autocomplete("new firm") if s["kind"] == "article")
    assert engine.autocomplete("   ") == []


def test_parity_cli_api_engine(engine, client, fixture_index):
    query = "washing machine not draining"
    direct = top(engine, query)
    api = [h["article_id"] for h in client.get("/api/v1/search", query_string={"q": query}).json["hits"]]
    cli = subprocess.run([sys.executable, "-m", "kb", "search", "--index", str(fixture_index), "--json", query],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    assert direct == api == [h["article_id"] for h in json.loads(cli.stdout)["hits"]]


def test_bm25_formula_properties():
    import numpy as np

    from kb.search.scoring import bm25_idf, bm25_tf, coordinate

    tf = bm25_tf(np.array([1.0, 2.0, 50.0]), np.full(3, 10.0), 10.0, k1=1.2, b=0.75)
    assert tf[0] < tf[1] < tf[2] < 2.2  # grows with tf, saturates below k1 + 1
    short, long_ = bm25_tf(np.array([2.0, 2.0]), np.array([5.0, 50.0]), 10.0)
    assert short > long_  # the same count means more in a shorter field
    assert bm25_idf(1, 1000) > bm25_idf(500, 1000) > 0
    assert coordinate(np.array([1, 2]), 2).tolist() == [0.5, 1.0]
