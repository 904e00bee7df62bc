"""Apps for the tests, built through the composition root (``server.create_app``) over private copies of a content
folder and its index, with one user and one API token per role.

Every password is ``PASSWORD``; the user of a role is ``<role>1`` (``team-lead1``, ``engineer1``, ...).

>>> app = make_app(tmp, indexes)                     # doctest: +SKIP
>>> signed_in(app, "writer").get("/write").status_code   # doctest: +SKIP
200
"""

import functools
import os
import re
from pathlib import Path

from sqlalchemy import create_engine, insert, text

from tests.support.indexes import suite_settings
from tests.support.paths import FIXTURE_KB

PASSWORD = "correct horse battery"
POSTGRES_ENV = "KB_TEST_POSTGRES_URL"


def username(role):
    """The test user of a role."""
    return f"{role}1"


def make_app(folder, indexes, content=FIXTURE_KB, database_url=None, with_users=True, database=None, testing=True,
             **overrides):
    """An app over its own copies of ``content`` and its index in ``folder``, its own SQLite file unless
    ``database_url`` (or a ready ``services.db.Database``) is given, and the test users. ``testing=False`` serves
    errors as production does (an unexpected exception becomes a 500 page instead of reaching the test)."""
    folder = Path(folder)
    content_dir, index_dir = indexes.workspace(content, folder)
    url = database.url if database is not None else database_url or f"sqlite:///{folder / 'kb.sqlite3'}"
    settings = suite_settings(content_dir=str(content_dir), index_dir=str(index_dir), database_url=url, **overrides)
    app = open_app(settings, indexes.embedder, database, testing)
    app.extensions["kb_test_tokens"] = add_users(app) if with_users else {}
    return app


def open_app(settings, embedder=None, database=None, testing=True):
    """An app on the folders and database the settings name, as a (re)started server builds it."""
    from kb.search.engine import SearchEngine
    from server import create_app
    from services import Services

    engine = SearchEngine.open(settings.index_dir, settings=settings, embedder=embedder, warm=False)
    services = Services.create(settings, engine, database=database) if database is not None else None
    app = create_app(settings, engine=engine, services=services, testing=testing)
    app.extensions.setdefault("kb_test_tokens", {})
    return app


def services_of(app):
    """The ``services.Services`` of an app."""
    return app.extensions["kb_services"]


def close_app(app):
    """Write queued events and close the database pool (call before dropping a PostgreSQL schema)."""
    services = services_of(app)
    if services.replication is not None:
        services.replication.stop()
    services.events.flush()
    services.database.dispose()


@functools.lru_cache(maxsize=1)
def _password_hash():
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD)  # hashed once: scrypt costs 0.15 s a time


def add_users(app, roles=None):
    """One active user and one API token per role; returns ``{role: token}``."""
    from services import accounts
    from services.db import repo
    from services.db.schema import users

    tokens = {}
    with services_of(app).database.begin() as conn:
        for role in roles or accounts.ROLES:
            user_id = conn.execute(insert(users).values(
                username=username(role), name=f"Test {role}", role=role, active=True, created_at=repo.utcnow(),
                password_hash=_password_hash())).inserted_primary_key[0]
            tokens[role] = accounts.create_token(conn, user_id, "tests")[1]
    return tokens


def bearer(app, role):
    """``Authorization`` header of the role's API token."""
    return {"Authorization": f"Bearer {app.extensions['kb_test_tokens'][role]}"}


def signed_in(app, role=None):
    """A test client with a session as a browser has it: signed in as ``role`` through the sign-in form (None: a
    visitor who opened a page), sending the session's CSRF token with every request."""
    client = app.test_client()
    cookie, csrf = _session(app, role)
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    client.environ_base["HTTP_X_CSRF_TOKEN"] = csrf
    return client


def _session(app, role):
    cache = app.extensions.setdefault("kb_test_sessions", {})
    if role not in cache:
        client = app.test_client()
        client.get("/login")
        csrf = csrf_of(client)
        if role is not None:
            response = client.post("/login", data={"username": username(role), "password": PASSWORD,
                                                   "csrf_token": csrf})
            assert response.status_code == 302, f"sign-in as {role} failed: {response.status_code}"
            csrf = csrf_of(client)  # a sign-in starts a fresh session with a new token
        cache[role] = (client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value, csrf)
    return cache[role]


def csrf_of(client):
    """The CSRF token of a test client's session."""
    with client.session_transaction() as session:
        return session["csrf"]


def postgres_url():
    """The PostgreSQL URL of ``KB_TEST_POSTGRES_URL`` with an empty schema, or None when it is unset.

    The schema is ``public``, or the one the URL names (``?options=-csearch_path%3Dmine``), so that several
    checkouts can share one test database without emptying each other's schema mid-run."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return None
    named = re.search(r"search_path(?:=|%3D)(\w+)", url)
    schema = named.group(1) if named else "public"
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()
    return url
