"""Brings the content folder and the index up to date with committed article versions ("save, then publish").

A save commits its version and a ``content_changes`` row in one database transaction. Only then does the
publisher write the Markdown file and update the index. If that fails (the index is busy with a build, the disk
is full), the change stays pending and is retried in the background; at start-up every pending change is
applied. Nothing that was refused is ever written: a refused save never reached the database.

The cursor (the last change applied to this content folder and index) is a small file in the index store, written
after the index update; a crash between the two only means the change is applied again, which is harmless.

>>> publisher = Publisher(database, engine, builder, settings)      # doctest: +SKIP
>>> publisher.apply_pending()                                        # doctest: +SKIP
True
"""

import logging
import threading
from pathlib import Path

from sqlalchemy import insert, select

from services.db import repo
from services.db.schema import article_versions, content_changes
from services.errors import ServiceError
from services.files import write_text_atomic

log = logging.getLogger(__name__)
CURSOR_FILE = "applied-change"
RETRY_SECONDS = (1, 2, 5, 10, 30)


def record_change(conn, article_id, version):
    """Log, inside the caller's transaction, that this version's text must reach the folder and the index."""
    conn.execute(insert(content_changes).values(article_id=article_id, version=version, created_at=repo.utcnow()))


class Publisher:
    """Applies pending content changes to one content folder and index store; one at a time per process."""

    def __init__(self, database, engine, builder, settings, folder):
        self.database, self.engine, self.builder, self.settings = database, engine, builder, settings
        self.folder = folder
        self.cursor_path = Path(settings.index_dir) / CURSOR_FILE
        self._lock = threading.Lock()
        self._retrying = False
        self.last_error = None

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
                return self._apply()
            except (ServiceError, RuntimeError, OSError, ValueError) as exc:
                self.last_error = str(exc)
                log.warning("content changes not applied yet (%s); retrying in the background", exc)
                self._retry_later()
                return False

    def _apply(self):
        changes = self.pending()
        if not changes:
            return True
        latest = {}
        for change_id, article_id, _version, text in changes:
            latest[article_id] = (change_id, text)
        for article_id, (_id, text) in latest.items():
            self.folder.write(article_id, text, _categories(text))
        self.builder.update(self.settings.content_dir, self.settings.index_dir)
        write_text_atomic(self.cursor_path, f"{changes[-1][0]}\n")
        self.engine.refresh()
        self.last_error = None
        return True

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


def _categories(text):
    from kb.article import parse_article

    article, _ = parse_article(text.encode("utf-8"), "change.md")
    return article.categories if article else ()
