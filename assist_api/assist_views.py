"""Assist, feedback, usage, escalations and follow-ups under ``/api/v1``."""

import datetime as dt

from flask import Blueprint, jsonify, request

from assist_api import get_engine, get_services
from assist_api.db import repo
from assist_api.drafts import write_escalation_draft
from assist_api.errors import APIError
from kb.assist.assistant import AssistRequest

bp = Blueprint("assist_api", __name__, url_prefix="/api/v1")
FLAGS = ("wrong", "outdated")
ACTIONS = ("used", "copied", "opened")


def json_body(fields):
    """The request's JSON object with typed fields: ``{name: (type, required)}``; unknown keys are refused."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise APIError("bad_json", "send a JSON object with Content-Type: application/json")
    unknown = set(body) - set(fields)
    if unknown:
        raise APIError("unknown_field", f"unknown field(s): {', '.join(sorted(unknown))}")
    out = {}
    for name, (kind, required) in fields.items():
        value = body.get(name)
        if value is None:
            if required:
                raise APIError(f"missing_{name}", f"{name} is required")
            out[name] = None
            continue
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool) and name == "contact_id":
            value = str(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise APIError(f"bad_{name}", f"{name} must be {'text' if kind is str else kind.__name__}")
        if kind is str and len(value) > 20_000:
            raise APIError(f"{name}_too_long", f"{name} is too long")
        out[name] = value.strip() if kind is str else value
    return out


def database():
    """The database, or a 503 when it is not available."""
    services = get_services()
    if services.database is None:
        raise APIError("database_unavailable", "the contact database is not available; search still works", 503)
    return services.database


@bp.post("/assist")
def assist():
    """Suggested answers, escalation path and checklist for a contact; the contact is stored when it can be."""
    body = json_body({"subject": (str, False), "body": (str, False), "product": (str, False), "channel": (str, False),
                      "customer_type": (str, False), "lang": (str, False), "contact_id": (str, False)})
    assist_request = AssistRequest(subject=body["subject"] or "", body=body["body"] or "", product=body["product"],
                                   channel=body["channel"] or "phone", customer_type=body["customer_type"] or "consumer",
                                   lang=body["lang"], contact_id=body["contact_id"])
    services = get_services()
    result = services.assistant.assist(assist_request)
    payload = result.to_dict()
    payload["contact_id"], payload["stored"] = assist_request.contact_id, False
    now = repo.utcnow()
    if services.database is not None:
        try:
            with services.database.engine.begin() as conn:
                stored_id = repo.record_contact(conn, assist_request, result, now)
            payload["contact_id"] = assist_request.contact_id or str(stored_id)
            payload["stored"] = True
        except Exception as exc:  # the database is down: answer anyway
            services.log.warning("contact not stored: %s", exc)
    top = result.answers[0]["confidence"] if result.answers else None
    services.events.log("assist", result.query["lexical"], now, {"channel": assist_request.channel},
                        [a["article_id"] for a in result.answers], top, None)
    return jsonify(payload)


def known_article(article_id):
    """Raise 404 unless the article is in the index (any status)."""
    if article_id not in get_engine().version.articles:
        raise APIError("unknown_article", f"no article with id {article_id!r}", 404)
    return get_engine().version.articles[article_id]


@bp.post("/feedback")
def post_feedback():
    """Helpful / not helpful / flag as wrong or outdated (a flag opens a review task for the owner)."""
    body = json_body({"article_id": (str, True), "contact_id": (str, False), "query": (str, False),
                      "helpful": (bool, True), "flag": (str, False), "comment": (str, False)})
    record = known_article(body["article_id"])
    if body["flag"] and body["flag"] not in FLAGS:
        raise APIError("bad_flag", f"flag must be one of {', '.join(FLAGS)}")
    with database().engine.begin() as conn:
        contact = repo.contact_id_of(conn, body["contact_id"])
        feedback_id, task_id = repo.add_feedback(conn, body["article_id"], body["helpful"], repo.utcnow(), contact,
                                                 body["query"], body["flag"], body["comment"], record.get("owner"))
    return jsonify({"id": feedback_id, "review_task_id": task_id}), 201


@bp.post("/usage")
def post_usage():
    """What the consultant used: an answer pasted, copied or opened."""
    body = json_body({"article_id": (str, True), "action": (str, False), "contact_id": (str, False), "query": (str, False)})
    known_article(body["article_id"])
    action = body["action"] or "used"
    if action not in ACTIONS:
        raise APIError("bad_action", f"action must be one of {', '.join(ACTIONS)}")
    now = repo.utcnow()
    with database().engine.begin() as conn:
        usage_id = repo.add_usage(conn, body["article_id"], action, repo.contact_id_of(conn, body["contact_id"]), now)
    if body["query"]:
        get_services().events.log("use", body["query"], now, used_article=body["article_id"])
    return jsonify({"id": usage_id}), 201


@bp.post("/escalations")
def post_escalation():
    """Open an escalation; its due time is now plus the path's SLA."""
    body = json_body({"path_id": (str, True), "question": (str, True), "reason": (str, False), "contact_id": (str, False)})
    path = get_engine().version.escalation.get(body["path_id"])
    if path is None:
        raise APIError("unknown_path", f"no escalation path {body['path_id']!r}")
    with database().engine.begin() as conn:
        row = repo.open_escalation(conn, path, body["reason"] or path.when, body["question"], repo.utcnow(),
                                   repo.contact_id_of(conn, body["contact_id"]))
    return jsonify(_escalation_json(row)), 201


@bp.get("/escalations")
def get_escalations():
    """Escalations, overdue first."""
    status = request.args.get("status") or None
    if status not in (None, "open", "answered", "closed"):
        raise APIError("bad_status", "status must be open, answered or closed")
    with database().engine.connect() as conn:
        rows = repo.list_escalations(conn, repo.utcnow(), status)
    return jsonify({"escalations": [_escalation_json(r) for r in rows]})


@bp.post("/escalations/<int:esc_id>/answer")
def answer_escalation(esc_id):
    """Store the engineer's answer, offer it as a draft article, schedule the follow-up call."""
    body = json_body({"answer": (str, True), "answered_by": (str, True)})
    if not body["answer"]:
        raise APIError("missing_answer", "answer is required")
    with database().engine.begin() as conn:
        row = repo.get_escalation(conn, esc_id)
        if row is None:
            raise APIError("unknown_escalation", f"no escalation {esc_id}", 404)
        if row["status"] != "open":
            raise APIError("already_answered", f"escalation {esc_id} was answered already", 409)
        path = get_engine().version.escalation.get(row["path_id"])
        draft_id = write_escalation_draft(get_services().settings.content_path, row, body["answer"], body["answered_by"],
                                          path)
        row = repo.answer_escalation(conn, esc_id, body["answer"], body["answered_by"], repo.utcnow(),
                                     path.follow_up_days if path else None, draft_id)
    return jsonify(_escalation_json(row))


@bp.get("/followups")
def get_followups():
    """Callbacks due on a day (``due=today`` or YYYY-MM-DD), overdue first."""
    raw = request.args.get("due", "today")
    try:
        day = dt.date.today() if raw == "today" else dt.date.fromisoformat(raw)
    except ValueError:
        raise APIError("bad_due", "due must be 'today' or a date YYYY-MM-DD") from None
    with database().engine.connect() as conn:
        rows = repo.followups_due(conn, day)
    return jsonify({"due": day.isoformat(), "followups": [_jsonable(r) for r in rows]})


@bp.post("/followups/<int:followup_id>/done")
def followup_done(followup_id):
    """Mark a callback as made."""
    body = json_body({"note": (str, False)})
    with database().engine.begin() as conn:
        if not repo.complete_followup(conn, followup_id, repo.utcnow(), body["note"]):
            raise APIError("unknown_followup", f"no due follow-up {followup_id}", 404)
    return jsonify({"id": followup_id, "status": "done"})


def _jsonable(row):
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in row.items()}


def _escalation_json(row):
    out = _jsonable(row)
    out.setdefault("overdue", row["status"] == "open" and row["due_at"] < repo.utcnow())
    return out
