"""Assist, feedback, usage, escalations and follow-ups through the API on a real database: SQLite always, and
PostgreSQL when KB_TEST_POSTGRES_URL names one. Escalations are answered by the signed-in engineer only."""

import datetime as dt

import pytest
from sqlalchemy import select

from services.db import repo
from services.db.schema import contacts, escalations, feedback, followups, review_tasks, search_events, suggestions
from tests.support import services_of, signed_in


@pytest.fixture()
def consultant(db_app):
    return signed_in(db_app, "consultant")


@pytest.fixture()
def engineer(db_app):
    return signed_in(db_app, "engineer")


def rows(app, table):
    with services_of(app).database.connect() as conn:
        return [dict(r) for r in conn.execute(select(table)).mappings()]


def test_assist_stores_the_contact_and_its_suggestions(consultant, db_app):
    response = consultant.post("/api/v1/assist", json={
        "subject": "Pralka", "body": "Moja pralka WW90T554DAW nie odpompowuje wody, błąd 5C", "channel": "chat",
        "customer_type": "consumer", "contact_id": "CRM-1"})
    data = response.json
    assert response.status_code == 200 and data["stored"] is True and data["contact_id"] == "CRM-1"
    assert data["detected"]["lang"] == "pl" and data["detected"]["products"] == ["WW90T554DAW"]
    assert data["answers"][0]["article_id"] == "pralka-nie-odpompowuje-pl"
    stored = rows(db_app, contacts)
    assert [(c["contact_ref"], c["topic"], c["top_article"]) for c in stored] == [
        ("CRM-1", "washing-machine/troubleshooting", "pralka-nie-odpompowuje-pl")]
    assert len(rows(db_app, suggestions)) == len(data["answers"])
    services_of(db_app).events.flush()
    assert [e["kind"] for e in rows(db_app, search_events)] == ["assist"]


def test_assisting_the_same_contact_again_replaces_it(consultant, db_app):
    for body in ("TV has no sound", "TV keeps losing its wifi"):
        assert consultant.post("/api/v1/assist", json={"body": body, "contact_id": "CRM-2"}).status_code == 200
    (stored,) = rows(db_app, contacts)
    assert stored["top_article"] == "tv-wifi-drops"


@pytest.mark.parametrize("body, code", [
    (None, "bad_json"), ([1, 2], "bad_json"), ({"body": 5}, "bad_body"), ({"subject": "", "body": ""}, "empty_contact"),
    ({"body": "x", "channel": "pigeon"}, "bad_channel"), ({"body": "x", "surprise": 1}, "unknown_field"),
    ({"body": "x", "product": "ZZ9"}, "unknown_product"),
])
def test_bad_assist_input_is_a_json_400_and_writes_nothing(consultant, db_app, body, code):
    response = consultant.post("/api/v1/assist", json=body) if body is not None else consultant.post(
        "/api/v1/assist", data="not json", content_type="text/plain")
    assert response.status_code == 400 and response.json["error"] == code
    assert rows(db_app, contacts) == [] and rows(db_app, suggestions) == []


def test_feedback_and_flags_create_review_tasks(consultant, db_app):
    consultant.post("/api/v1/assist", json={"body": "TV has no sound", "contact_id": "C-9"})
    ok = consultant.post("/api/v1/feedback", json={"article_id": "qn90d-no-sound", "helpful": True, "contact_id": "C-9"})
    assert ok.status_code == 201 and ok.json["review_task_id"] is None
    flag = consultant.post("/api/v1/feedback", json={"article_id": "ww90t-not-draining", "helpful": False,
                                                      "flag": "outdated", "comment": "filter is on the left now"})
    assert flag.status_code == 201
    (task,) = rows(db_app, review_tasks)
    assert task["article_id"] == "ww90t-not-draining" and task["owner"] == "anna.kowalska"
    assert "outdated" in task["reason"] and "filter is on the left" in task["reason"]
    for bad, code in (({"article_id": "nope", "helpful": True}, "unknown_article"),
                      ({"article_id": "qn90d-no-sound"}, "missing_helpful"),
                      ({"article_id": "qn90d-no-sound", "helpful": "yes"}, "bad_helpful"),
                      ({"article_id": "qn90d-no-sound", "helpful": False, "flag": "ugly"}, "bad_flag")):
        response = consultant.post("/api/v1/feedback", json=bad)
        assert response.status_code in (400, 404) and response.json["error"] == code
    assert len(rows(db_app, feedback)) == 2  # the refused ones wrote nothing
    attention = signed_in(db_app, "writer").get("/api/v1/attention").json["articles"]
    assert [a["article_id"] for a in attention if not a.get("source")] == ["ww90t-not-draining"]  # not translations


def test_escalations_due_times_overdue_first_and_answers(consultant, engineer, db_app):
    opened = consultant.post("/api/v1/escalations", json={"path_id": "tech-support-engineer",
                                                           "question": "QN90D flickers on HDMI 3 with a PS5"})
    assert opened.status_code == 201
    created = dt.datetime.fromisoformat(opened.json["created_at"])
    assert dt.datetime.fromisoformat(opened.json["due_at"]) - created == dt.timedelta(hours=24)
    services = services_of(db_app)
    with services.database.begin() as conn:  # one opened three days ago is overdue
        path = services.engine.version.escalation["repair-service-centre"]
        repo.open_escalation(conn, path, "old", "drum noise", repo.utcnow() - dt.timedelta(days=3))
    listed = consultant.get("/api/v1/escalations?status=open").json["escalations"]
    assert [e["question"] for e in listed] == ["drum noise", "QN90D flickers on HDMI 3 with a PS5"]
    assert listed[0]["overdue"] is True and listed[1]["overdue"] is False
    url = f"/api/v1/escalations/{opened.json['id']}/answer"
    refused = consultant.post(url, json={"answer": "Switch Input Signal Plus off for HDMI 3."})
    assert refused.status_code == 403 and refused.json["error"] == "forbidden"  # only the engineer answers
    answer = engineer.post(url, json={"answer": "Switch Input Signal Plus off for HDMI 3."})
    assert answer.status_code == 200 and answer.json["status"] == "answered"
    assert answer.json["answered_by"] == "engineer1"  # the signed-in engineer, never a name from the body
    draft_id = answer.json["draft_article_id"]
    draft = services.settings.content_path / "drafts" / f"{draft_id}.md"
    assert "status: draft" in draft.read_text() and "Input Signal Plus" in draft.read_text()
    assert "owner: engineer1" in draft.read_text()
    assert engineer.post(url, json={"answer": "x"}).status_code == 409
    assert engineer.post(url, json={"answer": "x", "answered_by": "someone"}).json["error"] == "unknown_field"
    assert engineer.post("/api/v1/escalations/999/answer", json={"answer": "x"}).status_code == 404
    assert engineer.post(url, json={"answer": " "}).json["error"] == "missing_answer"
    assert consultant.post("/api/v1/escalations", json={"path_id": "nowhere", "question": "q"}).json["error"] == "unknown_path"
    assert consultant.get("/api/v1/escalations?status=lost").json["error"] == "bad_status"


def test_the_answer_becomes_a_draft_writers_can_open(engineer, db_app):
    opened = engineer.post("/api/v1/escalations", json={"path_id": "tech-support-engineer", "question": "Soundbar echo"})
    engineer.post(f"/api/v1/escalations/{opened.json['id']}/answer", json={"answer": "Turn off Auto Volume."})
    draft_id = f"esc-{opened.json['id']}-answer"
    source = signed_in(db_app, "writer").get(f"/api/v1/articles/{draft_id}/source").json
    assert source["status"] == "draft" and source["author"] == "engineer1" and "Auto Volume" in source["text"]
    engine = services_of(db_app).engine
    assert engine.article(draft_id) is None and engine.article(draft_id, include_unpublished=True)  # not live


def test_followups_after_answers(consultant, engineer, db_app):
    opened = consultant.post("/api/v1/escalations", json={"path_id": "repair-service-centre", "question": "drum"}).json
    engineer.post(f"/api/v1/escalations/{opened['id']}/answer", json={"answer": "Repaired: bearing"})
    in3 = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert consultant.get("/api/v1/followups?due=today").json["followups"] == []
    (due,) = consultant.get(f"/api/v1/followups?due={in3}").json["followups"]
    assert due["kind"] == "repair-callback" and due["due_date"] == in3
    assert consultant.post(f"/api/v1/followups/{due['id']}/done", json={"note": "works"}).status_code == 200
    assert consultant.get(f"/api/v1/followups?due={in3}").json["followups"] == []
    assert consultant.post(f"/api/v1/followups/{due['id']}/done", json={}).status_code == 404
    assert consultant.post(f"/api/v1/followups/{due['id']}/done").status_code == 404  # the body is optional
    assert consultant.get("/api/v1/followups?due=someday").json["error"] == "bad_due"
    (done,) = rows(db_app, followups)
    assert done["status"] == "done" and done["note"] == "works"
    (answered,) = rows(db_app, escalations)
    assert answered["answered_by"] == "engineer1"


def test_usage_is_recorded(consultant, db_app):
    for action in ("used", "copied", "opened"):
        assert consultant.post("/api/v1/usage", json={"article_id": "tv-wifi-drops", "action": action}).status_code == 201
    assert consultant.post("/api/v1/usage", json={"article_id": "tv-wifi-drops", "action": "ate"}).json["error"] == "bad_action"
    assert consultant.post("/api/v1/usage", json={"article_id": "nope"}).status_code == 404
