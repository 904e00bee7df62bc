"""Keeps this replica's content folder and index in step with the database, the one source of truth.

With PostgreSQL every committed content change sends ``NOTIFY kb_content_changes`` in its own transaction (see
``services.publisher.record_change``); each replica runs one background thread that ``LISTEN``s on the channel
and applies pending changes when told, plus a catch-up every ``KB_SYNC_INTERVAL`` seconds for notifications lost
while it was disconnected or down. With SQLite (one machine) the thread only polls. The thread never raises: a
database that goes away is reconnected to, and what it missed is caught up from the ``content_changes`` log.

>>> sync = Replication(database, publisher, interval=30)     # doctest: +SKIP
>>> sync.start()                                           # doctest: +SKIP
"""

import logging
import os
import threading
import time

log = logging.getLogger(__name__)
CHANNEL = "kb_content_changes"
WAKE_SECONDS = 1.0  # how often a waiting thread looks at its stop flag
RECONNECT_SECONDS = (1, 2, 5)
PING_SECONDS = 5


def notify_sql():
    """The statement that tells every listening replica a change was committed (sent at commit, never before)."""
    return f"NOTIFY {CHANNEL}"


class Replication:
    """One background thread per process that applies committed content changes: on notification (PostgreSQL) and
    every ``interval`` seconds (any database). ``start()`` is idempotent and fork-aware: a forked worker starts its
    own thread; ``stop()`` ends it."""

    def __init__(self, database, publisher, interval):
        self.database, self.publisher, self.interval = database, publisher, interval
        self._thread, self._pid, self._stop = None, None, threading.Event()
        self.listening = False
        self.notifications = 0
        self.backend_pid = None  # of the listening connection (PostgreSQL), for monitoring and the tests

    @property
    def postgres(self):
        """Whether the database can notify (PostgreSQL); SQLite is only polled."""
        return self.database.url.startswith("postgresql")

    def start(self):
        """Start the thread of this process (nothing when ``interval`` is 0 or it already runs here)."""
        if self.interval <= 0 or (self._pid == os.getpid() and self._thread and self._thread.is_alive()):
            return self
        self._pid, self._stop = os.getpid(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="kb-replication", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout=5):
        """Ask the thread to end and wait for it."""
        self._stop.set()
        if self._thread is not None and self._pid == os.getpid():
            self._thread.join(timeout)

    def catch_up(self):
        """Apply whatever is pending; never raises (the publisher retries and records its last error)."""
        try:
            applied = self.publisher.apply_pending()
            self.publisher.engine.refresh()  # another worker of this replica may have applied it: show it here too
            return applied
        except Exception as exc:  # noqa: BLE001 - a background thread must survive anything; say why
            log.warning("catch-up failed (%s); trying again in %s s", exc, self.interval)
            return False

    def _run(self):
        attempt = 0
        while not self._stop.is_set():
            if not self.postgres:
                self.catch_up()
                self._stop.wait(self.interval)
                continue
            try:
                self._listen()
                attempt = 0
            except Exception as exc:  # noqa: BLE001 - the database went away: reconnect, catch up, go on
                self.listening = False
                delay = RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)]
                attempt += 1
                log.warning("replication listener lost the database (%s); reconnecting in %s s", exc, delay)
                self._stop.wait(delay)

    def _listen(self):
        import psycopg

        with psycopg.connect(_dsn(self.database.url), autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self.backend_pid, self.listening = conn.info.backend_pid, True
            self.catch_up()  # changes committed before LISTEN took effect, or while disconnected
            last = pinged = time.monotonic()
            while not self._stop.is_set():
                notified = False
                for _ in conn.notifies(timeout=WAKE_SECONDS, stop_after=1):
                    notified = True
                if conn.closed or conn.broken:
                    raise ConnectionError("listener connection closed")
                if notified or time.monotonic() - last >= self.interval:
                    self.notifications += notified
                    self.catch_up()
                    last = time.monotonic()
                elif time.monotonic() - pinged >= PING_SECONDS:
                    conn.execute("SELECT 1")  # notices a server that went away while nothing was said
                    pinged = time.monotonic()
        self.listening = False


def _dsn(url):
    """A libpq URI from an SQLAlchemy URL (``postgresql+psycopg://`` -> ``postgresql://``)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
