"""JSON errors for the API: ``{"error": code, "message": text}`` with a 4xx status, never an HTML page or a 500."""

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from kb.search.engine import SearchError


class APIError(Exception):
    """An error the client can fix; ``status`` defaults to 400."""

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def error_response(code, message, status):
    """The JSON body and status of an error."""
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    return response


def init_app(app):
    """Register the error handlers on an app."""

    @app.errorhandler(APIError)
    def handle_api_error(exc):
        return error_response(exc.code, exc.message, exc.status)

    @app.errorhandler(SearchError)
    def handle_search_error(exc):
        return error_response(exc.code, str(exc), 400)

    @app.errorhandler(HTTPException)
    def handle_http(exc):
        if request.path.startswith("/api/"):
            code = (exc.name or "error").lower().replace(" ", "_")
            return error_response(code, exc.description or exc.name, exc.code or 500)
        return exc

    @app.errorhandler(Exception)
    def handle_unexpected(exc):  # pragma: no cover - a bug; logged with its traceback
        app.logger.exception("unhandled error on %s", request.path)
        return error_response("internal_error", "the server hit an unexpected error; it has been logged", 500)
