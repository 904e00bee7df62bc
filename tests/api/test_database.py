"""The database layer on SQLite and PostgreSQL: migrations make the schema the code reads and writes, nothing
connects until first use, and a database that cannot be reached is ``Unavailable`` (a 503), not a crash."""

import pytest

from services.db import Database
from services.db.schema import metadata
from services.errors import Unavailable
from tests.support import services_of

UNREACHABLE = "postgresql+psycopg://kb:kb@127.0.0.1:1/nope"


def test_migrations_match_the_schema_module(db_app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    database = services_of(db_app).database
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if d[0] not in ("remove_index", "add_index")] == []
    assert {"contacts", "escalations", "followups", "feedback", "users", "api_tokens", "article_versions",
            "content_changes", "quizzes", "required_reading"} <= database.tables()


def test_migrating_twice_changes_nothing(database_url):
    first = Database(database_url).migrate()
    tables = first.tables()
    first.dispose()
    again = Database(database_url).migrate()
    assert again.tables() == tables
    again.dispose()


def test_nothing_connects_until_first_use_and_a_down_database_is_unavailable():
    database = Database(UNREACHABLE, retry_seconds=30)  # made without connecting: the app can start
    with pytest.raises(Unavailable) as info:
        with database.begin():
            pass
    assert info.value.status == 503 and info.value.retry_after == 30 and info.value.code == "database_unavailable"
    with pytest.raises(Unavailable):  # within the retry interval it does not even try again
        with database.connect():
            pass
    assert database.available is False
