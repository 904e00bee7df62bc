"""The writers' workflow through the API: roles, versions, conflicts, publishing, history; and "save, then
publish": a save is committed in the database first, then the publisher writes the file and updates the index
(a failed publish is retried; a refused save writes nothing)."""

import threading

import pytest
from sqlalchemy import func, select

from services.db.schema import article_versions, content_changes
from tests.support import bearer, services_of, signed_in

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
def writer_app(app_factory):
    return app_factory()


def count(app, table, article_id=None):
    query = select(func.count()).select_from(table)
    if article_id:
        query = query.where(table.c.article_id == article_id)
    with services_of(app).database.connect() as conn:
        return conn.execute(query).scalar()


def lexical_ids(app, word, **kw):
    return [h.article_id for h in services_of(app).engine.search(word, mode="lexical", **kw).hits]


def wait_for_publisher_retries():
    """A failed publish is retried by a background thread; let it finish before the database goes away."""
    for thread in threading.enumerate():
        if thread.name == "kb-publisher-retry":
            thread.join(timeout=15)


def test_every_role_gets_exactly_its_rights(writer_app):
    text = NEW.format(n=1, word="x")
    cases = [  # (role, method, url, json, expected status)
        (None, "POST", "/api/v1/articles", {"text": text}, 401),
        ("consultant", "POST", "/api/v1/articles", {"text": text}, 403),
        ("engineer", "POST", "/api/v1/articles", {"text": text}, 403),
        ("team-lead", "POST", "/api/v1/articles", {"text": text}, 403),
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
        client = signed_in(writer_app, role) if role else writer_app.test_client()
        response = client.open(url, method=method, json=body)
        assert response.status_code == status, (role, method, url, response.json)
        if status in (401, 403):
            assert response.json["error"] in ("unauthorized", "forbidden") and response.json["message"]
        with_token = writer_app.test_client().open(url, method=method, json=body,
                                                   headers=bearer(writer_app, role) if role else {})
        assert with_token.status_code == status, (role, method, url, "with a token")


def test_draft_review_publish_and_save_means_searchable(writer_app):
    writer, reviewer = signed_in(writer_app, "writer"), signed_in(writer_app, "reviewer")
    created = writer.post("/api/v1/articles", json={"text": NEW.format(n=3, word="quokkamode")})
    assert created.status_code == 201 and created.json["status"] == "draft" and created.json["version"] == 1
    assert created.json["searchable"] is True and created.headers["ETag"] == '"1"'
    assert "tv-hdmi-cec-3" not in lexical_ids(writer_app, "quokkamode")  # a draft is not for consultants
    assert "tv-hdmi-cec-3" in lexical_ids(writer_app, "quokkamode", include_unpublished=True)
    assert writer.post("/api/v1/articles/tv-hdmi-cec-3/submit", json={}).json["status"] == "review"
    queue = reviewer.get("/api/v1/review-queue").json["queue"]
    assert [q["id"] for q in queue] == ["tv-hdmi-cec-3"]
    published = reviewer.post("/api/v1/articles/tv-hdmi-cec-3/publish", json={})
    assert published.status_code == 200 and published.json["status"] == "published"
    assert lexical_ids(writer_app, "quokkamode")[0] == "tv-hdmi-cec-3"  # searchable as soon as the call returns
    archived = reviewer.delete("/api/v1/articles/tv-hdmi-cec-3")
    assert archived.status_code == 200 and archived.json["status"] == "archived"
    assert "tv-hdmi-cec-3" not in lexical_ids(writer_app, "quokkamode")


def test_a_new_draft_is_written_to_its_category_folder(writer_app):
    signed_in(writer_app, "writer").post("/api/v1/articles", json={"text": NEW.format(n=8, word="koala")})
    content = services_of(writer_app).settings.content_path
    path = content / "tv" / "tv-hdmi-cec-8.md"
    assert path.is_file() and "status: draft" in path.read_text() and "koala" in path.read_text()
    assert not (content / "drafts" / "tv-hdmi-cec-8.md").exists()


def test_editing_a_published_article_keeps_the_live_version_until_approved(writer_app):
    writer, reviewer = signed_in(writer_app, "writer"), signed_in(writer_app, "reviewer")
    source = writer.get("/api/v1/articles/tv-wifi-drops/source").json
    assert source["version"] == 1 and source["live_status"] == "published" and source["author"] == "import"
    edited = source["text"].replace("Move it to the 5 GHz network", "Move it to the 5 GHz network (zebrawifi)")
    saved = writer.put("/api/v1/articles/tv-wifi-drops", json={"text": edited, "base_version": 1})
    assert saved.status_code == 200 and saved.json["pending"] is True and saved.json["status"] == "draft"
    assert lexical_ids(writer_app, "zebrawifi") == []  # the published text is still what consultants see
    live_file = services_of(writer_app).settings.content_path / "tv" / "tv-wifi-drops.md"
    assert "zebrawifi" not in live_file.read_text()
    reviewer.post("/api/v1/articles/tv-wifi-drops/publish", json={})
    assert lexical_ids(writer_app, "zebrawifi")[0] == "tv-wifi-drops"
    assert "zebrawifi" in live_file.read_text() and "status: published" in live_file.read_text()


def test_two_writers_saving_the_same_article_get_a_conflict_not_a_lost_edit(writer_app):
    writer, reviewer = signed_in(writer_app, "writer"), signed_in(writer_app, "reviewer")
    source = writer.get("/api/v1/articles/qn90d-no-sound/source").json
    first = source["text"].replace("Set the sound output", "Alice: set the sound output")
    second = source["text"].replace("Set the sound output", "Bob: set the sound output")
    assert writer.put("/api/v1/articles/qn90d-no-sound", json={"text": first, "base_version": source["version"]}).status_code == 200
    clash = reviewer.put("/api/v1/articles/qn90d-no-sound", json={"text": second, "base_version": source["version"]})
    assert clash.status_code == 409 and clash.json["error"] == "conflict"
    assert "Alice:" in clash.json["latest_text"] and "Bob:" in clash.json["your_text"]
    assert clash.json["latest_author"] == "writer1" and clash.json["latest_version"] == 2
    missing = writer.put("/api/v1/articles/qn90d-no-sound", json={"text": second})
    assert missing.status_code == 428 and missing.json["error"] == "missing_base_version"
    etag = writer.get("/api/v1/articles/qn90d-no-sound/source").headers["ETag"]
    ok = writer.put("/api/v1/articles/qn90d-no-sound", json={"text": second}, headers={"If-Match": etag})
    assert ok.status_code == 200 and ok.json["version"] == 3


def test_history_diff_and_restore(writer_app):
    writer = signed_in(writer_app, "writer")
    src = writer.get("/api/v1/articles/rb38t-not-cooling/source").json
    v2 = src["text"].replace("24 hours", "twenty-four hours")
    writer.put("/api/v1/articles/rb38t-not-cooling", json={"text": v2, "base_version": 1})
    versions = writer.get("/api/v1/articles/rb38t-not-cooling/versions").json["versions"]
    assert [(v["version"], v["author"]) for v in versions] == [(2, "writer1"), (1, "import")]
    diff = writer.get("/api/v1/articles/rb38t-not-cooling/diff?from=1&to=2").json["diff"]
    assert any(line.startswith("-") and "24 hours" in line for line in diff)
    assert any(line.startswith("+") and "twenty-four hours" in line for line in diff)
    assert writer.get("/api/v1/articles/rb38t-not-cooling/diff?from=1").json["error"] == "bad_versions"
    assert writer.get("/api/v1/articles/rb38t-not-cooling/diff?from=1&to=9").status_code == 404
    restored = writer.post("/api/v1/articles/rb38t-not-cooling/restore", json={"version": 1, "base_version": 2})
    assert restored.status_code == 200 and restored.json["version"] == 3
    text = writer.get("/api/v1/articles/rb38t-not-cooling/source").json["text"]
    assert "24 hours" in text
    assert writer.get("/api/v1/articles/no-such-article/versions").status_code == 404
    assert writer.get("/api/v1/articles/..%2Fetc/source").status_code == 404  # ids are ids, never paths


def test_invalid_articles_are_refused_with_line_and_fix(writer_app):
    bad = NEW.format(n=4, word="x").replace("products: [QN90D*]", "products: [ZZ99*]")
    response = signed_in(writer_app, "writer").post("/api/v1/articles", json={"text": bad})
    assert response.status_code == 422 and response.json["error"] == "invalid_article"
    (problem,) = response.json["problems"]
    assert problem["line"] == 5 and "unknown product" in problem["message"] and problem["fix"]


def test_the_id_of_an_edited_article_cannot_change(writer_app):
    writer = signed_in(writer_app, "writer")
    source = writer.get("/api/v1/articles/tv-wifi-drops/source").json
    renamed = source["text"].replace("id: tv-wifi-drops", "id: tv-wifi-drops-2")
    response = writer.put("/api/v1/articles/tv-wifi-drops", json={"text": renamed, "base_version": 1})
    assert response.status_code == 422 and "differs from the article being edited" in response.json["message"]


def test_preview_sanitizes_and_warns_about_duplicates(writer_app):
    writer = signed_in(writer_app, "writer")
    dup = ("---\nid: tv-no-sound-again\ntitle: Picture is fine but the TV has no sound\n---\n\n## Answer\n\nMost silent "
           "TVs are sending the sound to headphones, a Bluetooth speaker or a soundbar. Set the sound output back to "
           "the TV speakers.<script>alert(1)</script>\n")
    data = writer.post("/api/v1/preview", json={"text": dup}).json
    assert "<script" not in data["sections"][0]["html"]
    assert data["similar"][0]["id"] == "qn90d-no-sound" and data["similar"][0]["similarity"] >= 0.8
    fresh = NEW.format(n=5, word="x")
    assert writer.post("/api/v1/preview", json={"text": fresh}).json["similar"] == []
    own = writer.get("/api/v1/articles/qn90d-no-sound/source").json["text"]
    assert writer.post("/api/v1/preview", json={"text": own, "id": "qn90d-no-sound"}).json["similar"] == []


def test_publishing_an_already_published_change_assigns_its_reading_once(writer_app):
    reviewer = signed_in(writer_app, "reviewer")
    source = reviewer.get("/api/v1/articles/tv-wifi-drops/source").json
    text = source["text"].replace("use a network cable", "use a network cable (read me)")
    saved = reviewer.put("/api/v1/articles/tv-wifi-drops", json={"text": text, "base_version": 1, "important": True})
    assert saved.json["status"] == "published" and saved.json["assigned"] == 6
    again = reviewer.post("/api/v1/articles/tv-wifi-drops/publish", json={"important": True})
    assert again.status_code == 200
    reading = signed_in(writer_app, "consultant").get("/reading").get_data(as_text=True)
    assert reading.count('data-ack="tv-wifi-drops"') == 1


# -- save, then publish ------------------------------------------------------------------------------------------

def test_a_save_is_committed_before_the_file_is_written(db_app, monkeypatch):
    services = services_of(db_app)
    path = services.settings.content_path / "tv" / "tv-hdmi-cec-7.md"

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(services.publisher.folder, "write", disk_full)
    created = signed_in(db_app, "reviewer").post("/api/v1/articles", json={"text": NEW.format(n=7, word="wombatcode")})
    assert created.status_code == 201 and created.json["status"] == "published"
    assert created.json["searchable"] is False  # committed, not yet in the folder and the index
    assert count(db_app, article_versions, "tv-hdmi-cec-7") == 1 and count(db_app, content_changes) == 1
    assert not path.exists() and lexical_ids(db_app, "wombatcode") == []
    health = db_app.test_client().get("/api/v1/health").json["content"]
    assert health["pending_changes"] == 1 and "No space left" in health["last_error"]
    monkeypatch.undo()  # the disk has room again
    assert services.publisher.apply_pending() is True
    wait_for_publisher_retries()
    assert path.is_file() and "wombatcode" in path.read_text()
    assert lexical_ids(db_app, "wombatcode") == ["tv-hdmi-cec-7"]
    assert services.publisher.status() == {"applied_change": 1, "pending_changes": 0, "last_error": None}


def test_a_refused_save_writes_no_file_and_no_change(db_app):
    writer = signed_in(db_app, "writer")
    content = services_of(db_app).settings.content_path
    invalid = NEW.format(n=9, word="x").replace("type: troubleshooting", "type: howto")
    assert writer.post("/api/v1/articles", json={"text": invalid}).status_code == 422
    assert not (content / "tv" / "tv-hdmi-cec-9.md").exists() and count(db_app, article_versions, "tv-hdmi-cec-9") == 0
    live = content / "tv" / "qn90d-no-sound.md"
    before = live.read_bytes()
    source = writer.get("/api/v1/articles/qn90d-no-sound/source").json  # the file becomes version 1
    ok = writer.put("/api/v1/articles/qn90d-no-sound", json={"text": source["text"] + "\nMore.\n", "base_version": 1})
    assert ok.status_code == 200 and ok.json["pending"] is True  # live article: kept live until published
    changes = count(db_app, content_changes)
    stale = signed_in(db_app, "reviewer").put("/api/v1/articles/qn90d-no-sound",
                                              json={"text": source["text"] + "\nOther.\n", "base_version": 1})
    assert stale.status_code == 409  # someone else saved since version 1
    assert count(db_app, content_changes) == changes == 0 and count(db_app, article_versions, "qn90d-no-sound") == 2
    assert live.read_bytes() == before
