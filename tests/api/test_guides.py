"""Guided troubleshooting through the API on a real database (SQLite, and PostgreSQL when one is set): the steps
and branches, a run from start to outcome, the escalation with the steps already tried, and the insights table."""

import pytest
from sqlalchemy import select

from services.db.schema import escalations, guide_runs
from tests.support import services_of, signed_in

PATH_TO_ESCALATION = [[1, "next"], [2, "choice:1"], [4, "not_fixed"], [5, "not_fixed"]]


@pytest.fixture()
def consultant(db_app):
    return signed_in(db_app, "consultant")


def start(client, **body):
    response = client.post("/api/v1/guides/ww90t-not-draining/runs", json=body)
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_the_guide_of_a_branching_article(app):
    data = signed_in(app, "consultant").get("/api/v1/guides/ww90t-not-draining").json
    steps = data["steps"]
    assert [s["not_fixed"] for s in steps] == [2, 3, 4, 5, "escalate"]
    assert steps[1]["choices"] == [{"condition": "no water comes out of the emergency hose", "goto": 4,
                                    "not_fixed": False}]
    assert steps[4]["choices"][0]["goto"] == "escalate" and "If the display" not in steps[4]["text"]
    assert data["escalation"]["id"] == "repair-service-centre"
    plain = signed_in(app, "consultant").get("/api/v1/guides/tv-wifi-drops").json
    assert plain["escalation"]["id"] == "tech-support-engineer"  # no path of its own: the engineer
    assert signed_in(app, "consultant").get("/api/v1/guides/warranty-policy").json["error"] == "no_steps"


def test_a_run_ends_where_the_call_was_fixed(consultant, db_app):
    run = start(consultant, product="WW90T554DAW", error_code="5C")
    moved = consultant.post(f"/api/v1/guide-runs/{run}", json={"path": [[1, "next"]], "step": 2}).json
    assert moved["step"] == 2 and moved["outcome"] is None
    done = consultant.post(f"/api/v1/guide-runs/{run}/finish",
                           json={"outcome": "resolved", "path": [[1, "next"], [2, "not_fixed"], [3, "fixed"]],
                                 "step": 3})
    assert done.status_code == 200 and done.json["outcome"] == "resolved" and done.json["step"] == 3
    again = consultant.post(f"/api/v1/guide-runs/{run}/finish", json={"outcome": "left", "path": [], "step": 1})
    assert again.status_code == 409 and again.json["error"] == "run_finished"


def test_an_escalated_run_opens_the_escalation_with_the_steps_already_tried(consultant, db_app):
    run = start(consultant, product="WW90T554DAW", error_code="5C")
    done = consultant.post(f"/api/v1/guide-runs/{run}/finish",
                           json={"outcome": "escalated", "path": PATH_TO_ESCALATION, "step": 5}).json
    escalation = done["escalation"]
    assert escalation["path_id"] == "repair-service-centre" and done["escalation_id"] == escalation["id"]
    assert escalation["question"] == "Washing machine will not drain and shows 5C — WW90T554DAW 5C"
    assert escalation["steps_tried"].split("\n") == [
        "1. Switch the machine off and unplug it. — step done",
        "2. Open the small flap at the bottom front and drain the water with the emergency hose into a shallow tray. "
        "— no water comes out of the emergency hose",
        "4. Check the drain hose behind the machine is not kinked or pushed too far into the standpipe. — did not fix it",
        "5. Run Rinse + Spin to test. — did not fix it"]
    engineer = signed_in(db_app, "engineer")
    assert engineer.get("/api/v1/escalations?status=open").json["escalations"][0]["steps_tried"].startswith("1. Switch")
    assert "1. Switch the machine off" in engineer.get("/followups").get_data(as_text=True)
    # what the consultant wrote wins over the generated text
    run = start(consultant)
    own = consultant.post(f"/api/v1/guide-runs/{run}/finish", json={
        "outcome": "escalated", "path": [[1, "not_fixed"]], "step": 2, "steps_tried": "Tried it all", "question": "Q"})
    assert own.json["escalation"]["steps_tried"] == "Tried it all"
    with services_of(db_app).database.connect() as conn:
        assert len(conn.execute(select(escalations)).all()) == 2


@pytest.mark.parametrize("body, code", [
    ({"path": [[9, "next"]], "step": 1}, "bad_path"), ({"path": [[2, "choice:2"]], "step": 1}, "bad_path"),
    ({"path": [[1, "maybe"]], "step": 1}, "bad_path"), ({"path": "1,2", "step": 1}, "bad_path"),
    ({"path": [], "step": 6}, "bad_step"), ({"path": []}, "missing_step"),
])
def test_bad_moves_are_400s(app, body, code):
    client = signed_in(app, "consultant")
    response = client.post(f"/api/v1/guide-runs/{start(client)}", json=body)
    assert response.status_code == 400 and response.json["error"] == code


def test_insights_show_the_fixing_step_and_where_calls_leave(db_app):
    consultant, lead = signed_in(db_app, "consultant"), signed_in(db_app, "team-lead")
    for path, step, outcome in [([[1, "next"], [2, "not_fixed"], [3, "fixed"]], 3, "resolved"),
                                ([[1, "next"], [2, "not_fixed"], [3, "fixed"]], 3, "resolved"),
                                ([[1, "fixed"]], 1, "resolved"), ([[1, "next"]], 2, "left")]:
        consultant.post(f"/api/v1/guide-runs/{start(consultant)}/finish",
                        json={"path": path, "step": step, "outcome": outcome})
    consultant.post(f"/api/v1/guide-runs/{start(consultant)}", json={"path": [[1, "next"]], "step": 2})  # hung up
    (row,) = lead.get("/api/v1/analytics/guides").json["articles"]
    assert (row["runs"], row["resolved"], row["left"]) == (5, 3, 2)
    assert row["fixes_most_at"] == {"step": 3, "calls": 2} and row["drop_out_at"] == {"step": 2, "calls": 2}
    assert row["by_step"]["1"]["reached"] == 5
    page = lead.get("/insights").get_data(as_text=True)
    assert "step 3 of 5 (2 calls)" in page and "step 2 (2 calls)" in page
    with services_of(db_app).database.connect() as conn:
        assert conn.execute(select(guide_runs.c.username).limit(1)).scalar() == "consultant1"
