"""Reply drafts through the API: the customer's language, a source per sentence, what happens next instead of a weak
answer, and copy / edit / used recorded (used counts as using the article)."""

import pytest
from sqlalchemy import select

from services.db.schema import draft_events, drafts, usage
from tests.support import services_of, signed_in

POLISH_TICKET = {"subject": "Pralka", "body": "Moja pralka WW90T554DAW nie odpompowuje wody i pokazuje 5C.",
                 "channel": "email", "contact_id": "MAIL-7"}


@pytest.fixture()
def consultant(db_app):
    return signed_in(db_app, "consultant")


def test_a_polish_email_gets_a_polish_draft_from_the_chosen_english_article(consultant, db_app):
    assist = consultant.post("/api/v1/assist", json=POLISH_TICKET).json
    response = consultant.post("/api/v1/drafts", json={
        "article_id": "ww90t-not-draining", "confidence": 0.93, "channel": "email", "lang": assist["detected"]["lang"],
        "product": assist["detected"]["products"][0], "contact_id": "MAIL-7",
        "ticket": POLISH_TICKET["subject"] + "\n" + POLISH_TICKET["body"]})
    draft = response.json
    assert response.status_code == 201 and draft["mode"] == "answer" and draft["lang"] == "pl"
    assert draft["article_id"] == "pralka-nie-odpompowuje-pl" and draft["notice"] is draft["notice_code"] is None
    assert draft["text"].startswith("Szanowna Pani / Szanowny Panie,\n\nDziękujemy za wiadomość w sprawie urządzenia "
                                    "WW90T554DAW i kodu 5C.")  # the error code found in the ticket
    assert all(s["source"]["type"] in ("article", "template") for s in draft["segments"])
    assert {s["source"]["section"] for s in draft["segments"] if s["source"]["type"] == "article"} == {
        "odpowiedz", "kroki"}
    assert "http://localhost/articles/pralka-nie-odpompowuje-pl" in draft["text"]
    with services_of(db_app).database.connect() as conn:
        stored = conn.execute(select(drafts)).mappings().one()
    assert stored["text"] == draft["text"] and stored["contact_id"] is not None and stored["lang"] == "pl"


def test_no_translation_keeps_the_article_and_says_so(app):
    draft = signed_in(app, "consultant").post("/api/v1/drafts", json={
        "article_id": "np-s92-battery-drain", "confidence": 0.9, "channel": "chat", "lang": "pl"}).json
    assert draft["lang"] == "en" and draft["notice"] == "There is no pl version of this article: the draft is in en."
    assert (draft["notice_code"], draft["notice_lang"]) == ("missing", "pl")  # the pages show their own words
    assert draft["segments"][0]["text"] == "Hi,"


def test_an_outdated_translation_is_not_sent_to_a_customer(app):
    draft = signed_in(app, "consultant").post("/api/v1/drafts", json={
        "article_id": "tv-wifi-drops", "confidence": 0.9, "channel": "chat", "lang": "pl"}).json
    assert draft["lang"] == "en"
    assert draft["notice"] == "The pl version of this article is out of date: the draft is in en."
    assert (draft["notice_code"], draft["notice_lang"]) == ("outdated", "pl")


@pytest.mark.parametrize("body, path", [
    ({"article_id": "ww90t-not-draining", "confidence": 0.2}, "repair-service-centre"),  # weak: the article's path
    ({"article_id": "ww90t-not-draining", "confidence": 0.95, "escalation": "complaints"}, "complaints"),
    ({}, "tech-support-engineer"),  # nothing found at all
])
def test_a_weak_or_escalated_contact_gets_what_happens_next(app, body, path):
    draft = signed_in(app, "consultant").post("/api/v1/drafts", json={"channel": "email", "lang": "en", **body}).json
    assert draft["mode"] == "next_steps" and draft["article_id"] is None
    sla = services_of(app).engine.version.escalation[path].sla_hours
    nexts = [s for s in draft["segments"] if s["kind"] == "next"]
    assert nexts[0]["source"]["escalation"] == path and nexts[0]["source"]["sla_hours"] == sla
    assert not [s for s in draft["segments"] if s["source"]["type"] == "article"]


def test_copy_edit_and_used_are_recorded_and_used_counts_as_using_the_article(consultant, db_app):
    consultant.post("/api/v1/assist", json=POLISH_TICKET)
    draft = consultant.post("/api/v1/drafts", json={"article_id": "ww90t-not-draining", "confidence": 0.9,
                                                    "lang": "en", "contact_id": "MAIL-7"}).json
    for body in ({"action": "copied"}, {"action": "edited", "text": "Hello,\n\nmy own words\n"}, {"action": "used"}):
        assert consultant.post(f"/api/v1/drafts/{draft['id']}/events", json=body).status_code == 201
    bad = consultant.post(f"/api/v1/drafts/{draft['id']}/events", json={"action": "printed"})
    assert bad.status_code == 400 and bad.json["error"] == "bad_action"
    assert consultant.post("/api/v1/drafts/9999/events", json={"action": "used"}).status_code == 404
    with services_of(db_app).database.connect() as conn:
        events = conn.execute(select(draft_events.c.action, draft_events.c.text)).all()
        used = conn.execute(select(usage.c.article_id, usage.c.action, usage.c.contact_id)).all()
    assert events == [("copied", None), ("edited", "Hello,\n\nmy own words\n"), ("used", None)]
    assert [(a, b) for a, b, c in used] == [("ww90t-not-draining", "used")] and used[0][2] is not None


@pytest.mark.parametrize("body, code", [
    ({"article_id": "no-such"}, "unknown_article"), ({"channel": "pigeon"}, "bad_channel"),
    ({"lang": "de"}, "bad_lang"), ({"confidence": "high"}, "bad_confidence"), ({"escalation": "nowhere"}, "unknown_path"),
])
def test_bad_draft_requests(app, body, code):
    response = signed_in(app, "consultant").post("/api/v1/drafts", json=body)
    assert response.status_code in (400, 404) and response.json["error"] == code
