"""The team lead's insights page: charts and tables from the analytics queries, with CSV export of each table."""

import csv
import io

from flask import Blueprint, Response, abort, render_template, request

from assist_api import get_services
from assist_api.analytics_views import date_range
from assist_api.auth import current_user, require
from assist_api.db import analytics
from webui.charts import bar_chart

bp = Blueprint("webui_insights", __name__, template_folder="templates")
CATEGORIES = ("marketing", "technical-service", "customer-service")


def _tables(conn, start, end, category):
    """Every table of the page as (columns, rows), computed once for the page and the CSV export."""
    weekly = analytics.contacts_per_week(conn, start, end, category)
    spikes = analytics.topic_spikes(conn, end, category)
    articles = analytics.article_stats(conn, start, end, 200)
    attention = get_services().authoring().needs_attention(conn)
    def per_week(series):
        return [[w] + [series[k][i] for k in sorted(series)] for i, w in enumerate(weekly["weeks"])], sorted(series)
    by_cat, cat_names = per_week(weekly["by_category"])
    by_intent, intent_names = per_week(weekly["by_intent"])
    return {
        "contacts_by_category": (["week"] + cat_names, by_cat),
        "contacts_by_intent": (["week"] + intent_names, by_intent),
        "spikes": (["topic", "count", "trailing_mean", "threshold", "spike", "covered", "answered_share"],
                   [[t[k] for k in ("topic", "count", "trailing_mean", "threshold", "spike", "covered", "answered_share")]
                    for t in spikes["topics"]]),
        "content_gaps": (["query", "kind", "count", "best_confidence"],
                         [[g["query"], g["kind"], g["count"], g["best_confidence"]] for g in analytics.content_gaps(conn, start, end, 50)]),
        "most_used": (["article_id", "used", "helpful", "not_helpful", "flagged"],
                      [[a["article_id"], a["used"], a["helpful"], a["not_helpful"], a["flagged"]] for a in articles[:15]]),
        "least_helpful": (["article_id", "helpful_share", "not_helpful", "flagged"],
                          [[a["article_id"], a["helpful_share"], a["not_helpful"], a["flagged"]] for a in
                           sorted((a for a in articles if a["helpful_share"] is not None), key=lambda a: (a["helpful_share"], -a["not_helpful"]))[:15]]),
        "needs_attention": (["article_id", "owner", "reason"], [[a["article_id"], a["owner"], a["reason"]] for a in attention]),
        "escalations": (["week", "opened", "answered_in_sla", "share_in_sla"],
                        [[e["week"], e["opened"], e["answered_in_sla"], e["share_in_sla"]] for e in analytics.escalations_per_week(conn, start, end)]),
    }, weekly, spikes


@bp.get("/insights")
@require("reviewer", page=True)
def insights():
    """Contacts per week, spikes marked, gaps, articles, escalations and follow-ups, with filters."""
    start, end = date_range()
    category = request.args.get("category") or None
    if category and category not in CATEGORIES:
        abort(400, "Unknown category.")
    database = get_services().database
    with database.engine.connect() as conn:
        tables, weekly, spikes = _tables(conn, start, end, category)
        followups = analytics.followups_on_time(conn, start, end)
    spike_weeks = weekly["weeks"]
    highlight = spike_weeks.index(spikes["week"]) if spikes["week"] in spike_weeks else None
    charts = {"category": bar_chart(weekly["weeks"], weekly["by_category"], highlight if any(t["spike"] for t in spikes["topics"]) else None,
                                    title="Contacts per week by category"),
              "intent": bar_chart(weekly["weeks"], weekly["by_intent"], title="Contacts per week by intent"),
              "spikes": {t["topic"]: bar_chart(spikes["weeks"], {t["topic"]: t["weekly"]}, len(t["weekly"]) - 1,
                                               width=360, height=140, title=f"{t['topic']} per week")
                         for t in spikes["topics"] if t["spike"]}}
    return render_template("insights.html", tables=tables, charts=charts, spikes=spikes, followups=followups,
                           start=start, end=end, category=category or "", categories=CATEGORIES, user=current_user(),
                           query=request.query_string.decode())


@bp.get("/insights/<name>.csv")
@require("reviewer", page=True)
def export(name):
    """One table of the page as CSV, with the page's filters."""
    start, end = date_range()
    with get_services().database.engine.connect() as conn:
        tables, _, _ = _tables(conn, start, end, request.args.get("category") or None)
    if name not in tables:
        abort(404)
    columns, rows = tables[name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    filename = f"{name}-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


