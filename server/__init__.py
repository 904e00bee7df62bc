"""The composition root: builds the settings, the engine, the database and the services, and hands them to the
JSON API (``assist_api``) and the pages (``webui``). Nothing below this package imports it.

>>> from kb.settings import Settings                                       # doctest: +SKIP
>>> app = create_app(Settings.from_env())                                 # doctest: +SKIP
>>> app.test_client().get("/api/v1/health").json["status"]                # doctest: +SKIP
'ok'
"""

import dataclasses
import logging
import os
import secrets
import stat
from pathlib import Path

from flask import Flask

import webui
from assist_api import access, audit, errors
from assist_api.blueprints import BLUEPRINTS
from kb.settings import Settings
from services import Services


def create_app(settings=None, engine=None, services=None, testing=False, background=True):
    """Build the app from ``Settings``; without ``engine`` the index named by the settings is opened (not at import
    time); without ``services`` they are created over the engine. ``testing`` sets Flask's TESTING flag;
    ``background=False`` leaves the replication thread to be started later (by each forked gunicorn worker)."""
    settings = settings or Settings.from_env()
    settings = dataclasses.replace(settings, secret_key=secret_key(settings, testing))  # the embed tokens sign with it
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
    webui.init_app(app, settings.frame_ancestors, settings.login_limit)
    errors.init_app(app, webui.render_error)
    access.init_app(app, login_endpoint="webui_auth.login")
    audit.init_app(app)

    @app.before_request
    def follow_index_updates():
        # another worker (or the indexer CLI) may have published a new index version: opened in the background
        services.engine.refresh(wait=False)

    services.start(background)
    return app


log = logging.getLogger(__name__)
# Secrets that were documented or are guessed first: a cookie signed with one of them makes anyone an admin.
KNOWN_SECRETS = {"dev-only-change-me", "change-me", "changeme", "secret", "secret-key", "dev", "development"}
MIN_SECRET = 16


def secret_key(settings, testing=False):
    """The key that signs session cookies: ``KB_SECRET_KEY`` when set (a documented or short one is refused
    outside tests), else the one kept in ``KB_SECRET_KEY_FILE``, generated with mode 600 on first start."""
    if settings.secret_key:
        if not testing and (settings.secret_key.lower() in KNOWN_SECRETS or len(settings.secret_key) < MIN_SECRET):
            raise RuntimeError(f"KB_SECRET_KEY is a known or short value (anyone could sign a session cookie with "
                               f"it): set at least {MIN_SECRET} random characters, or unset it to have one "
                               f"generated in {settings.secret_key_file}")
        return settings.secret_key
    return _kept_secret(Path(settings.secret_key_file))


def _kept_secret(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: of workers starting together, one writes and the others read
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            log.warning("%s was readable by others: made it mode 600", path)
            path.chmod(0o600)
        key = path.read_text("utf-8").strip()
        if len(key) < MIN_SECRET:
            raise RuntimeError(f"{path} holds no usable secret: delete it to have a new one generated") from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    log.info("generated the session secret in %s (mode 600)", path)
    return key


def route_table():
    """The role-by-route table of the README (Markdown lines), from the routes and the permission each declares;
    no index, model or database is opened."""
    app = Flask("server", static_folder=None)
    for bp in (*BLUEPRINTS, *webui.blueprints()):
        app.register_blueprint(bp)
    return access.permission_table(access.route_permissions(app))
