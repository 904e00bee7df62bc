"""Guided troubleshooting, reply drafts and follow-up answers under ``/api/v1`` (the contact permission)."""

from flask import Blueprint, jsonify, request

from assist_api.access import current_user, declare
from assist_api.context import get_services
from assist_api.params import json_body

bp = declare(Blueprint("guide_api", __name__, url_prefix="/api/v1"), "contact")


@bp.get("/guides/<article_id>")
def guide(article_id):
    """An article's numbered steps with their branches, and where an escalation from it goes."""
    return jsonify(get_services().guides.guide(article_id))


@bp.post("/guides/<article_id>/runs")
def start_run(article_id):
    """Start guiding a call through an article (stored at step 1)."""
    body = json_body({"contact_id": (str, False), "product": (str, False), "error_code": (str, False)},
                     optional_body=True)
    run = get_services().guides.start(article_id, current_user()["username"], body["contact_id"], body["product"],
                                      body["error_code"])
    return jsonify(run_json(run)), 201


@bp.post("/guide-runs/<int:run_id>")
def move_run(run_id):
    """The path so far and the step the call is at (sent at every move)."""
    body = json_body({"path": (list, True), "step": (int, True)})
    return jsonify(run_json(get_services().guides.move(run_id, body["path"], body["step"])))


@bp.post("/guide-runs/<int:run_id>/finish")
def finish_run(run_id):
    """End the run: resolved or left at a step, or escalated with the steps already tried."""
    body = json_body({"outcome": (str, True), "path": (list, True), "step": (int, True), "question": (str, False),
                      "steps_tried": (str, False)})
    run = get_services().guides.finish(run_id, body["outcome"], body["path"], body["step"], body["question"],
                                       body["steps_tried"])
    return jsonify(run_json(run))


@bp.post("/drafts")
def create_draft():
    """A reply draft from an article (in the customer's language when it has one), every sentence with its
    source; or what happens next when confidence is low or the contact is escalated."""
    body = json_body({"article_id": (str, False), "channel": (str, False), "lang": (str, False),
                      "product": (str, False), "error_code": (str, False), "confidence": (float, False),
                      "escalation": (str, False), "contact_id": (str, False), "ticket": (str, False)})
    draft = get_services().drafts.create(
        body["article_id"], body["channel"] or "email", body["lang"], body["product"], body["error_code"],
        body["confidence"], body["escalation"], body["contact_id"], body["ticket"], current_user()["username"],
        request.host_url)
    return jsonify(draft), 201


@bp.post("/drafts/<int:draft_id>/events")
def draft_event(draft_id):
    """What the consultant did with a draft: copied, edited (with the text), used, sent to the ticket."""
    body = json_body({"action": (str, True), "text": (str, False)})
    return jsonify(get_services().drafts.event(draft_id, body["action"], body["text"])), 201


@bp.post("/contacts/<contact_id>/followup")
def followup_answer(contact_id):
    """The follow-up call's answer for a contact: fixed, not_fixed or unreachable."""
    body = json_body({"answer": (str, True), "note": (str, False)})
    followup_id = get_services().learning.followup_answer(contact_id, body["answer"], body["note"])
    return jsonify({"id": followup_id, "contact_id": contact_id, "answer": body["answer"]}), 201


def run_json(run):
    """A guided run for clients (dates as ISO strings)."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in run.items() if k != "escalation"} | (
        {"escalation": {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in run["escalation"].items()}}
        if run.get("escalation") else {})
