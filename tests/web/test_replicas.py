"""Two replicas as on two machines (gunicorn processes, each its own content folder and index store) over one
PostgreSQL: a save on A is searchable on B within 2 s; B killed with SIGKILL while it applies a change catches up
after restart; 20 concurrent saves of one article across the replicas give one winner and 19 conflicts, no lost
edit; search events written through every replica reach the database. The full form with more replicas and
edits is ``bench/replica_bench.py``."""

import concurrent.futures
import time

import pytest
from sqlalchemy import select

from services.db.schema import article_versions, search_events
from tests.support import FIXTURE_KB, postgres_url
from tests.support.replicas import Cluster

pytestmark = pytest.mark.slow

ARTICLE = """---
id: {id}
title: Replica article {n}
type: troubleshooting
products: [QN90D*]
categories: [tv]
---

## Answer

Unplug the TV for a minute, then try again. Keyword: {keyword}.
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, indexes):
    url = postgres_url()
    if url is None:
        pytest.skip("replicas share one PostgreSQL: set KB_TEST_POSTGRES_URL (.ci/run starts one)")
    made = Cluster(FIXTURE_KB, tmp_path_factory.mktemp("replicas"), indexes, url, count=2, sync_interval=30)  # only NOTIFY is fast enough
    with made:
        yield made


def publish(replica, token, article_id, keyword, n=1, base=None):
    body = {"text": ARTICLE.format(id=article_id, n=n, keyword=keyword)}
    if base is None:
        return replica.call("POST", "/api/v1/articles", body, token)
    return replica.call("PUT", f"/api/v1/articles/{article_id}", {**body, "base_version": base}, token)


def test_a_save_on_a_is_searchable_on_b_within_two_seconds(cluster):
    a, b = cluster.replicas
    status, body = publish(a, cluster.reviewer, "tv-replica-one", "okapifirst")
    assert status in (200, 201), body
    assert b.wait_for("okapifirst", "tv-replica-one", cluster.reviewer, timeout=2) is not None
    assert b.call("GET", "/api/v1/ready")[0] == 200


def test_b_killed_while_it_applies_a_change_catches_up_after_restart(cluster):
    a, b = cluster.replicas
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        saving = pool.submit(publish, a, cluster.reviewer, "tv-replica-two", "okapikilled")
        assert wait_for_partial(b.index), "B never started applying A's change"
        b.kill()  # mid-update: its new index version is still a .partial folder
        assert saving.result()[0] in (200, 201)
    current = (b.index / "current").read_text().strip()
    assert (b.index / "versions" / current / "manifest.json").is_file()  # the killed update left the previous version
    for n in range(3):  # and changes committed while B is down
        assert publish(a, cluster.reviewer, f"tv-replica-down-{n}", f"okapidown{n}")[0] in (200, 201)
    b.start()
    deadline = time.monotonic() + 30
    while b.call("GET", "/api/v1/ready")[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    ready = b.call("GET", "/api/v1/ready")[1]
    assert ready["ready"] and ready["applied_change"] == ready["latest_change"], ready
    assert b.finds("okapikilled", "tv-replica-two", cluster.reviewer)
    assert all(b.finds(f"okapidown{n}", f"tv-replica-down-{n}", cluster.reviewer) for n in range(3))


def wait_for_partial(index, timeout=20):
    """Whether a build starts writing a new version in the store ``index`` within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.name.endswith(".partial") for p in (index / "versions").iterdir()):
            return True
        time.sleep(0.005)
    return False


def test_twenty_concurrent_saves_across_replicas_give_one_winner_and_conflicts(cluster):
    a, b = cluster.replicas
    assert publish(a, cluster.reviewer, "tv-replica-race", "okapirace")[0] in (200, 201)
    base = a.call("GET", "/api/v1/articles/tv-replica-race/source", token=cluster.reviewer)[1]["version"]

    def save(n):
        replica = cluster.replicas[n % 2]
        return publish(replica, cluster.writers[n], "tv-replica-race", f"okapiracer{n}", n, base)

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        results = list(pool.map(save, range(20)))
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * 19, statuses
    winner = next(n for n, (status, _) in enumerate(results) if status == 200)
    assert all(f"okapiracer{n}" in body["your_text"] and f"okapiracer{winner}" in body["latest_text"]
               for n, (status, body) in enumerate(results) if status == 409)  # every loser has its text back
    with cluster.database.connect() as conn:
        rows = conn.execute(select(article_versions.c.version, article_versions.c.text).where(
            article_versions.c.article_id == "tv-replica-race").order_by(article_versions.c.version)).all()
    assert [v for v, _ in rows] == list(range(1, base + 2)) and f"okapiracer{winner}" in rows[-1][1]


def test_search_events_written_through_every_replica_reach_the_database(cluster):
    queries = {f"okapievent{replica.name}{n}" for replica in cluster.replicas for n in range(5)}
    for query in sorted(queries):
        replica = cluster.replicas[ord(query[-2]) - ord("a")]
        assert replica.call("GET", f"/api/v1/search?q={query}", token=cluster.reviewer)[0] == 200
    deadline, found = time.monotonic() + 10, set()
    while found != queries and time.monotonic() < deadline:
        with cluster.database.connect() as conn:
            found = set(conn.execute(select(search_events.c.query).where(
                search_events.c.query.like("okapievent%"))).scalars())
        time.sleep(0.2)
    assert found == queries
