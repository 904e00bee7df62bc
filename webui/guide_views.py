"""Guided troubleshooting on the phone: an article's steps one at a time, keyboard only; and the follow-up call's
answer recorded from the follow-ups page."""

from flask import Blueprint, redirect, render_template, request, url_for

from assist_api.access import declare
from assist_api.context import get_engine, get_services
from kb.drafts import error_codes

bp = declare(Blueprint("webui_guide", __name__, template_folder="templates"), "contact")


def caller_details(engine, record, query):
    """The caller's product and error code as far as the search that led here tells (the page lets them change)."""
    product = next((d.product.code if d.product else d.family.code for d in engine.catalog.detect(query or "")), "")
    code = next(iter(error_codes(query or "", record["tags"])), "")
    return product, code


@bp.get("/guide/<article_id>")
def guide(article_id):
    """Walk an article's steps with a caller: Enter next, Y fixed, N not fixed, 1-9 a branch, Backspace back."""
    engine = get_engine()
    data = get_services().guides.guide(article_id)
    product, code = caller_details(engine, engine.article(article_id), request.args.get("q", ""))
    return render_template("guide.html", guide=data, q=request.args.get("q", ""),
                           product=request.args.get("product") or product, code=request.args.get("code") or code,
                           contact=request.args.get("contact", ""))


@bp.post("/followups/<int:followup_id>/done")
def followup_done(followup_id):
    """A callback made, with the caller's answer to "is everything working?"."""
    outcome = request.form.get("outcome") or None
    get_services().escalations.complete_followup(followup_id, request.form.get("note") or None, outcome)
    return redirect(url_for("webui.followups"))
