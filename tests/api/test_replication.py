"""Two replicas (each its own content folder and index) over one database: a save on A reaches B, by notification
on PostgreSQL and by the catch-up on any database; readiness says whether a replica is behind. The real-process
form (SIGKILL, concurrent saves across replicas) is ``tests/web/test_replicas.py``."""

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.cli import update
from services.db.schema import article_versions
from tests.support import bearer, close_app, replace_in_file, services_of

TEXT = """---
id: {id}
title: Replica note about the picture
type: troubleshooting
products: [QN90D*]
categories: [tv]
---

## Answer

Reset the picture settings under Support. Keyword: okapireplica{n}.
"""


@pytest.fixture()
def replicas(app_factory, database_url):
    """Replicas A and B sharing ``database_url``, each with its own folders."""
    pair = [app_factory(database_url=database_url, with_users=False) for _ in range(2)]
    from tests.support import add_users

    pair[0].extensions["kb_test_tokens"] = add_users(pair[0], ["reviewer"])
    yield pair
    for app in pair:
        close_app(app)


def save(app, n, article_id="tv-replica-note"):
    response = app.test_client().post("/api/v1/articles", json={"text": TEXT.format(n=n, id=article_id)},
                                      headers=bearer(app, "reviewer"))
    assert response.status_code in (200, 201), response.get_json()
    return response


def found(app, n, article_id="tv-replica-note"):
    hits = app.test_client().get(f"/api/v1/search?q=okapireplica{n}&mode=lexical&log=0",
                                 headers=bearer(app, "reviewer")).json["hits"]
    return any(h["article_id"] == article_id for h in hits)


def test_a_replica_is_not_ready_while_behind_and_catches_up(replicas):
    a, b = replicas
    b.extensions["kb_test_tokens"] = a.extensions["kb_test_tokens"]  # one database: the same users and tokens
    assert b.test_client().get("/api/v1/ready").status_code == 200
    save(a, 1)
    assert a.test_client().get("/api/v1/ready").json["ready"] is True
    behind = b.test_client().get("/api/v1/ready")
    assert behind.status_code == 503 and behind.json["behind"] == 1 and not found(b, 1)
    services_of(b).replication.catch_up()  # what B's thread does every KB_SYNC_INTERVAL seconds
    assert b.test_client().get("/api/v1/ready").status_code == 200 and found(b, 1)
    assert services_of(b).publisher.cursor() == services_of(a).publisher.cursor()


def test_a_save_on_one_replica_is_searchable_on_another_within_two_seconds(replicas):
    a, b = replicas
    sync = listening(a, b, "SQLite is one machine: replicas there only poll (the test above)")
    save(a, 2)
    started = time.monotonic()
    while not found(b, 2) and time.monotonic() - started < 2:
        time.sleep(0.05)
    assert found(b, 2), "B did not show A's save within 2 s"
    assert sync.notifications >= 1
    sync.stop()


def test_a_listener_whose_connection_is_killed_reconnects_and_catches_up(replicas):
    a, b = replicas
    sync = listening(a, b, "SQLite has no listener connection")
    first = sync.backend_pid
    with services_of(a).database.connect() as conn:  # as a database restart or a network cut would
        conn.execute(select(func.pg_terminate_backend(first)))
    save(a, 4)  # committed while B has no listener: caught up when it reconnects
    assert wait(lambda: sync.listening and sync.backend_pid != first, 10)
    assert wait(lambda: found(b, 4), 5)
    save(a, 5, "tv-replica-note-2")
    assert wait(lambda: found(b, 5, "tv-replica-note-2"), 2)  # and it listens again
    sync.stop()


def listening(a, b, why_not):
    """B's replication thread started and listening for A's notifications (PostgreSQL; else skip, saying
    ``why_not``); its catch-up interval is an hour, so nothing but a notification brings a change in a test."""
    b.extensions["kb_test_tokens"] = a.extensions["kb_test_tokens"]
    sync = services_of(b).replication
    if not sync.postgres:
        pytest.skip(why_not)
    sync.interval = 3600
    sync.start()
    assert wait(lambda: sync.listening)
    return sync


def wait(condition, seconds=10):
    """Whether ``condition()`` holds within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def edit_file(app, article_id, old, new):
    """A change to a file of the content folder, as ``git pull`` would make it."""
    replace_in_file(next(Path(services_of(app).settings.content_dir).rglob(f"{article_id}.md")), old, new)


def test_an_article_changed_in_git_on_one_node_reaches_the_database_and_the_other_replicas(replicas, capsys):
    a, b = replicas
    b.extensions["kb_test_tokens"] = a.extensions["kb_test_tokens"]
    edit_file(a, "tv-wifi-drops", "Move it to the 5 GHz network", "Move it to the okapigit network")
    assert update(services_of(a).settings) == 0
    assert "recorded\ttv-wifi-drops" in capsys.readouterr().out
    latest = services_of(b).authoring.latest("tv-wifi-drops")
    assert latest["author"] == "git" and "okapigit" in latest["text"]
    services_of(b).replication.catch_up()
    assert any(h["article_id"] == "tv-wifi-drops" for h in b.test_client().get(
        "/api/v1/search?q=okapigit&mode=lexical&log=0", headers=bearer(b, "reviewer")).json["hits"])
    assert update(services_of(a).settings) == 0  # nothing changed since: nothing recorded twice
    assert services_of(a).authoring.latest("tv-wifi-drops")["version"] == latest["version"]


def test_an_article_deleted_in_git_is_deleted_on_the_other_replicas_and_can_be_restored(replicas, capsys):
    a, b = replicas
    b.extensions["kb_test_tokens"] = a.extensions["kb_test_tokens"]
    save(a, 7)
    services_of(b).replication.catch_up()
    assert found(b, 7)
    next(Path(services_of(a).settings.content_dir).rglob("tv-replica-note.md")).unlink()  # git rm, git pull
    assert update(services_of(a).settings) == 0
    assert "deleted\ttv-replica-note" in capsys.readouterr().out
    latest = services_of(b).authoring.latest("tv-replica-note")
    assert (latest["status"], latest["text"], latest["author"]) == ("deleted", "", "git")
    services_of(b).replication.catch_up()
    assert not found(b, 7)
    assert not list(Path(services_of(b).settings.content_dir).rglob("tv-replica-note.md"))
    source = b.test_client().get("/api/v1/articles/tv-replica-note/source", headers=bearer(b, "reviewer"))
    assert (source.status_code, source.json["status"], source.json["text"]) == (200, "deleted", "")
    assert b.test_client().get("/write/tv-replica-note", headers=bearer(b, "reviewer")).status_code == 200
    assert update(services_of(a).settings) == 0  # recorded once
    assert services_of(a).authoring.latest("tv-replica-note")["version"] == latest["version"]
    response = b.test_client().post("/api/v1/articles/tv-replica-note/restore",
                                    json={"version": latest["version"] - 1, "base_version": latest["version"]},
                                    headers=bearer(b, "reviewer"))
    assert response.status_code in (200, 201), response.get_json()
    assert found(b, 7)
    services_of(a).replication.catch_up()
    assert found(a, 7) and list(Path(services_of(a).settings.content_dir).rglob("tv-replica-note.md"))


def test_a_git_change_to_an_article_edited_on_the_web_since_is_a_conflict(replicas, capsys):
    a, b = replicas
    b.extensions["kb_test_tokens"] = a.extensions["kb_test_tokens"]
    save(b, 3)  # a web save on B that A has not applied yet
    with services_of(a).database.connect() as conn:
        before = conn.execute(select(func.count()).select_from(article_versions)).scalar()
    (Path(services_of(a).settings.content_dir) / "tv" / "tv-replica-note.md").write_text(
        TEXT.format(n="gitonly", id="tv-replica-note"), "utf-8")
    assert update(services_of(a).settings) == 1
    assert "conflict\ttv-replica-note" in capsys.readouterr().out
    with services_of(a).database.connect() as conn:
        assert conn.execute(select(func.count()).select_from(article_versions)).scalar() == before
