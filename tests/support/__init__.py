"""Helpers of the test suite (fixtures live in ``tests/conftest.py``): paths, the index factory, apps with users
and tokens per role, signed-in clients, the live server, the browser and generated history."""

from tests.support.apps import (PASSWORD, POSTGRES_ENV, add_users, bearer, close_app, csrf_of, make_app, open_app, postgres_url,
                                services_of, signed_in, username)
from tests.support.embed_host import host_server
from tests.support.browser import CHROMIUM_ARGS, BrowserPages, PageWatch, chromium_executable, sign_in, wait_for_js
from tests.support.history import SPIKE_TOPIC, seed_guided_history, seed_history
from tests.support.indexes import IndexFactory, suite_settings
from tests.support.live_server import LiveServer, serve
from tests.support.pages import PAGES
from tests.support.texts import LONG_TICKET, replace_in_file
from tests.support.paths import BLIND_QUERIES, FIXTURE_KB, QUERIES, ROOT, SAMPLE_KB, SCREENSHOTS, TEST_CACHE

__all__ = ["PAGES", "PASSWORD", "POSTGRES_ENV", "add_users", "bearer", "close_app", "csrf_of", "make_app", "open_app", "postgres_url", "services_of",
           "signed_in", "username", "CHROMIUM_ARGS", "BrowserPages", "sign_in", "wait_for_js", "PageWatch", "chromium_executable", "SPIKE_TOPIC",
           "seed_history", "seed_guided_history", "IndexFactory", "suite_settings", "serve", "LiveServer", "FIXTURE_KB", "QUERIES", "BLIND_QUERIES",
           "ROOT", "SAMPLE_KB", "SCREENSHOTS", "TEST_CACHE", "LONG_TICKET", "replace_in_file", "host_server"]
