"""Analytics for the team lead under ``/api/v1/analytics`` (the insights permission, as the insights page)."""

import datetime as dt

from flask import Blueprint, jsonify, request

from assist_api.context import get_services
from assist_api.access import declare
from assist_api.errors import APIError
from assist_api.params import int_param
from services.analytics import date_range

bp = declare(Blueprint("analytics_api", __name__, url_prefix="/api/v1/analytics"), "insights")


def request_range():
    """``from`` and ``to`` of the request (default the last eight weeks)."""
    return date_range(request.args.get("from"), request.args.get("to"))


def _range_json(start, end, **data):
    return jsonify({"from": start.isoformat(), "to": end.isoformat(), **data})


@bp.get("/top-queries")
def top_queries():
    """Most frequent searches."""
    start, end = request_range()
    rows = get_services().analytics.top_queries(start, end, int_param(request.args, "limit", 20, 1, 200))
    return _range_json(start, end, queries=rows)


@bp.get("/content-gaps")
def content_gaps():
    """Searches and contacts with no good answer."""
    start, end = request_range()
    rows = get_services().analytics.content_gaps(start, end, int_param(request.args, "limit", 20, 1, 200))
    return _range_json(start, end, gaps=rows)


@bp.get("/articles")
def articles():
    """Articles by use and helpfulness."""
    start, end = request_range()
    rows = get_services().analytics.articles(start, end, int_param(request.args, "limit", 50, 1, 500))
    return _range_json(start, end, articles=rows)


@bp.get("/contacts")
def contacts():
    """Contacts per week by category and intent."""
    start, end = request_range()
    return jsonify(get_services().analytics.contacts(start, end, request.args.get("category")))


@bp.get("/spikes")
def spikes():
    """Topic spikes of the week that contains ``week`` (default this week)."""
    _, end = request_range()
    if request.args.get("week"):
        try:
            end = dt.date.fromisoformat(request.args["week"])
        except ValueError:
            raise APIError("bad_date", "week must be a date YYYY-MM-DD") from None
    return jsonify(get_services().analytics.spikes(end, request.args.get("category")))


@bp.get("/rewrite-first")
def rewrite_first():
    """Articles whose use is most often followed by a repeat contact or a "not fixed" follow-up call."""
    start, end = request_range()
    rows = get_services().analytics.rewrite_first(start, end, int_param(request.args, "limit", 15, 1, 200))
    return _range_json(start, end, articles=rows)


@bp.get("/guides")
def guides():
    """Guided troubleshooting per article: the step that fixes most calls, where calls leave the path."""
    start, end = request_range()
    rows = get_services().analytics.guides(start, end, int_param(request.args, "limit", 50, 1, 500))
    return _range_json(start, end, articles=rows)
