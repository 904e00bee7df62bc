"""Page views. They read through the same engine the API uses (``get_engine()``) and never build an index."""

import datetime as dt

from flask import Blueprint, abort, make_response, render_template, request

from assist_api import get_engine, get_services
from assist_api.db import repo
from assist_api.search_api import article_payload

bp = Blueprint("webui", __name__, template_folder="templates", static_folder="static", static_url_path="/static")

FILTER_NAMES = ("product", "category", "type", "lang")


@bp.get("/")
def console():
    """The search console; the query and filters live in the URL."""
    engine = get_engine()
    categories = sorted(engine.catalog.categories.values(), key=lambda c: (c.group_name, c.name))
    return render_template("console.html", q=request.args.get("q", ""),
                           filters={k: request.args.get(k, "") for k in FILTER_NAMES}, categories=categories)


@bp.get("/articles/<article_id>")
def article(article_id):
    """One article: the answer first, every section, the escalation path, copy buttons."""
    engine = get_engine()
    record = engine.article(article_id)
    if record is None:
        abort(404)
    return render_template("article.html", article=article_payload(record, engine), q=request.args.get("q", ""),
                           section=request.args.get("section", ""))


@bp.get("/assist")
def assist():
    """The ticket-assist panel; ``?compact=1`` is the layout for an iframe beside the ticket."""
    response = make_response(render_template("assist.html", compact=request.args.get("compact") == "1",
                                             channels=("phone", "email", "chat", "visit"),
                                             customer_types=("consumer", "business", "retailer", "service-partner",
                                                             "consumer-ombudsman")))
    response.kb_framable = True  # the only page other origins (configured in KB_FRAME_ANCESTORS) may frame
    return response


@bp.get("/followups")
def followups():
    """Callbacks due today and escalations waiting for the engineer, overdue first."""
    services = get_services()
    calls, waiting, error = [], [], None
    if services.database is None:
        error = "The contact database is not available."
    else:
        with services.database.engine.connect() as conn:
            calls = repo.followups_due(conn, dt.date.today())
            waiting = repo.list_escalations(conn, repo.utcnow(), "open")
    return render_template("followups.html", calls=calls, waiting=waiting, error=error, now=repo.utcnow())
