"""The consultant pages: console, article view, ticket-assist panel, follow-ups; served by the API's app.

Pages render on the server and call ``/api/v1`` from small scripts; there is no build step.
"""

from webui import auth_views, insights_views, training_views, write_views
from webui.views import bp


def init_app(app):
    """Register the pages and their security headers on an app."""
    app.register_blueprint(bp)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(write_views.bp)
    app.register_blueprint(training_views.bp)
    app.register_blueprint(insights_views.bp)

    @app.after_request
    def security_headers(response):
        if response.mimetype == "text/html":
            settings = app.config["KB_SETTINGS_OBJ"]
            framable = getattr(response, "kb_framable", False)
            ancestors = settings.frame_ancestors if framable else "'none'"
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                f"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}")
            if not framable:
                response.headers["X-Frame-Options"] = "DENY"
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "same-origin"
        return response
