"""The composition root: builds the settings, the engine, the database and the services, and hands them to the
JSON API (``assist_api``) and the pages (``webui``). Nothing below this package imports it.

>>> from kb.settings import Settings                                       # doctest: +SKIP
>>> app = create_app(Settings.from_env())                                 # doctest: +SKIP
>>> app.test_client().get("/api/v1/health").json["status"]                # doctest: +SKIP
'ok'
"""

from flask import Flask

import webui
from assist_api import access, audit, errors
from assist_api.blueprints import BLUEPRINTS
from kb.settings import Settings
from services import Services


def create_app(settings=None, engine=None, services=None, testing=False):
    """Build the app from ``Settings``; without ``engine`` the index named by the settings is opened (not at import
    time); without ``services`` they are created over the engine. ``testing`` sets Flask's TESTING flag."""
    settings = settings or Settings.from_env()
    if services is None:
        if engine is None:
            from kb.search.engine import SearchEngine

            engine = SearchEngine.open(settings.index_dir, settings=settings)
        services = Services.create(settings, engine)
    app = Flask("server", static_folder=None)  # the pages serve their own static files
    app.config.update(SECRET_KEY=settings.secret_key, TESTING=testing)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["kb_services"] = services
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    webui.init_app(app, settings.frame_ancestors)
    errors.init_app(app, webui.render_error)
    access.init_app(app, login_endpoint="webui_auth.login")
    audit.init_app(app)

    @app.before_request
    def follow_index_updates():
        services.engine.refresh()  # another worker (or the indexer CLI) may have published a new index version

    services.start()
    return app
