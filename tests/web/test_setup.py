"""The first-run page: offered only while nobody can sign in, and only to a browser on this machine; it creates
the first administrator and signs them in, and then it is gone."""

import pytest
from sqlalchemy import select

from services.db.schema import users
from tests.support import csrf_of, services_of

FAR = {"REMOTE_ADDR": "203.0.113.9"}
FORM = {"username": "first.admin", "password": "a long enough password", "password2": "a long enough password"}


@pytest.fixture()
def fresh_app(app_factory):
    return app_factory(with_users=False)


def client(app, environ=None):
    c = app.test_client()
    c.environ_base.update(environ or {})
    c.get("/login")
    return c


def test_setup_is_offered_from_this_machine_while_nobody_can_sign_in(fresh_app):
    local = client(fresh_app)
    assert 'id="setup-link"' in local.get("/login").get_data(as_text=True)
    page = local.get("/setup")
    assert page.status_code == 200 and 'id="setup-form"' in page.get_data(as_text=True)
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert client(fresh_app, {"REMOTE_ADDR": "::1"}).get("/setup").status_code == 200  # IPv6 loopback


def test_setup_is_not_offered_to_other_machines(fresh_app):
    far = client(fresh_app, FAR)
    assert 'id="setup-link"' not in far.get("/login").get_data(as_text=True)
    assert far.get("/setup").status_code == 404
    refused = far.post("/setup", data=dict(FORM, csrf_token=csrf_of(far)))
    assert refused.status_code == 404
    with services_of(fresh_app).database.connect() as conn:
        assert conn.execute(select(users)).all() == []


def test_setup_creates_the_first_admin_and_then_is_gone(fresh_app):
    local = client(fresh_app)
    assert local.post("/setup", data=FORM).status_code == 403  # no CSRF token
    csrf = csrf_of(local)
    differ = local.post("/setup", data=dict(FORM, password2="something else", csrf_token=csrf))
    assert differ.status_code == 400 and "passwords differ" in differ.get_data(as_text=True)
    short = local.post("/setup", data=dict(FORM, password="short", password2="short", csrf_token=csrf))
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    created = local.post("/setup", data=dict(FORM, csrf_token=csrf))
    assert created.status_code == 302 and created.headers["Location"] == "/"
    assert local.get("/insights").status_code == 200  # signed in as an administrator
    with services_of(fresh_app).database.connect() as conn:
        assert [tuple(r) for r in conn.execute(select(users.c.username, users.c.role))] == [("first.admin", "admin")]
    again = client(fresh_app)
    assert again.get("/setup").status_code == 404
    assert again.post("/setup", data=dict(FORM, username="second", csrf_token=csrf_of(again))).status_code == 404
    assert 'id="setup-link"' not in again.get("/login").get_data(as_text=True)
