"""The OpenAPI 3 document of ``/api/v1`` (a test checks it against the app's routes)."""

from kb.article import AUDIENCES, CHANNELS, LANGS, TYPES
from services.contacts import ACTIONS, FLAGS
from services.drafts import ACTIONS as DRAFT_ACTIONS
from services.guides import OUTCOMES as GUIDE_OUTCOMES
from services.learning import ANSWERS as FOLLOWUP_ANSWERS
from kb.search.engine import MODES


def _q(name, description, schema=None, required=False):
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


def _p(name, description):
    return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": "string"}}


ERROR = {"description": "bad input", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _op(summary, params=(), body=None, responses=None, tag="search"):
    op = {"summary": summary, "tags": [tag], "parameters": list(params),
          "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                        "400": ERROR, **(responses or {})}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


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
    ]
    not_found = {"404": ERROR}
    created = {"201": {"description": "created"}}
    auth = {"401": ERROR, "403": ERROR}
    range_params = [_q("from", "YYYY-MM-DD"), _q("to", "YYYY-MM-DD"), _q("limit", "rows"),
                    _q("category", "contact category"), _q("week", "a date in the week (spikes)")]
    return {
        "/api/v1/search": {"get": _op("Search the knowledge base", search_params)},
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
                          tag="authoring")},
        "/api/v1/products": {"get": _op("Find products", [_q("q", "code, part of a code or name", required=True),
                                                          _q("limit", "1-100", {"type": "integer"})])},
        "/api/v1/products/{code}": {"get": _op("One product with its articles", [_p("code", "model code or SKU")],
                                               responses=not_found)},
        "/api/v1/health": {"get": _op("Index version, counts and model")},
        "/api/v1/assist": {"post": _op("Suggested answers, escalation path and checklist for a contact",
                                       body=_body({"subject": "string", "body": "string", "product": "string",
                                                   "channel": list(CHANNELS),
                                                   "customer_type": list(AUDIENCES), "lang": list(LANGS),
                                                   "contact_id": "string", "customer_id": "string"}), tag="assist")},
        "/api/v1/feedback": {"post": _op("Helpful, not helpful, or flag an article as wrong or outdated",
                                         body=_body({"article_id": "string", "helpful": "boolean", "contact_id": "string",
                                                     "query": "string", "flag": list(FLAGS), "comment": "string"},
                                                    ["article_id", "helpful"]), responses=created, tag="assist")},
        "/api/v1/usage": {"post": _op("Record that an article was used, copied or opened",
                                      body=_body({"article_id": "string", "action": list(ACTIONS),
                                                  "contact_id": "string", "query": "string"}, ["article_id"]),
                                      responses=created, tag="assist")},
        "/api/v1/escalations": {
            "get": _op("Escalations, overdue first", [_q("status", "open, answered or closed")], tag="assist"),
            "post": _op("Open an escalation (due after the path's SLA)",
                        body=_body({"path_id": "string", "question": "string", "reason": "string",
                                    "contact_id": "string", "steps_tried": "string"}, ["path_id", "question"]),
                        responses=created, tag="assist")},
        "/api/v1/escalations/{esc_id}/answer": {"post": _op(
            "Answer an escalation; the answer becomes a draft article and the follow-up call is scheduled",
            [_p("esc_id", "escalation id")], body=_body({"answer": "string"}, ["answer"]),
            responses={**not_found, "409": ERROR}, tag="assist")},
        "/api/v1/followups": {"get": _op("Callbacks due", [_q("due", "'today' or YYYY-MM-DD")], tag="assist")},
        "/api/v1/followups/{followup_id}/done": {"post": _op("Mark a callback as made", [_p("followup_id", "id")],
                                                             body=_body({"note": "string",
                                                                         "outcome": list(FOLLOWUP_ANSWERS)}),
                                                             responses=not_found, tag="assist")},
        "/api/v1/articles": {"post": _op("Create an article (writer; a draft unless sent to review)",
                                         body=_body({"text": "string", "comment": "string"}, ["text"]),
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
        "/api/v1/articles/{article_id}/submit": {"post": _op("Send to review (writer)", [_p("article_id", "id")],
                                                             responses={**not_found, **auth, "409": ERROR}, tag="authoring")},
        "/api/v1/articles/{article_id}/publish": {"post": _op("Publish (reviewer): file written, index updated",
                                                              [_p("article_id", "id")],
                                                              responses={**not_found, **auth, "409": ERROR}, tag="authoring")},
        "/api/v1/preview": {"post": _op("Sanitized preview, lint problems and similar articles of a draft",
                                        body=_body({"text": "string", "id": "string"}, ["text"]), responses=auth,
                                        tag="authoring")},
        "/api/v1/review-queue": {"get": _op("Versions waiting for review (reviewer)", responses=auth, tag="authoring")},
        "/api/v1/attention": {"get": _op("Articles past their review date or flagged", [_q("mine", "1: only mine")],
                                         responses=auth, tag="authoring")},
        "/api/v1/tokens": {"post": _op("Create an API token (admin; shown once)",
                                       body=_body({"username": "string", "name": "string"}, ["username", "name"]),
                                       responses={**created, **auth}, tag="authoring")},
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
            body=_body({"answer": list(FOLLOWUP_ANSWERS), "note": "string"}, ["answer"]),
            responses={**created, **not_found}, tag="assist")},
    }


def document():
    """The whole OpenAPI document."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Nordiq knowledge base and agent-assist API", "version": "1.0.0"},
        "paths": paths(),
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                           "session": {"type": "apiKey", "in": "cookie", "name": "session"}},
                       "schemas": {"Error": {"type": "object", "required": ["error", "message"], "properties": {
            "error": {"type": "string"}, "message": {"type": "string"}}}}},
    }
