"""Ranking that learns from use, through the API on a real database: what consultants use moves an article up with
a reason in "why this result", the setting turns it off, and repeat contacts and "not fixed" follow-up calls put an
article on the rewrite-first list."""

import datetime as dt

from sqlalchemy import insert, select

from services.db import repo
from services.db.schema import contacts, followups
from tests.support import services_of, signed_in

QUERY = "washer not working"


def ranked(client, query=QUERY, explain=False):
    return client.get("/api/v1/search", query_string={"q": query, "explain": "1" if explain else "0"}).json["hits"]


def consultants_use(app, article, times):
    """Consultants search and use the same article ``times`` times; the numbers are then refreshed."""
    client = signed_in(app, "consultant")
    for _ in range(times):
        ranked(client)
        client.post("/api/v1/usage", json={"article_id": article, "action": "used", "query": QUERY})
    services = services_of(app)
    services.events.flush()
    return services.learning.refresh()


def test_what_consultants_use_moves_an_article_up_and_says_why(db_app):
    client = signed_in(db_app, "consultant")
    assert [h["article_id"] for h in ranked(client)[:2]] == ["ww90t-not-draining", "ww80t-door-locked"]
    consultants_use(db_app, "ww80t-door-locked", 25)  # shown second, used every time: more than its position earns
    hits = ranked(client, explain=True)
    assert [h["article_id"] for h in hits[:2]] == ["ww80t-door-locked", "ww90t-not-draining"]
    first, second = hits[0]["explanation"], hits[1]["explanation"]
    assert 0 < first["usage_boost"] <= 0.08 and -0.08 <= second["usage_boost"] < 0
    assert first["usage"]["level"] == "query 'not washer work'" and first["usage"]["positive"] == 25
    assert first["usage"]["line"].startswith("learned from use (query 'not washer work'): 25 helpful uses where ")
    # a query the history never saw is left (almost) alone: at most the cap, and the best match stays first
    assert ranked(client, "tv sound")[0]["article_id"] == "qn90d-no-sound"


def test_the_setting_turns_it_off(app_factory):
    app = app_factory(usage_ranking="off")
    consultants_use(app, "ww80t-door-locked", 25)
    hits = ranked(signed_in(app, "consultant"), explain=True)
    assert hits[0]["article_id"] == "ww90t-not-draining" and "usage_boost" not in hits[0]["explanation"]
    assert services_of(app).assistant.usage is None


def test_repeat_contacts_and_not_fixed_followups_put_an_article_on_the_rewrite_first_list(db_app):
    consultant, lead = signed_in(db_app, "consultant"), signed_in(db_app, "team-lead")
    ticket = "My TV keeps losing its wifi connection every evening"
    for i in range(3):
        consultant.post("/api/v1/assist", json={"body": ticket, "contact_id": f"W{i}", "customer_id": f"cust-{i}"})
        consultant.post("/api/v1/usage", json={"article_id": "tv-wifi-drops", "action": "used", "contact_id": f"W{i}"})
    consultant.post("/api/v1/assist", json={"body": ticket, "contact_id": "W0-again", "customer_id": "CUST-0 "})
    assert consultant.post("/api/v1/contacts/W1/followup", json={"answer": "not-solved"}).status_code == 201
    services = services_of(db_app)
    with services.database.begin() as conn:  # a callback due for W2, answered on the follow-ups page
        contact_id = conn.execute(select(contacts.c.id).where(contacts.c.contact_ref == "W2")).scalar()
        followup_id = conn.execute(insert(followups).values(
            contact_id=contact_id, kind="fix-callback", due_date=dt.date.today(), status="due",
            created_at=repo.utcnow())).inserted_primary_key[0]
    page = consultant.post(f"/followups/{followup_id}/done", data={"outcome": "solved"})
    assert page.status_code == 302
    rows = lead.get("/api/v1/analytics/rewrite-first").json["articles"]
    assert rows == [{"article_id": "tv-wifi-drops", "contacts": 3, "fixed": 1, "not_fixed": 1, "repeat": 1,
                     "unknown": 0, "failure_share": 0.667}]
    assert "tv-wifi-drops" in lead.get("/insights").get_data(as_text=True).split("Rewrite first")[1]
    services.events.flush()
    with services.database.connect() as conn:
        _, signals = services.learning.events(conn, repo.utcnow() - dt.timedelta(days=1))
    kinds = sorted(s.kind for s in signals if s.article == "tv-wifi-drops")
    assert kinds == ["fixed", "not_fixed", "repeat", "used", "used", "used"]
    assert {s.position for s in signals if s.article == "tv-wifi-drops"} == {1}  # the assist showed it first


def test_followup_answers_are_checked(app):
    client = signed_in(app, "consultant")
    assert client.post("/api/v1/contacts/NOPE/followup", json={"answer": "solved"}).status_code == 404
    bad = client.post("/api/v1/contacts/NOPE/followup", json={"answer": "great"})
    assert bad.status_code == 400 and bad.json["error"] == "bad_answer"
