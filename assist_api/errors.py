"""Errors as the caller can act on them: JSON ``{"error": code, "message": text}`` on the API, an HTML page with
navigation on the pages, the same status either way; 503 carries ``Retry-After``; never a bare 500.

>>> raise APIError("bad_limit", "limit must be a whole number from 1 to 100")   # doctest: +SKIP
"""

from flask import jsonify, make_response, request
from werkzeug.exceptions import HTTPException

from kb.search.engine import SearchError
from services.errors import Conflict, Invalid, ServiceError, Unavailable


class APIError(ServiceError):
    """An error of the request itself (bad parameter, missing sign-in); ``status`` defaults to 400."""


def error_body(exc):
    """The JSON body of a service error, with the details a client needs (lint problems, both texts of a conflict)."""
    body = {"error": exc.code, "message": exc.message}
    if isinstance(exc, Invalid):
        body["problems"] = [p.to_dict() for p in exc.problems]
    elif isinstance(exc, Conflict):
        body.update(latest_version=exc.latest["version"], latest_author=exc.latest["author"],
                    latest_text=exc.latest["text"], your_text=exc.yours)
    return body


def init_app(app, render_page):
    """Register the handlers; ``render_page(status, code, message)`` renders errors of page requests."""

    def respond(status, code, message, body=None, headers=None):
        if request.path.startswith("/api/"):
            response = jsonify(body or {"error": code, "message": message})
            response.status_code = status
        else:
            response = make_response(render_page(status, code, message))
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response

    @app.errorhandler(ServiceError)
    def handle_service_error(exc):
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Unavailable) else None
        return respond(exc.status, exc.code, exc.message, error_body(exc), headers)

    @app.errorhandler(SearchError)
    def handle_search_error(exc):
        return respond(400, exc.code, str(exc))

    @app.errorhandler(HTTPException)
    def handle_http(exc):
        code = (exc.name or "error").lower().replace(" ", "_")
        headers = dict(exc.get_response().headers) if exc.code == 405 else None
        headers = {"Allow": headers["Allow"]} if headers and "Allow" in headers else None
        return respond(exc.code or 500, code, exc.description or exc.name, headers=headers)

    @app.errorhandler(Exception)
    def handle_unexpected(exc):  # pragma: no cover - a bug; logged with its traceback
        app.logger.exception("unhandled error on %s", request.path)
        return respond(500, "internal_error", "the server hit an unexpected error; it has been logged")
