"""Save, then publish, across a crash: a real process is killed after its save is committed and before the
publisher writes the file; the next process on the same folders applies the pending change when it starts."""

import datetime as dt
import os
import subprocess
import sys

from sqlalchemy import select

from services.db.schema import article_versions, content_changes
from tests.support import FIXTURE_KB, ROOT, open_app, services_of, suite_settings

ARTICLE_ID = "tv-picture-mode-crash"
TEXT = f"""---
id: {ARTICLE_ID}
title: Picture looks too blue after the update
type: troubleshooting
products: [QN90D*]
categories: [tv]
---

## Answer

The update switched the picture mode to Dynamic. Choose Movie or Filmmaker mode under Picture. Keyword: okapicolour.
"""

# The server process: builds the app on the given folders, then saves as a reviewer with the publisher's apply
# step replaced by an immediate exit (no cleanup, no flush: as a power cut or a SIGKILL would leave it).
SERVER = """
import os, sys
from tests.support import add_users, open_app, suite_settings
folder = sys.argv[1]
settings = suite_settings(content_dir=f"{folder}/content", index_dir=f"{folder}/index",
                          database_url=f"sqlite:///{folder}/kb.sqlite3")
app = open_app(settings)
token = add_users(app, ["reviewer"])["reviewer"]
app.extensions["kb_services"].publisher.apply_pending = lambda: os._exit(9)
response = app.test_client().post("/api/v1/articles", json={"text": sys.stdin.read()},
                                  headers={"Authorization": "Bearer " + token})
print("the save returned", response.status_code, response.get_data(as_text=True))
sys.exit(1)
"""


def test_a_change_committed_before_a_crash_is_published_at_the_next_start(tmp_path, indexes, embedder):
    content, index = indexes.workspace(FIXTURE_KB, tmp_path)
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    killed = subprocess.run([sys.executable, "-c", SERVER, str(tmp_path)], input=TEXT, cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=180)
    assert killed.returncode == 9, killed.stdout + killed.stderr
    path = content / "tv" / f"{ARTICLE_ID}.md"
    assert not path.exists()

    settings = suite_settings(content_dir=str(content), index_dir=str(index),
                              database_url=f"sqlite:///{tmp_path / 'kb.sqlite3'}")
    app = open_app(settings, embedder)  # starting applies what was committed and not yet published
    services = services_of(app)
    try:
        with services.database.connect() as conn:
            assert conn.execute(select(article_versions.c.version, article_versions.c.author)
                                .where(article_versions.c.article_id == ARTICLE_ID)).all() == [(1, "reviewer1")]
            assert conn.execute(select(content_changes.c.article_id)).scalars().all() == [ARTICLE_ID]
        published = TEXT.replace("categories: [tv]\n", f"categories: [tv]\nreviewed: {dt.date.today().isoformat()}\n")
        assert path.is_file() and path.read_text() == published  # the text byte for byte, reviewed on publishing
        hits = services.engine.search("okapicolour", mode="lexical").hits
        assert [h.article_id for h in hits] == [ARTICLE_ID]
        assert services.publisher.status() == {"applied_change": 1, "pending_changes": 0, "last_error": None}
        assert services.publisher.apply_pending() is True and path.read_text() == published  # applying again is harmless
    finally:
        services.events.flush()
        services.database.dispose()
