"""Forty writers saving the same version at once: one save wins, every other gets 409 with both texts; none gets a
500 (the UNIQUE constraint's IntegrityError) or a 503 (SQLite's lock), and no edit is lost silently."""

import threading

from sqlalchemy import select

from services.accounts import create_token, create_user
from services.db.schema import article_versions
from tests.support import bearer, services_of

TEXT = """---
id: tv-wifi-drops
title: TV loses Wi-Fi
type: troubleshooting
products: [QN90D*]
categories: [tv]
---

## Answer

Edit number {n}: move the router, or use a cable. Keyword: okapiconcurrent{n}.
"""


def test_forty_concurrent_saves_of_one_version_give_one_success_and_39_conflicts(db_app):
    client = db_app.test_client()
    base = client.get("/api/v1/articles/tv-wifi-drops/source", headers=bearer(db_app, "writer")).json["version"]
    with services_of(db_app).database.begin() as conn:  # forty people: your own second save is never a conflict
        tokens = [create_token(conn, create_user(conn, f"concurrent-writer-{n}", "a long password 1", "writer"), "t")[1]
                  for n in range(40)]
    start, results = threading.Barrier(40), [None] * 40

    def put(n):
        start.wait()
        response = db_app.test_client().put("/api/v1/articles/tv-wifi-drops",
                                            json={"text": TEXT.format(n=n), "base_version": base},
                                            headers={"Authorization": f"Bearer {tokens[n]}"})
        results[n] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=put, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * 39, statuses
    conflicts = [body for status, body in results if status == 409]
    assert all(b["error"] == "conflict" and b["latest_version"] == base + 1 and "okapiconcurrent" in b["your_text"]
               and "okapiconcurrent" in b["latest_text"] for b in conflicts)
    with services_of(db_app).database.connect() as conn:
        versions = conn.execute(select(article_versions.c.version).where(
            article_versions.c.article_id == "tv-wifi-drops")).scalars().all()
    assert sorted(versions) == list(range(1, base + 2))
