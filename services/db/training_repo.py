"""Reads and writes of training data: reading progress, quizzes, required reading, practice tickets."""

import json

from sqlalchemy import func, insert, select, update

from services.db import repo
from services.db.schema import (contacts, quizzes, reading_progress, required_reading, suggestions, usage, users)


def mark_read(conn, user_id, article_id):
    """Record that a person read an article (once)."""
    if not conn.execute(select(reading_progress.c.id).where(reading_progress.c.user_id == user_id,
                                                            reading_progress.c.article_id == article_id)).first():
        conn.execute(insert(reading_progress).values(user_id=user_id, article_id=article_id, read_at=repo.utcnow()))


def read_ids(conn, user_id):
    """Articles a person has read."""
    return {r[0] for r in conn.execute(select(reading_progress.c.article_id).where(reading_progress.c.user_id == user_id))}


def usage_counts(conn):
    """How often the team used each article (orders the troubleshooting stage of a path)."""
    return dict(conn.execute(select(usage.c.article_id, func.count()).group_by(usage.c.article_id)).all())


def save_quiz(conn, user_id, category, questions):
    """Store a generated quiz; return its id."""
    return conn.execute(insert(quizzes).values(user_id=user_id, category=category, total=len(questions),
                                               questions=json.dumps([q.to_dict() for q in questions]),
                                               created_at=repo.utcnow())).inserted_primary_key[0]


def get_quiz(conn, quiz_id, user_id):
    """A person's quiz with its questions, or None."""
    row = conn.execute(select(quizzes).where(quizzes.c.id == quiz_id, quizzes.c.user_id == user_id)).mappings().first()
    if row is None:
        return None
    data = dict(row)
    data["questions"] = json.loads(data["questions"])
    return data


def submit_quiz(conn, quiz_id, result, answers):
    """Store the score of a quiz (only the first submission counts)."""
    done = conn.execute(update(quizzes).where(quizzes.c.id == quiz_id, quizzes.c.submitted_at.is_(None)).values(
        submitted_at=repo.utcnow(), score=result["score"], passed=result["passed"], answers=json.dumps(answers)))
    return done.rowcount == 1


def scores(conn, user_id):
    """Best score and whether passed, per category."""
    out = {}
    for row in conn.execute(select(quizzes.c.category, quizzes.c.score, quizzes.c.total, quizzes.c.passed)
                            .where(quizzes.c.user_id == user_id, quizzes.c.submitted_at.is_not(None))):
        best = out.get(row.category)
        if best is None or row.score > best["score"]:
            out[row.category] = {"score": row.score, "total": row.total, "passed": bool(row.passed)}
        out[row.category]["passed"] = out[row.category]["passed"] or bool(row.passed)
    return out


def assign_reading(conn, article_id, version, categories, assigned_by):
    """Required reading for every active person working on one of the categories (or on all); return the count."""
    people = conn.execute(select(users.c.id, users.c.categories).where(users.c.active.is_(True))).all()
    chosen = [p.id for p in people if not p.categories.strip()
              or set(categories) & {c.strip() for c in p.categories.split(",")}]
    for user_id in chosen:
        conn.execute(insert(required_reading).values(article_id=article_id, version=version, user_id=user_id,
                                                     assigned_by=assigned_by, created_at=repo.utcnow()))
    return len(chosen)


def reading_for(conn, user_id):
    """A person's unacknowledged required reading."""
    rows = conn.execute(select(required_reading).where(required_reading.c.user_id == user_id,
                                                       required_reading.c.acknowledged_at.is_(None))
                        .order_by(required_reading.c.created_at)).mappings()
    return [dict(r) for r in rows]


def acknowledge(conn, reading_id, user_id):
    """Acknowledge one required reading; return whether it was open."""
    done = conn.execute(update(required_reading).where(required_reading.c.id == reading_id,
                                                       required_reading.c.user_id == user_id,
                                                       required_reading.c.acknowledged_at.is_(None))
                        .values(acknowledged_at=repo.utcnow()))
    return done.rowcount == 1


def reading_status(conn, article_id):
    """Who has and has not acknowledged the required reading of an article."""
    rows = conn.execute(select(users.c.username, required_reading.c.version, required_reading.c.acknowledged_at)
                        .select_from(required_reading.join(users, users.c.id == required_reading.c.user_id))
                        .where(required_reading.c.article_id == article_id).order_by(users.c.username)).all()
    return {"acknowledged": [r.username for r in rows if r.acknowledged_at],
            "pending": [r.username for r in rows if not r.acknowledged_at]}


def practice_tickets(conn, limit=50):
    """Past contacts with their redacted text, newest first."""
    rows = conn.execute(select(contacts.c.id, contacts.c.topic, contacts.c.channel, contacts.c.text_redacted,
                               contacts.c.created_at).where(contacts.c.text_redacted.is_not(None))
                        .order_by(contacts.c.created_at.desc()).limit(limit)).mappings()
    return [dict(r) for r in rows]


def practice_ticket(conn, contact_id):
    """One past contact: redacted text, what assist suggested, what the consultant used."""
    row = conn.execute(select(contacts).where(contacts.c.id == contact_id,
                                              contacts.c.text_redacted.is_not(None))).mappings().first()
    if row is None:
        return None
    suggested = [dict(r) for r in conn.execute(select(suggestions.c.article_id, suggestions.c.rank, suggestions.c.confidence)
                                               .where(suggestions.c.contact_id == contact_id)
                                               .order_by(suggestions.c.rank)).mappings()]
    used = [r[0] for r in conn.execute(select(usage.c.article_id).where(usage.c.contact_id == contact_id)
                                       .order_by(usage.c.created_at))]
    return {**dict(row), "suggested": suggested, "used": list(dict.fromkeys(used))}
