"""Analytics for the team lead on generated history (a fixed seed), on SQLite and PostgreSQL."""

import pytest

from tests.support import SPIKE_TOPIC, seed_history, services_of, signed_in


@pytest.fixture()
def lead(db_app):
    return signed_in(db_app, "team-lead")


def test_analytics_and_spike_detection_on_generated_history(lead, db_app):
    monday = seed_history(services_of(db_app).database)
    spikes = lead.get(f"/api/v1/analytics/spikes?week={monday.isoformat()}").json
    top = spikes["topics"][0]
    assert top["topic"] == SPIKE_TOPIC and top["spike"] is True
    assert top["covered"] is False and top["count"] == 36
    assert [t["topic"] for t in spikes["topics"] if t["spike"]] == [SPIKE_TOPIC]
    per_week = lead.get("/api/v1/analytics/contacts").json
    assert per_week["by_intent"]["troubleshooting"][-1] >= 36 + 13  # the spike plus this week's TV contacts
    assert lead.get("/api/v1/analytics/contacts?category=marketing").json["by_intent"] == {}
    queries = lead.get("/api/v1/analytics/top-queries").json["queries"]
    assert queries[0] == {"query": "drum noise", "count": 5}
    gaps = {g["query"] for g in lead.get("/api/v1/analytics/content-gaps").json["gaps"]}
    assert gaps == {"hinge kit", "zebra lines"}


@pytest.mark.parametrize("url, code", [
    ("/api/v1/analytics/contacts?from=2026-13-01", "bad_date"),
    ("/api/v1/analytics/contacts?from=2026-02-01&to=2026-01-01", "bad_date"),
    ("/api/v1/analytics/spikes?week=someday", "bad_date"),
    ("/api/v1/analytics/contacts?category=cars", "bad_category"),
    ("/api/v1/analytics/top-queries?limit=0", "bad_limit"),
])
def test_bad_ranges_and_filters_are_400(app, url, code):
    response = signed_in(app, "team-lead").get(url)
    assert response.status_code == 400 and response.json["error"] == code


def test_usage_and_article_stats(db_app):
    consultant = signed_in(db_app, "consultant")
    for action in ("used", "copied", "used"):
        assert consultant.post("/api/v1/usage", json={"article_id": "tv-wifi-drops", "action": action}).status_code == 201
    consultant.post("/api/v1/feedback", json={"article_id": "tv-wifi-drops", "helpful": False})
    (stats,) = signed_in(db_app, "team-lead").get("/api/v1/analytics/articles").json["articles"]
    assert stats == {"article_id": "tv-wifi-drops", "used": 3, "helpful": 0, "not_helpful": 1, "flagged": 0,
                     "helpful_share": 0.0}
