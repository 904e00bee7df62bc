"""The OpenAPI 3 document of ``/api/v1`` (a test checks it against the app's routes).

Who may call an operation is not written here: ``document(route_permissions(app))`` adds each operation's
security requirement, its permission and roles, and the 401/403/503 answers from the permission every route
declares (``assist_api.access``), so the document cannot drift from what the app enforces.
"""

import re

from kb.article import AUDIENCES, CHANNELS, LANGS, TYPES
from services.contacts import ACTIONS, FLAGS
from services.drafts import ACTIONS as DRAFT_ACTIONS
from services.escalations import OUTCOMES
from services.guides import OUTCOMES as GUIDE_OUTCOMES
from kb.search.engine import MODES
from services.accounts import PERMISSIONS


def _q(name, description, schema=None, required=False):
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


def _p(name, description):
    return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": "string"}}


def _error(description, headers=None):
    response = {"description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if headers:
        response["headers"] = headers
    return response


ERROR = _error("bad input")
UNAUTHORIZED = _error("not signed in, or the API token is unknown or revoked")
FORBIDDEN = _error("the role lacks the permission, or a cookie-authenticated change lacks its CSRF token")
UNAVAILABLE = _error("the database is down (checking who asks needs it); try again after Retry-After seconds",
                     {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}})


def _op(summary, params=(), body=None, responses=None, tag="search", optional_body=None):
    op = {"summary": summary, "tags": [tag], "parameters": list(params),
          "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                        "400": ERROR, **(responses or {})}}
    if any(p["in"] == "path" for p in op["parameters"]):
        op["responses"].setdefault("404", _error("not found"))
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    elif optional_body:
        op["requestBody"] = _optional(optional_body)
    return op


def _optional(body):
    """A request body the operation also accepts empty."""
    return {"required": False, "content": {"application/json": {"schema": body}}}


def _body(properties, required=()):
    props = {k: ({"type": "string", "enum": v} if isinstance(v, list) else {"type": v}) for k, v in properties.items()}
    return {"type": "object", "properties": props, "required": list(required), "additionalProperties": False}


def paths():
    """Path items of the API, keyed by OpenAPI path."""
    search_params = [
        _q("q", "the query: words, a model code or an error code", required=True),
        _q("product", "model code (any spelling); keeps articles for it and its category"),
        _q("category", "category id"), _q("type", "article type", {"type": "string", "enum": list(TYPES)}),
        _q("lang", "article language", {"type": "string", "enum": list(LANGS)}),
        _q("audience", "audience", {"type": "string", "enum": list(AUDIENCES)}),
        _q("limit", "number of hits, 1-100", {"type": "integer", "minimum": 1, "maximum": 100}),
        _q("mode", "retrieval mode", {"type": "string", "enum": list(MODES)}),
        _q("explain", "include why each hit matched", {"type": "boolean"}),
        _q("log", "log this search (default true; the console logs a search session once, at its end)",
           {"type": "boolean"}),
    ]
    not_found = {"404": ERROR}
    created = {"201": {"description": "created"}}
    auth = {}  # 401, 403 and 503 come from each route's permission: see document()
    action = _body({"base_version": "integer", "important": "boolean"})
    range_params = [_q("from", "YYYY-MM-DD"), _q("to", "YYYY-MM-DD"), _q("limit", "rows"),
                    _q("category", "contact category"), _q("week", "a date in the week (spikes)")]
    return {
        "/api/v1/search": {"get": _op("Search the knowledge base", search_params)},
        "/api/v1/search/log": {"post": _op(
            "Log the end of a search session (stopped typing, opened a result, left): the search is run and logged once",
            body=_body({"q": "string", "product": "string", "category": "string", "type": list(TYPES),
                        "lang": list(LANGS), "audience": list(AUDIENCES)}, ["q"]),
            responses={"202": {"description": "logged"}})},
        "/api/v1/autocomplete": {"get": _op("Suggest titles and products", [_q("q", "what was typed", required=True),
                                                                         _q("limit", "1-20", {"type": "integer"})])},
        "/api/v1/articles/{article_id}": {
            "get": _op("One published article", [_p("article_id", "article id")], responses=not_found),
            "put": _op("Save a new version (writer); 409 with both texts if someone saved since base_version",
                       [_p("article_id", "article id"), {"name": "If-Match", "in": "header", "required": False,
                                                         "schema": {"type": "string"}}],
                       body=_body({"text": "string", "base_version": "integer", "comment": "string",
                                   "important": "boolean"}, ["text"]),
                       responses={**not_found, **auth, "409": ERROR, "422": ERROR, "428": ERROR}, tag="authoring"),
            "delete": _op("Archive (reviewer)", [_p("article_id", "article id")], responses={**not_found, **auth},
                          tag="authoring", optional_body=action)},
        "/api/v1/products": {"get": _op("Find products", [_q("q", "code, part of a code or name", required=True),
                                                          _q("limit", "1-100", {"type": "integer"})])},
        "/api/v1/products/{code}": {"get": _op("One product with its articles", [_p("code", "model code or SKU")],
                                               responses=not_found)},
        "/api/v1/health": {"get": _op("Index version, counts and model")},
        "/api/v1/ready": {"get": _op("Readiness: whether this replica shows every committed content change",
                                     responses={"503": {"description": "behind the database, or the database is "
                                                        "down", "content": {"application/json": {
                                                            "schema": {"type": "object"}}}}})},
        "/api/v1/assist": {"post": _op("Suggested answers, escalation path and checklist for a contact",
                                       body=_body({"subject": "string", "body": "string", "product": "string",
                                                   "channel": list(CHANNELS),
                                                   "customer_type": list(AUDIENCES), "lang": list(LANGS),
                                                   "contact_id": "string", "customer_id": "string"}), tag="assist")},
        "/api/v1/feedback": {"post": _op("Helpful, not helpful, or flag an article (wrong, outdated, unclear, missing "
                                         "step) in the signed-in person's name",
                                         body=_body({"article_id": "string", "helpful": "boolean", "contact_id": "string",
                                                     "query": "string", "flag": list(FLAGS), "comment": "string"},
                                                    ["article_id", "helpful"]), responses={**created, **not_found}, tag="assist")},
        "/api/v1/usage": {"post": _op("Record that an article was used, copied or opened",
                                      body=_body({"article_id": "string", "action": list(ACTIONS),
                                                  "contact_id": "string", "query": "string"}, ["article_id"]),
                                      responses={**created, **not_found}, tag="assist")},
        "/api/v1/escalations": {
            "get": _op("Escalations, overdue first", [_q("status", "open, answered or closed")], tag="assist"),
            "post": _op("Open an escalation (due after the path's SLA); the signed-in person is recorded as opener",
                        body=_body({"path_id": "string", "question": "string", "reason": "string",
                                    "contact_id": "string", "steps_tried": "string"}, ["path_id", "question"]),
                        responses=created, tag="assist")},
        "/api/v1/escalations/{esc_id}/answer": {"post": _op(
            "Answer an escalation; the answer becomes a draft article and the follow-up call is scheduled",
            [_p("esc_id", "escalation id")], body=_body({"answer": "string"}, ["answer"]),
            responses={**not_found, "409": ERROR}, tag="assist")},
        "/api/v1/followups": {"get": _op("Callbacks due", [_q("due", "'today' or YYYY-MM-DD")], tag="assist")},
        "/api/v1/followups/{followup_id}/done": {"post": _op("Record a callback with its outcome (closes the escalation)",
                                                             [_p("followup_id", "id")],
                                                             body=_body({"note": "string", "outcome": list(OUTCOMES)}),
                                                             responses=not_found,
                                                             tag="assist")},
        "/api/v1/articles": {"post": _op("Create an article (writer; a draft unless sent to review)",
                                         body=_body({"text": "string", "comment": "string", "important": "boolean"},
                                                    ["text"]),
                                         responses={**created, **auth, "409": ERROR, "422": ERROR}, tag="authoring")},
        "/api/v1/articles/{article_id}/source": {"get": _op("Latest version's Markdown and version (ETag)",
                                                            [_p("article_id", "id")], responses={**not_found, **auth},
                                                            tag="authoring")},
        "/api/v1/articles/{article_id}/versions": {"get": _op("Every saved version", [_p("article_id", "id")],
                                                              responses={**not_found, **auth}, tag="authoring")},
        "/api/v1/articles/{article_id}/diff": {"get": _op("Unified diff of two versions", [
            _p("article_id", "id"), _q("from", "version", {"type": "integer"}, True),
            _q("to", "version", {"type": "integer"}, True)], responses={**not_found, **auth}, tag="authoring")},
        "/api/v1/articles/{article_id}/restore": {"post": _op("Restore an old version as the newest", [_p("article_id", "id")],
                                                              body=_body({"version": "integer", "base_version": "integer"},
                                                                         ["version", "base_version"]),
                                                              responses={**not_found, **auth, "409": ERROR}, tag="authoring")},
        "/api/v1/articles/{article_id}/translation": {"get": _op(
            "A translation's source, out-of-date mark and the source's diff since", [_p("article_id", "id")],
            responses={**not_found, **auth, "422": ERROR}, tag="authoring")},
        "/api/v1/articles/{article_id}/translate": {"post": _op(
            "Start a linked draft in the other language (409 when it exists)", [_p("article_id", "id")],
            responses={**created, **not_found, **auth, "409": ERROR, "422": ERROR}, tag="authoring",
            optional_body=_body({"lang": ["en", "pl"]}))},
        "/api/v1/articles/{article_id}/submit": {"post": _op("Send to review (writer)", [_p("article_id", "id")],
                                                             responses={**not_found, **auth, "409": ERROR}, tag="authoring",
                                                             optional_body=action)},
        "/api/v1/articles/{article_id}/publish": {"post": _op("Publish (reviewer): file written, index updated",
                                                              [_p("article_id", "id")],
                                                              responses={**not_found, **auth, "409": ERROR}, tag="authoring",
                                                              optional_body=action)},
        "/api/v1/preview": {"post": _op("Sanitized preview, lint problems and similar articles of a draft",
                                        body=_body({"text": "string", "id": "string"}, ["text"]), responses=auth,
                                        tag="authoring")},
        "/api/v1/review-queue": {"get": _op("Versions waiting for review (reviewer)", responses=auth, tag="authoring")},
        "/api/v1/attention": {"get": _op("Articles past their review date or flagged", [_q("mine", "1: only mine")],
                                         responses=auth, tag="authoring")},
        "/api/v1/tokens": {"post": _op("Create an API token (admin; shown once)",
                                       body=_body({"username": "string", "name": "string"}, ["username", "name"]),
                                       responses={**created, **auth, **not_found}, tag="authoring")},
        "/api/v1/embed/tokens": {"post": _op(
            "A short-lived assist-panel token (with an API token, from the ticket system's server; see docs/embed.md)",
            body=_body({"agent": "string"}), responses={**created, **auth}, tag="assist")},
        "/api/v1/audit": {"get": _op("Audit entries, newest first (admin)", [
            _q("actor", "username"), _q("action", "e.g. publish, sign-in-failed, token-create"),
            _q("target", "part of the article id, username or id acted on"), _q("from", "YYYY-MM-DD"),
            _q("to", "YYYY-MM-DD"), _q("limit", "1-5000", {"type": "integer"})], responses=auth, tag="admin")},
        "/api/v1/tokens/{token_id}": {"delete": _op("Revoke an API token (admin)", [_p("token_id", "id")],
                                                    responses={**not_found, **auth}, tag="authoring")},
        **{f"/api/v1/analytics/{name}": {"get": _op(summary, range_params, tag="analytics")} for name, summary in (
            ("top-queries", "Most frequent searches"), ("content-gaps", "Searches and contacts with no good answer"),
            ("articles", "Articles by use and helpfulness"), ("contacts", "Contacts per week by category and intent"),
            ("spikes", "Topic spikes of a week, with whether the knowledge base covers them"),
            ("rewrite-first", "Articles most often followed by a repeat contact or a 'not fixed' follow-up"),
            ("guides", "Guided troubleshooting per article: the step that fixes most calls, where calls drop out"))},
        **guide_paths(not_found, created),
        "/api/v1/openapi.json": {"get": _op("This document")},
    }


def guide_paths(not_found, created):
    """Guided troubleshooting, reply drafts and follow-up answers."""
    path_body = {"type": "array", "items": {"type": "array", "items": {}},
                 "description": "[[step, answer], ...]; answer: next, fixed, not_fixed or choice:<n>"}
    run = _p("run_id", "guided run id")
    finish = _body({"outcome": list(GUIDE_OUTCOMES), "step": "integer", "question": "string", "steps_tried": "string"},
                   ["outcome", "path", "step"])
    finish["properties"]["path"] = path_body
    move = _body({"step": "integer"}, ["path", "step"])
    move["properties"]["path"] = path_body
    return {
        "/api/v1/guides/{article_id}": {"get": _op("An article's steps and branches, for guiding a call",
                                                   [_p("article_id", "article id")], responses=not_found, tag="assist")},
        "/api/v1/guides/{article_id}/runs": {"post": _op(
            "Start guiding a call through an article", [_p("article_id", "article id")],
            body=_body({"contact_id": "string", "product": "string", "error_code": "string"}),
            responses={**created, **not_found}, tag="assist")},
        "/api/v1/guide-runs/{run_id}": {"post": _op("Record the path of a guided call so far", [run], body=move,
                                                    responses={**not_found, "409": ERROR}, tag="assist")},
        "/api/v1/guide-runs/{run_id}/finish": {"post": _op(
            "End a guided call: resolved, left, or escalated with the steps already tried", [run], body=finish,
            responses={**not_found, "409": ERROR}, tag="assist")},
        "/api/v1/drafts": {"post": _op(
            "A reply draft grounded in an article (every sentence with its source), or what happens next",
            body=_body({"article_id": "string", "channel": list(CHANNELS), "lang": list(LANGS), "product": "string",
                        "error_code": "string", "confidence": "number", "escalation": "string",
                        "contact_id": "string", "ticket": "string"}), responses={**created, **not_found}, tag="assist")},
        "/api/v1/drafts/{draft_id}/events": {"post": _op(
            "Record what was done with a draft", [_p("draft_id", "draft id")],
            body=_body({"action": list(DRAFT_ACTIONS), "text": "string"}, ["action"]),
            responses={**created, **not_found}, tag="assist")},
        "/api/v1/contacts/{contact_id}/followup": {"post": _op(
            "The follow-up call's answer for a contact", [_p("contact_id", "contact id")],
            body=_body({"answer": list(OUTCOMES), "note": "string"}, ["answer"]),
            responses={**created, **not_found}, tag="assist")},
    }


def operation_permissions(routes):
    """``{(OpenAPI path, method): permission}`` of the API's routes in ``access.route_permissions(app)``."""
    out = {}
    for rule, methods, _endpoint, permission in routes:
        if rule.startswith("/api/v1/"):
            for method in methods:
                out[(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule), method.lower())] = permission
    return out


def secure(op, permission):
    """Add to an operation who may call it: its security requirement, permission, roles and the answers that
    follow from them (401 without a sign-in, 403 for another role, 503 while the database cannot tell)."""
    if permission == "public":
        op["security"] = []
        op["x-permission"] = "public"
        return op
    help_text, roles = PERMISSIONS[permission]
    op["security"] = [{"bearer": []}, {"session": []}]
    op["x-permission"], op["x-roles"] = permission, list(roles)
    op["description"] = f"Needs the `{permission}` permission ({help_text}): {', '.join(roles)}."
    op["responses"].update({"401": UNAUTHORIZED, "403": FORBIDDEN, "503": UNAVAILABLE})
    return op


def document(routes):
    """The whole OpenAPI document, with each operation's security from ``routes`` (``route_permissions(app)``);
    an operation without a route, or a route without an operation, is a ValueError."""
    permissions = operation_permissions(routes)
    described = paths()
    missing = sorted(set(permissions) - {(p, m) for p, item in described.items() for m in item})
    if missing:
        raise ValueError(f"routes missing from the OpenAPI document: {missing}")
    for path, item in described.items():
        for method, op in item.items():
            if (path, method) not in permissions:
                raise ValueError(f"{method.upper()} {path} is documented but is not a route of the app")
            secure(op, permissions[(path, method)])
    return {
        "openapi": "3.0.3",
        "info": {"title": "Nordiq knowledge base and agent-assist API", "version": "1.0.0"},
        "paths": described,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "description": "an API token (python -m server tokens create)"},
                                           "session": {"type": "apiKey", "in": "cookie", "name": "session",
                                                       "description": "the sign-in cookie; changes also need the "
                                                                      "X-CSRF-Token header"}},
                       "schemas": {"Error": {"type": "object", "required": ["error", "message"], "properties": {
            "error": {"type": "string"}, "message": {"type": "string"}}}}},
    }
