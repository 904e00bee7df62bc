"""New-hire training in a real browser, signed in as a consultant: follow a path, fail then pass a quiz,
acknowledge required reading (the writer sees who has not), replay a past ticket without personal data."""

import json

import pytest
from sqlalchemy import select

from kb.front_matter import set_status
from services.db.schema import quizzes
from tests.support import bearer, services_of

pytestmark = pytest.mark.browser


def latest_quiz(app):
    with services_of(app).database.connect() as conn:
        row = conn.execute(select(quizzes).order_by(quizzes.c.id.desc())).mappings().first()
    return json.loads(row["questions"])


def answer(page, questions, right):
    for i, q in enumerate(questions):
        choice = q["correct"] if right else (q["correct"] + 1) % len(q["options"])
        page.locator(f"[data-question='{i}'] input[value='{choice}']").check()
    page.click("#submit-quiz")
    page.wait_for_selector("#quiz-score")


def test_follow_a_path_fail_then_pass_a_quiz(pages, live_server):
    page = pages.open("consultant", "/learn/washing-machine")
    stages = page.locator("ol.path").evaluate_all("els => els.map(e => e.dataset.stage)")
    assert stages[:2] == ["script", "procedures"]
    page.click("[data-read='washer-call-script']")
    page.wait_for_selector("text=✓ read")
    page.click("#start-quiz")
    page.wait_for_selector("#quiz-form")
    assert "/learn/quiz/" in page.url
    answer(page, latest_quiz(live_server.app), right=False)
    assert "not passed" in page.locator("#quiz-score").inner_text()
    assert page.locator("#reread li").count() >= 1
    page.click("text=New quiz")
    page.wait_for_selector("#quiz-form")
    answer(page, latest_quiz(live_server.app), right=True)
    score = page.locator("#quiz-score").inner_text()
    assert "passed" in score and "not" not in score
    page.goto("/learn")
    row = page.locator("#paths tr", has_text="Washing machines")
    assert "passed" in row.inner_text() and "1/" in row.inner_text()


def test_required_reading_is_acknowledged_and_the_writer_sees_who_has_not(pages, live_server):
    app = live_server.app
    client = app.test_client()
    src = client.get("/api/v1/articles/qn90d-no-sound/source", headers=bearer(app, "writer")).json
    text = set_status(src["text"].replace("Set the sound output", "From firmware 1402, set the sound output"), "draft")
    saved = client.put("/api/v1/articles/qn90d-no-sound", headers=bearer(app, "writer"),  # as the editor saves
                       json={"text": text, "base_version": src["version"], "important": True})
    assert saved.status_code == 200 and saved.json["pending"] is True
    published = client.post("/api/v1/articles/qn90d-no-sound/publish", headers=bearer(app, "reviewer"),
                            json={"important": True})
    assert published.json["assigned"] >= 6  # everyone: nobody is limited to some categories
    page = pages.open("consultant", "/learn")
    page.wait_for_selector("#reading-banner")
    page.goto("/reading")
    page.wait_for_selector("#reading-list")
    page.click("[data-ack='qn90d-no-sound']")
    page.wait_for_selector("#reading-empty")
    writer = pages.open("writer", "/reading/article/qn90d-no-sound")
    pending = writer.locator("#pending").inner_text()
    assert "consultant1" not in pending and "writer1" in pending


def test_practice_replays_a_past_ticket_without_personal_data(pages, live_server):
    app = live_server.app
    app.test_client().post("/api/v1/assist", headers=bearer(app, "consultant"),
                           json={"body": "My name is Jan Kowalski, phone 600 100 200. The TV has no sound.",
                                 "contact_id": "PRACTICE-1"})
    page = pages.open("consultant", "/practice")
    page.locator("#tickets li", has_text="The TV has no sound").first.locator("a").click()
    text = page.locator("#ticket-text").inner_text()
    assert "Kowalski" not in text and "600 100 200" not in text and "no sound" in text
    page.click("#reveal")
    assert "Picture is fine but the TV has no sound" in page.locator("#suggested").inner_text()
