"""Learning paths and quizzes from real index versions (the fixture, and the sample for the quizzes); distractors
come from the engine's ``neighbours`` (grading is in tests/unit/test_training.py)."""

import numpy as np
import pytest

from kb.training import learning_path, make_quiz


def test_path_order_script_procedures_troubleshooting_by_use_faqs(engine):
    stages = learning_path(engine.version.articles, "washing-machine", usage={"ww90t-4c-water-supply": 9})
    assert [s[0] for s in stages] == ["script", "procedures", "troubleshooting"]
    assert [a["id"] for a in stages[0][2]] == ["washer-call-script"]
    assert {a["id"] for a in stages[1][2]} == {"warranty-policy", "repair-registration", "identity-verification"}
    assert [a["id"] for a in stages[2][2]][0] == "ww90t-4c-water-supply"  # the most used comes first


def test_learning_order_front_matter_steers_the_path(sample_engine):
    procedures = [a["id"] for a in learning_path(sample_engine.version.articles, "tv")[1][2]]
    orders = [sample_engine.version.articles[a].get("learning_order") for a in procedures]
    known = [o for o in orders if o is not None]
    assert known == sorted(known) and procedures.index("repair-callback") > procedures.index("identity-verification")


@pytest.mark.quality
def test_no_answer_is_right_unless_it_comes_from_the_question_article(sample_engine):
    categories = {p.category for p in sample_engine.catalog.products.values()}
    checked = 0
    for category in sorted(categories):
        for seed in range(3):
            for q in make_quiz(sample_engine.version, category, size=5, seed=seed, neighbours=sample_engine.neighbours):
                assert q.options[q.correct][1] == q.article_id
                assert [src for _, src in q.options].count(q.article_id) == 1
                assert len(q.options) == 4 and len({t for t, _ in q.options}) == 4
                checked += 1
    assert checked >= 200


def test_distractors_are_close_in_meaning_not_random(sample_engine):
    version = sample_engine.version
    rows = version.answer_rows()
    for seed in range(5):
        q = make_quiz(version, "washing-machine", size=1, seed=seed, neighbours=sample_engine.neighbours)[0]
        wrong = {src for _, src in q.options} - {q.article_id}
        sims = version.vectors @ version.vectors[rows[q.article_id]]
        answer_sims = sims[list(rows.values())]
        # each distractor's answer is closer to the right answer than nine in ten of all answers are
        assert all(sims[rows[w]] >= np.quantile(answer_sims, 0.9) for w in wrong), (q.article_id, wrong)


def test_a_polish_learner_gets_the_polish_version_of_an_article_and_english_where_there_is_none(sample_engine):
    articles = sample_engine.version.articles
    english = [a["id"] for _, _, arts in learning_path(articles, "washing-machine") for a in arts]
    polish = [a for _, _, arts in learning_path(articles, "washing-machine", lang="pl") for a in arts]
    assert all(articles[a]["lang"] == "en" for a in english)
    assert [a["id"] for a in polish if a["lang"] == "pl"] and len(polish) == len(english)
    sources = {a.get("translation_of") for a in polish if a["lang"] == "pl"}
    assert not sources & {a["id"] for a in polish}  # never the English source beside its Polish version
    quiz = make_quiz(sample_engine.version, "washing-machine", 5, seed=1, lang="pl", neighbours=sample_engine.neighbours)
    assert quiz and all(articles[q.article_id]["lang"] == "pl" or q.article_id not in
                        {a.get("translation_of") for a in articles.values() if a["lang"] == "pl"} for q in quiz)
    assert any(articles[q.article_id]["lang"] == "pl" for q in quiz)
