"""Grading a quiz: only the article a question was made from counts as right."""

from kb.training import PASS_SHARE, answer_text, grade


def test_grading_counts_only_the_source_article():
    questions = [{"article_id": "a", "prompt": "?", "options": [["x", "b"], ["y", "a"]], "correct": 1},
                 {"article_id": "c", "prompt": "?", "options": [["z", "c"], ["w", "d"]], "correct": 0}]
    result = grade(questions, {0: 1, 1: 1})
    assert (result["score"], result["passed"], result["reread"]) == (1, False, ["c"])
    tampered = [dict(questions[0], correct=0)]  # a stored "correct" pointing at another article never counts
    assert grade(tampered, {0: 0})["score"] == 0


def test_pass_mark_and_unanswered_questions():
    questions = [{"article_id": str(i), "prompt": "?", "options": [["t", str(i)], ["f", "x"]], "correct": 0}
                 for i in range(5)]
    assert grade(questions, {i: 0 for i in range(4)})["passed"] is (4 / 5 >= PASS_SHARE)
    assert grade(questions, {})["score"] == 0 and grade([], {})["passed"] is False


def test_answer_text_is_cut_at_a_word_boundary():
    record = {"sections": [{"anchor": "answer", "heading": "Answer", "markdown": "word " * 200}]}
    text = answer_text(record, limit=50)
    assert text.endswith(" …") and len(text) <= 52 and "wor …" not in text
