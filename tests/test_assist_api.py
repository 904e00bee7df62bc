"""The assist, feedback, escalation, follow-up and analytics API on a real database: SQLite always, and
PostgreSQL whenever one is reachable (``.ci/run`` starts one; elsewhere those tests are skipped, saying why)."""

import datetime as dt
import os
import random

import pytest
from sqlalchemy import create_engine, insert, select, text

from assist_api.db import Database, repo
from assist_api.db.schema import contacts, escalations, feedback, metadata, review_tasks, search_events, suggestions

POSTGRES_URL = os.environ.get("KB_TEST_POSTGRES_URL", "postgresql+psycopg://kb:kb@127.0.0.1:5432/kb_test")


def postgres_or_skip():
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2})
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} ({type(exc).__name__}); run scripts/start_postgres.sh")
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def db_app(request, app_factory):
    url = postgres_or_skip() if request.param == "postgresql" else None
    app = app_factory(database_url=url)
    yield app
    app.extensions["kb_services"].events.flush()
    app.extensions["kb_services"].database.dispose()


@pytest.fixture()
def db_client(db_app):
    return db_app.test_client()


def database(app):
    return app.extensions["kb_services"].database


def rows(app, table):
    with database(app).engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table)).mappings()]


def test_migrations_match_the_schema_module(db_app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with database(db_app).engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if d[0] not in ("remove_index", "add_index")] == []


def test_assist_stores_the_contact_and_its_suggestions(db_client, db_app):
    response = db_client.post("/api/v1/assist", json={
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
    db_app.extensions["kb_services"].events.flush()
    assert [e["kind"] for e in rows(db_app, search_events)] == ["assist"]


@pytest.mark.parametrize("body, code", [
    (None, "bad_json"), ([1, 2], "bad_json"), ({"body": 5}, "bad_body"), ({"subject": "", "body": ""}, "empty_contact"),
    ({"body": "x", "channel": "pigeon"}, "bad_channel"), ({"body": "x", "surprise": 1}, "unknown_field"),
    ({"body": "x", "product": "ZZ9"}, "unknown_product"),
])
def test_bad_assist_input_is_a_json_400_and_writes_nothing(db_client, db_app, body, code):
    response = db_client.post("/api/v1/assist", json=body) if body is not None else db_client.post(
        "/api/v1/assist", data="not json", content_type="text/plain")
    assert response.status_code == 400 and response.json["error"] == code
    assert rows(db_app, contacts) == [] and rows(db_app, suggestions) == []


def test_feedback_and_flags_create_review_tasks(db_client, db_app):
    db_client.post("/api/v1/assist", json={"body": "TV has no sound", "contact_id": "C-9"})
    ok = db_client.post("/api/v1/feedback", json={"article_id": "qn90d-no-sound", "helpful": True, "contact_id": "C-9"})
    assert ok.status_code == 201 and ok.json["review_task_id"] is None
    flag = db_client.post("/api/v1/feedback", json={"article_id": "ww90t-not-draining", "helpful": False,
                                                     "flag": "outdated", "comment": "filter is on the left now"})
    assert flag.status_code == 201
    (task,) = rows(db_app, review_tasks)
    assert task["article_id"] == "ww90t-not-draining" and task["owner"] == "anna.kowalska"
    assert "outdated" in task["reason"] and "filter is on the left" in task["reason"]
    for bad, code in (({"article_id": "nope", "helpful": True}, "unknown_article"),
                      ({"article_id": "qn90d-no-sound"}, "missing_helpful"),
                      ({"article_id": "qn90d-no-sound", "helpful": "yes"}, "bad_helpful"),
                      ({"article_id": "qn90d-no-sound", "helpful": False, "flag": "ugly"}, "bad_flag")):
        response = db_client.post("/api/v1/feedback", json=bad)
        assert response.status_code in (400, 404) and response.json["error"] == code
    assert len(rows(db_app, feedback)) == 2  # the refused ones wrote nothing


def test_escalations_due_times_overdue_first_and_answers(db_client, db_app):
    opened = db_client.post("/api/v1/escalations", json={"path_id": "tech-support-engineer",
                                                          "question": "QN90D flickers on HDMI 3 with a PS5"})
    assert opened.status_code == 201
    created = dt.datetime.fromisoformat(opened.json["created_at"])
    assert dt.datetime.fromisoformat(opened.json["due_at"]) - created == dt.timedelta(hours=24)
    with database(db_app).engine.begin() as conn:  # one opened three days ago is overdue
        path = db_app.extensions["kb_engine"].version.escalation["repair-service-centre"]
        repo.open_escalation(conn, path, "old", "drum noise", repo.utcnow() - dt.timedelta(days=3))
    listed = db_client.get("/api/v1/escalations?status=open").json["escalations"]
    assert [e["question"] for e in listed] == ["drum noise", "QN90D flickers on HDMI 3 with a PS5"]
    assert listed[0]["overdue"] is True and listed[1]["overdue"] is False
    answer = db_client.post(f"/api/v1/escalations/{opened.json['id']}/answer",
                            json={"answer": "Switch Input Signal Plus off for HDMI 3.", "answered_by": "eng.kim"})
    assert answer.status_code == 200 and answer.json["status"] == "answered"
    draft_id = answer.json["draft_article_id"]
    draft = db_app.extensions["kb_services"].settings.content_path / "drafts" / f"{draft_id}.md"
    assert "status: draft" in draft.read_text() and "Input Signal Plus" in draft.read_text()
    again = db_client.post(f"/api/v1/escalations/{opened.json['id']}/answer", json={"answer": "x", "answered_by": "y"})
    assert again.status_code == 409
    assert db_client.post("/api/v1/escalations/999/answer", json={"answer": "x", "answered_by": "y"}).status_code == 404
    assert db_client.post("/api/v1/escalations", json={"path_id": "nowhere", "question": "q"}).json["error"] == "unknown_path"


def test_followups_after_answers(db_client, db_app):
    opened = db_client.post("/api/v1/escalations", json={"path_id": "repair-service-centre", "question": "drum"}).json
    db_client.post(f"/api/v1/escalations/{opened['id']}/answer", json={"answer": "Repaired: bearing", "answered_by": "sc"})
    in3 = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert db_client.get("/api/v1/followups?due=today").json["followups"] == []
    (due,) = db_client.get(f"/api/v1/followups?due={in3}").json["followups"]
    assert due["kind"] == "repair-callback" and due["due_date"] == in3
    assert db_client.post(f"/api/v1/followups/{due['id']}/done", json={"note": "works"}).status_code == 200
    assert db_client.get(f"/api/v1/followups?due={in3}").json["followups"] == []
    assert db_client.post(f"/api/v1/followups/{due['id']}/done", json={}).status_code == 404
    assert db_client.get("/api/v1/followups?due=someday").json["error"] == "bad_due"


def seed_history(app, seed=7, weeks=6, spike_topic="washing-machine/troubleshooting"):
    """Contacts over six weeks with a steady background and one topic that triples in the last week."""
    rng = random.Random(seed)
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    topics = {"washing-machine/troubleshooting": 12, "tv/troubleshooting": 15, "orders/order": 10}
    batch = []
    for week in range(weeks):
        start = monday - dt.timedelta(weeks=weeks - 1 - week)
        for topic, base in topics.items():
            n = base * 3 if (week == weeks - 1 and topic == spike_topic) else base + rng.randint(-2, 2)
            for _ in range(n):
                when = dt.datetime.combine(start, dt.time(9)) + dt.timedelta(hours=rng.randint(0, 4 * 24))
                area, intent = topic.split("/")
                batch.append({"channel": "phone", "customer_type": "consumer", "lang": "en", "intent": intent,
                              "category": "customer-service" if intent == "order" else "technical-service",
                              "topic": topic, "products": "[]", "subject": "", "created_at": min(when, dt.datetime.combine(today, dt.time(8))),
                              "top_confidence": 0.2 if topic == spike_topic else 0.9,
                              "top_article": "ww90t-not-draining" if area == "washing-machine" else "tv-wifi-drops"})
    with database(app).engine.begin() as conn:
        conn.execute(insert(contacts), batch)
        conn.execute(insert(search_events), [
            {"kind": "search", "query": q, "filters": "{}", "results": "[]", "hits": h, "top_confidence": c,
             "created_at": dt.datetime.combine(today, dt.time(7))}
            for q, h, c in [("drum noise", 3, 0.9)] * 5 + [("hinge kit", 0, None)] * 3 + [("zebra lines", 2, 0.1)] * 2])
    return monday


def test_analytics_and_spike_detection_on_generated_history(db_client, db_app):
    monday = seed_history(db_app)
    spikes = db_client.get(f"/api/v1/analytics/spikes?week={monday.isoformat()}").json
    top = spikes["topics"][0]
    assert top["topic"] == "washing-machine/troubleshooting" and top["spike"] is True
    assert top["covered"] is False and top["count"] == 36
    assert [t["topic"] for t in spikes["topics"] if t["spike"]] == ["washing-machine/troubleshooting"]
    per_week = db_client.get("/api/v1/analytics/contacts").json
    assert per_week["by_intent"]["troubleshooting"][-1] == 36 + 15 or per_week["by_intent"]["troubleshooting"][-1] > 40
    queries = db_client.get("/api/v1/analytics/top-queries").json["queries"]
    assert queries[0] == {"query": "drum noise", "count": 5}
    gaps = {g["query"] for g in db_client.get("/api/v1/analytics/content-gaps").json["gaps"]}
    assert gaps == {"hinge kit", "zebra lines"}
    assert db_client.get("/api/v1/analytics/contacts?from=2026-13-01").json["error"] == "bad_date"


def test_usage_and_article_stats(db_client):
    for action in ("used", "copied", "used"):
        assert db_client.post("/api/v1/usage", json={"article_id": "tv-wifi-drops", "action": action}).status_code == 201
    db_client.post("/api/v1/feedback", json={"article_id": "tv-wifi-drops", "helpful": False})
    (stats,) = db_client.get("/api/v1/analytics/articles").json["articles"]
    assert stats == {"article_id": "tv-wifi-drops", "used": 3, "helpful": 0, "not_helpful": 1, "flagged": 0,
                     "helpful_share": 0.0}
    assert db_client.post("/api/v1/usage", json={"article_id": "tv-wifi-drops", "action": "ate"}).status_code == 400


def test_a_database_that_is_down_degrades_logging_never_search(app_factory):
    app = app_factory(database_url="postgresql+psycopg://nobody:x@127.0.0.1:1/none")
    client = app.test_client()
    assert client.get("/api/v1/search?q=tv+no+sound").status_code == 200
    assisted = client.post("/api/v1/assist", json={"body": "TV has no sound"})
    assert assisted.status_code == 200 and assisted.json["stored"] is False
    down = client.post("/api/v1/feedback", json={"article_id": "tv-wifi-drops", "helpful": True})
    assert down.status_code == 503 and down.json["error"] == "database_unavailable"


def test_search_events_are_logged_in_the_background(db_client, db_app):
    db_client.get("/api/v1/search?q=washing+machine+drain")
    db_app.extensions["kb_services"].events.flush()
    (event,) = rows(db_app, search_events)
    assert event["kind"] == "search" and event["hits"] > 0 and event["top_confidence"] > 0.5


def test_postgres_schema_via_database_class():
    url = postgres_or_skip()
    db = Database(url).migrate()
    assert {"contacts", "escalations", "followups", "feedback"} <= db.tables()
    db.dispose()
