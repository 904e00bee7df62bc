"""The HTTP API (and host of the web UI): ``create_app(config=None, engine=None)``.

>>> from kb.search.engine import SearchEngine                    # doctest: +SKIP
>>> app = create_app(engine=SearchEngine.open("var/index"))       # doctest: +SKIP
>>> app.test_client().get("/api/v1/search?q=no+sound").json["hits"][0]  # doctest: +SKIP
"""

from flask import Flask, current_app

from kb.settings import Settings


def create_app(config=None, engine=None):
    """Build the app. Without ``engine`` it opens the index named by the settings (not at import time)."""
    app = Flask(__name__, static_folder=None)  # the web UI serves its own static files
    settings = Settings.from_env(**(config or {}).get("KB_SETTINGS", {}))
    app.config.update(SECRET_KEY=settings.secret_key, KB_SETTINGS_OBJ=settings)
    app.config.update({k: v for k, v in (config or {}).items() if k != "KB_SETTINGS"})
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    if engine is None:
        from kb.search.engine import SearchEngine

        engine = SearchEngine.open(settings.index_dir, settings=settings)
    app.extensions["kb_engine"] = engine
    app.extensions["kb_services"] = Services.create(settings, engine, app.logger)

    from assist_api import analytics_views, assist_views, errors, search_api

    errors.init_app(app)
    for module in (search_api, assist_views, analytics_views):
        app.register_blueprint(module.bp)
    try:
        from webui import init_app as init_webui
    except ImportError:  # pragma: no cover - the web UI is optional for API-only deployments
        init_webui = None
    if init_webui:
        init_webui(app)
    return app


class Services:
    """What the views share besides the engine: settings, database (None when down), event log, assistant."""

    def __init__(self, settings, database, events, assistant, log):
        self.settings, self.database, self.events, self.assistant, self.log = settings, database, events, assistant, log

    @classmethod
    def create(cls, settings, engine, log):
        """Open the database and migrate it; a database that cannot be reached leaves search working."""
        from assist_api.db import Database
        from assist_api.eventlog import EventLog, NullEventLog
        from kb.assist.assistant import Assistant

        try:
            database = Database(settings.database_url).migrate()
        except Exception as exc:  # noqa: BLE001 - any driver error means: serve without the database
            log.warning("database %s unavailable (%s): serving search without logging", settings.database_url, exc)
            database = None
        events = EventLog(database) if database else NullEventLog()
        return cls(settings, database, events, Assistant(engine), log)


def get_engine():
    """The search engine of the current app."""
    return current_app.extensions["kb_engine"]


def get_settings():
    """The settings of the current app."""
    return current_app.config["KB_SETTINGS_OBJ"]


def get_services():
    """Database, event log and assistant of the current app."""
    return current_app.extensions["kb_services"]
