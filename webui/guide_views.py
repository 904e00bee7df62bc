"""Guided troubleshooting on the phone: an article's steps one at a time, keyboard only (the follow-up call's answer
is recorded by ``webui.escalation_views``)."""

from flask import Blueprint, render_template, request

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

