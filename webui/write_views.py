"""The writers' pages: the editor and the review queue with the needs-attention list."""

from flask import Blueprint, render_template

from assist_api.access import declare
from assist_api.context import get_engine, get_services
from kb.article import AUDIENCES, TYPES
from webui.views import sorted_categories

bp = declare(Blueprint("webui_write", __name__, template_folder="templates"), "write")


@bp.get("/write")
@bp.get("/write/<article_id>")
def editor(article_id=None):
    """Create or edit an article: front matter as a form, Markdown with a live preview, lint and duplicates."""
    engine = get_engine()
    if article_id is not None:
        get_services().authoring.latest(article_id)  # 404 page for an id that has no article
    return render_template("write.html", article_id=article_id or "", types=TYPES, audiences=AUDIENCES,
                           categories=sorted_categories(engine),
                           escalations=sorted(engine.version.escalation.values(), key=lambda p: p.name))


@bp.get("/review")
def review():
    """The review queue (reviewers publish from the editor) and the articles that need attention."""
    authoring = get_services().authoring
    return render_template("review.html", queue=authoring.review_queue(), attention=authoring.needs_attention())
