"""The contact and feedback database: SQLite by default, PostgreSQL through KB_DATABASE_URL; Alembic migrations.

Nothing connects when the object is made. The first use migrates the schema; a database that is down raises
``Unavailable`` (a 503 with Retry-After for callers) and is tried again a few seconds later, so a database that
comes back is used without a restart.

>>> db = Database("sqlite:///:memory:")      # doctest: +SKIP
>>> with db.begin() as conn:                 # doctest: +SKIP
...     conn.execute(...)
"""

import contextlib
import os
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.exc import DBAPIError, OperationalError

from services.errors import Unavailable

MIGRATIONS = Path(__file__).with_name("migrations")
RETRY_SECONDS = 5


class Database:
    """An SQLAlchemy engine plus the migration step; thread-safe (a connection pool), fork-safe."""

    def __init__(self, url, retry_seconds=RETRY_SECONDS):
        self.url = url
        self.retry_seconds = retry_seconds
        kwargs = {"pool_pre_ping": True}
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_size=5, max_overflow=5, connect_args={"connect_timeout": 3})
        self._engine = create_engine(url, **kwargs)
        self._pid = os.getpid()
        if url.startswith("sqlite"):
            event.listen(self._engine, "connect", _sqlite_pragmas)
        self._ready = False
        self._next_try = 0.0
        self._lock = threading.Lock()

    @property
    def engine(self):
        """The SQLAlchemy engine; a forked worker drops the parent's pooled connections first."""
        if self._pid != os.getpid():
            self._engine.dispose(close=False)
            self._pid = os.getpid()
        return self._engine

    def migrate(self):
        """Bring the schema to the newest Alembic revision (raises the driver's error when it cannot)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        self._ready = True
        return self

    def ensure(self):
        """Migrate on first use; raise Unavailable while the database cannot be reached (retried every few s)."""
        if self._ready:
            return self
        with self._lock:
            if self._ready:
                return self
            if time.monotonic() < self._next_try:
                raise self._unavailable()
            try:
                self.migrate()
            except (OperationalError, DBAPIError, OSError) as exc:
                self._next_try = time.monotonic() + self.retry_seconds
                raise self._unavailable() from exc
        return self

    @property
    def available(self):
        """True when the database answers now (migrating it if needed)."""
        try:
            with self.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Unavailable:
            return False

    def begin(self):
        """A connection in a transaction, committed on success; Unavailable when the database is down."""
        return self._open(transaction=True)

    def connect(self):
        """A connection for reading; Unavailable when the database is down."""
        return self._open(transaction=False)

    @contextlib.contextmanager
    def _open(self, transaction):
        self.ensure()
        with self._translated():
            with (self.engine.begin() if transaction else self.engine.connect()) as conn:
                yield conn

    @contextlib.contextmanager
    def _translated(self):
        try:
            yield
        except OperationalError as exc:
            raise self._unavailable() from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise self._unavailable() from exc
            raise

    def _unavailable(self):
        return Unavailable("database_unavailable", "the contact database is not available right now; search still "
                           "works; try again in a few seconds", self.retry_seconds)

    def tables(self):
        """Names of the tables that exist."""
        return set(inspect(self.engine).get_table_names())

    def dispose(self):
        """Close the pool."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record):
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
