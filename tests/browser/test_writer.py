"""The writers' workflow in a real browser: the editor with preview, lint and the duplicate warning, review and
publish, a conflict with both texts, history and restore; signed in as writer and reviewer."""

import pytest
from sqlalchemy import select

from services.db.schema import required_reading
from tests.support import SCREENSHOTS, bearer, services_of, wait_for_js

pytestmark = pytest.mark.browser

BODY = "## Answer\n\nHold Back and Play together for three seconds to pair the remote control with the TV."
EDITOR = (1400, 900)


def wait_for_version(page):
    wait_for_js(page, "document.getElementById('e-version').textContent.startsWith('version')")


def test_writer_creates_with_preview_lint_and_duplicate_warning_then_reviewer_publishes(pages, live_server):
    page = pages.open("writer", "/write", viewport=EDITOR)
    page.wait_for_selector("#e-form")
    page.fill("#e-id", "tv-remote-pairing-again")
    page.fill("#e-title", "Pairing the remote control")
    page.select_option("#e-categories", ["tv"])
    page.fill("#e-products", "ZZ99*")
    page.fill("#e-body", BODY)
    wait_for_js(page, "document.getElementById('e-problems').textContent.includes('unknown product')")
    page.fill("#e-products", "QN90D*")
    wait_for_js(page, "!document.getElementById('e-problems').textContent.includes('unknown product')")
    assert "Back and Play" in page.locator("#e-preview").inner_text()
    page.wait_for_selector("#e-similar:not([hidden])")
    assert "Remote control pairing" in page.locator("#e-similar").inner_text()
    page.click("#e-submit")
    wait_for_js(page, "document.getElementById('e-status').dataset.status === 'review'")
    assert page.url.endswith("/write/tv-remote-pairing-again")
    reviewer = pages.open("reviewer", "/review", viewport=EDITOR)
    reviewer.click("text=tv-remote-pairing-again")
    wait_for_version(reviewer)
    reviewer.click("#e-publish")
    wait_for_js(reviewer, "document.getElementById('e-status').dataset.status === 'published'")
    hits = services_of(live_server.app).engine.search("pairing the remote control").hits
    assert "tv-remote-pairing-again" in [h.article_id for h in hits[:3]]
    assert (services_of(live_server.app).settings.content_path / "tv" / "tv-remote-pairing-again.md").is_file()


def test_conflict_shows_both_texts_and_history_restores(pages):
    pages.watch.allow_status(409)  # the second save is refused on purpose
    alice, bob = pages.open("writer", "/write/tv-wifi-drops", viewport=EDITOR), pages.open("reviewer", "/write/tv-wifi-drops", viewport=EDITOR)
    for page in (alice, bob):
        wait_for_version(page)
    alice.fill("#e-body", alice.input_value("#e-body") + "\n\nAlice's note.")
    alice.click("#e-save")
    wait_for_js(alice, "document.getElementById('e-message').textContent.startsWith('Saved')")
    bob.fill("#e-body", bob.input_value("#e-body") + "\n\nBob's note.")
    bob.click("#e-save")
    bob.wait_for_selector("#e-conflict:not([hidden])")
    assert "Alice's note." in bob.locator("#e-theirs").inner_text()
    assert "Bob's note." in bob.locator("#e-yours").inner_text()
    alice.wait_for_selector("#e-history li")
    alice.locator("#e-history [data-diff='1']").first.click()
    alice.wait_for_selector("#e-diff:not([hidden])")
    assert "+Alice's note." in alice.locator("#e-diff").inner_text()
    alice.locator("#e-history [data-restore='1']").first.click()
    wait_for_js(alice, "document.getElementById('e-message').textContent.startsWith('Restored version 1')")
    wait_for_js(alice, "!document.getElementById('e-body').value.includes(\"Alice's note.\")")
    assert "Alice's note." not in alice.input_value("#e-body")


def test_an_article_deleted_in_git_says_so_in_the_editor_and_a_restore_brings_it_back(browser, app_factory, request):
    from pathlib import Path

    from services.folder_sync import record_folder_deletions
    from tests.support import BrowserPages, LiveServer, serve

    app = app_factory()  # an app of its own: the shared one's article must stay for the other tests
    services = services_of(app)
    services.authoring.latest("tv-wifi-drops")  # the file becomes version 1
    next(Path(services.settings.content_dir).rglob("tv-wifi-drops.md")).unlink()  # git rm, git pull
    assert record_folder_deletions(services.publisher, ["tv-wifi-drops"]) == {"tv-wifi-drops": "deleted"}
    services.publisher.apply_pending()
    with serve(app) as url:
        pages = BrowserPages(browser, LiveServer(url, app))
        try:
            page = pages.open("reviewer", "/write/tv-wifi-drops", locale="pl-PL", viewport=EDITOR)
            wait_for_js(page, "document.getElementById('e-status').textContent === 'usunięty w git'")
            assert page.locator("#e-message").inner_text().startswith("Usunięty w git.")
            assert page.input_value("#e-id") == "tv-wifi-drops" and page.input_value("#e-body") == ""
            page.wait_for_selector("#e-history li")
            page.locator("#e-history [data-restore='1']").first.click()
            wait_for_js(page, "document.getElementById('e-body').value.includes('5 GHz')")
        finally:
            pages.close(SCREENSHOTS, request.node.name)
        assert pages.watch.problems() == []
    assert services.engine.search("wifi drops", mode="lexical").hits[0].article_id == "tv-wifi-drops"


def test_the_editor_keeps_fields_it_does_not_show(pages, live_server):
    page = pages.open("writer", "/write/ww90t-not-draining", viewport=EDITOR)
    wait_for_version(page)
    page.fill("#e-learning-order", "3")
    page.click("#e-save")
    wait_for_js(page, "document.getElementById('e-message').textContent.startsWith('Saved')")
    app = live_server.app
    source = app.test_client().get("/api/v1/articles/ww90t-not-draining/source", headers=bearer(app, "writer")).json
    fields = source["fields"]
    assert fields["reviewed"] == "2026-09-01" and fields["owner"] == "anna.kowalska"
    assert fields["learning_order"] == 3 and fields["tags"] == ["5c", "error code", "water left in drum"]
    assert source["status"] == "draft" and source["live_status"] == "published"


def test_review_page_lists_the_queue_and_what_needs_attention(pages, live_server):
    app = live_server.app
    app.test_client().post("/api/v1/feedback", headers=bearer(app, "consultant"),
                           json={"article_id": "rb38t-not-cooling", "helpful": False, "flag": "outdated"})
    page = pages.open("reviewer", "/review")
    assert "Signed in as reviewer1 (reviewer)" in page.locator(".review .muted").first.inner_text()
    attention = page.locator("#attention").inner_text()
    assert "Flagged as outdated" in attention
    page.locator("#attention a").first.click()
    wait_for_version(page)
    assert "/write/" in page.url


def versions_of(app, article_id):
    return app.test_client().get(f"/api/v1/articles/{article_id}/versions", headers=bearer(app, "writer")).json["versions"]


def test_save_then_send_to_review_at_once_is_no_conflict_and_one_version_each(pages, live_server):
    page = pages.open("writer", "/write", viewport=EDITOR)
    page.fill("#e-id", "tv-remote-batteries")
    page.fill("#e-title", "The remote control does nothing")
    page.select_option("#e-categories", ["tv"])
    page.fill("#e-body", "## Answer\n\nPut in two new AAA batteries, plus sides as marked in the battery compartment.")
    page.click("#e-save")
    assert page.evaluate("document.getElementById('e-form').getAttribute('aria-busy')") == "true"  # busy at once
    assert page.locator("#e-submit").is_disabled()
    page.click("#e-submit")  # a person clicking again as soon as they can
    wait_for_js(page, "document.getElementById('e-status').dataset.status === 'review'")
    assert page.locator("#e-conflict").is_hidden()
    assert [(v["version"], v["status"]) for v in versions_of(live_server.app, "tv-remote-batteries")] == \
        [(2, "review"), (1, "draft")]


def test_the_writers_important_tick_reaches_the_reviewer_who_publishes(pages, live_server):
    app = live_server.app
    text = ("---\nid: tv-hdmi-arc-important\ntitle: \"Sound only through HDMI ARC\"\ntype: troubleshooting\n"
            "categories: [tv]\nstatus: review\n---\n\n## Answer\n\nUse HDMI 2 (ARC) and switch CEC on.\n")
    app.test_client().post("/api/v1/articles", json={"text": text, "important": True}, headers=bearer(app, "writer"))
    page = pages.open("reviewer", "/write/tv-hdmi-arc-important", viewport=EDITOR)
    wait_for_version(page)
    assert page.locator("#e-important").is_checked()
    page.click("#e-publish")
    wait_for_js(page, "document.getElementById('e-status').dataset.status === 'published'")
    assert [v["status"] for v in versions_of(app, "tv-hdmi-arc-important")] == ["published", "review"]
    with services_of(app).database.connect() as conn:
        assigned = conn.execute(select(required_reading.c.article_id)).scalars().all()
    assert "tv-hdmi-arc-important" in assigned


FIELDS = ("id", "title", "type", "products", "categories", "lang", "audience", "channels", "tags", "escalation",
          "owner", "reviewed", "review_by", "learning_order", "translation_of")
EVERY_FIELD = """---
id: lodowka-glosno-pracuje-pl
title: "Lodówka głośno pracuje"
type: faq
products: [RB38T*]
categories: [refrigerator, tv]
lang: pl
audience: [consumer, business]
channels: [phone, email]
tags: [hałas, "buczenie (sprężarka)"]
escalation: tech-support-engineer
owner: anna.kowalska
reviewed: 2026-10-01
review_by: 2027-10-01
learning_order: 7
translation_of: rb38t-not-cooling
status: draft
---

## Odpowiedź

Ciche buczenie sprężarki jest normalne. Proszę sprawdzić, czy lodówka stoi równo.
"""


@pytest.fixture(scope="module")
def round_trip(browser, live_server):
    """Open an article with every front matter field set in the editor, save it unchanged; before and after."""
    from tests.support import BrowserPages

    app = live_server.app
    client = app.test_client()
    created = client.post("/api/v1/articles", json={"text": EVERY_FIELD}, headers=bearer(app, "writer"))
    assert created.status_code == 201, created.json
    before = client.get("/api/v1/articles/lodowka-glosno-pracuje-pl/source", headers=bearer(app, "writer")).json
    pages = BrowserPages(browser, live_server)
    try:
        page = pages.open("writer", "/write/lodowka-glosno-pracuje-pl", viewport=EDITOR)
        wait_for_version(page)
        page.click("#e-save")
        wait_for_js(page, "document.getElementById('e-version').dataset.version === '2'")
    finally:
        pages.close(SCREENSHOTS, "editor-round-trip")
    after = client.get("/api/v1/articles/lodowka-glosno-pracuje-pl/source", headers=bearer(app, "writer")).json
    return before["fields"], after["fields"]


@pytest.mark.parametrize("field", FIELDS)
def test_every_front_matter_field_survives_a_save_from_the_editor(round_trip, field):
    before, after = round_trip
    assert before[field] not in (None, [], "")  # the article sets it
    assert after[field] == before[field]
