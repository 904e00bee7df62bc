"""Reads of what happened with contacts and results, for ranking that learns from use and for the rewrite-first
list: result lists shown, articles used, votes, follow-up answers, repeat contacts, guided runs.

Every function takes a connection and a ``since`` datetime and returns plain rows.
"""

import json

from sqlalchemy import select

from kb.outcomes import ContactFacts
from services.db.schema import contacts, feedback, followups, guide_runs, search_events, usage

USED_ACTIONS = ("used", "copied")
ANSWERED = {"solved": "fixed", "not-solved": "not_fixed"}  # a follow-up call's outcome; "unreachable" says nothing


def contact_facts(conn, since, catalog):
    """Contacts since a time with their customer, product families and topic (for repeat contacts)."""
    rows = conn.execute(select(contacts.c.id, contacts.c.created_at, contacts.c.customer_key, contacts.c.products,
                               contacts.c.topic).where(contacts.c.created_at >= since)).all()
    out = []
    for row in rows:
        codes = json.loads(row.products or "[]")
        families = tuple(sorted({catalog.products[c].family for c in codes if c in catalog.products}))
        out.append(ContactFacts(row.id, row.created_at, row.customer_key, families, row.topic))
    return out


def used_by_contact(conn, since):
    """``{contact id: [(article id, action, when)]}`` of articles used or copied for a contact."""
    out = {}
    for row in conn.execute(select(usage.c.contact_id, usage.c.article_id, usage.c.action, usage.c.created_at)
                            .where(usage.c.created_at >= since, usage.c.contact_id.is_not(None),
                                   usage.c.action.in_(USED_ACTIONS)).order_by(usage.c.id)):
        out.setdefault(row.contact_id, []).append((row.article_id, row.action, row.created_at))
    return out


def followup_answers(conn, since):
    """``{contact id: ("fixed" | "not_fixed", when)}``: the latest answer to "is everything working?" per contact."""
    out = {}
    for row in conn.execute(select(followups.c.contact_id, followups.c.outcome, followups.c.done_at)
                            .where(followups.c.outcome.in_(tuple(ANSWERED)), followups.c.contact_id.is_not(None),
                                   followups.c.created_at >= since).order_by(followups.c.done_at, followups.c.id)):
        out[row.contact_id] = (ANSWERED[row.outcome], row.done_at)
    return out


def shown(conn, since):
    """Result lists shown (searches and assisted contacts): query, filters, ids in order, contact, when."""
    rows = conn.execute(select(search_events.c.kind, search_events.c.query, search_events.c.filters,
                               search_events.c.results, search_events.c.contact_id, search_events.c.created_at,
                               search_events.c.used_article)
                        .where(search_events.c.created_at >= since,
                               search_events.c.kind.in_(("search", "assist", "use")))
                        .order_by(search_events.c.created_at, search_events.c.id))
    return [{"kind": r.kind, "query": r.query, "filters": json.loads(r.filters or "{}"),
             "results": json.loads(r.results or "[]"), "contact_id": r.contact_id, "when": r.created_at,
             "used_article": r.used_article} for r in rows]


def votes(conn, since):
    """Helpful / not helpful / flags with their query or contact."""
    rows = conn.execute(select(feedback.c.article_id, feedback.c.helpful, feedback.c.flag, feedback.c.query,
                               feedback.c.contact_id, feedback.c.created_at).where(feedback.c.created_at >= since))
    return [dict(r._mapping) for r in rows]


def guided(conn, since):
    """Finished guided runs tied to a contact: article, outcome, step."""
    rows = conn.execute(select(guide_runs.c.contact_id, guide_runs.c.article_id, guide_runs.c.outcome,
                               guide_runs.c.updated_at)
                        .where(guide_runs.c.started_at >= since, guide_runs.c.contact_id.is_not(None),
                               guide_runs.c.outcome.in_(("resolved", "escalated"))))
    return [dict(r._mapping) for r in rows]
