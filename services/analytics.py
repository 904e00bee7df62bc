"""Insights for the team lead: contact volumes, topic spikes, content gaps, articles, escalations, follow-ups.

Dates are checked once here, for the JSON API and the insights page alike.

>>> start, end = date_range("2026-01-01", "2026-02-01")
>>> (end - start).days
31
"""

import datetime as dt
from dataclasses import dataclass

from kb.article import CONTACT_CATEGORIES
from services.db import analytics
from services.errors import ServiceError

MAX_RANGE_DAYS = 3 * 366


def date_range(start=None, end=None, today=None):
    """``(start, end)`` dates from YYYY-MM-DD strings; default the last eight weeks up to today."""
    try:
        end = dt.date.fromisoformat(end) if end else (today or dt.date.today())
        start = dt.date.fromisoformat(start) if start else end - dt.timedelta(weeks=8)
    except (ValueError, TypeError):
        raise ServiceError("bad_date", "from and to must be dates YYYY-MM-DD") from None
    if start > end:
        raise ServiceError("bad_date", "from must not be after to")
    if (end - start).days > MAX_RANGE_DAYS:
        raise ServiceError("bad_date", "the range may span at most three years")
    return start, end


def contact_category(value):
    """A contact category or None; 400 for an unknown one."""
    if value and value not in CONTACT_CATEGORIES:
        raise ServiceError("bad_category", f"category must be one of {', '.join(CONTACT_CATEGORIES)}")
    return value or None


class Analytics:
    """Read-only queries over the contact database."""

    def __init__(self, database, authoring, learning=None):
        self.database, self.authoring, self.learning = database, authoring, learning

    def _run(self, query, *args):
        with self.database.connect() as conn:
            return query(conn, *args)

    def top_queries(self, start, end, limit=20):
        """Most frequent searches."""
        return self._run(analytics.top_queries, start, end, limit)

    def content_gaps(self, start, end, limit=20):
        """Searches and contacts with no good answer."""
        return self._run(analytics.content_gaps, start, end, limit)

    def articles(self, start, end, limit=50):
        """Articles by use and helpfulness."""
        return self._run(analytics.article_stats, start, end, limit)

    def contacts(self, start, end, category=None):
        """Contacts per week by category and intent."""
        return self._run(analytics.contacts_per_week, start, end, contact_category(category))

    def guides(self, start, end, limit=50):
        """Guided troubleshooting per article: where calls are fixed and where they leave the path."""
        return self._run(analytics.guide_stats, start, end, limit)

    def rewrite_first(self, start, end, limit=15):
        """Articles whose use is most often followed by a repeat contact or a "not fixed" follow-up."""
        return self.learning.rewrite_first(start, end, limit=limit) if self.learning else []

    def spikes(self, week, category=None):
        """Topic spikes of the week that contains ``week``."""
        return self._run(analytics.topic_spikes, week, contact_category(category))

    def insights(self, start, end, category=None):
        """Every table of the insights page as ``{name: (columns, rows)}``, plus the weekly and spike series."""
        category = contact_category(category)
        with self.database.connect() as conn:
            weekly = analytics.contacts_per_week(conn, start, end, category)
            spikes = analytics.topic_spikes(conn, end, category)
            articles = analytics.article_stats(conn, start, end, 200)
            gaps = analytics.content_gaps(conn, start, end, 50)
            escalations = analytics.escalations_per_week(conn, start, end)
            followups = analytics.followups_on_time(conn, start, end)
            guides = analytics.guide_stats(conn, start, end)
        tables = _tables(weekly, spikes, articles, gaps, escalations, self.authoring.needs_attention())
        tables.update(_learning_tables(self.rewrite_first(start, end), guides))
        return {"tables": tables, "weekly": weekly, "spikes": spikes, "followups": followups}


def _per_week(weekly, series):
    names = sorted(series)
    return ["week"] + names, [[w] + [series[k][i] for k in names] for i, w in enumerate(weekly["weeks"])]


def _tables(weekly, spikes, articles, gaps, escalations, attention):
    spike_cols = ["topic", "count", "trailing_mean", "threshold", "spike", "covered", "answered_share"]
    rated = sorted((a for a in articles if a["helpful_share"] is not None),
                   key=lambda a: (a["helpful_share"], -a["not_helpful"]))
    return {
        "contacts_by_category": _per_week(weekly, weekly["by_category"]),
        "contacts_by_intent": _per_week(weekly, weekly["by_intent"]),
        "spikes": (spike_cols, [[t[k] for k in spike_cols] for t in spikes["topics"]]),
        "content_gaps": (["query", "kind", "count", "best_confidence"],
                         [[g["query"], g["kind"], g["count"], g["best_confidence"]] for g in gaps]),
        "most_used": (["article_id", "used", "helpful", "not_helpful", "flagged"],
                      [[a["article_id"], a["used"], a["helpful"], a["not_helpful"], a["flagged"]] for a in articles[:15]]),
        "least_helpful": (["article_id", "helpful_share", "not_helpful", "flagged"],
                          [[a["article_id"], a["helpful_share"], a["not_helpful"], a["flagged"]] for a in rated[:15]]),
        "needs_attention": (["article_id", "owner", "reason"], [[a["article_id"], a["owner"], a["reason"]] for a in attention]),
        "escalations": (["week", "opened", "answered_in_sla", "share_in_sla"],
                        [[e["week"], e["opened"], e["answered_in_sla"], e["share_in_sla"]] for e in escalations]),
    }


@dataclass(frozen=True)
class StepAt:
    """A cell of the guided table: the step (of how many) and the calls there; the page words it in its language,
    the CSV and ``str()`` in English.

    >>> str(StepAt(2, 1, 3)), str(StepAt(4, 2))
    ('step 2 of 3 (1 call)', 'step 4 (2 calls)')
    """

    step: int
    calls: int
    total: int = None

    def __str__(self):
        of = f" of {self.total}" if self.total else ""
        return f"step {self.step}{of} ({self.calls} call{'s' if self.calls != 1 else ''})"


def _at(found, total=None):
    return StepAt(found["step"], found["calls"], total) if found else None


def _learning_tables(rewrite, guides):
    return {
        "rewrite_first": (["article_id", "contacts", "not_fixed", "repeat", "fixed", "failure_share"],
                          [[r["article_id"], r["contacts"], r["not_fixed"], r["repeat"], r["fixed"], r["failure_share"]]
                           for r in rewrite]),
        "guided": (["article_id", "runs", "resolved", "escalated", "left", "fixes_most_at", "drop_out_at"],
                   [[g["article_id"], g["runs"], g["resolved"], g["escalated"], g["left"],
                     _at(g["fixes_most_at"], g["steps"]), _at(g["drop_out_at"])] for g in guides]),
    }
