"""Learning paths and quizzes from the knowledge base (the real sample, and the fixture for the pages)."""

import pytest

from kb.training import grade, learning_path, make_quiz


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
            for q in make_quiz(sample_engine.version, category, size=5, seed=seed):
                assert q.options[q.correct][1] == q.article_id
                assert [src for _, src in q.options].count(q.article_id) == 1
                assert len(q.options) == 4 and len({t for t, _ in q.options}) == 4
                checked += 1
    assert checked >= 200


def test_distractors_are_close_in_meaning_not_random(sample_engine):
    import numpy as np

    version = sample_engine.version
    q = make_quiz(version, "washing-machine", size=1, seed=1)[0]
    wrong = {src for _, src in q.options} - {q.article_id}
    rows = {c["article_id"]: i for i, c in enumerate(version.chunks)}
    sims = version.vectors @ version.vectors[rows[q.article_id]]
    mean_all = float(np.mean(sims))
    assert all(sims[rows[w]] > mean_all for w in wrong)


def test_grading_counts_only_the_source_article():
    questions = [{"article_id": "a", "prompt": "?", "options": [["x", "b"], ["y", "a"]], "correct": 1},
                 {"article_id": "c", "prompt": "?", "options": [["z", "c"], ["w", "d"]], "correct": 0}]
    result = grade(questions, {0: 1, 1: 1})
    assert (result["score"], result["passed"], result["reread"]) == (1, False, ["c"])
    tampered = [dict(questions[0], correct=0)]  # a stored "correct" pointing at another article never counts
    assert grade(tampered, {0: 0})["score"] == 0
