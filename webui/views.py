"""The consultant's pages: console, article view, ticket-assist panel, follow-ups."""

from flask import Blueprint, make_response, redirect, render_template, request, url_for

from assist_api.access import current_user, declare, requires
from assist_api.context import get_engine, get_services, get_settings
from kb.article import AUDIENCES, CHANNELS, TYPES
from kb.assist.rules import LOW_CONFIDENCE
from kb.presentation import article_payload
from services.embed import allowed_origins
from services.errors import NotFound
from services.contacts import FLAGS
from services.escalations import OUTCOMES

bp = declare(Blueprint("webui", __name__, template_folder="templates", static_folder="static",
                       static_url_path="/static"), "search")

FILTER_NAMES = ("product", "category", "type", "lang")
HIGH_CONFIDENCE = 0.8  # held-out precision at this confidence is 0.90-0.95 (README, "Confidence"): a confident answer


def sorted_categories(engine):
    """Catalog categories by group and name, for filters and forms."""
    return sorted(engine.catalog.categories.values(), key=lambda c: (c.group_name, c.name))


@bp.get("/")
def console():
    """The search console; the query and filters live in the URL."""
    return render_template("console.html", q=request.args.get("q", ""), types=TYPES,
                           filters={k: request.args.get(k, "") for k in FILTER_NAMES},
                           categories=sorted_categories(get_engine()), high_confidence=HIGH_CONFIDENCE,
                           low_confidence=LOW_CONFIDENCE)


@bp.get("/articles/<article_id>")
def article(article_id):
    """One article: the answer first, every section, the escalation path, copy buttons."""
    engine = get_engine()
    record = engine.article(article_id)
    if record is None:
        raise NotFound("unknown_article", f"There is no published article “{article_id}”. Search for the topic instead.")
    return render_template("article.html", article=article_payload(record, engine), q=request.args.get("q", ""),
                           section=request.args.get("section", ""), flags=FLAGS)


@bp.get("/assist")
@requires("public")  # the compact shell holds no data: a ticket system signs it in with a panel token (docs/embed.md)
def assist():
    """The ticket-assist panel; ``?compact=1`` is the layout for an iframe beside the ticket."""
    compact = request.args.get("compact") == "1"
    if current_user() is None and not compact:
        return redirect(url_for("webui_auth.login", next=request.full_path.rstrip("?")))
    origins = allowed_origins(get_settings().frame_ancestors, request.host_url)
    paths = [p.to_dict() for p in sorted(get_engine().version.escalation.values(), key=lambda p: p.name)]
    response = make_response(render_template("assist.html", compact=compact, channels=CHANNELS,
                                             customer_types=AUDIENCES, paths=paths, flags=FLAGS,
                                             high_confidence=HIGH_CONFIDENCE, low_confidence=LOW_CONFIDENCE,
                                             embed_origins=origins))
    response.kb_framable = True  # the only page other origins (configured in KB_FRAME_ANCESTORS) may frame
    return response


@bp.get("/followups")
@requires("contact")
def followups():
    """Callbacks due (overdue first) and in the coming days, escalations waiting for the engineer (overdue first)
    and the answered ones."""
    escalations = get_services().escalations
    due, upcoming = escalations.followups_ahead()
    return render_template("followups.html", calls=due, upcoming=upcoming, waiting=escalations.list("open"),
                           answered=escalations.list("answered"), outcomes=OUTCOMES)
