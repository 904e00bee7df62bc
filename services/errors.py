"""Errors the services raise; the web layer turns each into a status code and a clear message.

They know nothing of HTTP beyond the status number they suggest, so the same rule gives the same answer on the
JSON API and on the pages.

>>> NotFound("unknown_article", "no article 'x'").status
404
"""


class ServiceError(Exception):
    """An error the caller can act on: ``code`` for programs, ``message`` for people, ``status`` for HTTP."""

    status = 400

    def __init__(self, code, message, status=None, **details):
        super().__init__(message)
        self.code, self.message = code, message
        self.status = status or self.status
        self.details = details


class NotFound(ServiceError):
    """The thing asked for does not exist (or the caller may not know it exists)."""

    status = 404


class Forbidden(ServiceError):
    """The signed-in person's role does not allow this."""

    status = 403


class Invalid(ServiceError):
    """An article text has lint errors; ``problems`` name the line and the fix."""

    status = 422

    def __init__(self, problems):
        super().__init__("invalid_article", "; ".join(str(p) for p in problems[:3]) or "invalid article")
        self.problems = problems


class Conflict(ServiceError):
    """Someone saved a newer version since ``base_version``: both texts travel with the error."""

    status = 409

    def __init__(self, latest, yours):
        super().__init__("conflict", f"version {latest['version']} was saved by {latest['author']} since you opened "
                         "the article")
        self.latest, self.yours = latest, yours


class Unavailable(ServiceError):
    """A dependency (the database) is down; ``retry_after`` says when to try again, in seconds."""

    status = 503

    def __init__(self, code, message, retry_after=5):
        super().__init__(code, message)
        self.retry_after = retry_after
