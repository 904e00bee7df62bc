"""Search and assist events written by a background thread: logging never blocks or breaks a response.

When the database is down, events are dropped and counted (``dropped``), and search goes on.
"""

import json
import logging
import os
import queue
import threading
import time

from sqlalchemy import insert

from services.db.schema import search_events

log = logging.getLogger(__name__)


class EventLog:
    """A bounded queue drained into ``search_events`` in batches."""

    def __init__(self, database, maxsize=10_000):
        self.database = database
        self.queue = queue.Queue(maxsize=maxsize)
        self.dropped = 0
        self.written = 0
        self._pid = None
        self._ensure_thread()

    def _ensure_thread(self):
        # per process: a gunicorn worker forked from the master does not inherit the master's thread
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self.queue = queue.Queue(maxsize=self.queue.maxsize)
            threading.Thread(target=self._run, name="kb-eventlog", daemon=True).start()

    def log(self, kind, query, now, filters=None, results=(), top_confidence=None, contact_id=None, used_article=None):
        """Queue one event; never blocks (a full queue drops the event)."""
        row = {"kind": kind, "query": query[:1000], "filters": json.dumps(filters or {}), "hits": len(results),
               "results": json.dumps(list(results)[:10]), "top_confidence": top_confidence, "contact_id": contact_id,
               "used_article": used_article, "created_at": now}
        self._ensure_thread()
        try:
            self.queue.put_nowait(row)
        except queue.Full:
            self.dropped += 1

    def _run(self):
        while True:
            batch = [self.queue.get()]
            while len(batch) < 200:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            try:
                with self.database.begin() as conn:
                    conn.execute(insert(search_events), batch)
                self.written += len(batch)
            except Exception as exc:  # a database that is down degrades logging, never search
                self.dropped += len(batch)
                log.warning("dropped %d search events: %s", len(batch), exc)
            finally:
                for _ in batch:
                    self.queue.task_done()

    def flush(self, timeout=None):
        """Wait until every queued event is written or dropped (for tests and shutdown); with ``timeout`` (seconds)
        give up after it; return whether the queue is empty."""
        if timeout is None:
            self.queue.join()
            return True
        deadline = time.monotonic() + timeout
        with self.queue.all_tasks_done:
            while self.queue.unfinished_tasks and time.monotonic() < deadline:
                self.queue.all_tasks_done.wait(max(0.0, deadline - time.monotonic()))
            return not self.queue.unfinished_tasks
