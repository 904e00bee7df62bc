"""New-hire training and team insights in a real browser: follow a path, pass and fail a quiz, acknowledge required
reading, replay a past ticket, and see last week's spike marked on the insights page. Screenshots in artifacts/."""

import json

import pytest
from sqlalchemy import select

from assist_api.db.schema import quizzes
from tests.conftest import serve
from tests.test_assist_api import seed_history

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tapp(writer_app_factory):
    return writer_app_factory()


@pytest.fixture(scope="module")
def server(tapp):
    with serve(tapp) as url:
        yield url


@pytest.fixture()
def login(browser_pages, server):
    return lambda username, next_url: browser_pages(server, username, next_url)


def latest_quiz(app):
    with app.extensions["kb_services"].database.engine.connect() as conn:
        row = conn.execute(select(quizzes).order_by(quizzes.c.id.desc())).mappings().first()
    return json.loads(row["questions"])


def answer(page, questions, right):
    for i, q in enumerate(questions):
        choice = q["correct"] if right else (q["correct"] + 1) % len(q["options"])
        page.locator(f"[data-question='{i}'] input[value='{choice}']").check()
    page.click("#submit-quiz")
    page.wait_for_selector("#quiz-score")


def test_follow_a_path_fail_then_pass_a_quiz(login, tapp):
    page = login("consultant1", "/learn/washing-machine")
    stages = page.locator("ol.path").evaluate_all("els => els.map(e => e.dataset.stage)")
    assert stages[:2] == ["script", "procedures"]
    page.click("[data-read='washer-call-script']")
    page.wait_for_selector("text=✓ read")
    page.click("#start-quiz")
    page.wait_for_selector("#quiz-form")
    answer(page, latest_quiz(tapp), right=False)
    assert "not passed" in page.locator("#quiz-score").inner_text()
    assert page.locator("#reread li").count() >= 1
    page.click("text=New quiz")
    page.wait_for_selector("#quiz-form")
    answer(page, latest_quiz(tapp), right=True)
    assert "passed" in page.locator("#quiz-score").inner_text() and "not" not in page.locator("#quiz-score").inner_text()
    page.goto("/learn")
    row = page.locator("#paths tr", has_text="Washing machines")
    assert "passed" in row.inner_text() and "1/" in row.inner_text()


def test_required_reading_is_acknowledged_and_the_writer_sees_who_has_not(login, tapp):
    client = tapp.test_client()
    auth = lambda role: {"Authorization": f"Bearer {tapp.tokens[role]}"}
    src = client.get("/api/v1/articles/qn90d-no-sound/source", headers=auth("reviewer")).json
    text = src["text"].replace("Set the sound output", "From firmware 1402, set the sound output")
    saved = client.put("/api/v1/articles/qn90d-no-sound", headers=auth("reviewer"),
                       json={"text": text.replace("status: published", "status: published"), "base_version": src["version"],
                             "important": True})
    assert saved.status_code == 200
    client.post("/api/v1/articles/qn90d-no-sound/publish", headers=auth("reviewer"), json={"important": True})
    page = login("consultant1", "/reading")
    page.wait_for_selector("#reading-list")
    page.click("[data-ack='qn90d-no-sound']")
    page.wait_for_selector("#reading-empty")
    writer = login("writer1", "/reading/article/qn90d-no-sound")
    pending = writer.locator("#pending").inner_text()
    assert "consultant1" not in pending and "writer1" in pending


def test_practice_replays_a_past_ticket_without_personal_data(login, tapp):
    client = tapp.test_client()
    client.post("/api/v1/assist", json={"body": "My name is Jan Kowalski, phone 600 100 200. The TV has no sound.",
                                        "contact_id": "PRACTICE-1"})
    page = login("consultant1", "/practice")
    page.locator("#tickets a").first.click()
    text = page.locator("#ticket-text").inner_text()
    assert "Kowalski" not in text and "600 100 200" not in text and "no sound" in text
    page.click("#reveal")
    assert "Picture is fine but the TV has no sound" in page.locator("#suggested").inner_text()


def test_insights_mark_last_weeks_spike_and_export_csv(login, tapp):
    monday = seed_history(tapp)
    page = login("reviewer1", f"/insights?to={monday.isoformat()}")
    spike = page.locator("[data-spike='washing-machine/troubleshooting']")
    assert spike.is_visible()
    row = page.locator("tr.spiking").first.inner_text()
    assert "gap" in row and "write the missing article" in row
    assert page.locator("svg.chart .spike-mark").count() >= 1
    with page.expect_download() as info:
        page.locator("#t-content_gaps a.csv").click()
    assert info.value.suggested_filename.startswith("content_gaps-")
    consultant = login("consultant1", "/insights")
    assert "needs the reviewer role" in consultant.content()
