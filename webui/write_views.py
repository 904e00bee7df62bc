"""The writers' pages: the editor and the review queue with the needs-attention list."""

from flask import Blueprint, render_template

from assist_api import get_engine, get_services
from assist_api.auth import csrf_token, current_user, require

bp = Blueprint("webui_write", __name__, template_folder="templates")


def _choices():
    engine = get_engine()
    return {"categories": sorted(engine.catalog.categories.values(), key=lambda c: (c.group_name, c.name)),
            "escalations": sorted(engine.version.escalation.values(), key=lambda p: p.name)}


@bp.get("/write")
@bp.get("/write/<article_id>")
@require("writer", page=True)
def editor(article_id=None):
    """Create or edit an article: front matter as a form, Markdown with a live preview, lint and duplicates."""
    return render_template("write.html", article_id=article_id or "", user=current_user(), csrf=csrf_token(),
                           **_choices())


@bp.get("/review")
@require("writer", page=True)
def review():
    """The review queue (reviewers publish from the editor) and the articles that need attention."""
    services = get_services()
    with services.database.engine.connect() as conn:
        queue = services.authoring().review_queue(conn)
        attention = services.authoring().needs_attention(conn)
    return render_template("review.html", queue=queue, attention=attention, user=current_user(), csrf=csrf_token())
