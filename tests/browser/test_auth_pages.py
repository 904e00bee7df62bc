"""Sign-in, sign-out, the first-run page and the error pages in a real browser."""

import pytest

from tests.support import SCREENSHOTS, BrowserPages, LiveServer, serve, sign_in, username

pytestmark = pytest.mark.browser


def test_sign_in_goes_back_where_you_were_and_sign_out_ends_it(pages):
    page = pages.open(None, "/write/tv-wifi-drops")
    page.wait_for_url("**/login?next=/write/tv-wifi-drops")
    assert page.evaluate("document.activeElement.id") == "username"
    page.fill("#username", username("writer"))
    page.fill("#password", "correct horse battery")
    page.click("#login-submit")
    page.wait_for_url("**/write/tv-wifi-drops")
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    page.click("text=Sign out")
    page.wait_for_url("**/login")
    page.goto("/write")
    page.wait_for_url("**/login?next=/write")


def test_a_wrong_password_gets_the_same_message_as_an_unknown_user(pages):
    pages.watch.allow_status(401)  # the form answers 401 on purpose
    for user, password in ((username("writer"), "not the password"), ("nobody", "correct horse battery")):
        page = pages.open(None, None)
        sign_in(page, user, password)
        assert page.locator("#login-error").inner_text() == "Wrong username or password."
        assert "/login" in page.url


def test_a_consultant_cannot_write_and_sees_why(pages):
    pages.watch.allow_status(403)
    page = pages.open("consultant", "/write")
    assert page.locator("h1").inner_text() == "Not allowed"
    assert "needs the write permission" in page.locator("#error-message").inner_text()
    page.click("text=Back to search")
    page.wait_for_selector("#q")


def test_an_unknown_article_is_a_404_page_with_the_navigation(pages):
    pages.watch.allow_status(404)
    page = pages.open("consultant", "/articles/no-such-article")
    assert page.locator("h1").inner_text() == "Not found"
    assert "no-such-article" in page.locator("#error-message").inner_text()
    assert page.locator("header.top nav a").count() >= 4  # the pages a consultant may open


def test_first_run_creates_the_administrator(browser, app_factory, request):
    app = app_factory(with_users=False)
    with serve(app) as url:  # a second app: the first-run page only exists while nobody can sign in
        pages = BrowserPages(browser, LiveServer(url, app))
        try:
            page = pages.open(None, "/login")
            page.click("#setup-link a")
            page.wait_for_url("**/setup")
            page.fill("#username", "first.admin")
            page.fill("#password", "a long enough password")
            page.fill("#password2", "a long enough password")
            page.click("#setup-submit")
            page.wait_for_url(url + "/")
            page.goto("/insights")
            assert page.locator("h1").inner_text() == "Insights"  # signed in as an administrator
            pages.watch.allow_status(404)
            page.goto("/setup")
            assert page.locator("h1").inner_text() == "Not found"
        finally:
            pages.close(SCREENSHOTS, request.node.name)
        assert pages.watch.problems() == []
