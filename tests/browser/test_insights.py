"""The team lead's insights page in a real browser: last week's spike marked, a content gap, CSV export."""

import pytest

from tests.support import SPIKE_TOPIC, seed_history, services_of

pytestmark = pytest.mark.browser


def test_insights_mark_last_weeks_spike_and_export_csv(pages, live_server):
    monday = seed_history(services_of(live_server.app).database)
    page = pages.open("team-lead", f"/insights?to={monday.isoformat()}")
    spike = page.locator(f"[data-spike='{SPIKE_TOPIC}']")
    assert spike.is_visible()
    row = page.locator("tr.spiking").first.inner_text()
    assert "gap" in row and "write the missing article" in row
    assert page.locator("svg.chart .spike-mark").count() >= 1
    with page.expect_download() as info:
        page.locator("#t-content_gaps a.csv").click()
    assert info.value.suggested_filename.startswith("content_gaps-")
    assert info.value.path().read_text().startswith("query,kind,count,best_confidence")
    page.select_option("select[name=category]", "technical-service")
    page.click("text=Apply")
    page.wait_for_url("**category=technical-service*")
    assert page.locator("select[name=category]").input_value() == "technical-service"


def test_a_consultant_is_told_insights_need_their_permission(pages):
    pages.watch.allow_status(403)
    page = pages.open("consultant", "/insights")
    assert page.locator("h1").inner_text() == "Not allowed"
    assert "needs the insights permission" in page.locator("#error-message").inner_text()
