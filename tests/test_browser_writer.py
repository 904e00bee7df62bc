"""The writers' workflow in a real browser: sign-in, roles, editor with preview and lint, duplicate warning,
review and publish, conflict, history and restore. Screenshots go to artifacts/screenshots/."""

import pytest

from tests.conftest import serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def wapp(writer_app_factory):
    return writer_app_factory()


@pytest.fixture(scope="module")
def server(wapp):
    with serve(wapp) as url:
        yield url


@pytest.fixture()
def open_as(browser_pages, server):
    return lambda username: browser_pages(server, username, "/write", viewport=(1400, 900))


BODY = "## Answer\n\nHold Back and Play together for three seconds to pair the remote control with the TV."


def test_sign_in_and_a_consultant_cannot_write(open_as):
    page = open_as("consultant1")
    assert "needs the writer role" in page.content()
    bad = open_as("nobody")
    bad.wait_for_selector("#login-error")
    assert "/login" in bad.url


def test_writer_creates_with_preview_lint_and_duplicate_warning_then_reviewer_publishes(open_as, wapp):
    page = open_as("writer1")
    page.wait_for_selector("#e-form")
    page.fill("#e-id", "tv-remote-pairing-again")
    page.fill("#e-title", "Pairing the remote control")
    page.select_option("#e-categories", ["tv"])
    page.fill("#e-products", "ZZ99*")
    page.fill("#e-body", BODY)
    page.wait_for_function("document.getElementById('e-problems').textContent.includes('unknown product')")
    page.fill("#e-products", "QN90D*")
    page.wait_for_function("!document.getElementById('e-problems').textContent.includes('unknown product')")
    assert "Back and Play" in page.locator("#e-preview").inner_text()
    page.wait_for_selector("#e-similar:not([hidden])")
    assert "Remote control pairing" in page.locator("#e-similar").inner_text()
    page.click("#e-submit")
    page.wait_for_function("document.getElementById('e-status').textContent.startsWith('review')")
    reviewer = open_as("reviewer1")
    reviewer.goto("/review")
    reviewer.click("text=tv-remote-pairing-again")
    reviewer.wait_for_function("document.getElementById('e-version').textContent.startsWith('version')")
    reviewer.click("#e-publish")
    reviewer.wait_for_function("document.getElementById('e-status').textContent.startsWith('published')")
    hits = wapp.extensions["kb_engine"].search("pairing the remote control").hits
    assert "tv-remote-pairing-again" in [h.article_id for h in hits[:3]]


def test_conflict_shows_both_texts_and_history_restores(open_as):
    alice, bob = open_as("writer1"), open_as("reviewer1")
    for page in (alice, bob):
        page.goto("/write/tv-wifi-drops")
        page.wait_for_function("document.getElementById('e-version').textContent.startsWith('version')")
    alice.fill("#e-body", alice.input_value("#e-body") + "\n\nAlice's note.")
    alice.click("#e-save")
    alice.wait_for_function("document.getElementById('e-message').textContent.startsWith('Saved')")
    bob.fill("#e-body", bob.input_value("#e-body") + "\n\nBob's note.")
    bob.click("#e-save")
    bob.wait_for_selector("#e-conflict:not([hidden])")
    assert "Alice's note." in bob.locator("#e-theirs").inner_text()
    assert "Bob's note." in bob.locator("#e-yours").inner_text()
    alice.wait_for_selector("#e-history li")
    alice.locator("#e-history [data-diff='1']").click()
    alice.wait_for_selector("#e-diff:not([hidden])")
    assert "+Alice's note." in alice.locator("#e-diff").inner_text()
    alice.locator("#e-history [data-restore='1']").click()
    alice.wait_for_function("document.getElementById('e-message').textContent.startsWith('Restored version 1')")
    alice.wait_for_function("!document.getElementById('e-body').value.includes(\"Alice's note.\")")
    assert "Alice's note." not in alice.input_value("#e-body")


def test_the_editor_keeps_fields_it_does_not_show(open_as, wapp):
    page = open_as("writer1")
    page.goto("/write/ww90t-not-draining")
    page.wait_for_function("document.getElementById('e-version').textContent.startsWith('version')")
    page.fill("#e-learning-order", "3")
    page.click("#e-save")
    page.wait_for_function("document.getElementById('e-message').textContent.startsWith('Saved')")
    source = wapp.test_client().get("/api/v1/articles/ww90t-not-draining/source",
                                    headers={"Authorization": f"Bearer {wapp.tokens['writer']}"}).json
    fields = source["fields"]
    assert fields["reviewed"] == "2026-09-01" and fields["owner"] == "anna.kowalska"
    assert fields["learning_order"] == 3 and fields["tags"] == ["5c", "error code", "water left in drum"]
    assert source["status"] == "draft" and source["live_status"] == "published"
