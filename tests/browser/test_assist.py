"""The ticket-assist panel and the follow-ups page in a real browser, signed in as a consultant."""

import datetime as dt

import pytest
from sqlalchemy import select

from services.db import repo
from services.db.schema import feedback, review_tasks
from tests.support import services_of, wait_for_js

pytestmark = pytest.mark.browser


def test_assist_panel_and_feedback_reach_the_database(pages, live_server):
    page = pages.open("consultant", "/assist")
    page.fill("#a-subject", "Washer")
    page.fill("#a-body", "My WW90T554DAW still shows 5C and water stays in the drum. I already cleaned the filter.")
    page.fill("#a-contact", "BROWSER-1")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#a-answers li")
    assert page.locator("#a-answers li h3").first.inner_text() == "Washing machine will not drain and shows 5C"
    assert "Repair registration" in page.locator("#a-escalation").inner_text()
    assert "serial number" in page.locator("#a-checklist").inner_text()
    assert "(not stored)" not in page.locator("#a-status").inner_text()
    first = page.locator("#a-answers li").first
    first.locator("[data-act=flag]").click()
    first.locator(".flag-form select[name=flag]").select_option("wrong")
    first.locator(".flag-form input[name=comment]").fill("the filter is behind the kick plate")
    first.locator(".flag-form button[type=submit]").click()
    wait_for_js(page, "document.getElementById('a-status').textContent.startsWith('Flagged')")
    with services_of(live_server.app).database.connect() as conn:
        rows = conn.execute(select(feedback.c.article_id, feedback.c.flag, feedback.c.created_by)).all()
        tasks = conn.execute(select(review_tasks.c.article_id, review_tasks.c.reason)).all()
    assert ("ww90t-not-draining", "wrong", "consultant1") in rows
    assert ("ww90t-not-draining", "Flagged as wrong by consultant1: the filter is behind the kick plate") in tasks


def test_compact_assist_for_an_iframe(pages):
    page = pages.open("consultant", "/assist?compact=1")
    assert page.locator("header.top").count() == 0
    assert page.locator("#assist-form").is_visible()
    page.fill("#a-body", "TV has no sound")
    page.click("#a-submit")
    page.wait_for_selector("#a-answers li")
    assert page.locator("#a-answers li h3 a").first.get_attribute("target") == "_top"  # opens outside the iframe


def test_followups_page_lists_overdue_first(pages, live_server):
    services = services_of(live_server.app)
    with services.database.begin() as conn:
        path = services.engine.version.escalation["tech-support-engineer"]
        repo.open_escalation(conn, path, "r", "Old question about HDMI", repo.utcnow() - dt.timedelta(days=2))
        repo.open_escalation(conn, path, "r", "New question about Wi-Fi", repo.utcnow())
    page = pages.open("engineer", "/followups")
    rows = page.locator("#waiting tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    old = next(i for i, t in enumerate(texts) if "Old question about HDMI" in t)
    new = next(i for i, t in enumerate(texts) if "New question about Wi-Fi" in t)
    assert old < new and "overdue" in texts[old] and "overdue" not in texts[new]
