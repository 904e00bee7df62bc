"""Analytics for the team lead under ``/api/v1/analytics``."""

import datetime as dt

from flask import Blueprint, jsonify, request

from assist_api.assist_views import database
from assist_api.db import analytics
from assist_api.errors import APIError
from assist_api.params import int_param

bp = Blueprint("analytics_api", __name__, url_prefix="/api/v1/analytics")


def date_range():
    """``from`` and ``to`` (YYYY-MM-DD); default the last eight weeks up to today."""
    try:
        end = dt.date.fromisoformat(request.args["to"]) if request.args.get("to") else dt.date.today()
        start = dt.date.fromisoformat(request.args["from"]) if request.args.get("from") else end - dt.timedelta(weeks=8)
    except ValueError:
        raise APIError("bad_date", "from and to must be dates YYYY-MM-DD") from None
    if start > end:
        raise APIError("bad_date", "from must not be after to")
    if (end - start).days > 3 * 366:
        raise APIError("bad_date", "the range may span at most three years")
    return start, end


def _run(query, *args, **kwargs):
    with database().engine.connect() as conn:
        return query(conn, *args, **kwargs)


@bp.get("/top-queries")
def top_queries():
    """Most frequent searches."""
    start, end = date_range()
    return jsonify({"from": start.isoformat(), "to": end.isoformat(),
                    "queries": _run(analytics.top_queries, start, end, int_param(request.args, "limit", 20, 1, 200))})


@bp.get("/content-gaps")
def content_gaps():
    """Searches and contacts with no good answer."""
    start, end = date_range()
    return jsonify({"from": start.isoformat(), "to": end.isoformat(),
                    "gaps": _run(analytics.content_gaps, start, end, int_param(request.args, "limit", 20, 1, 200))})


@bp.get("/articles")
def articles():
    """Articles by use and helpfulness."""
    start, end = date_range()
    return jsonify({"from": start.isoformat(), "to": end.isoformat(),
                    "articles": _run(analytics.article_stats, start, end, int_param(request.args, "limit", 50, 1, 500))})


@bp.get("/contacts")
def contacts():
    """Contacts per week by category and intent."""
    start, end = date_range()
    category = request.args.get("category") or None
    if category and category not in ("marketing", "technical-service", "customer-service"):
        raise APIError("bad_category", "category must be marketing, technical-service or customer-service")
    return jsonify(_run(analytics.contacts_per_week, start, end, category))


@bp.get("/spikes")
def spikes():
    """Topic spikes of the week that contains ``week`` (default this week)."""
    _, end = date_range()
    if request.args.get("week"):
        try:
            end = dt.date.fromisoformat(request.args["week"])
        except ValueError:
            raise APIError("bad_date", "week must be a date YYYY-MM-DD") from None
    return jsonify(_run(analytics.topic_spikes, end, request.args.get("category") or None))
