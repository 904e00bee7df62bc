"""Assist, feedback, usage, escalations and follow-ups under ``/api/v1``."""

import datetime as dt

from flask import Blueprint, jsonify, request

from assist_api.access import current_user, declare, requires
from assist_api.context import get_services
from assist_api.errors import APIError
from assist_api.params import json_body
from kb.assist.assistant import AssistRequest

bp = declare(Blueprint("assist_api", __name__, url_prefix="/api/v1"), "contact")


@bp.post("/assist")
def assist():
    """Suggested answers, escalation path and checklist for a contact; the contact is stored when it can be."""
    body = json_body({"subject": (str, False), "body": (str, False), "product": (str, False), "channel": (str, False),
                      "customer_type": (str, False), "lang": (str, False), "contact_id": (str, False),
                      "customer_id": (str, False)})
    assist_request = AssistRequest(subject=body["subject"] or "", body=body["body"] or "", product=body["product"],
                                   channel=body["channel"] or "phone", customer_type=body["customer_type"] or "consumer",
                                   lang=body["lang"], contact_id=body["contact_id"])
    return jsonify(get_services().contacts.assist(assist_request, body["customer_id"]))


@bp.post("/feedback")
def post_feedback():
    """Helpful / not helpful / flag as wrong or outdated (a flag opens a review task for the owner)."""
    body = json_body({"article_id": (str, True), "contact_id": (str, False), "query": (str, False),
                      "helpful": (bool, True), "flag": (str, False), "comment": (str, False)})
    feedback_id, task_id = get_services().contacts.feedback(body["article_id"], body["helpful"], body["contact_id"],
                                                            body["query"], body["flag"], body["comment"],
                                                            current_user()["username"])
    return jsonify({"id": feedback_id, "review_task_id": task_id}), 201


@bp.post("/usage")
def post_usage():
    """What the consultant used: an answer pasted, copied or opened."""
    body = json_body({"article_id": (str, True), "action": (str, False), "contact_id": (str, False), "query": (str, False)})
    usage_id = get_services().contacts.usage(body["article_id"], body["action"] or "used", body["contact_id"],
                                             body["query"])
    return jsonify({"id": usage_id}), 201


@bp.post("/escalations")
def post_escalation():
    """Open an escalation; its due time is now plus the path's SLA."""
    body = json_body({"path_id": (str, True), "question": (str, True), "reason": (str, False), "contact_id": (str, False),
                      "steps_tried": (str, False)})
    row = get_services().escalations.open(body["path_id"], body["question"], body["reason"], body["contact_id"],
                                          current_user()["username"], body["steps_tried"])
    return jsonify(escalation_json(row)), 201


@bp.get("/escalations")
def get_escalations():
    """Escalations, overdue first."""
    rows = get_services().escalations.list(request.args.get("status") or None)
    return jsonify({"escalations": [escalation_json(r) for r in rows]})


@bp.post("/escalations/<int:esc_id>/answer")
@requires("answer")
def answer_escalation(esc_id):
    """Store the signed-in engineer's answer, offer it as a draft article, schedule the follow-up call."""
    body = json_body({"answer": (str, True)})
    row = get_services().escalations.answer(esc_id, body["answer"], current_user()["username"])
    return jsonify(escalation_json(row))


@bp.get("/followups")
def get_followups():
    """Callbacks due on a day (``due=today`` or YYYY-MM-DD), overdue first."""
    raw = request.args.get("due", "today")
    try:
        day = dt.date.today() if raw == "today" else dt.date.fromisoformat(raw)
    except ValueError:
        raise APIError("bad_due", "due must be 'today' or a date YYYY-MM-DD") from None
    rows = get_services().escalations.followups_due(day)
    return jsonify({"due": day.isoformat(), "followups": [jsonable(r) for r in rows]})


@bp.post("/followups/<int:followup_id>/done")
def followup_done(followup_id):
    """Mark a callback as made."""
    body = json_body({"note": (str, False), "outcome": (str, False)}, optional_body=True)
    return jsonify(get_services().escalations.complete_followup(followup_id, body["note"], body["outcome"]))


def jsonable(row):
    """A database row with dates as ISO strings."""
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in row.items()}


def escalation_json(row):
    """An escalation for clients."""
    return jsonable(row)
