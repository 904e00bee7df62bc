"""The audit log: who created, edited, published, flagged, exported or imported what and when, every sign-in and
failed sign-in, every token made and revoked. Append-only: the table refuses UPDATE, and DELETE of anything younger
than a day (the database enforces both); the only deletion is the retention prune of entries older than
``KB_AUDIT_RETENTION_DAYS``.

>>> audit = AuditLog(database, retention_days=365)                               # doctest: +SKIP
>>> audit.record("publish", actor="anna", role="reviewer", target="tv-no-sound")  # doctest: +SKIP
>>> audit.search(AuditFilter(action="publish"))[0]["target"]                      # doctest: +SKIP
'tv-no-sound'
"""

import csv
import datetime as dt
import io
import json
import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from services.db import repo
from services.db.schema import audit_log
from services.errors import ServiceError

log = logging.getLogger(__name__)
COLUMNS = ("created_at", "actor", "role", "via", "action", "target", "status", "detail", "ip")
PRUNE_EVERY_SECONDS = 3600
MAX_ROWS = 5000


@dataclass(frozen=True)
class AuditFilter:
    """What the admin page and the API filter on; every field is optional."""

    actor: str = None
    action: str = None
    target: str = None
    start: dt.date = None
    end: dt.date = None
    limit: int = 500

    @classmethod
    def parse(cls, args):
        """A filter from request arguments (``actor``, ``action``, ``target``, ``from``, ``to``, ``limit``)."""
        def day(name):
            raw = (args.get(name) or "").strip()
            try:
                return dt.date.fromisoformat(raw) if raw else None
            except ValueError:
                raise ServiceError(f"bad_{name}", f"{name} must be a date YYYY-MM-DD") from None

        raw_limit = (args.get("limit") or "").strip()
        if raw_limit and not (raw_limit.isdigit() and 1 <= int(raw_limit) <= MAX_ROWS):
            raise ServiceError("bad_limit", f"limit must be a whole number from 1 to {MAX_ROWS}")
        text = {k: ((args.get(k) or "").strip()[:200] or None) for k in ("actor", "action", "target")}
        return cls(**text, start=day("from"), end=day("to"), limit=int(raw_limit) if raw_limit else 500)

    def as_args(self):
        """The filter as request arguments (for links that keep it)."""
        out = {"actor": self.actor, "action": self.action, "target": self.target,
               "from": self.start.isoformat() if self.start else None, "to": self.end.isoformat() if self.end else None}
        return {k: v for k, v in out.items() if v}


class AuditLog:
    """Entries in the ``audit_log`` table, written synchronously (an action that matters is never dropped quietly)."""

    def __init__(self, database, retention_days=365):
        self.database, self.retention_days = database, retention_days
        self._last_prune = 0.0
        self._lock = threading.Lock()

    def record(self, action, actor=None, role=None, via=None, target=None, status=None, detail=None, ip=None,
               conn=None):
        """Append one entry (inside ``conn``'s transaction when given); return its id."""
        row = {"created_at": repo.utcnow(), "actor": _text(actor, 80), "role": _text(role, 20), "via": _text(via, 20),
               "action": _text(action, 40), "target": _text(target, 200), "status": status,
               "detail": _text(json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str), 4000),
               "ip": _text(ip, 64)}
        if conn is not None:
            return conn.execute(insert(audit_log).values(**row)).inserted_primary_key[0]
        with self.database.begin() as own:
            entry_id = own.execute(insert(audit_log).values(**row)).inserted_primary_key[0]
        self._maybe_prune()
        return entry_id

    def search(self, where=AuditFilter()):
        """Entries matching a filter, newest first."""
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(where.limit)
        for name in ("actor", "action"):
            if getattr(where, name):
                query = query.where(audit_log.c[name] == getattr(where, name))
        if where.target:
            query = query.where(audit_log.c.target.contains(where.target, autoescape=True))
        if where.start:
            query = query.where(audit_log.c.created_at >= dt.datetime.combine(where.start, dt.time()))
        if where.end:
            query = query.where(audit_log.c.created_at < dt.datetime.combine(where.end + dt.timedelta(days=1), dt.time()))
        with self.database.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def actions(self):
        """The actions recorded so far (for the page's filter)."""
        with self.database.connect() as conn:
            return sorted(r[0] for r in conn.execute(select(audit_log.c.action).distinct()))

    def prune(self, now=None):
        """Delete entries older than the retention; return how many went."""
        cutoff = (now or repo.utcnow()) - dt.timedelta(days=max(self.retention_days, 1))
        with self.database.begin() as conn:
            return conn.execute(delete(audit_log).where(audit_log.c.created_at < cutoff)).rowcount

    def _maybe_prune(self):
        with self._lock:
            if time.monotonic() - self._last_prune < PRUNE_EVERY_SECONDS:
                return
            self._last_prune = time.monotonic()
        try:
            self.prune()
        except ServiceError as exc:  # the next entry tries again
            log.warning("audit retention prune failed: %s", exc)


def _text(value, limit):
    """A value as storable text: None stays None; what the client sent cannot break the entry (a lone surrogate
    becomes "?")."""
    if value is None or value == "":
        return None
    return str(value).encode("utf-8", "replace").decode("utf-8")[:limit]


def to_csv(rows):
    """Entries as CSV text, one line per entry, in ``COLUMNS`` order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row["created_at"].isoformat(sep=" ") if row["created_at"] else "",
                         *[("" if row[c] is None else row[c]) for c in COLUMNS[1:]]])
    return out.getvalue()
