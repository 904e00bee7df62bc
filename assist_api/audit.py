"""Every write request leaves an audit entry: one hook after each state-changing request (API and pages alike)
records who, what, which thing, the outcome status and where from. The names of the actions are declared here,
once; a write route with no name is still recorded, under its endpoint. Sign-in, sign-out and setup record their
own entries (``record``), because only they know the username tried or the session just ended.

>>> ACTIONS["authoring_api.publish"]
'publish'
"""

import logging

from flask import g, request
from sqlalchemy.exc import SQLAlchemyError

from assist_api.context import get_services
from services.errors import ServiceError

log = logging.getLogger(__name__)
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

ACTIONS = {
    "authoring_api.create_article": "create", "authoring_api.update_article": "edit",
    "authoring_api.submit": "submit", "authoring_api.publish": "publish", "authoring_api.archive": "archive",
    "authoring_api.restore": "restore",
    "assist_api.assist": "assist", "assist_api.post_feedback": "feedback", "assist_api.post_usage": "usage",
    "assist_api.post_escalation": "escalate", "assist_api.answer_escalation": "answer-escalation",
    "assist_api.followup_done": "followup-done",
    "admin_api.new_token": "token-create", "admin_api.delete_token": "token-revoke",
    "embed_api.new_embed_token": "token-create",
    "webui_learn.mark_read": "read", "webui_learn.new_quiz": "quiz-start", "webui_learn.quiz": "quiz-submit",
    "webui_learn.acknowledge": "reading-ack",
}
# Write routes that record their own entries (they alone know the username tried, or who just signed out).
SELF_RECORDING = {"webui_auth.login", "webui_auth.logout", "webui_auth.setup"}
# Write routes that change nothing: the editor's live preview runs on every pause in typing.
EXEMPT = {"authoring_api.preview": "renders a draft with its lint problems and stores nothing"}
TARGET_ARGS = ("article_id", "esc_id", "followup_id", "token_id", "quiz_id", "reading_id", "category", "run_id",
               "draft_id", "contact_id")
REQUEST_DETAILS = ("flag", "helpful", "action", "name", "username", "path_id", "version", "base_version",
                   "important", "agent")
RESPONSE_DETAILS = ("version", "status", "review_task_id", "pending")


def record(action, actor=None, target=None, status=None, detail=None, role=None, via=None):
    """Record an entry for the current request (the signed-in user unless ``actor`` is given)."""
    user = g.get("kb_user")
    get_services().audit.record(action, actor=actor or (user or {}).get("username"),
                                role=role or (user or {}).get("role"), via=via or g.get("kb_auth"), target=target,
                                status=status, detail=detail, ip=request.remote_addr)


def init_app(app):
    """Install the hook that records every write request."""

    @app.after_request
    def audit_write(response):
        endpoint = request.endpoint
        if (request.method not in WRITE_METHODS or endpoint is None or endpoint in SELF_RECORDING
                or endpoint in EXEMPT or g.get("kb_user") is None):
            return response  # anonymous attempts are refused before they change anything: sign-in records its own
        try:
            record(action_of(endpoint), target=target_of(response), status=response.status_code,
                   detail=details_of(response))
        except (ServiceError, SQLAlchemyError, ValueError) as exc:  # the change is made: say loudly what is missing
            log.error("audit entry for %s %s not written: %s", request.method, request.path, exc)
        return response


def action_of(endpoint):
    """The audit action of a write to an endpoint (a flag is feedback that opens a review task)."""
    if endpoint == "assist_api.post_feedback" and _request_json().get("flag"):
        return "flag"
    return ACTIONS.get(endpoint, endpoint)


def target_of(response):
    """What the request acted on: a URL argument, else the article in the body, else the id the response names."""
    for name in TARGET_ARGS:
        if (request.view_args or {}).get(name) is not None:
            return request.view_args[name]
    sent, body = _request_json(), _response_json(response)
    if sent.get("article_id") or request.form.get("article_id"):
        return sent.get("article_id") or request.form.get("article_id")
    for key in ("id", "contact_id"):
        if body.get(key) is not None:
            return body[key]
    return sent.get("username")


def details_of(response):
    """A few facts of the request and its answer, never a secret (a token's text is not among them)."""
    sent, answered = _request_json(), _response_json(response)
    detail = {k: sent[k] for k in REQUEST_DETAILS if k in sent}
    if (g.get("kb_user") or {}).get("embed_agent"):
        detail["agent"] = g.kb_user["embed_agent"]  # the ticket system's agent behind a panel token
    detail.update({k: answered[k] for k in RESPONSE_DETAILS if k in answered})
    if response.status_code >= 400 and answered.get("error"):
        detail["error"] = answered["error"]
    return detail


def _request_json():
    body = request.get_json(silent=True) if request.is_json else None
    return body if isinstance(body, dict) else {}


def _response_json(response):
    if not response.is_json or response.direct_passthrough:
        return {}
    body = response.get_json(silent=True)
    return body if isinstance(body, dict) else {}
