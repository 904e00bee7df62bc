"""API tokens and sessions: tokens are made and revoked by admins (and the CLI), a revoked token stops working,
a cookie session must send its CSRF token to change anything, and the cookie is HttpOnly and SameSite."""

import os
import subprocess
import sys

import pytest

from tests.support import PASSWORD, ROOT, bearer, signed_in


@pytest.fixture()
def admin_app(app_factory):
    return app_factory()


def test_tokens_are_created_once_and_revoked_by_admins(admin_app):
    admin = signed_in(admin_app, "admin")
    created = admin.post("/api/v1/tokens", json={"username": "writer1", "name": "ticket screen"})
    assert created.status_code == 201 and created.json["token"].startswith("kb_")
    token = {"Authorization": f"Bearer {created.json['token']}"}
    client = admin_app.test_client()
    assert client.get("/api/v1/review-queue", headers=token).status_code == 403  # a writer's token: known, not allowed
    assert client.get("/api/v1/articles/tv-wifi-drops/source", headers=token).status_code == 200
    assert admin.delete(f"/api/v1/tokens/{created.json['id']}").json == {"id": created.json["id"], "revoked": True}
    gone = client.get("/api/v1/articles/tv-wifi-drops/source", headers=token)
    assert gone.status_code == 401 and gone.json["error"] == "bad_token"
    assert admin.delete(f"/api/v1/tokens/{created.json['id']}").status_code == 404  # revoked already
    assert admin.post("/api/v1/tokens", json={"username": "nobody", "name": "x"}).json["error"] == "unknown_user"


def test_a_tokens_last_use_is_kept_to_the_minute_without_a_write_per_request(admin_app):
    import datetime as dt

    from sqlalchemy import select, update

    from services.db.schema import api_tokens
    from tests.support import services_of

    created = signed_in(admin_app, "admin").post("/api/v1/tokens", json={"username": "writer1", "name": "screen"})
    token, database = {"Authorization": f"Bearer {created.json['token']}"}, services_of(admin_app).database
    row = api_tokens.c.id == created.json["id"]

    def use_after(seconds_ago):
        moment = dt.datetime.utcnow().replace(microsecond=0) - dt.timedelta(seconds=seconds_ago)
        with database.begin() as conn:
            conn.execute(update(api_tokens).where(row).values(last_used_at=moment))
        assert admin_app.test_client().get("/api/v1/articles/tv-wifi-drops/source", headers=token).status_code == 200
        with database.connect() as conn:
            return moment, conn.execute(select(api_tokens.c.last_used_at).where(row)).scalar()

    moment, seen = use_after(10)
    assert seen == moment  # used 10 s ago: not written again
    moment, seen = use_after(120)
    assert seen > moment  # two minutes ago: written


def test_a_bad_token_is_refused_even_on_pages(admin_app):
    response = admin_app.test_client().get("/learn", headers={"Authorization": "Bearer kb_forged"})
    assert response.status_code == 401 and b"unknown or revoked" in response.data


def test_token_requests_need_no_csrf_token(admin_app):
    response = admin_app.test_client().post("/api/v1/usage", json={"article_id": "tv-wifi-drops"},
                                            headers=bearer(admin_app, "consultant"))
    assert response.status_code == 201


def test_session_writes_need_the_csrf_token(admin_app):
    c = admin_app.test_client()
    c.get("/login")
    with c.session_transaction() as s:
        csrf = s["csrf"]
    assert c.post("/login", data={"username": "writer1", "password": PASSWORD}).status_code == 403
    signed = c.post("/login", data={"username": "writer1", "password": PASSWORD, "csrf_token": csrf})
    assert signed.status_code == 302
    cookie = signed.headers["Set-Cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    with c.session_transaction() as s:
        assert s["csrf"] != csrf  # a sign-in starts a fresh session
        csrf = s["csrf"]
    body = {"article_id": "tv-wifi-drops", "helpful": True}
    refused = c.post("/api/v1/feedback", json=body)
    assert refused.status_code == 403 and refused.json["error"] == "csrf_failed"
    assert c.post("/api/v1/feedback", json=body, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert c.post("/api/v1/feedback", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    wrong = c.post("/login", data={"username": "writer1", "password": "nope", "csrf_token": csrf})
    assert wrong.status_code == 401 and b"Wrong username or password" in wrong.data


def test_the_session_cookie_is_secure_over_https(admin_app):
    c = admin_app.test_client()
    c.get("/login", base_url="https://kb.example")
    with c.session_transaction(base_url="https://kb.example") as s:
        csrf = s["csrf"]
    signed = c.post("/login", base_url="https://kb.example",
                    data={"username": "writer1", "password": PASSWORD, "csrf_token": csrf})
    assert signed.status_code == 302 and "secure" in signed.headers["Set-Cookie"].lower()


def test_sign_in_redirects_only_to_this_site_and_sign_out_ends_the_session(admin_app):
    c = admin_app.test_client()
    c.get("/login")
    with c.session_transaction() as s:
        csrf = s["csrf"]
    for target, expected in (("/learn/tv", "/learn/tv"), ("https://evil.example/", "/"), ("//evil.example", "/")):
        signed = c.post(f"/login?next={target}", data={"username": "consultant1", "password": PASSWORD,
                                                        "csrf_token": csrf})
        assert signed.status_code == 302 and signed.headers["Location"] == expected
        with c.session_transaction() as s:
            csrf = s["csrf"]
    assert c.get("/learn").status_code == 200
    assert c.post("/logout", data={"csrf_token": csrf}).headers["Location"] == "/login"
    assert c.get("/learn").status_code == 302


def test_a_disabled_user_can_no_longer_sign_in_or_use_a_session(admin_app):
    from sqlalchemy import update

    from services.db.schema import users

    consultant = signed_in(admin_app, "consultant")
    assert consultant.get("/learn").status_code == 200
    with admin_app.extensions["kb_services"].database.begin() as conn:
        conn.execute(update(users).where(users.c.username == "consultant1").values(active=False))
    assert consultant.get("/learn").status_code == 302
    assert admin_app.test_client().get("/learn", headers=bearer(admin_app, "consultant")).status_code == 401


def test_users_and_tokens_cli(tmp_path):
    env = dict(os.environ, KB_DATABASE_URL=f"sqlite:///{tmp_path / 'u.sqlite3'}")

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "server", *args], input=stdin, text=True, capture_output=True,
                              cwd=ROOT, env=env, timeout=120)

    assert run("users", "add", "boss", "--role", "admin", "--password-stdin", stdin="a long password\n").returncode == 0
    weak = run("users", "add", "weak", "--role", "writer", "--password-stdin", stdin="short\n")
    assert weak.returncode == 2 and "at least 10 characters" in weak.stderr
    assert run("users", "add", "lead", "--role", "team-lead", "--password-stdin", stdin="another long one\n").returncode == 0
    assert run("users", "add", "x", "--role", "overlord", "--password-stdin").returncode == 2
    listed = run("users", "list").stdout
    assert "boss\tadmin\tactive" in listed and "lead\tteam-lead\tactive" in listed and "weak" not in listed
    token = run("tokens", "create", "boss", "ci")
    assert token.returncode == 0 and "kb_" in token.stdout and "token 1 for boss" in token.stdout
    assert run("tokens", "create", "nobody", "ci").returncode == 2
    assert run("tokens", "revoke", "1").returncode == 0
    assert run("tokens", "revoke", "1").returncode == 2
