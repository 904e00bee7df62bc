"""The article page in a real browser: answer first, opened at the matched section, copy buttons record usage,
sanitized hostile Markdown runs nothing."""

import pytest
from sqlalchemy import select

from services.db.schema import usage

pytestmark = pytest.mark.browser


def test_article_opens_at_the_matched_section_with_the_answer_first(pages, live_server):
    page = pages.open("consultant", "/articles/ww90t-not-draining?q=drain&section=steps#steps",
                      permissions=["clipboard-read", "clipboard-write"])
    assert page.locator("h1").inner_text() == "Washing machine will not drain and shows 5C"
    assert page.locator(".section.matched").get_attribute("id") == "steps"
    assert "Repair registration" in page.locator("aside.escalation").inner_text()
    page.click("#copy-answer")
    page.wait_for_selector("#toast.show")
    assert page.evaluate("navigator.clipboard.readText()").startswith("A 5C code means")
    with live_server.app.extensions["kb_services"].database.connect() as conn:
        page.wait_for_timeout(200)
        rows = conn.execute(select(usage.c.article_id, usage.c.action)).all()
    assert ("ww90t-not-draining", "copied") in rows


def test_hostile_markdown_is_shown_not_run(pages):
    dialogs = []
    page = pages.open("consultant", None)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/articles/hostile-html")
    page.wait_for_load_state("networkidle")
    assert page.locator("#article script").count() == 0
    assert page.locator("#article [onerror], #article [onclick], #article a[href^=javascript]").count() == 0
    page.locator("#article a", has_text="link").click()
    assert dialogs == []
