"""Errors of the JSON API: a code for programs and a message for people, the right status, never a bare 500."""

import pytest

from tests.support import bearer, signed_in


@pytest.fixture(scope="module")
def consultant(app):
    return signed_in(app, "consultant")


@pytest.mark.parametrize("url, status, code", [
    ("/api/v1/search", 400, "missing_q"),
    ("/api/v1/search?q=", 400, "missing_q"),
    ("/api/v1/search?q=" + "x" * 501, 400, "q_too_long"),
    ("/api/v1/search?q=x&limit=0", 400, "bad_limit"),
    ("/api/v1/search?q=x&limit=101", 400, "bad_limit"),
    ("/api/v1/search?q=x&limit=ten", 400, "bad_limit"),
    ("/api/v1/search?q=x&mode=magic", 400, "bad_mode"),
    ("/api/v1/search?q=x&type=howto", 400, "bad_filter"),
    ("/api/v1/search?q=x&lang=de", 400, "bad_filter"),
    ("/api/v1/search?q=x&category=cars", 400, "bad_filter"),
    ("/api/v1/search?q=x&audience=aliens", 400, "bad_filter"),
    ("/api/v1/search?q=x&product=NOPE123", 400, "bad_filter"),
    ("/api/v1/search?q=x&explain=maybe", 400, "bad_explain"),
    ("/api/v1/autocomplete", 400, "missing_q"),
    ("/api/v1/articles/no-such-article", 404, "unknown_article"),
    ("/api/v1/articles/draft-new-firmware", 404, "unknown_article"),
    ("/api/v1/products/XX000", 404, "unknown_product"),
    ("/api/v1/products", 400, "missing_q"),
    ("/api/v1/nothing-here", 404, "not_found"),
])
def test_bad_input_gets_a_json_4xx(consultant, url, status, code):
    response = consultant.get(url)
    assert response.status_code == status
    assert response.is_json and response.json["error"] == code and response.json["message"]


def test_wrong_method_is_json_405_with_allow(consultant):
    response = consultant.post("/api/v1/search?q=x")
    assert response.status_code == 405 and response.json["error"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_a_body_that_is_not_a_json_object_is_400(consultant):
    for data, content_type in (("not json", "text/plain"), ("[1, 2]", "application/json"), ("{", "application/json")):
        response = consultant.post("/api/v1/usage", data=data, content_type=content_type)
        assert response.status_code == 400 and response.json["error"] == "bad_json"
    surrogate = consultant.post("/api/v1/usage", data='{"article_id": "\\ud800"}', content_type="application/json")
    assert surrogate.status_code == 400 and surrogate.json["error"] == "bad_article_id"


def test_an_unexpected_error_is_a_json_500_on_the_api_and_a_page_elsewhere(app_factory, monkeypatch):
    app = app_factory(testing=False)  # as in production: the error handlers answer
    services = app.extensions["kb_services"]

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services.engine, "autocomplete", broken)
    monkeypatch.setattr(services.escalations, "followups_ahead", broken)
    api = signed_in(app, "consultant").get("/api/v1/autocomplete?q=qn90")
    assert api.status_code == 500 and api.json["error"] == "internal_error" and "a bug" not in api.text
    page = signed_in(app, "consultant").get("/followups")
    assert page.status_code == 500 and "Something went wrong" in page.text and "a bug" not in page.text


# -- the requests that answered 500 in the hardening probe (issue 14), each now a clear 4xx -------------------------

LONG_ID = "a" * 300


@pytest.fixture(scope="module")
def served(app_factory):
    return app_factory(testing=False)  # as in production: a bug would be a 500 response, not an exception


@pytest.mark.parametrize("method, url, body, status, code", [
    ("GET", "/api/v1/articles/tv-wifi-drops/diff?from=99999999999999999999&to=1", None, 400, "bad_versions"),
    ("GET", "/api/v1/articles/tv-wifi-drops/diff?from=-1&to=1", None, 400, "bad_versions"),
    ("POST", "/api/v1/articles", '{"text": "\\ud800"}', 400, "bad_text"),
    ("PUT", "/api/v1/articles/tv-wifi-drops", '{"text": "x\\udfff", "base_version": 1}', 400, "bad_text"),
    ("GET", f"/api/v1/articles/{LONG_ID}/source", None, 404, "unknown_article"),
    ("GET", f"/api/v1/articles/{LONG_ID}/versions", None, 404, "unknown_article"),
    ("PUT", f"/api/v1/articles/{LONG_ID}", '{"text": "---\\nid: x\\n---\\n", "base_version": 1}', 422, None),
    ("GET", "/api/v1/articles/**/source", None, 404, "unknown_article"),
    ("GET", "/api/v1/articles/*/versions", None, 404, "unknown_article"),
    ("POST", "/api/v1/articles", '{"text": "no front matter at all"}', 422, "invalid_article"),
    ("POST", "/api/v1/escalations/1/answer", '{"answer": "x", "answered_by": "mallory"}', 400, "unknown_field"),
])
def test_what_answered_500_in_the_probe_is_a_clear_4xx(served, method, url, body, status, code):
    response = served.test_client().open(url, method=method, data=body, content_type="application/json",
                                         headers=bearer(served, "admin"))
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json and (code is None or response.json["error"] == code)


@pytest.mark.parametrize("action", ["submit", "publish"])
def test_actions_accept_the_documented_request_without_a_body(app_factory, action):
    app = app_factory()
    for body in (None, "{}"):
        response = app.test_client().post(f"/api/v1/articles/tv-wifi-drops/{action}", data=body,
                                          content_type="application/json" if body else None,
                                          headers=bearer(app, "admin"))
        assert response.status_code == 200, response.get_data(as_text=True)
    archived = app.test_client().delete("/api/v1/articles/tv-wifi-drops", headers=bearer(app, "admin"))
    assert archived.status_code == 200 and archived.json["status"] == "archived"
