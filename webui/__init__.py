"""The consultant, writer, trainee and team-lead pages, served by the same app as the API.

Pages render on the server and call ``/api/v1`` from small scripts; there is no build step. The composition root
(``server.create_app``) calls ``init_app``; the pages read through the services and never build an index.
"""

from flask import render_template

from assist_api.access import csrf_token, current_user
from services.errors import ServiceError

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}")


def blueprints():
    """The page blueprints, in registration order."""
    from webui import auth_views, guide_views, insights_views, training_views, views, write_views

    return (views.bp, auth_views.bp, write_views.bp, training_views.bp, insights_views.bp, guide_views.bp)


def render_error(status, code, message):
    """An error page with the navigation, for page requests (the API answers JSON)."""
    response = render_template("error.html", status=status, code=code, message=message)
    return response, status


def init_app(app, frame_ancestors):
    """Register the pages, their template context and their security headers on an app."""
    for bp in blueprints():
        app.register_blueprint(bp)

    @app.context_processor
    def page_context():
        try:
            user = current_user()
        except ServiceError:  # the database is down: pages still render, signed out
            user = None
        return {"user": user, "csrf": csrf_token()}

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
