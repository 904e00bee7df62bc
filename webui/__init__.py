"""The consultant, writer, trainee and team-lead pages, served by the same app as the API.

Pages render on the server and call ``/api/v1`` from small scripts; there is no build step. The composition root
(``server.create_app``) calls ``init_app``; the pages read through the services and never build an index.
"""

from flask import render_template

from assist_api.access import csrf_token, current_user
from services import accounts
from services.errors import ServiceError
from webui import i18n

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}")


def blueprints():
    """The page blueprints, in registration order."""
    from webui import (audit_views, auth_views, escalation_views, guide_views, insights_views, training_views, views,
                       write_views)

    return (views.bp, auth_views.bp, write_views.bp, training_views.bp, insights_views.bp, escalation_views.bp,
            audit_views.bp, guide_views.bp)


def render_error(status, code, message):
    """An error page with the navigation, for page requests (the API answers JSON), in the page's language when
    the error is one the pages know (the English message of the service otherwise)."""
    from webui.messages import error_message

    response = render_template("error.html", status=status, code=code, message=error_message(code, message))
    return response, status


def init_app(app, frame_ancestors, login_limit="10 per minute"):
    """Register the pages, their template context, their security headers and the sign-in throttle on an app."""
    from webui.auth_views import throttle

    for bp in blueprints():
        app.register_blueprint(bp)
    i18n.init_app(app)
    throttle(app, login_limit)

    @app.context_processor
    def page_context():
        try:
            user = current_user()
        except ServiceError:  # the database is down: pages still render, signed out
            user = None
        role = user["role"] if user else None
        return {"user": user, "csrf": csrf_token(), "can": lambda permission: accounts.allowed(role, permission)}

    @app.after_request
    def security_headers(response):
        if response.mimetype == "text/html":
            framable = getattr(response, "kb_framable", False)
            response.headers["Content-Security-Policy"] = CSP.format(
                ancestors=frame_ancestors if framable else "'none'")
            if not framable:
                response.headers["X-Frame-Options"] = "DENY"
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "same-origin"
        return response
