"""New-hire training from the knowledge base: learning paths and quizzes (pure functions over an index version).

A path for a category: its call script, then the procedures and policies every consultant needs, then the
category's troubleshooting articles (most used by the team first), then its FAQs. Writers steer the order with
``learning_order`` in an article's front matter (lower first).

A quiz question is an article's title (the symptom or the caller's question); the right answer is that article's
answer section; the wrong answers are the answer sections of the semantically closest *other* articles, so they
are plausible. Which option is right is only ever decided by the article the question was made from.
"""

import random
from dataclasses import dataclass, field

from kb.article import find_answer
from kb.render import to_text

STAGES = (("script", "Call script"), ("procedures", "Procedures and policies"),
          ("troubleshooting", "Troubleshooting, most used first"), ("faq", "Frequently asked questions"))
SERVICE_CATEGORIES = {"warranty", "orders", "account", "complaints", "contact-centre"}
PASS_SHARE = 0.8


def _order(record):
    return (record.get("learning_order") if record.get("learning_order") is not None else 1000, record["title"])


def for_learner(articles, lang="en"):
    """The published articles a learner reads in ``lang``: every article in that language, and the English ones
    that have no version in it yet (English is the knowledge base's source language)."""
    live = [a for a in articles.values() if a["status"] == "published"]
    covered = {a.get("translation_of") or a["id"] for a in live if a["lang"] == lang}
    return [a for a in live if a["lang"] == lang
            or (a["lang"] == "en" and (a.get("translation_of") or a["id"]) not in covered)]


def learning_path(articles, category, usage=None, lang="en"):
    """``[(stage id, stage name, [article records])]`` for one product category, in the learner's language."""
    usage = usage or {}
    live = for_learner(articles, lang)
    mine = [a for a in live if category in a["categories"]]
    general = [a for a in live if a["type"] in ("procedure", "policy") and set(a["categories"]) & SERVICE_CATEGORIES]
    stages = {
        "script": sorted((a for a in mine if a["type"] == "script"), key=_order),
        "procedures": sorted(general, key=_order),
        "troubleshooting": sorted((a for a in mine if a["type"] == "troubleshooting"),
                                  key=lambda a: (-usage.get(a["id"], 0),) + _order(a)),
        "faq": sorted((a for a in mine if a["type"] == "faq"), key=_order),
    }
    return [(key, name, stages[key]) for key, name in STAGES if stages[key]]


def answer_text(record, limit=320):
    """The answer section of an article as plain text, cut at a word boundary."""
    section = find_answer(record["sections"])
    text = to_text(section["markdown"]) if section else ""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


@dataclass
class Question:
    """One quiz question: options are (text, source article id); ``correct`` indexes the source article's option."""

    article_id: str
    prompt: str
    options: list = field(default_factory=list)
    correct: int = 0

    def to_dict(self):
        """Stored form (server side only: the page never sees which option is right)."""
        return {"article_id": self.article_id, "prompt": self.prompt, "options": self.options, "correct": self.correct}


def make_quiz(version, category, size=5, seed=None, lang="en", choices=4, neighbours=None):
    """Questions from the category's troubleshooting and FAQ articles, distractors from the nearest others.

    ``neighbours(article_id, candidates)`` orders candidate ids by closeness in meaning (the engine's
    ``neighbours``); without it the distractors are drawn at random.
    """
    rng = random.Random(seed)
    live = {a["id"]: a for a in for_learner(version.articles, lang) if a["type"] in ("troubleshooting", "faq")}
    sources = sorted(a for a, r in live.items() if category in r["categories"])
    questions = []
    for article_id in rng.sample(sources, min(size, len(sources))):
        right = answer_text(live[article_id])
        others = [a for a in sorted(live) if a != article_id]
        ordered = neighbours(article_id, others) if neighbours else rng.sample(others, len(others))
        options, seen = [(right, article_id)], {right}
        for other in ordered:
            text = answer_text(live[other])
            if text and text not in seen:
                options.append((text, other))
                seen.add(text)
            if len(options) == choices:
                break
        rng.shuffle(options)
        correct = next(i for i, (_, src) in enumerate(options) if src == article_id)
        questions.append(Question(article_id, live[article_id]["title"], [list(o) for o in options], correct))
    return questions


def grade(questions, answers):
    """Score a submitted quiz: ``answers`` maps question index to the chosen option index."""
    results = []
    for i, q in enumerate(questions):
        chosen = answers.get(i)
        results.append({"article_id": q["article_id"], "prompt": q["prompt"], "chosen": chosen,
                        "right": chosen == q["correct"] and q["options"][q["correct"]][1] == q["article_id"]})
    score = sum(r["right"] for r in results)
    total = len(questions)
    return {"score": score, "total": total, "passed": total > 0 and score / total >= PASS_SHARE, "results": results,
            "reread": [r["article_id"] for r in results if not r["right"]]}
