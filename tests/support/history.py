"""Generated contact history for the analytics tests and the insights page (a fixed random seed).

>>> monday = seed_history(database)       # doctest: +SKIP
"""

import datetime as dt
import random

from sqlalchemy import insert

SPIKE_TOPIC = "washing-machine/troubleshooting"


def seed_history(database, seed=7, weeks=6, spike_topic=SPIKE_TOPIC):
    """Contacts over six weeks with a steady background and one topic that triples in the last week, plus a few
    searches (two of them content gaps); returns the Monday of the last week."""
    from services.db.schema import contacts, search_events

    rng = random.Random(seed)
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    topics = {SPIKE_TOPIC: 12, "tv/troubleshooting": 15, "orders/order": 10}
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
                              "topic": topic, "products": "[]", "subject": "",
                              "created_at": min(when, dt.datetime.combine(today, dt.time(8))),
                              "top_confidence": 0.2 if topic == spike_topic else 0.9,
                              "top_article": "ww90t-not-draining" if area == "washing-machine" else "tv-wifi-drops"})
    searches = [("drum noise", 3, 0.9)] * 5 + [("hinge kit", 0, None)] * 3 + [("zebra lines", 2, 0.1)] * 2
    with database.begin() as conn:
        conn.execute(insert(contacts), batch)
        conn.execute(insert(search_events), [
            {"kind": "search", "query": q, "filters": "{}", "results": "[]", "hits": h, "top_confidence": c,
             "created_at": dt.datetime.combine(today, dt.time(7))} for q, h, c in searches])
    return monday


def seed_guided_history(services, runs, prefix):
    """Guided runs of the Wi-Fi article (``(path, step, outcome)`` each) and three contacts that used it, of
    which two were not fixed: what the team lead's guided and rewrite-first tables read."""
    from kb.assist.assistant import AssistRequest

    for path, step, outcome in runs:
        run = services.guides.start("tv-wifi-drops", "consultant1")
        services.guides.finish(run["id"], outcome, path, step)
    for i in range(3):
        contact = f"{prefix}{i}"
        services.contacts.assist(AssistRequest(body="My TV keeps losing its wifi", contact_id=contact), f"{prefix}c{i}")
        services.contacts.usage("tv-wifi-drops", "used", contact)
        services.learning.followup_answer(contact, "solved" if i == 0 else "not-solved")
