"""Brings the content folder and the index up to date with committed article versions ("save, then publish").

A save commits its version and a ``content_changes`` row in one database transaction. Only then does the
publisher write the Markdown file and update the index. If that fails (the index is busy with a build, the disk
is full), the change stays pending and is retried in the background; at start-up every pending change is
applied. Nothing that was refused is ever written: a refused save never reached the database.

The cursor (the last change applied to this content folder and index) is a small file in the index store, written
after the index update; a crash between the two only means the change is applied again, which is harmless.

Several replicas share one PostgreSQL: a change's row is numbered under a transaction-scoped advisory lock, so ids
are handed out in commit order and a replica's cursor never skips a change that commits late; the same transaction
sends ``NOTIFY`` so every replica's ``services.replication`` thread applies it at once. Workers of one replica
share its folders: a file lock next to the cursor lets one of them apply at a time.

>>> publisher = Publisher(database, engine, builder, settings)      # doctest: +SKIP
>>> publisher.apply_pending()                                        # doctest: +SKIP
True
"""

import contextlib
import fcntl
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import func, insert, select

from kb.index.store import IndexStore
from services.db import repo
from services.db.schema import article_versions, content_changes
from services.errors import ServiceError
from services.files import write_text_atomic

log = logging.getLogger(__name__)
CURSOR_FILE = "applied-change"
LOCK_FILE = "applying.lock"
RETRY_SECONDS = (1, 2, 5, 10, 30)
CHANGE_LOCK = 160016  # the advisory lock that orders content changes (PostgreSQL)
DELETED = "deleted"  # status of the version that records a file deleted in git (its text is empty)


def record_change(conn, article_id, version):
    """Log, inside the caller's transaction, that this version's text must reach the folder and the index (and,
    on PostgreSQL, tell every replica when the transaction commits)."""
    postgres = conn.dialect.name == "postgresql"
    if postgres:  # held until commit: the next change's id is taken after this one is visible
        conn.execute(select(func.pg_advisory_xact_lock(CHANGE_LOCK)))
    conn.execute(insert(content_changes).values(article_id=article_id, version=version, created_at=repo.utcnow()))
    if postgres:
        from services.replication import notify_sql

        conn.exec_driver_sql(notify_sql())


def latest_change(conn):
    """Id of the newest committed content change (0 when none)."""
    return conn.execute(select(func.max(content_changes.c.id))).scalar() or 0


class Publisher:
    """Applies pending content changes to one content folder and index store; one at a time per process."""

    def __init__(self, database, engine, builder, settings, folder):
        self.database, self.engine, self.builder, self.settings = database, engine, builder, settings
        self.folder = folder
        self.cursor_path = Path(settings.index_dir) / CURSOR_FILE
        self._lock = threading.Lock()
        self._retrying = False
        self._merging = None  # the background ``python -m indexer merge`` process, while it runs
        self.last_error = None

    def warm(self):
        """Parse the content folder once into the builder (``IndexBuilder.warm``), so that the first update reads
        only what changed (call before the workers fork: they share it)."""
        try:
            self.builder.warm(self.settings.content_dir, self.settings.index_dir)
        except FileNotFoundError as exc:  # no folder yet: the first update says so
            log.warning("content folder not parsed ahead: %s", exc)

    def cursor(self):
        """Id of the last change applied here (0 when none)."""
        try:
            return int(self.cursor_path.read_text("utf-8").strip() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    def pending(self):
        """Changes committed but not yet applied here, oldest first: ``[(change id, article id, version, text)]``."""
        with self.database.connect() as conn:
            rows = conn.execute(
                select(content_changes.c.id, content_changes.c.article_id, content_changes.c.version,
                       article_versions.c.text)
                .join(article_versions, (article_versions.c.article_id == content_changes.c.article_id)
                      & (article_versions.c.version == content_changes.c.version))
                .where(content_changes.c.id > self.cursor()).order_by(content_changes.c.id))
            return [tuple(r) for r in rows]

    def apply_pending(self):
        """Write pending changes and update the index; True when everything is applied, False when retrying."""
        with self._lock:
            try:
                with self._folder_lock():
                    return self._apply()
            except (ServiceError, RuntimeError, OSError, ValueError) as exc:
                self.last_error = str(exc)
                log.warning("content changes not applied yet (%s); retrying in the background", exc)
                self._retry_later()
                return False

    @contextlib.contextmanager
    def _folder_lock(self):
        """One applier at a time over this folder and index, across the worker processes of a replica."""
        self.cursor_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.cursor_path.with_name(LOCK_FILE), "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _apply(self):
        changes = self.pending()
        if not changes:
            return True
        latest = {}
        for change_id, article_id, _version, text in changes:
            latest[article_id] = (change_id, text)
        written = []
        for article_id, (_id, text) in latest.items():
            if text:
                written += self.folder.write(article_id, text, _categories(text))
            else:  # a deletion (services.folder_sync)
                written += self.folder.remove(article_id)
        # told what it wrote, the builder does not walk the folder (46,500 files at 100x) to find it
        report = self.builder.update(self.settings.content_dir, self.settings.index_dir, paths=written)
        write_text_atomic(self.cursor_path, f"{changes[-1][0]}\n")
        self.engine.refresh()
        self.last_error = None
        self._merge_if_due(report)
        return True

    def _merge_if_due(self, report):
        """Once the delta holds ``merge_after`` articles, fold it into a full version in a separate process (its
        memory and CPU stay out of the serving workers; ``nice`` keeps searches first). Updates go on meanwhile;
        the next refresh after it ends opens the merged version."""
        limit = self.settings.merge_after
        if not limit or report.mode != "delta" or (self._merging is not None and self._merging.poll() is None):
            return
        if len(IndexStore(self.settings.index_dir).manifest().get("replaced", ())) < limit:
            return
        root = Path(__file__).resolve().parent.parent
        env = dict(os.environ, **self.settings.to_env(), PYTHONPATH=os.pathsep.join(
            [str(root), *filter(None, [os.environ.get("PYTHONPATH")])]))
        with open(Path(self.settings.index_dir) / "merge.log", "ab") as out:
            self._merging = subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "indexer", "merge", "--quiet"],
                                             env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        log.info("merging the index delta (%s articles) in process %s", limit, self._merging.pid)

    def _retry_later(self):
        if self._retrying:
            return
        self._retrying = True
        threading.Thread(target=self._retry_loop, name="kb-publisher-retry", daemon=True).start()

    def _retry_loop(self):
        try:
            for delay in RETRY_SECONDS + RETRY_SECONDS[-1:] * 1000:
                threading.Event().wait(delay)
                with self._lock:
                    try:
                        with self._folder_lock():
                            if self._apply():
                                return
                    except (ServiceError, RuntimeError, OSError, ValueError) as exc:
                        self.last_error = str(exc)
        finally:
            self._retrying = False

    def status(self):
        """For health checks: applied cursor, pending count and the last error."""
        try:
            pending = len(self.pending())
        except ServiceError:
            pending = None
        return {"applied_change": self.cursor(), "pending_changes": pending, "last_error": self.last_error}

    def readiness(self):
        """Whether this replica shows every committed change: ``{"ready", "applied_change", "latest_change",
        "behind"}``; Unavailable while the database is down (this replica cannot tell what it missed)."""
        applied = self.cursor()
        with self.database.connect() as conn:
            latest = latest_change(conn)
            behind = conn.execute(select(func.count()).select_from(content_changes)
                                  .where(content_changes.c.id > applied)).scalar()
        return {"ready": behind == 0, "applied_change": applied, "latest_change": latest, "behind": behind,
                "last_error": self.last_error}


def _categories(text):
    from kb.article import parse_article

    article, _ = parse_article(text.encode("utf-8"), "change.md")
    return article.categories if article else ()
