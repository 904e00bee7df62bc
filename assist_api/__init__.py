"""The HTTP API (and host of the web UI): ``create_app(config=None, engine=None)``.

>>> from kb.search.engine import SearchEngine                    # doctest: +SKIP
>>> app = create_app(engine=SearchEngine.open("var/index"))       # doctest: +SKIP
>>> app.test_client().get("/api/v1/search?q=no+sound").json["hits"][0]  # doctest: +SKIP
"""

from flask import Flask, current_app

from kb.settings import Settings


def create_app(config=None, engine=None):
    """Build the app. Without ``engine`` it opens the index named by the settings (not at import time)."""
    app = Flask(__name__)
    settings = Settings.from_env(**(config or {}).get("KB_SETTINGS", {}))
    app.config.update(SECRET_KEY=settings.secret_key, JSON_SORT_KEYS=False, KB_SETTINGS_OBJ=settings)
    app.config.update({k: v for k, v in (config or {}).items() if k != "KB_SETTINGS"})
    app.json.ensure_ascii = False
    if engine is None:
        from kb.search.engine import SearchEngine

        engine = SearchEngine.open(settings.index_dir, settings=settings)
    app.extensions["kb_engine"] = engine

    from assist_api import errors, search_api

    errors.init_app(app)
    app.register_blueprint(search_api.bp)
    try:
        from webui import init_app as init_webui
    except ImportError:  # pragma: no cover - the web UI is optional for API-only deployments
        init_webui = None
    if init_webui:
        init_webui(app)
    return app


def get_engine():
    """The search engine of the current app."""
    return current_app.extensions["kb_engine"]


def get_settings():
    """The settings of the current app."""
    return current_app.config["KB_SETTINGS_OBJ"]
