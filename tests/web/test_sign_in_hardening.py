"""Sign-in hardening: no known cookie secret (a random one is generated and kept with mode 600; a documented one
stops the server), failed sign-ins throttled per address and per username, and redirects that stay on this site."""

import stat

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from server import secret_key
from tests.support import FIXTURE_KB, PASSWORD, csrf_of, open_app, signed_in, suite_settings

OLD_DEFAULT = "dev-only-change-me"


def forged_cookie(secret, user_id=1, csrf="x"):
    """A session cookie for ``user_id`` signed with ``secret``, as an attacker who knows it would make it."""
    app = Flask("forger")
    app.secret_key = secret
    return SecureCookieSessionInterface().get_signing_serializer(app).dumps({"user_id": user_id, "csrf": csrf})


@pytest.fixture()
def unset_secret_app(tmp_path, app_factory, indexes):
    """An app started as ``make run`` starts it: no KB_SECRET_KEY, the key file in its own folder."""
    app = app_factory(secret_key=None, secret_key_file=str(tmp_path / "var" / "secret-key"), testing=False)
    return app, tmp_path / "var" / "secret-key"


def test_without_a_secret_a_random_one_is_generated_kept_private_and_reused(unset_secret_app, tmp_path):
    app, path = unset_secret_app
    key = app.config["SECRET_KEY"]
    assert len(key) >= 40 and key != OLD_DEFAULT
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text().strip() == key
    settings = suite_settings(secret_key=None, secret_key_file=str(path))
    assert secret_key(settings) == key  # a restart (or the other workers) keep the sessions valid
    path.chmod(0o644)
    assert secret_key(settings) == key and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_cookie_signed_with_the_old_default_secret_gets_nothing(unset_secret_app):
    app, _ = unset_secret_app
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], forged_cookie(OLD_DEFAULT))
    response = client.post("/api/v1/tokens", json={"username": "admin1", "name": "stolen"},
                           headers={"X-CSRF-Token": "x"})
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


@pytest.mark.parametrize("value", [OLD_DEFAULT, "changeme", "short"])
def test_a_documented_or_short_secret_stops_the_server_outside_tests(value):
    with pytest.raises(RuntimeError, match="KB_SECRET_KEY"):
        secret_key(suite_settings(secret_key=value))
    assert secret_key(suite_settings(secret_key=value), testing=True) == value


def test_the_served_app_refuses_the_documented_default(tmp_path, indexes, embedder):
    content, index = indexes.workspace(FIXTURE_KB, tmp_path)
    settings = suite_settings(content_dir=str(content), index_dir=str(index), secret_key=OLD_DEFAULT,
                              database_url=f"sqlite:///{tmp_path / 'kb.sqlite3'}")
    with pytest.raises(RuntimeError, match="known or short"):
        open_app(settings, embedder, testing=False)


# -- throttling ------------------------------------------------------------------------------------------------------

def attempt(client, username, password, environ=None):
    environ = environ or {}
    client.get("/login", environ_base=environ)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(client)},
                       environ_base=environ)


def test_failed_sign_ins_are_throttled_and_the_right_password_then_waits(app_factory):
    app = app_factory(login_limit="5 per minute")
    client = app.test_client()
    statuses = [attempt(client, "consultant1", f"wrong {i}").status_code for i in range(5)]
    assert statuses == [401] * 5
    blocked = attempt(client, "consultant1", PASSWORD)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins" in blocked.get_data(as_text=True)
    # another address may still sign in as someone else; the same username is throttled from anywhere
    far = {"REMOTE_ADDR": "198.51.100.7"}
    assert attempt(app.test_client(), "writer1", PASSWORD, far).status_code == 302
    assert attempt(app.test_client(), "consultant1", PASSWORD, far).status_code == 429


def test_successful_sign_ins_do_not_count(app_factory):
    app = app_factory(login_limit="3 per minute")
    for _ in range(6):
        assert attempt(app.test_client(), "consultant1", PASSWORD).status_code == 302


# -- redirects ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0A/x", "//evil.example", "/%5Cevil.example",
                                    "https://evil.example", "/%0D%0ASet-Cookie:%20a=b"])
def test_sign_in_never_redirects_off_the_site(app, target):
    client = app.test_client()
    client.get("/login")
    response = client.post(f"/login?next={target}", data={"username": "consultant1", "password": PASSWORD,
                                                           "csrf_token": csrf_of(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/x", "//evil.example"])
def test_marking_as_read_never_redirects_off_the_site(app, target):
    response = signed_in(app, "consultant").post("/learn/read", data={"article_id": "tv-wifi-drops", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/learn"
