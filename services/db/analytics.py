"""Analytics queries for the team lead: queries, content gaps, articles, contact volumes and topic spikes."""

import datetime as dt
import json
from collections import Counter

from sqlalchemy import func, select

from services.db.schema import contacts, escalations, feedback, followups, guide_runs, search_events, usage
from kb.analytics import WINDOW, detect_spike, week_start, weekly_series
from kb.assist.rules import LOW_CONFIDENCE

GOOD_ANSWER = LOW_CONFIDENCE  # one threshold: a contact or search is answered when assist would not escalate it


def _between(column, start, end):
    return column.between(dt.datetime.combine(start, dt.time.min), dt.datetime.combine(end, dt.time.max))


def top_queries(conn, start, end, limit=20):
    """Most frequent search queries."""
    q = func.lower(search_events.c.query)
    rows = conn.execute(select(q.label("query"), func.count().label("count"))
                        .where(search_events.c.kind == "search", _between(search_events.c.created_at, start, end))
                        .group_by(q).order_by(func.count().desc(), q).limit(limit))
    return [dict(r._mapping) for r in rows]


def content_gaps(conn, start, end, limit=20):
    """Queries and contacts with no good answer (no hits, or top confidence under 0.5)."""
    q = func.lower(search_events.c.query)
    weak = (search_events.c.hits == 0) | (search_events.c.top_confidence < GOOD_ANSWER)
    rows = conn.execute(select(q.label("query"), search_events.c.kind, func.count().label("count"),
                               func.max(search_events.c.top_confidence).label("best_confidence"))
                        .where(weak, _between(search_events.c.created_at, start, end))
                        .group_by(q, search_events.c.kind).order_by(func.count().desc(), q).limit(limit))
    return [dict(r._mapping) for r in rows]


def article_stats(conn, start, end, limit=50):
    """Articles by use, with helpful and unhelpful votes and flags."""
    used = dict(conn.execute(select(usage.c.article_id, func.count()).where(_between(usage.c.created_at, start, end))
                             .group_by(usage.c.article_id)).all())
    votes = {}
    for article_id, helpful, flag, n in conn.execute(
            select(feedback.c.article_id, feedback.c.helpful, feedback.c.flag, func.count())
            .where(_between(feedback.c.created_at, start, end))
            .group_by(feedback.c.article_id, feedback.c.helpful, feedback.c.flag)):
        entry = votes.setdefault(article_id, {"helpful": 0, "not_helpful": 0, "flagged": 0})
        entry["helpful" if helpful else "not_helpful"] += n
        entry["flagged"] += n if flag else 0
    out = []
    for article_id in set(used) | set(votes):
        v = votes.get(article_id, {"helpful": 0, "not_helpful": 0, "flagged": 0})
        rated = v["helpful"] + v["not_helpful"]
        out.append({"article_id": article_id, "used": used.get(article_id, 0), **v,
                    "helpful_share": round(v["helpful"] / rated, 3) if rated else None})
    out.sort(key=lambda r: (-r["used"], r["article_id"]))
    return out[:limit]


def contacts_per_week(conn, start, end, category=None):
    """Contacts per week by contact category and by intent."""
    query = select(contacts.c.created_at, contacts.c.category, contacts.c.intent).where(
        _between(contacts.c.created_at, start, end))
    if category:
        query = query.where(contacts.c.category == category)
    rows = conn.execute(query).all()
    by_category, weeks = weekly_series([(r[0], r[1]) for r in rows], start, end)
    by_intent, _ = weekly_series([(r[0], r[2]) for r in rows], start, end)
    return {"weeks": [w.isoformat() for w in weeks], "by_category": by_category, "by_intent": by_intent}


def topic_spikes(conn, end, category=None, good_answer=GOOD_ANSWER):
    """Topics of the week ending at ``end`` checked against their trailing mean; spikes first."""
    this_week = week_start(end)
    start = this_week - dt.timedelta(weeks=WINDOW)
    query = select(contacts.c.created_at, contacts.c.topic, contacts.c.top_confidence, contacts.c.top_article,
                   contacts.c.id).where(_between(contacts.c.created_at, start, this_week + dt.timedelta(days=6)))
    if category:
        query = query.where(contacts.c.category == category)
    rows = conn.execute(query).all()
    series, weeks = weekly_series([(r[0], r[1]) for r in rows], start, this_week)
    current = [r for r in rows if week_start(r[0]) == this_week]
    used, rejected = _outcomes(conn, [r[4] for r in current])
    out = []
    for topic, counts in series.items():
        mine = [r for r in current if r[1] == topic]
        good = [r for r in mine if _answered(r, used, rejected, good_answer)]
        answered = len(good)
        articles = Counter(used.get(r[4]) or r[3] for r in good if used.get(r[4]) or r[3]).most_common(3)
        out.append({"topic": topic, **detect_spike(counts), "weekly": counts,
                    "covered": bool(mine) and answered / len(mine) >= 0.5,
                    "answered_share": round(answered / len(mine), 3) if mine else None,
                    "top_articles": [a for a, _ in articles]})
    out.sort(key=lambda r: (not r["spike"], -r["count"], r["topic"]))
    return {"week": this_week.isoformat(), "weeks": [w.isoformat() for w in weeks], "topics": out}


def _outcomes(conn, contact_ids):
    """For contacts: ``({contact: an article the consultant used}, {(contact, article) marked not helpful})``."""
    if not contact_ids:
        return {}, set()
    used = dict(conn.execute(select(usage.c.contact_id, func.max(usage.c.article_id))
                             .where(usage.c.contact_id.in_(contact_ids), usage.c.action == "used")
                             .group_by(usage.c.contact_id)).all())
    rejected = set(conn.execute(select(feedback.c.contact_id, feedback.c.article_id)
                                .where(feedback.c.contact_id.in_(contact_ids), feedback.c.helpful.is_(False))).all())
    return used, rejected


def _answered(row, used, rejected, good_answer):
    """A contact is answered when the consultant used a suggestion, or when assist was confident and the consultant
    did not mark its top answer as unhelpful (confidence alone claims topics whose top answer is irrelevant)."""
    _, _, confidence, top_article, contact_id = row
    if contact_id in used:
        return True
    return (confidence or 0) >= good_answer and (contact_id, top_article) not in rejected


def escalations_per_week(conn, start, end):
    """Escalations opened per week, and the share answered within the SLA."""
    rows = conn.execute(select(escalations.c.created_at, escalations.c.due_at, escalations.c.answered_at)
                        .where(_between(escalations.c.created_at, start, end))).all()
    series, weeks = weekly_series([(r[0], "opened") for r in rows], start, end)
    in_sla, _ = weekly_series([(r[0], "in_sla") for r in rows if r[2] and r[2] <= r[1]], start, end)
    opened = series.get("opened", [0] * len(weeks))
    within = in_sla.get("in_sla", [0] * len(weeks))
    return [{"week": w.isoformat(), "opened": o, "answered_in_sla": i, "share_in_sla": round(i / o, 3) if o else None}
            for w, o, i in zip(weeks, opened, within)]


def followups_on_time(conn, start, end):
    """Follow-up calls due in the range: done, done on time (by the end of the due day), still due."""
    rows = conn.execute(select(followups.c.due_date, followups.c.status, followups.c.done_at)
                        .where(followups.c.due_date.between(start, end))).all()
    done = [r for r in rows if r.status == "done"]
    on_time = [r for r in done if r.done_at and r.done_at.date() <= r.due_date]
    return {"due": len(rows), "done": len(done), "on_time": len(on_time),
            "share_on_time": round(len(on_time) / len(rows), 3) if rows else None}


def guide_stats(conn, start, end, limit=50):
    """Guided troubleshooting per article: runs, how they ended, the step that fixes most calls and the step where
    most calls leave the path (a run that never finished left where it stopped), with counts per step."""
    rows = conn.execute(select(guide_runs.c.article_id, guide_runs.c.steps, guide_runs.c.step, guide_runs.c.path,
                               guide_runs.c.outcome).where(_between(guide_runs.c.started_at, start, end))).all()
    table = {}
    for article_id, steps, step, path, outcome in rows:
        row = table.setdefault(article_id, {"article_id": article_id, "steps": steps, "runs": 0, "resolved": 0,
                                            "escalated": 0, "left": 0, "by_step": {}})
        row["runs"] += 1
        ended = outcome or "left"
        row[ended] += 1
        visited = {s for s, _ in json.loads(path or "[]")} | {step}
        for number in visited:
            row["by_step"].setdefault(number, Counter())["reached"] += 1
        row["by_step"].setdefault(step, Counter())[ended] += 1
    out = []
    for row in table.values():
        for kind, key in (("resolved", "fixes_most_at"), ("left", "drop_out_at")):
            counts = {s: c[kind] for s, c in row["by_step"].items() if c[kind]}
            best = max(sorted(counts), key=lambda s: counts[s]) if counts else None
            row[key] = {"step": best, "calls": counts[best]} if best else None
        row["by_step"] = {s: dict(c) for s, c in sorted(row["by_step"].items())}
        out.append(row)
    out.sort(key=lambda r: (-r["runs"], r["article_id"]))
    return out[:limit]
