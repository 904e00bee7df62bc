"""The writers' workflow through the API: roles and every denial, versions, conflicts, publishing, history,
and "save means searchable" on a real index."""

import pytest

from assist_api.auth import create_token, create_user

NEW = """---
id: tv-hdmi-cec-{n}
title: "TV turns on by itself when the console starts"
type: troubleshooting
products: [QN90D*]
categories: [tv]
---

## Answer

HDMI-CEC (Anynet+) lets a console switch the TV on. Turn it off under Settings > General > External Device
Manager > Anynet+ if the customer does not want it. Keyword: {word}.
"""


@pytest.fixture()
def writer_app(writer_app_factory):
    return writer_app_factory()


def call(client, app, role, method, url, headers=None, **kw):
    headers = dict(headers or {}, **({"Authorization": f"Bearer {app.tokens[role]}"} if role else {}))
    return client.open(url, method=method, headers=headers, **kw)


def test_every_role_gets_exactly_its_rights(writer_app):
    c = writer_app.test_client()
    text = NEW.format(n=1, word="x")
    cases = [  # (role, method, url, json, expected status)
        (None, "POST", "/api/v1/articles", {"text": text}, 401),
        ("consultant", "POST", "/api/v1/articles", {"text": text}, 403),
        ("consultant", "GET", "/api/v1/articles/ww90t-not-draining/source", None, 403),
        ("consultant", "PUT", "/api/v1/articles/ww90t-not-draining", {"text": text, "base_version": 1}, 403),
        ("consultant", "POST", "/api/v1/preview", {"text": text}, 403),
        ("writer", "POST", "/api/v1/articles/ww90t-not-draining/publish", {}, 403),
        ("writer", "DELETE", "/api/v1/articles/ww90t-not-draining", {}, 403),
        ("writer", "GET", "/api/v1/review-queue", None, 403),
        ("writer", "POST", "/api/v1/tokens", {"username": "writer1", "name": "x"}, 403),
        ("reviewer", "POST", "/api/v1/tokens", {"username": "writer1", "name": "x"}, 403),
        ("reviewer", "DELETE", "/api/v1/tokens/1", None, 403),
        ("writer", "GET", "/api/v1/articles/ww90t-not-draining/source", None, 200),
        ("reviewer", "GET", "/api/v1/review-queue", None, 200),
        ("admin", "POST", "/api/v1/tokens", {"username": "writer1", "name": "ticket screen"}, 201),
    ]
    for role, method, url, body, status in cases:
        response = call(c, writer_app, role, method, url, json=body)
        assert response.status_code == status, (role, method, url, response.json)
        if status in (401, 403):
            assert response.json["error"] in ("unauthorized", "forbidden") and response.json["message"]
    assert call(c, writer_app, None, "GET", "/api/v1/review-queue",
                headers={"Authorization": "Bearer kb_nope"}).status_code == 401


def test_revoked_tokens_stop_working(writer_app):
    c = writer_app.test_client()
    created = call(c, writer_app, "admin", "POST", "/api/v1/tokens", json={"username": "writer1", "name": "temp"}).json
    ok = c.get("/api/v1/review-queue", headers={"Authorization": f"Bearer {created['token']}"})
    assert ok.status_code == 403  # a writer's token: authenticated, not allowed
    assert call(c, writer_app, "admin", "DELETE", f"/api/v1/tokens/{created['id']}").status_code == 200
    gone = c.get("/api/v1/articles/tv-wifi-drops/source", headers={"Authorization": f"Bearer {created['token']}"})
    assert gone.status_code == 401 and gone.json["error"] == "bad_token"


def test_session_writes_need_the_csrf_token(writer_app):
    c = writer_app.test_client()
    c.get("/login")
    with c.session_transaction() as s:
        csrf = s["csrf"]
    assert c.post("/login", data={"username": "writer1", "password": "correct horse battery"}).status_code == 403
    signed = c.post("/login", data={"username": "writer1", "password": "correct horse battery", "csrf_token": csrf})
    assert signed.status_code == 302
    cookie = signed.headers["Set-Cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    with c.session_transaction() as s:
        csrf = s["csrf"]
    body = {"text": NEW.format(n=2, word="y")}
    refused = c.post("/api/v1/articles", json=body)
    assert refused.status_code == 403 and refused.json["error"] == "csrf_failed"
    assert c.post("/api/v1/articles", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    wrong = c.post("/login", data={"username": "writer1", "password": "nope", "csrf_token": csrf})
    assert wrong.status_code == 401 and b"Wrong username or password" in wrong.data


def test_draft_review_publish_and_save_means_searchable(writer_app):
    c = writer_app.test_client()
    engine = writer_app.extensions["kb_engine"]
    created = call(c, writer_app, "writer", "POST", "/api/v1/articles", json={"text": NEW.format(n=3, word="quokkamode")})
    assert created.status_code == 201 and created.json["status"] == "draft" and created.json["version"] == 1
    assert engine.search("quokkamode").hits == [] or all(h.article_id != "tv-hdmi-cec-3" for h in engine.search("quokkamode").hits)
    assert call(c, writer_app, "writer", "POST", "/api/v1/articles/tv-hdmi-cec-3/submit", json={}).json["status"] == "review"
    queue = call(c, writer_app, "reviewer", "GET", "/api/v1/review-queue").json["queue"]
    assert [q["id"] for q in queue] == ["tv-hdmi-cec-3"]
    published = call(c, writer_app, "reviewer", "POST", "/api/v1/articles/tv-hdmi-cec-3/publish", json={})
    assert published.status_code == 200 and published.json["status"] == "published"
    hits = engine.search("quokkamode", mode="lexical").hits
    assert hits and hits[0].article_id == "tv-hdmi-cec-3"  # searchable as soon as the publish call returns


def test_editing_a_published_article_keeps_the_live_version_until_approved(writer_app):
    c = writer_app.test_client()
    engine = writer_app.extensions["kb_engine"]
    source = call(c, writer_app, "writer", "GET", "/api/v1/articles/tv-wifi-drops/source").json
    assert source["version"] == 1 and source["live_status"] == "published"
    edited = source["text"].replace("Move it to the 5 GHz network", "Move it to the 5 GHz network (zebrawifi)")
    saved = call(c, writer_app, "writer", "PUT", "/api/v1/articles/tv-wifi-drops", json={"text": edited, "base_version": 1})
    assert saved.status_code == 200 and saved.json["pending"] is True and saved.json["status"] == "draft"
    assert engine.search("zebrawifi", mode="lexical").hits == []  # the published text is still what consultants see
    assert "zebrawifi" not in (writer_app.extensions["kb_services"].settings.content_path / "tv" / "tv-wifi-drops.md").read_text()
    call(c, writer_app, "reviewer", "POST", "/api/v1/articles/tv-wifi-drops/publish", json={})
    assert engine.search("zebrawifi", mode="lexical").hits[0].article_id == "tv-wifi-drops"


def test_two_writers_saving_the_same_article_get_a_conflict_not_a_lost_edit(writer_app):
    c = writer_app.test_client()
    source = call(c, writer_app, "writer", "GET", "/api/v1/articles/qn90d-no-sound/source").json
    first = source["text"].replace("Set the sound output", "Alice: set the sound output")
    second = source["text"].replace("Set the sound output", "Bob: set the sound output")
    assert call(c, writer_app, "writer", "PUT", "/api/v1/articles/qn90d-no-sound",
                json={"text": first, "base_version": source["version"]}).status_code == 200
    clash = call(c, writer_app, "reviewer", "PUT", "/api/v1/articles/qn90d-no-sound",
                 json={"text": second, "base_version": source["version"]})
    assert clash.status_code == 409 and clash.json["error"] == "conflict"
    assert "Alice:" in clash.json["latest_text"] and "Bob:" in clash.json["your_text"]
    assert call(c, writer_app, "writer", "PUT", "/api/v1/articles/qn90d-no-sound", json={"text": second}).status_code == 428
    etag = call(c, writer_app, "writer", "GET", "/api/v1/articles/qn90d-no-sound/source").headers["ETag"]
    ok = call(c, writer_app, "writer", "PUT", "/api/v1/articles/qn90d-no-sound", json={"text": second},
              headers={"If-Match": etag})
    assert ok.status_code == 200


def test_history_diff_and_restore(writer_app):
    c = writer_app.test_client()
    src = call(c, writer_app, "writer", "GET", "/api/v1/articles/rb38t-not-cooling/source").json
    v2 = src["text"].replace("24 hours", "twenty-four hours")
    call(c, writer_app, "writer", "PUT", "/api/v1/articles/rb38t-not-cooling", json={"text": v2, "base_version": 1})
    versions = call(c, writer_app, "writer", "GET", "/api/v1/articles/rb38t-not-cooling/versions").json["versions"]
    assert [(v["version"], v["author"]) for v in versions] == [(2, "writer1"), (1, "import")]
    diff = call(c, writer_app, "writer", "GET", "/api/v1/articles/rb38t-not-cooling/diff?from=1&to=2").json["diff"]
    assert any(line.startswith("-") and "24 hours" in line for line in diff)
    assert any(line.startswith("+") and "twenty-four hours" in line for line in diff)
    restored = call(c, writer_app, "writer", "POST", "/api/v1/articles/rb38t-not-cooling/restore",
                    json={"version": 1, "base_version": 2})
    assert restored.status_code == 200 and restored.json["version"] == 3
    text = call(c, writer_app, "writer", "GET", "/api/v1/articles/rb38t-not-cooling/source").json["text"]
    assert "24 hours" in text


def test_invalid_articles_are_refused_with_line_and_fix(writer_app):
    c = writer_app.test_client()
    bad = NEW.format(n=4, word="x").replace("products: [QN90D*]", "products: [ZZ99*]")
    response = call(c, writer_app, "writer", "POST", "/api/v1/articles", json={"text": bad})
    assert response.status_code == 422
    (problem,) = response.json["problems"]
    assert problem["line"] == 5 and "unknown product" in problem["message"] and problem["fix"]


def test_preview_sanitizes_and_warns_about_duplicates(writer_app):
    c = writer_app.test_client()
    dup = """---\nid: tv-no-sound-again\ntitle: Picture is fine but the TV has no sound\n---\n\n## Answer\n\nMost silent TVs are sending the sound to headphones, a Bluetooth speaker or a soundbar. Set the sound output back to the TV speakers.<script>alert(1)</script>\n"""
    data = call(c, writer_app, "writer", "POST", "/api/v1/preview", json={"text": dup}).json
    assert "<script" not in data["sections"][0]["html"]
    assert data["similar"][0]["id"] == "qn90d-no-sound" and data["similar"][0]["similarity"] >= 0.8
    fresh = NEW.format(n=5, word="x")
    assert call(c, writer_app, "writer", "POST", "/api/v1/preview", json={"text": fresh}).json["similar"] == []


def test_users_cli(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = dict(os.environ, KB_DATABASE_URL=f"sqlite:///{tmp_path / 'u.sqlite3'}")
    run = lambda *a, stdin="": subprocess.run([sys.executable, "-m", "assist_api", *a], input=stdin, text=True,
                                              capture_output=True, cwd=ROOT, env=env)
    assert run("users", "add", "boss", "--role", "admin", "--password-stdin", stdin="a long password\n").returncode == 0
    assert run("users", "add", "weak", "--role", "writer", "--password-stdin", stdin="short\n").returncode == 2
    assert "boss\tadmin\tactive" in run("users", "list").stdout
    token = run("tokens", "create", "boss", "ci")
    assert token.returncode == 0 and "kb_" in token.stdout
