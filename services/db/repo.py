"""Reads and writes of the contact database; every function takes a connection inside a transaction.

>>> with db.engine.begin() as conn:                       # doctest: +SKIP
...     contact_id = record_contact(conn, request, result, now)
"""

import datetime as dt
import json

from sqlalchemy import and_, case, func, insert, select, update

from services.db.schema import contacts, escalations, feedback, followups, review_tasks, suggestions, usage
from kb.assist.ticket import redact


def utcnow():
    """Naive UTC now (both databases store naive timestamps here)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def topic_of(detected):
    """A contact's topic for weekly reviews: product category (or contact category) and intent."""
    area = (detected.get("product_categories") or [detected["category"]])[0]
    return f"{area}/{detected['intent']}"


def record_contact(conn, request, result, now, customer_key=None):
    """Store one assisted contact and its suggestions; return the contact's id."""
    top = result.answers[0] if result.answers else None
    ref = (request.contact_id or "").strip() or None  # an empty id is no id: it must not collide with another
    values = dict(
        contact_ref=ref, channel=request.channel, customer_type=request.customer_type,
        lang=result.detected["lang"], category=result.detected["category"], intent=result.detected["intent"],
        topic=topic_of(result.detected), products=json.dumps(result.detected["products"]),
        subject=(request.subject or "")[:500], top_article=top["article_id"] if top else None,
        top_confidence=top["confidence"] if top else None,
        escalation_path=result.escalation["id"] if result.escalation else None, created_at=now,
        text_redacted=redact(result.text)[:5000] if result.text else None, customer_key=customer_key)
    existing = conn.execute(select(contacts.c.id).where(contacts.c.contact_ref == ref)).scalar() if ref else None
    if existing:  # the same contact assisted again: update it in place, so its feedback and usage stay linked
        conn.execute(suggestions.delete().where(suggestions.c.contact_id == existing))
        conn.execute(update(contacts).where(contacts.c.id == existing).values(**values))
        contact_id = existing
    else:
        contact_id = conn.execute(insert(contacts).values(**values)).inserted_primary_key[0]
    if result.answers:
        conn.execute(insert(suggestions), [
            {"contact_id": contact_id, "article_id": a["article_id"], "rank": i, "confidence": a["confidence"],
             "created_at": now} for i, a in enumerate(result.answers, 1)])
    return contact_id


def contact_id_of(conn, ref):
    """Internal id of a contact given its id or the client's contact_id; None when unknown."""
    if ref is None:
        return None
    found = conn.execute(select(contacts.c.id).where(contacts.c.contact_ref == str(ref))).scalar()
    if found is None and str(ref).isdigit():
        found = conn.execute(select(contacts.c.id).where(contacts.c.id == int(ref))).scalar()
    return found


def add_usage(conn, article_id, action, contact_id, now):
    """Record that a consultant used (copied, opened) an article."""
    return conn.execute(insert(usage).values(article_id=article_id, action=action, contact_id=contact_id,
                                             created_at=now)).inserted_primary_key[0]


def add_feedback(conn, article_id, helpful, now, contact_id=None, query=None, flag=None, comment=None, owner=None,
                 created_by=None):
    """Store feedback; a flag (wrong, outdated, unclear, missing step) also opens a review task for the owner."""
    feedback_id = conn.execute(insert(feedback).values(
        article_id=article_id, helpful=helpful, flag=flag, comment=comment, query=query, contact_id=contact_id,
        created_at=now, created_by=created_by)).inserted_primary_key[0]
    task_id = None
    if flag:
        reason = f"Flagged as {flag.replace('-', ' ')} by {created_by or 'a consultant'}" + (f": {comment}" if comment else "")
        task_id = conn.execute(insert(review_tasks).values(
            article_id=article_id, owner=owner, reason=reason, feedback_id=feedback_id, status="open",
            created_at=now)).inserted_primary_key[0]
    return feedback_id, task_id


def open_escalation(conn, path, reason, question, now, contact_id=None, opened_by=None, steps_tried=None):
    """Open an escalation due ``sla_hours`` from now; return its row."""
    esc_id = conn.execute(insert(escalations).values(
        contact_id=contact_id, path_id=path.id, team=path.team, reason=reason, question=question or "",
        status="open", created_at=now, due_at=now + dt.timedelta(hours=path.sla_hours),
        opened_by=opened_by, steps_tried=steps_tried or None)).inserted_primary_key[0]
    return get_escalation(conn, esc_id)


def get_escalation(conn, esc_id):
    """One escalation as a dict, or None."""
    row = conn.execute(select(escalations).where(escalations.c.id == esc_id)).mappings().first()
    return dict(row) if row else None


def list_escalations(conn, now, status=None):
    """Escalations, overdue first, then by due time."""
    overdue = case((and_(escalations.c.status == "open", escalations.c.due_at < now), 0), else_=1)
    query = select(escalations).order_by(overdue, escalations.c.due_at, escalations.c.id)
    if status:
        query = query.where(escalations.c.status == status)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    for row in rows:
        row["overdue"] = row["status"] == "open" and row["due_at"] < now
    return rows


def answer_escalation(conn, esc_id, answer, answered_by, now, follow_up_days=None, draft_article_id=None):
    """Store the engineer's answer; schedule the follow-up call when the path has one."""
    conn.execute(update(escalations).where(escalations.c.id == esc_id).values(
        status="answered", answer=answer, answered_by=answered_by, answered_at=now, draft_article_id=draft_article_id))
    row = get_escalation(conn, esc_id)
    if follow_up_days:
        kind = "repair-callback" if row["path_id"] == "repair-service-centre" else "fix-callback"
        conn.execute(insert(followups).values(
            contact_id=row["contact_id"], escalation_id=esc_id, kind=kind, status="due", created_at=now,
            due_date=(now + dt.timedelta(days=follow_up_days)).date()))
    return row


def followups_due(conn, day):
    """Callbacks due on or before ``day`` and not done, oldest first (with the escalation they follow up)."""
    query = (select(followups, contacts.c.contact_ref, contacts.c.subject, escalations.c.question,
                    escalations.c.answer, escalations.c.path_id)
             .select_from(followups.outerjoin(contacts, followups.c.contact_id == contacts.c.id)
                          .outerjoin(escalations, followups.c.escalation_id == escalations.c.id))
             .where(followups.c.status == "due", followups.c.due_date <= day)
             .order_by(followups.c.due_date, followups.c.id))
    rows = [dict(r) for r in conn.execute(query).mappings()]
    for row in rows:
        row["overdue"] = row["due_date"] < day
    return rows


def complete_followup(conn, followup_id, now, note=None, outcome=None):
    """Mark a callback done with its outcome, and close the escalation it followed up; return whether it existed."""
    escalation_id = conn.execute(select(followups.c.escalation_id).where(
        followups.c.id == followup_id, followups.c.status == "due")).scalar()
    result = conn.execute(update(followups).where(followups.c.id == followup_id, followups.c.status == "due")
                          .values(status="done", done_at=now, note=note, outcome=outcome))
    if result.rowcount == 1 and escalation_id is not None:
        conn.execute(update(escalations).where(escalations.c.id == escalation_id).values(status="closed"))
    return result.rowcount == 1


def open_review_tasks(conn, article_id=None):
    """Open review tasks (flagged articles)."""
    query = select(review_tasks).where(review_tasks.c.status == "open").order_by(review_tasks.c.created_at)
    if article_id:
        query = query.where(review_tasks.c.article_id == article_id)
    return [dict(r) for r in conn.execute(query).mappings()]


def count(conn, table):
    """Row count of a table."""
    return conn.execute(select(func.count()).select_from(table)).scalar()
