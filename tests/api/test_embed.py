"""The embed contract's server side: panel tokens are made only with an API token, open only the assist panel's
routes (no CSRF token needed: they travel in a header), die with their API token, and are recorded; the compact
panel's shell loads without a session and names the allowed origins; the full panel still asks to sign in."""

import json
import re

import pytest

from services.embed import EmbedTokens, allowed_origins, origin_allowed
from tests.support import bearer, services_of, signed_in


@pytest.fixture()
def embed_app(app_factory):
    return app_factory(frame_ancestors="'self' https://desk.example.com https://*.zammad.example")


def panel_token(app, role="consultant", agent="anna"):
    response = app.test_client().post("/api/v1/embed/tokens", json={"agent": agent}, headers=bearer(app, role))
    assert response.status_code == 201 and response.json["expires_in"] == 3600
    return response.json["token"]


def test_panel_tokens_open_the_assist_panel_only(embed_app):
    token = panel_token(embed_app)
    assert token.startswith("kbe_")
    client, auth = embed_app.test_client(), {"Authorization": f"Bearer {token}"}
    assisted = client.post("/api/v1/assist", json={"body": "TV has no sound"}, headers=auth)
    assert assisted.status_code == 200 and assisted.json["answers"]
    assert client.get("/api/v1/search?q=no+sound", headers=auth).status_code == 200
    assert client.post("/api/v1/usage", json={"article_id": "tv-wifi-drops"}, headers=auth).status_code == 201
    writer_token = panel_token(embed_app, "writer")
    for method, url in (("GET", "/api/v1/articles/tv-wifi-drops/source"), ("GET", "/api/v1/review-queue"),
                        ("GET", "/learn")):
        refused = client.open(url, method=method, headers={"Authorization": f"Bearer {writer_token}"})
        assert refused.status_code == 403, (method, url, refused.status_code)
    again = client.post("/api/v1/embed/tokens", headers={"Authorization": f"Bearer {writer_token}"})
    assert again.json["error"] == "api_token_required"  # a panel token cannot make another


def test_panel_tokens_are_made_with_an_api_token_only(embed_app):
    session = signed_in(embed_app, "consultant").post("/api/v1/embed/tokens", json={})
    assert session.status_code == 400 and session.json["error"] == "api_token_required"
    assert embed_app.test_client().post("/api/v1/embed/tokens", json={}).status_code == 401


def test_panel_tokens_die_with_their_api_token_and_when_forged(embed_app):
    admin = signed_in(embed_app, "admin")
    made = admin.post("/api/v1/tokens", json={"username": "consultant1", "name": "zammad"}).json
    client = embed_app.test_client()
    token = client.post("/api/v1/embed/tokens", json={}, headers={"Authorization": f"Bearer {made['token']}"}).json["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/assist", json={"body": "wifi"}, headers=auth).status_code == 200
    forged = {"Authorization": f"Bearer {token[:-3]}abc"}
    assert client.post("/api/v1/assist", json={"body": "wifi"}, headers=forged).json["error"] == "bad_token"
    admin.delete(f"/api/v1/tokens/{made['id']}")
    services_of(embed_app).identities._seen.clear()  # as after the identity cache's lifetime in another worker
    assert client.post("/api/v1/assist", json={"body": "wifi"}, headers=auth).status_code == 401


def test_expired_panel_tokens_are_refused(embed_app):
    services = services_of(embed_app)
    expired = EmbedTokens(services.database, "tests-only-secret-key", minutes=-1)
    with services.database.begin() as conn:
        user = conn.exec_driver_sql("SELECT id FROM users WHERE username = 'consultant1'").first()
        token_id = conn.exec_driver_sql("SELECT MIN(id) FROM api_tokens").scalar()
        made = expired.create({"id": user[0]}, token_id)
        assert expired.user_for(made["token"], conn) is None
        assert services.identities.embed.user_for(made["token"], conn)["username"] == "consultant1"


def test_the_compact_shell_loads_without_a_session_and_names_the_allowed_origins(embed_app):
    client = embed_app.test_client()
    shell = client.get("/assist?compact=1")
    assert shell.status_code == 200 and 'data-signed-in="0"' in shell.text
    origins = json.loads(re.search(r'data-origins="([^"]*)"', shell.text).group(1).replace("&#34;", '"'))
    assert origins == ["http://localhost", "https://desk.example.com", "https://*.zammad.example"]
    assert "frame-ancestors 'self' https://desk.example.com https://*.zammad.example" in shell.headers["Content-Security-Policy"]
    assert client.get("/assist").headers["Location"].startswith("/login?next=/assist")
    assert 'data-signed-in="1"' in signed_in(embed_app, "consultant").get("/assist?compact=1").text


@pytest.mark.parametrize("origin, expected", [
    ("https://desk.example.com", True), ("https://acme.zammad.example", True), ("https://a.b.zammad.example", True),
    ("https://zammad.example", False), ("http://desk.example.com", False), ("https://desk.example.com:8443", False),
    ("https://desk.example.com.evil.example", False), ("null", False), ("https://evilzammad.example", False),
])
def test_origins_are_checked_against_frame_ancestors(origin, expected):
    allowed = allowed_origins("'self' https://desk.example.com https://*.zammad.example 'none' data: /path",
                              "http://kb.local:8000/")
    assert allowed == ["http://kb.local:8000", "https://desk.example.com", "https://*.zammad.example"]
    assert origin_allowed(origin, allowed) is expected
