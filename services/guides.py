"""Guided troubleshooting on the phone: an article's steps one at a time, the path a call took, and its outcome
(the step that fixed it, where the call left the path, or an escalation with the steps already tried filled in).

A run is stored when it starts and updated at every move, so a call that simply stops (the caller hung up, the
page was closed) still shows where it left the path.

>>> guides = Guides(database, engine, escalations)                          # doctest: +SKIP
>>> run = guides.start("ww90t-not-draining", "consultant1", product="WW90T554DAW")   # doctest: +SKIP
"""

import json

from sqlalchemy import insert, select, update

from kb.guide import ESCALATE, guide_of
from kb.render import to_html, to_text
from services.db import repo
from services.db.schema import guide_runs
from services.errors import NotFound, ServiceError

OUTCOMES = ("resolved", "left", "escalated")
ANSWERS = ("next", "fixed", "not_fixed")  # and "choice:<n>" for the n-th branch of a step
ANSWER_WORDS = {"next": "step done", "fixed": "fixed it", "not_fixed": "did not fix it"}
DEFAULT_PATH = "tech-support-engineer"  # "the documented steps did not help" (escalation.yaml)


class Guides:
    """Guides from the live index; runs in the database; escalations through the escalation service."""

    def __init__(self, database, engine, escalations):
        self.database, self.engine, self.escalations = database, engine, escalations

    def _guide(self, article_id):
        record = self.engine.article(article_id) if isinstance(article_id, str) else None
        if record is None:
            raise NotFound("unknown_article", f"no published article {article_id!r}")
        guide = guide_of(record["sections"])
        if guide is None:
            raise NotFound("no_steps", f"the article {article_id!r} has no numbered steps to guide through")
        return record, guide

    def guide(self, article_id):
        """An article's steps as the guide page walks them: text, where "not fixed" leads, the choices."""
        record, guide = self._guide(article_id)
        path = self.escalation_path(record)
        steps = [{"number": s.number, "html": to_html(s.markdown), "text": to_text(s.markdown),
                  "not_fixed": s.not_fixed, "choices": [b.to_dict() for b in s.choices]} for s in guide.steps]
        return {"article_id": record["id"], "title": record["title"], "lang": record["lang"],
                "section": guide.anchor, "steps": steps, "escalation": path.to_dict() if path else None}

    def escalation_path(self, record):
        """Where an escalation from this article goes: its own path, else the technical support engineer."""
        matrix = self.engine.version.escalation
        return matrix.get(record.get("escalation") or "") or matrix.get(DEFAULT_PATH)

    def start(self, article_id, username, contact_ref=None, product=None, error_code=None):
        """Store a new run at step 1; return it."""
        _, guide = self._guide(article_id)
        now = repo.utcnow()
        with self.database.begin() as conn:
            run_id = conn.execute(insert(guide_runs).values(
                article_id=article_id, contact_id=repo.contact_id_of(conn, contact_ref), username=username,
                product=(product or "")[:60] or None, error_code=(error_code or "")[:20] or None,
                steps=len(guide.steps), step=1, path="[]", started_at=now, updated_at=now)).inserted_primary_key[0]
            return self._row(conn, run_id)

    def move(self, run_id, path, step):
        """Record the path so far (``[[step, answer], ...]``) and the step the call is at."""
        with self.database.begin() as conn:
            run = self._open_run(conn, run_id)
            _, guide = self._guide(run["article_id"])
            path = checked_step(guide, path, step)
            conn.execute(update(guide_runs).where(guide_runs.c.id == run_id).values(
                path=json.dumps(path), step=step, updated_at=repo.utcnow()))
            return self._row(conn, run_id)

    def finish(self, run_id, outcome, path, step, question=None, steps_tried=None):
        """End a run: resolved at a step, left at a step, or escalated (opening the escalation with the steps
        already tried); return the run, with the escalation when one was opened."""
        if outcome not in OUTCOMES:
            raise ServiceError("bad_outcome", f"outcome must be one of {', '.join(OUTCOMES)}")
        with self.database.connect() as conn:
            run = self._open_run(conn, run_id)
        record, guide = self._guide(run["article_id"])
        path = checked_step(guide, path, step)
        escalation = None
        if outcome == "escalated":
            tried = (steps_tried or "").strip() or tried_text(guide, path)
            caller = " ".join(filter(None, (run["product"], run["error_code"])))
            question = (question or "").strip() or record["title"] + (f" — {caller}" if caller else "")
            escalation = self.escalations.open(self.escalation_path(record).id, question,
                                               f"guided troubleshooting of {record['id']} did not fix it",
                                               run["contact_id"], steps_tried=tried)
        now = repo.utcnow()
        with self.database.begin() as conn:
            conn.execute(update(guide_runs).where(guide_runs.c.id == run_id).values(
                path=json.dumps(path), step=step, outcome=outcome, updated_at=now, finished_at=now,
                escalation_id=escalation["id"] if escalation else None))
            return {**self._row(conn, run_id), "escalation": escalation}

    def _open_run(self, conn, run_id):
        run = self._row(conn, run_id)
        if run is None:
            raise NotFound("unknown_run", f"no guided run {run_id}")
        if run["outcome"] is not None:
            raise ServiceError("run_finished", f"guided run {run_id} has ended ({run['outcome']})", 409)
        return run

    @staticmethod
    def _row(conn, run_id):
        row = conn.execute(select(guide_runs).where(guide_runs.c.id == run_id)).mappings().first()
        return {**dict(row), "path": json.loads(row["path"])} if row else None


def checked_step(guide, path, step):
    """The checked path of a run (``checked_path``), with ``step`` a step of the guide."""
    path = checked_path(guide, path)
    if guide.step(step) is None:
        raise ServiceError("bad_step", f"step must be a number from 1 to {len(guide.steps)}")
    return path


def checked_path(guide, path):
    """A path as ``[[step, answer], ...]`` with known steps and answers (a 400 names what is wrong)."""
    if not isinstance(path, list) or len(path) > 200:
        raise ServiceError("bad_path", "path must be a list of [step, answer] pairs")
    out = []
    for item in path:
        if not (isinstance(item, list) and len(item) == 2 and guide.step(item[0]) is not None):
            raise ServiceError("bad_path", f"path items are [step, answer] with a step from 1 to {len(guide.steps)}")
        number, answer = item
        choice = answer.split(":", 1)[1] if isinstance(answer, str) and answer.startswith("choice:") else None
        if answer not in ANSWERS and not (choice and choice.isdigit()
                                          and 1 <= int(choice) <= len(guide.step(number).choices)):
            raise ServiceError("bad_path", f"answer of step {number} must be next, fixed, not_fixed or choice:<n>")
        out.append([number, answer])
    return out


def tried_text(guide, path):
    """The steps already tried, one line each, for the engineer who takes the escalation."""
    lines = []
    for number, answer in path:
        step = guide.step(number)
        first = to_text(step.markdown).split("\n")[0]
        if answer.startswith("choice:"):
            branch = step.choices[int(answer.split(":")[1]) - 1]
            said = f"{branch.condition}" + (" (escalate)" if branch.target == ESCALATE else "")
        else:
            said = ANSWER_WORDS[answer]
        lines.append(f"{number}. {first} — {said}")
    return "\n".join(lines)
