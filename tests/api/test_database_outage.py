"""A database that is down: routes that need it answer 503 with Retry-After (JSON on the API, the HTML error page
on the pages), never 500; the public routes still answer; and a database that comes back is used without a
restart. Signing in needs the database, so every route behind a permission needs it too."""

import shutil
import time

import pytest

from assist_api.access import route_permissions
from services.db import Database
from tests.support import PASSWORD, add_users, bearer, close_app, csrf_of, signed_in

UNREACHABLE = "postgresql+psycopg://kb:kb@127.0.0.1:1/nope"
ARGUMENTS = {"article_id": "tv-wifi-drops", "esc_id": 1, "followup_id": 1, "token_id": 1, "code": "QN90D55",
             "category": "tv", "quiz_id": 1, "reading_id": 1, "contact_id": 1, "name": "content_gaps",
             "filename": "app.css", "run_id": 1, "draft_id": 1}
# what the public routes answer while the database is down: signing in, the first-run page and readiness need it
PUBLIC = {("/api/v1/health", "GET"): 200, ("/api/v1/ready", "GET"): 503, ("/api/v1/openapi.json", "GET"): 200, ("/static/app.css", "GET"): 200,
          ("/login", "GET"): 200, ("/login", "POST"): 503, ("/logout", "POST"): 302, ("/setup", "GET"): 503,
          ("/setup", "POST"): 503, ("/language", "POST"): 400,  # no language chosen: a 400, database or not
          ("/assist", "GET"): 302}  # the panel's shell: signed out, the sign-in page


def unwritable_sqlite(folder, retry_seconds=5):
    """An SQLite database whose folder is replaced by a plain file after the Database is made: nothing can open it.
    Returns the database and a function that makes the folder usable again."""
    folder.mkdir()
    database = Database(f"sqlite:///{folder / 'kb.sqlite3'}", retry_seconds=retry_seconds)
    folder.rmdir()
    folder.write_text("not a folder")

    def restore():
        folder.unlink()
        folder.mkdir()

    return database, restore


@pytest.fixture(params=["unreachable-postgresql", "unwritable-sqlite"])
def down_app(request, app_factory, tmp_path):
    # served as in production: an unexpected exception becomes a 500 page, as a client would see it
    if request.param == "unreachable-postgresql":
        app = app_factory(database=Database(UNREACHABLE), with_users=False, testing=False)
    else:
        app = app_factory(database=unwritable_sqlite(tmp_path / "db")[0], with_users=False, testing=False)
    app.extensions["kb_test_tokens"] = {"consultant": "kb_cannot-be-checked-while-the-database-is-down"}
    yield app
    close_app(app)


def session_client(app):
    """A client with a signed session cookie (made without the database, as a browser would still have it)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["user_id"], session["csrf"] = 1, "csrf-token"
    client.environ_base["HTTP_X_CSRF_TOKEN"] = "csrf-token"
    return client


def routes(app, api, public=False):
    """``(url, method, permission)`` of the API's or the pages' routes, public or behind a permission."""
    out = []
    for rule, methods, _endpoint, permission in route_permissions(app):
        if rule.startswith("/api/") != api or (permission == "public") != public:
            continue
        url = rule
        for name, value in ARGUMENTS.items():
            url = url.replace(f"<{name}>", str(value)).replace(f"<int:{name}>", str(value))
        url = url.replace("<path:filename>", ARGUMENTS["filename"])
        assert "<" not in url, f"no value for an argument of {rule}"
        out += [(url, method, permission) for method in methods]
    return out


def assert_unavailable(response, api, what):
    assert response.status_code == 503, f"{what}: {response.status_code}"
    assert response.headers["Retry-After"].isdigit(), what
    if api:
        assert response.is_json and response.json["error"] == "database_unavailable" and response.json["message"]
    else:
        assert response.mimetype == "text/html" and "Temporarily unavailable" in response.text, what
        assert "default-src 'self'" in response.headers["Content-Security-Policy"], what


def signed_in_requests(app, api):
    """Each route behind a permission, asked with an API token and with a session cookie."""
    for url, method, permission in routes(app, api):
        yield f"{method} {url} ({permission}) with a token", app.test_client().open(
            url, method=method, headers=bearer(app, "consultant"))
        yield f"{method} {url} ({permission}) with a session", session_client(app).open(url, method=method)


def test_api_routes_that_need_the_database_answer_503_json(down_app):
    checked = 0
    for what, response in signed_in_requests(down_app, True):
        assert_unavailable(response, True, what)
        checked += 1
    assert checked > 50  # search too: checking who asks needs the database


def test_pages_that_need_the_database_answer_the_503_error_page(down_app):
    checked = 0
    for what, response in signed_in_requests(down_app, False):
        assert_unavailable(response, False, what)
        checked += 1
    assert checked > 30


def test_public_routes_answer_without_the_database(down_app):
    for url, method, _ in routes(down_app, True, public=True) + routes(down_app, False, public=True):
        if PUBLIC[(url, method)] == 503:
            continue  # the sign-in and first-run forms need the database: in the page test below
        client = signed_in(down_app, None) if method == "POST" else down_app.test_client()
        response = client.open(url, method=method)
        response.close()
        assert response.status_code == PUBLIC[(url, method)], (method, url, response.status_code)


def test_signing_in_and_first_run_answer_503_while_the_database_is_down(down_app):
    for (url, method), status in PUBLIC.items():
        if status == 503:
            data = {"username": "consultant1", "password": PASSWORD} if url == "/login" else None
            assert_unavailable(signed_in(down_app, None).open(url, method=method, data=data), url.startswith("/api/"),
                               f"{method} {url}")


def test_health_says_the_database_is_down_and_the_index_is_up(down_app):
    health = down_app.test_client().get("/api/v1/health").json
    assert health["status"] == "ok" and health["database"] == "down" and health["articles"] == 17
    assert health["content"]["pending_changes"] is None


def test_a_database_that_comes_back_is_used_without_a_restart(app_factory, tmp_path):
    database, restore = unwritable_sqlite(tmp_path / "db", retry_seconds=1)
    app = app_factory(database=database, with_users=False)
    client = signed_in(app, None)
    assert client.get("/api/v1/health").json["database"] == "down"
    login = {"username": "consultant1", "password": PASSWORD}
    assert client.get("/api/v1/search?q=drain", headers={"Authorization": "Bearer kb_x"}).status_code == 503
    restore()
    time.sleep(1.2)  # the database is tried again after retry_seconds
    assert client.get("/api/v1/health").json["database"] == "up"
    app.extensions["kb_test_tokens"] = add_users(app)
    assert app.test_client().get("/api/v1/search?q=drain", headers=bearer(app, "consultant")).status_code == 200
    assisted = app.test_client().post("/api/v1/assist", json={"body": "TV has no sound", "contact_id": "BACK-1"},
                                      headers=bearer(app, "consultant"))
    assert assisted.status_code == 200 and assisted.json["stored"] is True  # contacts are stored again
    client.get("/login")
    signed = client.post("/login", data=dict(login, csrf_token=csrf_of(client)))
    assert signed.status_code == 302 and client.get("/learn").status_code == 200
    shutil.rmtree(tmp_path / "db")


def test_the_services_still_answer_a_contact_when_the_database_is_down(down_app):
    from kb.assist.assistant import AssistRequest

    services = down_app.extensions["kb_services"]
    answered = services.contacts.assist(AssistRequest(body="TV has no sound", contact_id="DOWN-1"))
    assert answered["stored"] is False and answered["answers"][0]["article_id"] == "qn90d-no-sound"
    result, data = services.assistant.search("tv no sound")
    services.contacts.search_event(result, data["top_confidence"], {})
    services.events.flush()
    assert services.events.dropped >= 2 and services.events.written == 0  # logging degrades, never the answer
