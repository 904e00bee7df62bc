"""The defects and workflows of a help desk's working day (issue 13) through the API and Flask's test client: flags
with a reason and a person, follow-up outcomes, search sessions logged once, the editor's rules (your own save is
never a conflict, publishing keeps the important tick and sets reviewed, a new article leaves drafts/), clarifying
questions, the team lead's rights, the pages' language."""

import datetime as dt
import stat

import pytest
from sqlalchemy import select

from services.db.schema import escalations, feedback, followups, required_reading, review_tasks, search_events
from tests.support import services_of, signed_in

ARTICLE = """---
id: {id}
title: "Soundbar loses the TV sound after standby"
type: troubleshooting
lang: en
{extra}---

## Answer

Switch HDMI-CEC off and on again on the TV, then restart the soundbar.
"""


@pytest.fixture()
def day_app(app_factory):
    return app_factory()


def rows(app, table):
    services = services_of(app)
    services.events.flush()
    with services.database.connect() as conn:
        return [dict(r) for r in conn.execute(select(table)).mappings()]


def test_flags_carry_a_reason_and_the_person_who_flagged(day_app):
    consultant = signed_in(day_app, "consultant")
    for flag in ("unclear", "missing-step"):
        response = consultant.post("/api/v1/feedback", json={"article_id": "ww90t-not-draining", "helpful": False,
                                                              "flag": flag, "comment": "step 3 is missing"})
        assert response.status_code == 201, response.json
    assert {(f["flag"], f["created_by"]) for f in rows(day_app, feedback)} == {("unclear", "consultant1"),
                                                                               ("missing-step", "consultant1")}
    reasons = [t["reason"] for t in rows(day_app, review_tasks)]
    assert reasons == ["Flagged as unclear by consultant1: step 3 is missing",
                       "Flagged as missing step by consultant1: step 3 is missing"]


def test_an_anonymous_flag_is_refused_by_the_service(day_app):
    from services.errors import ServiceError

    with pytest.raises(ServiceError) as info:
        services_of(day_app).contacts.feedback("ww90t-not-draining", False, flag="wrong")
    assert info.value.code == "anonymous_flag"


def test_a_follow_up_call_records_its_outcome_and_closes_the_escalation(day_app):
    consultant, engineer = signed_in(day_app, "consultant"), signed_in(day_app, "engineer")
    opened = consultant.post("/api/v1/escalations", json={"path_id": "tech-support-engineer", "question": "HDMI 3"})
    assert opened.json["opened_by"] == "consultant1"
    engineer.post(f"/api/v1/escalations/{opened.json['id']}/answer", json={"answer": "Use HDMI 2."})
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    (call,) = consultant.get(f"/api/v1/followups?due={tomorrow}").json["followups"]
    assert call["question"] == "HDMI 3" and call["answer"] == "Use HDMI 2."
    bad = consultant.post(f"/api/v1/followups/{call['id']}/done", json={"outcome": "maybe"})
    assert bad.status_code == 400 and bad.json["error"] == "bad_outcome"
    done = consultant.post(f"/api/v1/followups/{call['id']}/done", json={"outcome": "solved", "note": "works"})
    assert done.status_code == 200 and done.json["outcome"] == "solved"
    assert [(f["status"], f["outcome"]) for f in rows(day_app, followups)] == [("done", "solved")]
    assert [e["status"] for e in rows(day_app, escalations)] == ["closed"]


def test_searches_while_typing_are_not_logged_the_session_is_logged_once(day_app):
    consultant = signed_in(day_app, "consultant")
    for prefix in ("wa", "wash", "washing mach", "washing machine drain"):
        assert consultant.get("/api/v1/search", query_string={"q": prefix, "log": "0"}).status_code == 200
    assert rows(day_app, search_events) == []
    logged = consultant.post("/api/v1/search/log", json={"q": "washing machine drain", "category": "washing-machine"})
    assert logged.status_code == 202 and logged.json["logged"] is True
    (event,) = rows(day_app, search_events)
    assert event["query"] == "washing machine drain" and event["hits"] > 0 and '"washing-machine"' in event["filters"]
    assert consultant.get("/api/v1/search", query_string={"q": "tv no sound"}).status_code == 200  # integrations
    assert [e["query"] for e in rows(day_app, search_events)] == ["washing machine drain", "tv no sound"]
    assert consultant.post("/api/v1/search/log", json={"q": ""}).status_code == 400


def test_your_own_save_is_never_a_conflict_but_someone_elses_is(day_app):
    writer, reviewer = signed_in(day_app, "writer"), signed_in(day_app, "reviewer")
    text = ARTICLE.format(id="soundbar-cec-standby", extra="categories: [tv]\n")
    created = writer.post("/api/v1/articles", json={"text": text})
    assert created.status_code == 201 and created.json["version"] == 1
    again = writer.put("/api/v1/articles/soundbar-cec-standby", json={"text": text + "\nMore.\n", "base_version": 1})
    assert again.status_code == 200 and again.json["version"] == 2
    # the second click raced the first: it still names version 1, but only the writer saved since
    raced = writer.put("/api/v1/articles/soundbar-cec-standby",
                       json={"text": text.replace("status", "x") + "\nMore again.\n", "base_version": 1})
    assert raced.status_code == 200 and raced.json["version"] == 3
    other = reviewer.put("/api/v1/articles/soundbar-cec-standby", json={"text": text, "base_version": 2})
    assert other.status_code == 409 and other.json["latest_author"] == "writer1"


def test_publishing_keeps_the_writers_important_tick_and_sets_reviewed(day_app):
    writer, reviewer = signed_in(day_app, "writer"), signed_in(day_app, "reviewer")
    text = ARTICLE.format(id="tv-cec-important", extra="categories: [tv]\nreviewed: 2020-01-01\n")
    writer.post("/api/v1/articles", json={"text": text.replace("lang: en", "lang: en\nstatus: review"),
                                          "important": True})
    source = reviewer.get("/api/v1/articles/tv-cec-important/source").json
    assert source["important"] is True and source["status"] == "review"
    published = reviewer.put("/api/v1/articles/tv-cec-important",
                             json={"text": source["text"].replace("status: review", "status: published"),
                                   "base_version": source["version"], "important": source["important"]})
    assert published.status_code == 200 and published.json["status"] == "published" and published.json["assigned"] > 0
    assert published.json["version"] == 2  # one action, one version
    assert rows(day_app, required_reading)
    latest = reviewer.get("/api/v1/articles/tv-cec-important/source").json
    assert latest["fields"]["reviewed"] == dt.date.today().isoformat() and latest["important"] is False


def test_a_new_article_leaves_drafts_once_it_has_a_category_and_is_readable(day_app):
    writer, reviewer = signed_in(day_app, "writer"), signed_in(day_app, "reviewer")
    content = services_of(day_app).settings.content_path
    writer.post("/api/v1/articles", json={"text": ARTICLE.format(id="new-in-drafts", extra="status: draft\n")})
    assert (content / "drafts" / "new-in-drafts.md").is_file()
    text = ARTICLE.format(id="new-in-drafts", extra="categories: [tv]\nstatus: published\n")
    assert reviewer.put("/api/v1/articles/new-in-drafts", json={"text": text, "base_version": 1}).status_code == 200
    moved = content / "tv" / "new-in-drafts.md"
    assert moved.is_file() and not (content / "drafts" / "new-in-drafts.md").exists()
    assert stat.S_IMODE(moved.stat().st_mode) == 0o644


@pytest.mark.parametrize("text", ["no front matter at all\n", "---\n- a\n- b\n---\nbody\n", "---\n---\n## Answer\nx\n",
                                  "---\nid: [a\n---\n"])
def test_an_article_without_usable_front_matter_is_a_422_not_a_500(app, text):
    for role in ("writer", "reviewer"):
        response = signed_in(app, role).post("/api/v1/articles", json={"text": text})
        assert response.status_code == 422 and response.json["error"] == "invalid_article", (role, response.json)
        edited = signed_in(app, role).put("/api/v1/articles/tv-wifi-drops", json={"text": text, "base_version": 1})
        assert edited.status_code == 422 and edited.json["error"] == "invalid_article", (role, edited.json)


@pytest.mark.parametrize("body, lang, asks", [
    ("it doesnt work", "en", "Which product is it"),
    ("laptop się przegrzewa", "pl", "Jaki to model?"),
    ("nie działa", "pl", "Jakiego urządzenia dotyczy zgłoszenie"),
    ("my WW90T554DAW doesnt work", "en", "What exactly happens?"),
])
def test_a_vague_ticket_gets_a_clarifying_question_in_its_language(app, body, lang, asks):
    data = signed_in(app, "consultant").post("/api/v1/assist", json={"body": body}).json
    assert data["detected"]["lang"] == lang and data["clarify"].startswith(asks)


def test_a_clear_ticket_gets_no_clarifying_question_and_the_path_says_why(app):
    data = signed_in(app, "consultant").post("/api/v1/assist", json={
        "body": "My WW90T554DAW still shows 5C and water stays in the drum. I already cleaned the filter."}).json
    assert data["clarify"] is None
    assert data["escalation"]["rule"] == "hardware-fault" and data["escalation"]["reason"]


def test_the_team_lead_reads_insights_and_analytics_but_cannot_publish(app):
    lead = signed_in(app, "team-lead")
    assert lead.get("/insights").status_code == 200 and lead.get("/insights/content_gaps.csv").status_code == 200
    assert lead.get("/api/v1/analytics/content-gaps").status_code == 200
    assert lead.post("/api/v1/articles/tv-wifi-drops/publish", json={}).status_code == 403
    assert signed_in(app, "consultant").get("/api/v1/analytics/content-gaps").status_code == 403
    assert signed_in(app, "writer").get("/api/v1/analytics/spikes").status_code == 403


def test_unknown_articles_are_404_pages_with_the_navigation(app):
    for url in ("/articles/nope", "/write/nope"):
        response = signed_in(app, "writer").get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 404 and 'class="top"' in html and "Back to search" in html, url
        assert "Edit nope" not in html


def test_the_language_follows_the_browser_until_the_person_chooses(day_app):
    consultant = signed_in(day_app, "consultant")
    english = consultant.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    polish = consultant.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="en">' in english and ">Ticket assist<" in english
    assert '<html lang="pl">' in polish and ">Asystent zgłoszeń<" in polish
    chosen = consultant.post("/language", data={"lang": "pl", "next": "/followups"})
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/followups"
    page = consultant.get("/followups", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="pl">' in page  # kept with the account, whatever the browser says
    assert consultant.post("/language", data={"lang": "de"}).status_code == 400


def test_a_confident_topic_whose_answer_consultants_rejected_is_a_gap(day_app):
    from sqlalchemy import insert

    from services.db.schema import contacts

    services = services_of(day_app)
    now = dt.datetime.combine(dt.date.today(), dt.time(6))
    with services.database.begin() as conn:
        ids = [conn.execute(insert(contacts).values(
            channel="phone", customer_type="consumer", lang="en", intent="promotion", category="marketing",
            topic="soundbar/promotion", products="[]", subject="", created_at=now, top_confidence=0.9,
            top_article="qn90d-no-sound")).inserted_primary_key[0] for _ in range(3)]
    lead = signed_in(day_app, "team-lead")

    def topic():
        spikes = lead.get("/api/v1/analytics/spikes").json["topics"]
        return next(t for t in spikes if t["topic"] == "soundbar/promotion")

    assert topic()["covered"] is True  # confidence alone says so
    consultant = signed_in(day_app, "consultant")
    for contact_id in ids[:2]:
        consultant.post("/api/v1/feedback", json={"article_id": "qn90d-no-sound", "helpful": False,
                                                  "contact_id": str(contact_id)})
    assert topic()["covered"] is False and topic()["answered_share"] == pytest.approx(1 / 3, abs=0.01)
