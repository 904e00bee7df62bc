"""Escalations and follow-up calls: open one with the path's SLA, list them, answer as the engineer (the answer
becomes a draft article for writers), and record the follow-up call's outcome.

>>> escalations = Escalations(database, engine, authoring)                     # doctest: +SKIP
>>> escalations.open("tech-support-engineer", "TV reboots after update").id    # doctest: +SKIP
"""

import datetime as dt

from kb.front_matter import dump
from services.db import repo
from services.errors import NotFound, ServiceError

STATUSES = ("open", "answered", "closed")
OUTCOMES = ("solved", "not-solved", "unreachable")  # how a follow-up call ended
UPCOMING_DAYS = 7


class Escalations:
    """The escalation matrix from the engine, rows in the database, drafts through the authoring workflow."""

    def __init__(self, database, engine, authoring):
        self.database, self.engine, self.authoring = database, engine, authoring

    def path(self, path_id):
        """An escalation path of the live matrix, or a 400 naming the known ones."""
        path = self.engine.version.escalation.get(path_id)
        if path is None:
            raise ServiceError("unknown_path", f"no escalation path {path_id!r}; use one of "
                               + ", ".join(sorted(self.engine.version.escalation)))
        return path

    def open(self, path_id, question, reason=None, contact_ref=None, opened_by=None, steps_tried=None):
        """Open an escalation due ``sla_hours`` from now (with the steps already tried, for the engineer); return
        its row."""
        path = self.path(path_id)
        if not (question or "").strip():
            raise ServiceError("missing_question", "question is required: what should the team answer?")
        with self.database.begin() as conn:
            return repo.open_escalation(conn, path, reason or path.when, question.strip(), repo.utcnow(),
                                        repo.contact_id_of(conn, contact_ref), opened_by, steps_tried)

    def list(self, status=None):
        """Escalations, overdue first."""
        if status not in (None, *STATUSES):
            raise ServiceError("bad_status", "status must be open, answered or closed")
        with self.database.connect() as conn:
            return repo.list_escalations(conn, repo.utcnow(), status)

    def get(self, esc_id):
        """One escalation, or NotFound."""
        with self.database.connect() as conn:
            row = repo.get_escalation(conn, esc_id)
        if row is None:
            raise NotFound("unknown_escalation", f"no escalation {esc_id}")
        return row

    def answer(self, esc_id, answer, engineer):
        """Store the engineer's answer, schedule the follow-up call, and offer the answer as a draft article."""
        if not (answer or "").strip():
            raise ServiceError("missing_answer", "answer is required")
        with self.database.begin() as conn:
            row = repo.get_escalation(conn, esc_id)
            if row is None:
                raise NotFound("unknown_escalation", f"no escalation {esc_id}")
            if row["status"] != "open":
                raise ServiceError("already_answered", f"escalation {esc_id} was answered already", 409)
            path = self.engine.version.escalation.get(row["path_id"])
            draft_id = f"esc-{esc_id}-answer"
            row = repo.answer_escalation(conn, esc_id, answer, engineer, repo.utcnow(),
                                         path.follow_up_days if path else None, draft_id)
            self.authoring.stage(conn, draft_text(row, answer, engineer, path), engineer, role="engineer",
                                 comment=f"answer to escalation {esc_id}")
        self.authoring.publish_pending()
        return row

    def followups_due(self, day=None):
        """Callbacks due on or before a day (default today), overdue first."""
        with self.database.connect() as conn:
            return repo.followups_due(conn, day or dt.date.today())

    def followups_ahead(self, today=None, days=UPCOMING_DAYS):
        """``(due, upcoming)``: callbacks due by today (overdue first), and those of the next ``days`` days."""
        today = today or dt.date.today()
        with self.database.connect() as conn:
            rows = repo.followups_due(conn, today + dt.timedelta(days=days))
        for row in rows:
            row["overdue"] = row["due_date"] < today
        return [r for r in rows if r["due_date"] <= today], [r for r in rows if r["due_date"] > today]

    def complete_followup(self, followup_id, note=None, outcome=None):
        """Record the follow-up call with its outcome; the escalation it followed up is closed."""
        if outcome is not None and outcome not in OUTCOMES:
            raise ServiceError("bad_outcome", f"outcome must be one of {', '.join(OUTCOMES)}")
        with self.database.begin() as conn:
            if not repo.complete_followup(conn, followup_id, repo.utcnow(), note, outcome):
                raise NotFound("unknown_followup", f"no due follow-up {followup_id}")
        return {"id": followup_id, "status": "done", "outcome": outcome}


def draft_text(escalation, answer, engineer, path=None):
    """The Markdown of a draft article made from an engineer's answer (status draft, owned by the engineer)."""
    question = " ".join((escalation.get("question") or "Escalated question").split())
    front = {"id": f"esc-{escalation['id']}-answer", "title": question[:120], "type": "faq", "status": "draft",
             "owner": engineer, "tags": ["escalation", f"escalation-{escalation['id']}"],
             **({"escalation": path.id} if path else {})}
    body = (f"\n## Answer\n\n{answer.strip()}\n\n## Source\n\nAnswer of {engineer} to escalation {escalation['id']} "
            f"({escalation['path_id']}); review and edit before publishing.\n")
    return dump(front, body)
