"""The contact and feedback database: SQLite by default, PostgreSQL through KB_DATABASE_URL; Alembic migrations.

>>> db = Database("sqlite:///:memory:")      # doctest: +SKIP
>>> db.migrate()                              # doctest: +SKIP
"""

import os
from pathlib import Path

from sqlalchemy import create_engine, event, inspect

MIGRATIONS = Path(__file__).with_name("migrations")


class Database:
    """An SQLAlchemy engine plus the migration step; thread-safe (a connection pool)."""

    def __init__(self, url):
        self.url = url
        kwargs = {"pool_pre_ping": True, "future": True}
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

    @property
    def engine(self):
        """The SQLAlchemy engine; a forked worker drops the parent's pooled connections first."""
        if self._pid != os.getpid():
            self._engine.dispose(close=False)
            self._pid = os.getpid()
        return self._engine

    def migrate(self):
        """Bring the schema to the newest Alembic revision."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        return self

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
    cursor.close()
