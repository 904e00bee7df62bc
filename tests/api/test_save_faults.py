"""Saves under real faults: a concurrent ``python -m indexer build`` holding the index, a full index disk, and a
database that goes down. Each save ends as a success (committed, published when the index is free again) or as a
clear 409/503, and a refused save never appears later: not as a file, not as a version, not in the index.

Before the save-then-publish order, 24 of 25 saves during a build returned 500 and the next update served their
text anyway."""

import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from sqlalchemy import select

from services.db import Database
from services.db.schema import article_versions
from tests.support import (FIXTURE_KB, ROOT, add_users, bearer, close_app, open_app, postgres_url, services_of,
                           suite_settings)
from tests.support.faults import SqliteOutage, TcpProxy, copy_index, lock_held, small_disk
from tests.support.paths import onnx_dir

ARTICLE = """---
id: {id}
title: "Picture flickers with the eco sensor on ({word})"
type: troubleshooting
products: [QN90D*]
categories: [tv]
---

## Answer

The eco sensor dims the picture in a dark room. Turn it off under Picture > Expert settings. Keyword: {word}.
"""


def save(app, n, word, role="reviewer"):
    """POST a new published article (a reviewer's save); returns ``(response, id, word)``."""
    article_id = f"fault-{word}-{n}"
    response = app.test_client().post("/api/v1/articles", json={"text": ARTICLE.format(id=article_id, word=word)},
                                      headers=bearer(app, role))
    return response, article_id


def refused_save(app, word):
    """A save refused as a conflict (a stale base version): 409, with both texts."""
    response = app.test_client().put("/api/v1/articles/tv-wifi-drops", json={
        "text": ARTICLE.format(id="tv-wifi-drops", word=word), "base_version": 99}, headers=bearer(app, "reviewer"))
    assert response.status_code == 409 and response.json["error"] == "conflict", response.get_data(as_text=True)


def wait_published(app, seconds=90):
    """Wait until the publisher has applied every committed change (its background retries included)."""
    publisher = services_of(app).publisher
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = publisher.status()
        if status["pending_changes"] == 0 and publisher.cursor() > 0:
            return
        time.sleep(0.2)
    raise AssertionError(f"changes still pending after {seconds} s: {publisher.status()}")


def searchable(app, word):
    engine = services_of(app).engine
    engine.refresh()
    return [h.article_id for h in engine.search(word, mode="lexical", include_unpublished=True).hits]


def assert_never_appears(app, word):
    """No file, no version and no index entry holds ``word``."""
    services = services_of(app)
    content = services.settings.content_dir
    files = [p for p in Path(content).rglob("*.md") if word in p.read_text("utf-8")]
    assert files == [], f"{word} reached the content folder: {files}"
    with services.database.connect() as conn:
        texts = conn.execute(select(article_versions.c.text)).scalars().all()
    assert not any(word in t for t in texts), f"{word} reached the versions table"
    assert searchable(app, word) == [], f"{word} is searchable"


# -- a concurrent build ----------------------------------------------------------------------------------------------

BULK = """---
id: bulk-{n}
title: "Bulk article {n} about remote pairing"
type: faq
categories: [tv]
---

## Answer

Pair remote number {n} by holding Return and Play for three seconds (bulk{n}word).
"""


@pytest.mark.slow
def test_saves_during_a_concurrent_indexer_build_are_published_after_it(app_factory, tmp_path):
    app = app_factory()
    settings = services_of(app).settings
    bulk = Path(settings.content_dir) / "bulk"
    bulk.mkdir()
    for n in range(150):  # a build that holds the index long enough to save during it
        (bulk / f"bulk-{n}.md").write_text(BULK.format(n=n))
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", KB_CACHE_DIR=str(tmp_path / "empty-cache"),
               KB_ONNX_DIR=str(onnx_dir()))
    build = subprocess.Popen([sys.executable, "-m", "indexer", "build", "--content", settings.content_dir,
                              "--index", settings.index_dir, "--quiet"], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lock = Path(settings.index_dir) / "build.lock"
    try:
        deadline = time.monotonic() + 180
        while not lock_held(lock):
            assert build.poll() is None, f"the build ended before it took the lock: {build.stdout.read()}"
            assert time.monotonic() < deadline, "the build never took the lock"
            time.sleep(0.02)
        during, saved = [], []
        for n in range(6):
            response, article_id = save(app, n, "okapibuild")
            during.append((response.status_code, lock_held(lock), response.json.get("searchable")))
            saved.append(article_id)
            if n == 2:
                refused_save(app, "okapirefusedbuild")
        output, _ = build.communicate(timeout=300)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == 0, output
    assert [status for status, *_ in during] == [201] * 6, during
    assert any(held and searchable_now is False for _, held, searchable_now in during), \
        f"no save happened while the build held the index: {during}"
    wait_published(app)
    assert sorted(searchable(app, "okapibuild")) == sorted(saved)
    assert "bulk-7" in searchable(app, "bulk7word")  # the build's own work is live too
    assert_never_appears(app, "okapirefusedbuild")


# -- a full index disk -----------------------------------------------------------------------------------------------

def test_saves_while_the_index_disk_is_full_are_published_when_space_returns(indexes, embedder, tmp_path):
    content, index = indexes.workspace(FIXTURE_KB, tmp_path)
    with small_disk(tmp_path / "index-disk", size_kb=4096) as disk:
        if disk is None:
            pytest.skip("a full disk is a small tmpfs: mounting one needs root (the suite runs as root in CI)")
        copy_index(index, disk.path)
        settings = suite_settings(content_dir=str(content), index_dir=str(disk.path),
                                  database_url=f"sqlite:///{tmp_path / 'kb.sqlite3'}")
        app = open_app(settings, embedder)
        app.extensions["kb_test_tokens"] = add_users(app, ["reviewer", "consultant"])
        services = services_of(app)
        try:
            serving = services.engine.version.name
            disk.fill()
            response, article_id = save(app, 1, "okapifull")
            assert response.status_code == 201 and response.json["searchable"] is False, response.json
            refused_save(app, "okapirefusedfull")
            assert "No space left" in (services.publisher.last_error or "")
            assert services.engine.version.name == serving  # the serving version is untouched
            searched = app.test_client().get("/api/v1/search?q=drain", headers=bearer(app, "consultant"))
            assert searched.status_code == 200 and searched.json["hits"]
            disk.free()
            wait_published(app)
            assert searchable(app, "okapifull") == [article_id]
            assert_never_appears(app, "okapirefusedfull")
        finally:
            close_app(app)


# -- a database outage -----------------------------------------------------------------------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def outage(request, tmp_path):
    """``(database, outage)``: ``outage.start()`` takes the database away, ``outage.end()`` gives it back."""
    if request.param == "sqlite":
        folder = tmp_path / "db"
        folder.mkdir()
        database = Database(f"sqlite:///{folder / 'kb.sqlite3'}", retry_seconds=1)
        yield database, SqliteOutage(database, folder)
        return
    url = postgres_url()
    if url is None:
        pytest.skip("PostgreSQL: set KB_TEST_POSTGRES_URL to run this on PostgreSQL too (.ci/run starts one)")
    parts = urllib.parse.urlsplit(url)
    proxy = TcpProxy(parts.hostname, parts.port or 5432)
    proxied = parts._replace(netloc=f"{parts.username}:{parts.password}@127.0.0.1:{proxy.port}").geturl()
    proxy.start, proxy.end = proxy.cut, proxy.restore
    yield Database(proxied, retry_seconds=1), proxy
    proxy.cut()


def test_saves_while_the_database_is_down_are_refused_and_never_appear(app_factory, outage):
    database, down = outage
    app = app_factory(database=database)
    try:
        response, first = save(app, 1, "okapibefore")
        assert response.status_code == 201
        wait_published(app)
        down.start()
        for n in range(3):
            response, _ = save(app, n, "okapidown")
            assert response.status_code == 503, response.get_data(as_text=True)
            assert response.json["error"] == "database_unavailable" and int(response.headers["Retry-After"]) > 0
        down.end()
        time.sleep(1.2)  # the database is tried again after retry_seconds
        response, after = save(app, 2, "okapiafter")
        assert response.status_code == 201, response.get_data(as_text=True)
        wait_published(app)
        assert searchable(app, "okapibefore") == [first] and searchable(app, "okapiafter") == [after]
        assert_never_appears(app, "okapidown")
    finally:
        close_app(app)
