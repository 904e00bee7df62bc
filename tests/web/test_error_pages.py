"""Errors on the pages are HTML pages with the navigation and the same policy as every page; the API answers
JSON with the same status."""

import pytest

from tests.support import signed_in


def assert_error_page(response, status, heading):
    assert response.status_code == status and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in html and 'id="error-message"' in html and 'href="/"' in html
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    return html


def test_unknown_article_and_page_are_404_pages(app):
    consultant = signed_in(app, "consultant")
    html = assert_error_page(consultant.get("/articles/no-such-article"), 404, "Not found")
    assert "no-such-article" in html and "Search for the topic instead" in html
    assert_error_page(consultant.get("/articles/draft-new-firmware"), 404, "Not found")  # not published
    assert_error_page(consultant.get("/no-such-page"), 404, "Not found")
    assert_error_page(consultant.get("/learn/no-such-category"), 404, "Not found")
    assert_error_page(signed_in(app, "writer").get("/write/no-such-article"), 404, "Not found")
    api = consultant.get("/api/v1/no-such-route")
    assert api.status_code == 404 and api.json["error"] == "not_found"


def test_a_page_the_role_may_not_see_is_a_403_page_naming_the_permission(app):
    html = assert_error_page(signed_in(app, "consultant").get("/write"), 403, "Not allowed")
    assert "needs the write permission, which a consultant does not have" in html
    html = assert_error_page(signed_in(app, "writer").get("/insights"), 403, "Not allowed")
    assert "needs the insights permission" in html


def test_signed_out_visitors_are_sent_to_sign_in_and_back(app):
    response = app.test_client().get("/learn/tv?x=1")
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=/learn/tv?x%3D1"


def test_a_wrong_method_on_a_page_is_a_405_page_with_allow(app_factory):
    app = app_factory(testing=False)  # as in production: a crash is a 500 page
    response = signed_in(app, "consultant").post("/")
    assert_error_page(response, 405, "Something went wrong")
    assert "GET" in response.headers["Allow"]
