"""The exported customer site in a real browser, served as plain files from another local origin: the search page
finds articles offline (every request other than the site's own files is refused and counted), the article opens
with its image, and no page breaks its own Content-Security-Policy."""

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kb.content import Content
from kb.exporting import export_site
from kb.importing import import_source
from tests.support import FIXTURE_KB, ROOT, SCREENSHOTS, PageWatch

pytestmark = pytest.mark.browser


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture()
def site_url(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURE_KB, folder)
    import_source(ROOT / "tests" / "fixtures" / "import" / "html", folder)
    export_site(Content.load(folder), tmp_path / "site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_exported_site_searches_offline(browser, site_url):
    watch, elsewhere = PageWatch(), []
    context = watch.attach(browser.new_context(viewport={"width": 1100, "height": 800}))

    def only_the_site(route):
        if route.request.url.startswith(site_url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_site)
    page = context.new_page()
    page.goto(f"{site_url}/index.html")
    assert page.locator("a[href='hdmi-no-picture.html']").count() == 1
    page.fill("#q", "hdmi sygnału")
    page.press("#q", "Enter")
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results li a").first.inner_text() == "HDMI: brak obrazu"
    page.fill("#q", "no signal hdmi")
    page.press("#q", "Enter")
    page.wait_for_selector("#search-results li")
    page.screenshot(path=str(SCREENSHOTS / "export-site-search.png"), full_page=True)
    page.locator("#search-results li a").first.click()
    page.wait_for_url("**/hdmi-no-picture.html")
    assert page.evaluate("document.querySelector('article img').naturalWidth") == 10
    page.screenshot(path=str(SCREENSHOTS / "export-site-article.png"), full_page=True)
    context.close()
    assert elsewhere == [] and watch.problems() == []
