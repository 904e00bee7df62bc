"""Fixtures of the suite (the helpers they use live in ``tests.support``): settings, the real model, one index
factory, apps over private copies of the fixture knowledge base, the databases, one live server and one browser."""

import os

import pytest

from tests.support import (CHROMIUM_ARGS, FIXTURE_KB, POSTGRES_ENV, SAMPLE_KB, SCREENSHOTS, BrowserPages,
                           IndexFactory, LiveServer, chromium_executable, close_app, make_app, postgres_url, serve,
                           suite_settings)


def pytest_configure(config):
    # the model is loaded from its folder; a hub must never be asked
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def settings():
    return suite_settings()


@pytest.fixture()
def hash_settings(tmp_path):
    """Settings with the small deterministic embedder and a private embedding cache, for plumbing tests."""
    return suite_settings(embedding_model="hash", cache_dir=str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def embedder(settings):
    """The real embedding model, loaded once."""
    from kb.embed import make_embedder

    return make_embedder(settings).warm_up()


@pytest.fixture(scope="session")
def indexes(tmp_path_factory, settings, embedder):
    """The one index factory: each content folder is indexed once per session."""
    return IndexFactory(tmp_path_factory.mktemp("indexes"), settings, embedder)


@pytest.fixture(scope="session")
def fixture_index(indexes):
    """The index store of tests/fixture_kb."""
    return indexes.index(FIXTURE_KB)


@pytest.fixture(scope="session")
def engine(indexes):
    """A read-only engine over tests/fixture_kb."""
    return indexes.engine(FIXTURE_KB)


@pytest.fixture(scope="session")
def sample_engine(indexes):
    """A read-only engine over the sample knowledge base in articles/."""
    return indexes.engine(SAMPLE_KB)


@pytest.fixture(scope="session")
def app_factory(tmp_path_factory, indexes):
    """Apps over private copies of the fixture knowledge base and index, each with its own database (SQLite unless
    ``database_url``) and one user and token per role; closed at the end of the session."""
    made = []

    def make(**kwargs):
        app = make_app(tmp_path_factory.mktemp("app"), indexes, **kwargs)
        made.append(app)
        return app

    yield make
    for app in made:
        close_app(app)


@pytest.fixture(scope="session")
def app(app_factory):
    """A shared app for tests that read (search, pages); tests that save or count rows make their own."""
    return app_factory()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each database test runs on SQLite, and on PostgreSQL when KB_TEST_POSTGRES_URL names one (emptied first)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    url = postgres_url()
    if url is None:
        pytest.skip(f"PostgreSQL: set {POSTGRES_ENV} to run this on PostgreSQL too (.ci/run starts one)")
    return url


@pytest.fixture()
def db_app(app_factory, database_url):
    """An app of its own on each database."""
    app = app_factory(database_url=database_url)
    yield app
    close_app(app)


@pytest.fixture(scope="session")
def live_server(app_factory):
    """The one live server: an app with its own content, index and database, over real HTTP on 127.0.0.1."""
    app = app_factory()
    with serve(app) as url:
        yield LiveServer(url, app)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    executable = chromium_executable()
    if executable is None:
        pytest.fail("chromium is not installed: run scripts/install_browser.sh (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def pages(browser, live_server, request):
    """Pages of the live server with the CSP enforced; the test fails on any console error or CSP violation, and
    every page is saved under artifacts/screenshots/."""
    opened = BrowserPages(browser, live_server)
    yield opened
    opened.close(SCREENSHOTS, request.node.name)
    problems = opened.watch.problems()
    assert problems == [], "\n".join(problems)
