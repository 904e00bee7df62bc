"""The audit log: every write operation of the OpenAPI document leaves an entry (walked from the document itself);
sign-ins, failed sign-ins, sign-outs, token creation and revocation are recorded without secrets; the table is
append-only on both databases and the retention prune removes only old entries; admins read it with filters
and as CSV."""

import csv
import datetime as dt
import io
import re

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import DBAPIError

from assist_api.audit import EXEMPT
from services.db.schema import audit_log
from tests.support import PASSWORD, bearer, csrf_of, services_of, signed_in

WRITE_METHODS = ("post", "put", "patch", "delete")
# A value for each path argument of the document; the article is one of the fixture's.
PATH_VALUES = {"article_id": "tv-wifi-drops", "esc_id": "1", "followup_id": "1", "token_id": "1", "run_id": "1",
               "draft_id": "1", "contact_id": "1"}
EXAMPLES = {"path_id": "tech-support-engineer", "article_id": "tv-wifi-drops", "username": "writer1"}


def entries(app):
    with services_of(app).database.connect() as conn:
        return [dict(r) for r in conn.execute(select(audit_log).order_by(audit_log.c.id)).mappings()]


def example_body(schema):
    """A body from an operation's JSON schema: required and optional fields with plausible values."""
    body = {}
    for name, prop in (schema or {}).get("properties", {}).items():
        if name in EXAMPLES:
            body[name] = EXAMPLES[name]
        elif "enum" in prop:
            body[name] = prop["enum"][0]
        else:
            body[name] = {"string": "audit walk", "boolean": True, "integer": 1, "number": 0.9, "array": []}[prop["type"]]
    return body


def write_operations(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in WRITE_METHODS:
                yield path, method, op


@pytest.fixture()
def audit_app(app_factory):
    return app_factory()


def test_every_write_operation_of_the_api_document_leaves_an_entry(audit_app):
    client = audit_app.test_client()
    doc = client.get("/api/v1/openapi.json").json
    operations = list(write_operations(doc))
    assert len(operations) >= 15
    exempt = {audit_app.url_map.bind("localhost").match("/api/v1/preview", "POST")[0]}
    assert exempt == set(EXEMPT)  # the one write route that stores nothing is named, with its reason
    missing = []
    for path, method, op in operations:
        url = re.sub(r"{(\w+)}", lambda m: PATH_VALUES[m.group(1)], path)
        endpoint = audit_app.url_map.bind("localhost").match(url, method.upper())[0]
        schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        before = len(entries(audit_app))
        response = client.open(url, method=method.upper(), json=example_body(schema) if schema else None,
                               headers=bearer(audit_app, "admin"))
        new = entries(audit_app)[before:]
        if endpoint in EXEMPT:
            assert new == [], f"{method} {path} is exempt but recorded {new}"
            continue
        if len(new) != 1 or new[0]["actor"] != "admin1" or new[0]["status"] != response.status_code \
                or new[0]["via"] != "token":
            missing.append(f"{method.upper()} {path} -> {response.status_code}: {new}")
    assert missing == []


def test_writes_name_their_action_and_target(audit_app):
    writer, reviewer = signed_in(audit_app, "writer"), signed_in(audit_app, "reviewer")
    source = writer.get("/api/v1/articles/tv-wifi-drops/source").json
    saved = writer.put("/api/v1/articles/tv-wifi-drops", json={"text": source["text"].replace("router", "Router", 1),
                                                               "base_version": source["version"]})
    assert saved.status_code == 200
    reviewer.post("/api/v1/articles/tv-wifi-drops/publish", json={"base_version": saved.json["version"]})
    writer.post("/api/v1/feedback", json={"article_id": "tv-wifi-drops", "helpful": False, "flag": "outdated"})
    reviewer.post("/api/v1/articles/no-such-article/publish")
    found = [(e["actor"], e["action"], e["target"], e["status"], e["via"]) for e in entries(audit_app)]
    assert ("writer1", "edit", "tv-wifi-drops", 200, "session") in found
    assert ("reviewer1", "publish", "tv-wifi-drops", 200, "session") in found
    assert ("writer1", "flag", "tv-wifi-drops", 201, "session") in found
    assert ("reviewer1", "publish", "no-such-article", 404, "session") in found  # refused attempts are kept too


def test_sign_ins_failures_sign_outs_and_tokens_are_recorded_without_secrets(audit_app):
    client = audit_app.test_client()
    client.get("/login")
    csrf = csrf_of(client)
    assert client.post("/login", data={"username": "writer1", "password": "wrong one", "csrf_token": csrf}).status_code == 401
    assert client.post("/login", data={"username": "writer1", "password": PASSWORD, "csrf_token": csrf}).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    admin = signed_in(audit_app, "admin")
    created = admin.post("/api/v1/tokens", json={"username": "consultant1", "name": "zammad"}).json
    admin.delete(f"/api/v1/tokens/{created['id']}")
    rows = entries(audit_app)
    found = [(e["actor"], e["action"], e["target"], e["status"]) for e in rows]
    assert (None, "sign-in-failed", "writer1", 401) in found
    assert ("writer1", "sign-in", "writer1", 302) in found
    assert ("writer1", "sign-out", "writer1", 302) in found
    assert ("admin1", "token-create", str(created["id"]), 201) in found
    assert ("admin1", "token-revoke", str(created["id"]), 200) in found
    assert not any(created["token"] in (e["detail"] or "") for e in rows)
    assert not any(PASSWORD in (e["detail"] or "") or "wrong one" in (e["detail"] or "") for e in rows)
    assert {e["ip"] for e in rows if e["action"].startswith("sign-in")} == {"127.0.0.1"}


def test_the_log_is_append_only_and_retention_prunes_old_entries(app_factory, database_url):
    app = app_factory(database_url=database_url, audit_retention_days=30)
    audit = services_of(app).audit
    recent = audit.record("publish", actor="anna", target="tv-no-sound")
    with services_of(app).database.begin() as conn:
        conn.execute(insert(audit_log).values(created_at=dt.datetime(2020, 1, 1), actor="old", action="edit",
                                              detail="{}"))
    database = services_of(app).database
    for statement in (update(audit_log).where(audit_log.c.id == recent).values(actor="mallory"),
                      audit_log.delete().where(audit_log.c.id == recent)):
        with pytest.raises(DBAPIError):
            with database.engine.begin() as conn:
                conn.execute(statement)
    assert audit.prune() == 1
    left = [(e["actor"], e["action"]) for e in entries(app)]
    assert ("anna", "publish") in left and ("old", "edit") not in left
    with database.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log WHERE id = :i"), {"i": recent}).scalar() == "anna"


def test_admins_filter_the_log_and_export_it_as_csv(audit_app):
    audit = services_of(audit_app).audit
    audit.record("publish", actor="anna", role="reviewer", target="tv-no-sound")
    audit.record("edit", actor="jan", role="writer", target="tv-wifi-drops")
    admin = signed_in(audit_app, "admin")
    page = admin.get("/admin/audit?actor=anna")
    assert page.status_code == 200 and "tv-no-sound" in page.text and "tv-wifi-drops" not in page.text
    assert "tv-wifi-drops" in admin.get("/admin/audit?action=edit").text
    today = dt.date.today().isoformat()
    assert "No entries match" in admin.get("/admin/audit?to=2001-01-01").text
    exported = admin.get(f"/admin/audit.csv?target=tv-&from={today}")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert exported.mimetype == "text/csv" and {r["target"] for r in rows} == {"tv-no-sound", "tv-wifi-drops"}
    assert entries(audit_app)[-1]["action"] == "export"  # the download is itself recorded
    api = audit_app.test_client().get("/api/v1/audit?actor=jan", headers=bearer(audit_app, "admin")).json
    assert [(e["actor"], e["action"]) for e in api["entries"]] == [("jan", "edit")]
    assert audit_app.test_client().get("/api/v1/audit?from=yesterday", headers=bearer(audit_app, "admin")).status_code == 400


def test_the_command_line_records_users_and_tokens(tmp_path):
    import os
    import subprocess
    import sys

    from services.db import Database
    from tests.support import ROOT

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = dict(os.environ, KB_DATABASE_URL=url)
    for args, stdin in ((("users", "add", "boss", "--role", "admin", "--password-stdin"), "a long password\n"),
                        (("tokens", "create", "boss", "freescout"), ""), (("tokens", "revoke", "1"), "")):
        done = subprocess.run([sys.executable, "-m", "server", *args], input=stdin, text=True, capture_output=True,
                              cwd=ROOT, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
    with Database(url).connect() as conn:
        rows = conn.execute(select(audit_log.c.action, audit_log.c.target, audit_log.c.via, audit_log.c.actor)).all()
    assert [(a, t, v) for a, t, v, _ in rows] == [("user-create", "boss", "cli"), ("token-create", "1", "cli"),
                                                  ("token-revoke", "1", "cli")]
    assert all(actor.startswith("cli:") for *_, actor in rows)


def test_imports_and_exports_through_the_server_command_are_recorded(tmp_path):
    import os
    import shutil
    import subprocess
    import sys

    from services.db import Database
    from tests.support import FIXTURE_KB, ROOT

    url, folder = f"sqlite:///{tmp_path / 'cli.sqlite3'}", tmp_path / "articles"
    shutil.copytree(FIXTURE_KB, folder)
    env = dict(os.environ, KB_DATABASE_URL=url)
    runs = (("import", str(ROOT / "tests" / "fixtures" / "import" / "faq.csv"), "--into", str(folder), "--dry-run"),
            ("import", str(ROOT / "tests" / "fixtures" / "import" / "faq.csv"), "--into", str(folder)),
            ("export", "site", str(tmp_path / "site"), "--content", str(folder)))
    for args in runs:
        done = subprocess.run([sys.executable, "-m", "server", *args], capture_output=True, text=True, cwd=ROOT,
                              env=env, timeout=120)
        assert done.returncode in (0, 1), done.stderr  # 1: the fixture has a broken row on purpose
    with Database(url).connect() as conn:
        rows = conn.execute(select(audit_log.c.action, audit_log.c.target, audit_log.c.detail)).all()
    assert [(a, t) for a, t, _ in rows] == [("import", str(ROOT / "tests" / "fixtures" / "import" / "faq.csv")),
                                            ("export", str(tmp_path / "site"))]  # the dry run is not recorded
    assert '"create": 7' in rows[0][2] and '"format": "site"' in rows[1][2]
