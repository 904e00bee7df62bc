"""Guided troubleshooting in a real browser, keyboard only: a consultant walks a caller through a branching article
to the step that fixes it, and through to an escalation whose steps already tried are filled in for the engineer."""

import json

import pytest
from sqlalchemy import select

from services.db.schema import guide_runs
from tests.support import seed_guided_history, services_of, wait_for_js

pytestmark = pytest.mark.browser


def visible_step(page):
    return page.locator(".guide-step:not([hidden]) h2").inner_text()


def run_of(live_server, run_count_before):
    with services_of(live_server.app).database.connect() as conn:
        rows = conn.execute(select(guide_runs).order_by(guide_runs.c.id)).mappings().all()
    return rows[run_count_before:]


def runs(live_server):
    with services_of(live_server.app).database.connect() as conn:
        return len(conn.execute(select(guide_runs.c.id)).all())


def test_a_consultant_guides_a_caller_through_a_branch_to_the_fixing_step(pages, live_server):
    before = runs(live_server)
    page = pages.open("consultant", "/articles/ww90t-not-draining?q=ww90t554daw%20shows%205c")
    page.keyboard.press("Alt+g")
    page.wait_for_url("**/guide/ww90t-not-draining?q=*")
    # the caller's product and error code stay on screen while the steps change
    assert page.input_value("#g-product") == "WW90T554DAW" and page.input_value("#g-code") == "5C"
    assert visible_step(page) == "Step 1 of 5"
    page.keyboard.press("Enter")
    assert visible_step(page) == "Step 2 of 5"
    assert "if no water comes out of the emergency hose → step 4" in page.locator("#step-2 .keys").inner_text()
    page.keyboard.press("1")  # no water came out: the branch skips the filter
    assert visible_step(page) == "Step 4 of 5"
    page.keyboard.press("Backspace")  # the caller looks again: there is water after all
    assert visible_step(page) == "Step 2 of 5"
    page.keyboard.press("n")
    assert visible_step(page) == "Step 3 of 5"
    assert page.locator("#g-path li").count() == 2
    page.keyboard.press("y")
    assert page.locator("#g-resolved").is_visible() and page.locator("#g-fixed-step").inner_text() == "3"
    wait_for_js(page, "document.getElementById('g-status').textContent === 'Recorded: fixed at step 3'")
    (run,) = run_of(live_server, before)
    assert (run["outcome"], run["step"], run["product"], run["error_code"]) == ("resolved", 3, "WW90T554DAW", "5C")
    assert json.loads(run["path"]) == [[1, "next"], [2, "not_fixed"], [3, "fixed"]]
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/ww90t-not-draining*")


def test_a_guided_call_ends_in_an_escalation_with_the_steps_already_tried(pages, live_server):
    before = runs(live_server)
    page = pages.open("consultant", "/guide/ww90t-not-draining?q=WW90T554DAW%205C&contact=CALL-17")
    for key in ("Enter", "1", "n"):
        page.keyboard.press(key)
    assert visible_step(page) == "Step 5 of 5"
    assert "if the display shows 5C again → escalate" in page.locator("#step-5 .keys").inner_text()
    page.keyboard.press("1")
    assert page.locator("#g-escalate").is_visible()
    assert "Repair registration with a service centre" in page.locator("#g-escalate h2").inner_text()
    assert page.input_value("#g-question") == "Washing machine will not drain and shows 5C — WW90T554DAW 5C"
    tried = page.input_value("#g-tried").split("\n")
    assert tried == [
        "1. Switch the machine off and unplug it. — step done",
        "2. Open the small flap at the bottom front and drain the water with the emergency hose into a shallow tray. "
        "— no water comes out of the emergency hose",
        "4. Check the drain hose behind the machine is not kinked or pushed too far into the standpipe. — did not fix it",
        "5. Run Rinse + Spin to test. — the display shows 5C again (escalate)"]
    page.keyboard.press("Control+Enter")
    wait_for_js(page, "!document.getElementById('g-sent').hidden")
    assert "opened for Service Logistics" in page.locator("#g-sent").inner_text()
    (run,) = run_of(live_server, before)
    assert run["outcome"] == "escalated" and run["escalation_id"] is not None
    engineer = pages.open("engineer", "/followups")
    waiting = engineer.locator("table").last.inner_text()
    assert "— WW90T554DAW 5C" in waiting and "no water comes out of the emergency hose" in waiting


def test_leaving_the_path_with_escape_is_recorded(pages, live_server):
    before = runs(live_server)
    page = pages.open("consultant", "/guide/qn90d-no-sound")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_url("**/articles/qn90d-no-sound")
    (run,) = run_of(live_server, before)
    assert (run["outcome"], run["step"]) == ("left", 2)


def test_the_team_lead_sees_where_guided_calls_end_and_what_to_rewrite_first(pages, live_server):
    seed_guided_history(services_of(live_server.app), [
        ([[1, "fixed"]], 1, "resolved"), ([[1, "next"], [2, "fixed"]], 2, "resolved"),
        ([[1, "next"], [2, "fixed"]], 2, "resolved"), ([[1, "next"]], 2, "left")], "LEAD-")
    page = pages.open("team-lead", "/insights")
    guided = page.locator("#t-guided").inner_text()
    assert "tv-wifi-drops" in guided and "step 2 of 3 (2 calls)" in guided and "step 2 (1 call)" in guided
    rewrite = page.locator("#t-rewrite_first tbody tr").first.inner_text()
    assert rewrite.split("\t")[:6] == ["tv-wifi-drops", "3", "2", "0", "1", "0.667"]
    page.locator("#t-rewrite_first").scroll_into_view_if_needed()
