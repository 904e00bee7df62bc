"""Shared fixtures: real indexes (Whoosh + FAISS) of the committed fixture knowledge base, built with the real model."""

import contextlib
import os
import shutil
import threading
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB = ROOT / "tests" / "fixture_kb"
SAMPLE_KB = ROOT / "articles"
QUERIES = ROOT / "tests" / "queries"
# Embeddings are cached by model and text hash, so sharing one cache between runs is safe and saves minutes.
TEST_CACHE = ROOT / "var" / "test-cache"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def settings_factory():
    from kb.settings import Settings

    def make(**overrides):
        overrides.setdefault("cache_dir", str(TEST_CACHE))
        overrides.setdefault("threads", 1)
        return Settings.from_env({}, **overrides)

    return make


@pytest.fixture(scope="session")
def settings(settings_factory):
    return settings_factory()


@pytest.fixture(scope="session")
def embedder(settings):
    from kb.embed import make_embedder

    return make_embedder(settings).warm_up()


@pytest.fixture(scope="session")
def fixture_index(tmp_path_factory, settings, embedder):
    """A real index of tests/fixture_kb."""
    from indexer import IndexBuilder

    index_dir = tmp_path_factory.mktemp("fixture-index")
    IndexBuilder(settings, embedder).build(FIXTURE_KB, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def engine(fixture_index, settings, embedder):
    from kb.search.engine import SearchEngine

    return SearchEngine.open(fixture_index, settings=settings, embedder=embedder)


@pytest.fixture(scope="session")
def app_factory(engine, tmp_path_factory):
    """Apps over the fixture engine, each with its own SQLite file (or the given database URL)."""
    from assist_api import create_app

    def make(database_url=None, **settings):
        tmp = tmp_path_factory.mktemp("app")
        content = tmp / "content"
        shutil.copytree(FIXTURE_KB, content)
        settings.setdefault("database_url", database_url or f"sqlite:///{tmp / 'kb.sqlite3'}")
        settings.setdefault("content_dir", str(content))
        return create_app({"TESTING": True, "KB_SETTINGS": settings}, engine=engine)

    return make


@pytest.fixture(scope="session")
def app(app_factory):
    return app_factory()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, settings, embedder):
    """A real index of the sample knowledge base in articles/."""
    from indexer import IndexBuilder

    index_dir = tmp_path_factory.mktemp("sample-index")
    IndexBuilder(settings, embedder).build(SAMPLE_KB, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def sample_engine(sample_index, settings, embedder):
    from kb.search.engine import SearchEngine

    return SearchEngine.open(sample_index, settings=settings, embedder=embedder)


@pytest.fixture(scope="session")
def writer_app_factory(tmp_path_factory, settings_factory, embedder):
    """Apps over their own copy of the fixture knowledge base and index (saves write files and update the index),
    with one user and one API token per role (``app.tokens``); every password is "correct horse battery"."""
    from assist_api import create_app
    from assist_api.auth import create_token, create_user
    from indexer import IndexBuilder
    from kb.search.engine import SearchEngine

    def make():
        tmp = tmp_path_factory.mktemp("writer")
        shutil.copytree(FIXTURE_KB, tmp / "content")
        settings = settings_factory(content_dir=str(tmp / "content"), index_dir=str(tmp / "index"),
                                    database_url=f"sqlite:///{tmp / 'kb.sqlite3'}")
        IndexBuilder(settings, embedder).build(tmp / "content", tmp / "index")
        engine = SearchEngine.open(tmp / "index", settings=settings, embedder=embedder, warm=False)
        overrides = {k: getattr(settings, k) for k in ("content_dir", "index_dir", "database_url", "cache_dir")}
        app = create_app({"TESTING": True, "KB_SETTINGS": overrides}, engine=engine)
        app.tokens = {}
        with app.extensions["kb_services"].database.engine.begin() as conn:
            for role in ("consultant", "writer", "reviewer", "admin"):
                app.tokens[role] = create_token(conn, create_user(conn, role + "1", "correct horse battery", role), "tests")[1]
        return app

    return make


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@contextlib.contextmanager
def serve(app):
    """Serve an app on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("chromium is not installed: run scripts/install_browser.sh (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def browser_pages(chromium, request):
    """Open pages in fresh browser contexts (signed in when a username is given); every page is saved as a
    screenshot under artifacts/screenshots/ when the test ends."""
    contexts = []

    def open_page(base_url, username=None, next_url="/", viewport=(1280, 900)):
        context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]}, base_url=base_url,
                                       bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        if username:
            page.goto(f"/login?next={next_url}")
            page.fill("#username", username)
            page.fill("#password", "correct horse battery")
            page.click("#login-submit")
            page.wait_for_load_state()
        return page

    yield open_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for i, context in enumerate(contexts):
        for page in context.pages:
            page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-{i}.png"), full_page=True)
        context.close()
