"""Translation groups in a result list, spelling correction that leaves real words alone, and the confidence
model's pure parts."""

import pytest

from kb.assist.calibration import FEATURES, Calibrator, hit_features
from kb.assist.calibration_fit import confident_precision, reliability
from kb.search.groups import counterpart, layered_members, member_lists, members, pick
from kb.search.query import Vocabulary

ARTICLES = {"tv": {"id": "tv", "group": "tv", "lang": "en"},
            "tv-pl": {"id": "tv-pl", "group": "tv", "lang": "pl", "outdated": False},
            "fridge": {"id": "fridge", "group": "fridge", "lang": "en"},
            "fridge-pl": {"id": "fridge-pl", "group": "fridge", "lang": "pl", "outdated": True},
            "oven": {"id": "oven", "group": "oven", "lang": "en"}}


def test_one_result_per_group_in_the_preferred_language_with_its_mark():
    groups = members(ARTICLES)
    scores = {"tv": 0.9, "tv-pl": 0.4, "fridge": 0.8, "oven": 0.7}
    shown, marks, origins = pick(scores, ARTICLES, groups, "pl", lambda record: True)
    assert shown == {"tv-pl": 0.9, "fridge": 0.8, "oven": 0.7}  # the group keeps its best score
    assert marks == {"tv-pl": None, "fridge": "outdated", "oven": "missing"}
    assert origins["tv-pl"] == "tv"
    english, marks, _ = pick(scores, ARTICLES, groups, "en", lambda record: True)
    assert set(english) == {"tv", "fridge", "oven"} and set(marks.values()) == {None}
    outdated, marks, _ = pick({"fridge-pl": 0.9}, ARTICLES, groups, "pl", lambda record: True)
    assert outdated == {"fridge": 0.9} and marks == {"fridge": "outdated"}  # even when the outdated one matched
    hidden, marks, _ = pick(scores, ARTICLES, groups, "pl", lambda record: record["lang"] == "en")
    assert "tv" in hidden and marks["tv"] == "missing"  # a translation that may not be shown counts as missing


def test_a_translation_is_shown_at_the_section_that_matched():
    chunks = {"a": [(0, {"article_id": "a", "anchor": "answer"}), (1, {"article_id": "a", "anchor": "steps"})],
              "a-pl": [(5, {"article_id": "a-pl", "anchor": "odpowiedz"}), (6, {"article_id": "a-pl", "anchor": "kroki"})]}
    assert counterpart(chunks, chunks["a"][1][1], "a-pl") == 6
    assert counterpart(chunks, None, "a-pl") == 5 and counterpart(chunks, None, "none") is None


def test_corrections_need_one_clear_candidate():
    vocab = Vocabulary({"washing": 50, "washer": 45, "drain": 3, "filter": 9, "fitter": 8})
    assert vocab.correct("wasing") == "washing"
    assert vocab.correct("filtter") is None  # filter and fitter are as likely: no correction beats a wrong one
    assert vocab.correct("drain") is None and vocab.correct("abc") is None


def test_the_analyzer_never_corrects_a_real_word():
    from kb.search.query import QueryAnalyzer

    class Catalog:
        products, families = {}, {}

        def detect(self, text):
            return []

    analyzer = QueryAnalyzer(Catalog(), Vocabulary({"closed": 9, "washing": 9}), Vocabulary({}))
    assert analyzer.analyze("crossed").corrected == {}  # a word of English the knowledge base does not use
    assert analyzer.analyze("wasing").corrected == {"wasing": "washing"}
    typed = analyzer.analyze("wasing machine")
    assert typed.semantic_text == "wasing machine"  # the embedding reads what was typed
    assert typed.lexical_words == ["washing", "machine"] and typed.corrected_text == "washing machine"


def test_confidence_features_and_reports():
    hits = [{"score": 1.2, "lex": 1.0, "cos": 0.9, "both": True, "coverage": 1.0, "lang_match": True, "words": 3},
            {"score": 0.4}]
    rows = hit_features(hits)
    assert rows.shape == (2, len(FEATURES)) and rows[0][2] == pytest.approx(0.8) and rows[1][3] == 0.5
    assert Calibrator([0.0] * len(FEATURES)).confidences(hits) == [0.5, 0.5]
    meta = [{"rank": 0, "lang": "en"}, {"rank": 1, "lang": "en"}, {"rank": 0, "lang": "pl"}]
    precision, share, n = confident_precision([0.9, 0.95, 0.3], [1, 0, 0], meta)
    assert (precision, share, n) == (1.0, 0.5, 1)
    table = reliability([0.95, 0.9, 0.1], [1, 0, 0], bins=(0.0, 0.5, 1.0))
    assert table[1] == {"from": 0.5, "to": 1.0, "n": 2, "mean_confidence": 0.925, "right": 0.5}


def test_a_delta_s_groups_are_those_of_its_records_computed_from_the_full_version_s():
    full = {"a": {"lang": "en"}, "a-pl": {"group": "a", "lang": "pl"}, "a-pl-2": {"group": "a", "lang": "pl"},
            "b": {"lang": "en"}, "b-pl": {"group": "b", "lang": "pl"}, "c": {"lang": "en"}}
    cases = [(["a-pl-2"], {}),  # the later of two Polish members goes: the earlier one is the member again
             (["b", "b-pl"], {}),  # a whole group goes
             (["a"], {"a": {"lang": "en"}}),  # a source edited: it now comes after its translations
             (["c"], {"c": {"group": "b", "lang": "de"}, "d": {"group": "b", "lang": "pl"}})]  # regrouped, new
    for replaced, delta in cases:
        merged = {art: record for art, record in full.items() if art not in replaced} | delta
        assert layered_members(members(full), member_lists(full), full, replaced, delta) == members(merged)
