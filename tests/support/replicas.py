"""Several replicas on one machine standing in for several machines: gunicorn processes on 127.0.0.1, each with its
own copy of the content folder and index store (as if on its own disk), all on one PostgreSQL schema and one
secret key. Used by ``tests/web/test_replicas.py`` (quick form) and ``bench/replica_bench.py`` (full form).

>>> cluster = Cluster(FIXTURE_KB, tmp, indexes, postgres_url(), count=2).start()     # doctest: +SKIP
>>> cluster.replicas[0].call("GET", "/api/v1/ready")                                  # doctest: +SKIP
(200, {...})
"""

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

from services.accounts import create_token, create_user
from services.db import Database
from tests.support.gunicorn import Gunicorn

SECRET = "replica-test-secret-shared-by-all-replicas"


class Replica:
    """One replica: its folders and its gunicorn (restartable, as after a crash)."""

    def __init__(self, name, content, index, folder, database_url, sync_interval, workers=1):
        self.name, self.content, self.index, self.folder = name, content, index, Path(folder)
        self.env = {"KB_DATABASE_URL": database_url, "KB_SYNC_INTERVAL": str(sync_interval), "KB_SECRET_KEY": SECRET}
        self.workers, self.server, self.starts = workers, None, 0

    def start(self):
        """Start (or restart) the gunicorn of this replica and wait for its health answer."""
        self.starts += 1
        self.server = Gunicorn(self.content, self.index, self.folder / f"run-{self.starts}", workers=self.workers,
                               extra_env=self.env).start()
        return self

    def kill(self):
        """SIGKILL the master and its workers: no cleanup, as a power cut."""
        self.server.kill()

    def call(self, method, path, body=None, token=None, timeout=30):
        """``(status, JSON body)`` of one request."""
        request = urllib.request.Request(self.server.url + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Content-Type": "application/json"})
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def finds(self, query, article_id, token):
        """Whether a lexical search for ``query`` on this replica lists ``article_id``."""
        status, data = self.call("GET", f"/api/v1/search?q={query}&mode=lexical&log=0", token=token)
        return status == 200 and any(h["article_id"] == article_id for h in data["hits"])

    def wait_for(self, query, article_id, token, timeout):
        """Seconds until ``query`` finds ``article_id`` here, or None after ``timeout``."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.finds(query, article_id, token):
                return time.monotonic() - started
            time.sleep(0.02)
        return None


class Cluster:
    """``count`` replicas of ``content`` over one PostgreSQL URL, with ``writers`` writer tokens and a reviewer."""

    def __init__(self, content, folder, indexes, database_url, count=2, sync_interval=5, writers=20, workers=1):
        self.folder, self.database = Path(folder), Database(database_url)
        self.replicas = []
        for n in range(count):
            name = "abcdefgh"[n]
            content_dir, index_dir = indexes.workspace(content, self.folder / name)
            self.replicas.append(Replica(name, content_dir, index_dir, self.folder / name, database_url,
                                         sync_interval, workers))
        self.database.migrate()
        with self.database.begin() as conn:
            self.reviewer = create_token(conn, create_user(conn, "replica-reviewer", "a long password 1",
                                                           "reviewer"), "t")[1]
            self.writers = [create_token(conn, create_user(conn, f"replica-writer-{n}", "a long password 1",
                                                           "writer"), "t")[1] for n in range(writers)]

    def start(self):
        """Start every replica."""
        for replica in self.replicas:
            replica.start()
        return self

    def stop(self):
        """Kill every replica and close the pool."""
        for replica in self.replicas:
            if replica.server is not None:
                replica.kill()
        self.database.dispose()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
