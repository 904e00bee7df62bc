"""New-hire training: learning paths with progress, quizzes (generated, graded, stored), required reading and
practice tickets; one place for the rules the pages (and any API) follow.

>>> training = Training(database, engine)                  # doctest: +SKIP
>>> training.overview(user)["rows"][0]["total"]            # doctest: +SKIP
"""

import random

from kb.training import grade, learning_path, make_quiz
from services.db import training_repo
from services.errors import NotFound

QUIZ_SIZE = 5


class Training:
    """Paths and quizzes from the live index version; progress, scores and reading in the database."""

    def __init__(self, database, engine):
        self.database, self.engine = database, engine

    def categories(self):
        """Product categories that have products, in display order."""
        catalog = self.engine.catalog
        used = {p.category for p in catalog.products.values()}
        return [c for c in sorted(catalog.categories.values(), key=lambda c: (c.group_name, c.name)) if c.id in used]

    def category(self, category_id):
        """A category of the catalog, or NotFound."""
        found = self.engine.catalog.categories.get(category_id)
        if found is None:
            raise NotFound("unknown_category", f"no category {category_id!r}")
        return found

    def titles(self):
        """Article id -> title of the live version."""
        return {a: r["title"] for a, r in self.engine.version.articles.items()}

    def overview(self, user, lang="en"):
        """Every category's path with this person's progress (in their language), and their required reading."""
        with self.database.connect() as conn:
            read, scores = training_repo.read_ids(conn, user["id"]), training_repo.scores(conn, user["id"])
            reading = training_repo.reading_for(conn, user["id"])
        rows = []
        for category in self.categories():
            ids = [a["id"] for _, _, arts in learning_path(self.engine.version.articles, category.id, lang=lang)
                   for a in arts]
            rows.append({"category": category, "total": len(ids), "read": len(read & set(ids)),
                         "score": scores.get(category.id)})
        return {"rows": rows, "reading": reading}

    def path(self, user, category_id, lang="en"):
        """One category's path (script, procedures, most-used troubleshooting, FAQs) in the learner's language,
        with progress and score."""
        category = self.category(category_id)
        with self.database.connect() as conn:
            read = training_repo.read_ids(conn, user["id"])
            stages = learning_path(self.engine.version.articles, category_id, training_repo.usage_counts(conn), lang)
            score = training_repo.scores(conn, user["id"]).get(category_id)
        return {"category": category, "stages": stages, "read": read, "score": score}

    def mark_read(self, user, article_id):
        """Tick an article of a path as read."""
        if self.engine.article(article_id) is None:  # a draft answers as a missing id: no existence oracle
            raise NotFound("unknown_article", f"no article {article_id!r}")
        with self.database.begin() as conn:
            training_repo.mark_read(conn, user["id"], article_id)

    def new_quiz(self, user, category_id, lang="en"):
        """Generate a quiz for a category in the learner's language (options in random order) and store it; return
        its id."""
        self.category(category_id)
        questions = make_quiz(self.engine.version, category_id, QUIZ_SIZE, seed=random.SystemRandom().random(),
                              lang=lang, neighbours=self.engine.neighbours)
        if not questions:
            raise NotFound("no_quiz", "This category has no troubleshooting or FAQ articles to make a quiz from yet.")
        with self.database.begin() as conn:
            return training_repo.save_quiz(conn, user["id"], category_id, questions)

    def quiz(self, user, quiz_id, answers=None):
        """A person's quiz; with ``answers`` (question index -> option index) it is graded, once."""
        with self.database.begin() as conn:
            data = training_repo.get_quiz(conn, quiz_id, user["id"])
            if data is None:
                raise NotFound("unknown_quiz", f"no quiz {quiz_id}")
            result = None
            if answers is not None and data["submitted_at"] is None:
                result = grade(data["questions"], answers)
                training_repo.submit_quiz(conn, quiz_id, result, answers)
        return data, result

    def reading(self, user):
        """Required reading not yet acknowledged."""
        with self.database.connect() as conn:
            return training_repo.reading_for(conn, user["id"])

    def acknowledge(self, user, reading_id):
        """Acknowledge having read a changed article."""
        with self.database.begin() as conn:
            if not training_repo.acknowledge(conn, reading_id, user["id"]):
                raise NotFound("unknown_reading", f"no open required reading {reading_id}")

    def reading_status(self, article_id):
        """Who has and has not acknowledged an important change."""
        with self.database.connect() as conn:
            return training_repo.reading_status(conn, article_id)

    def practice(self, contact_id=None):
        """Past tickets (personal data removed), or one with what assist suggested and what was used."""
        with self.database.connect() as conn:
            if contact_id is None:
                return training_repo.practice_tickets(conn)
            ticket = training_repo.practice_ticket(conn, contact_id)
        if ticket is None:
            raise NotFound("unknown_ticket", f"no practice ticket {contact_id}")
        return ticket
