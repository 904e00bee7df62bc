"""Page responses through the test client: security headers, framing policy, sanitized article pages."""


def test_pages_render_and_only_assist_may_be_framed(client):
    for url in ("/", "/?q=drain", "/articles/ww90t-not-draining", "/followups"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
    assist = client.get("/assist?compact=1")
    assert "frame-ancestors 'self'" in assist.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in assist.headers
    assert b'class="compact"' in assist.data


def test_frame_ancestors_is_configuration(app_factory):
    app = app_factory(frame_ancestors="https://tickets.example.com")
    header = app.test_client().get("/assist").headers["Content-Security-Policy"]
    assert "frame-ancestors https://tickets.example.com" in header


def test_article_page_is_sanitized_and_answer_first(client):
    html = client.get("/articles/hostile-html").get_data(as_text=True).lower()
    assert "alert(" not in html.split("<textarea")[0] or "<script>alert" not in html
    assert "onerror" not in html and "javascript:" not in html and "onclick" not in html
    page = client.get("/articles/ww90t-not-draining?q=drain&section=steps").get_data(as_text=True)
    assert page.index('id="answer-title"') < page.index('id="steps"')
    assert 'class="section matched" id="steps"' in page
    assert client.get("/articles/draft-new-firmware").status_code == 404


def test_static_files_are_served(client):
    for name in ("console.js", "article.js", "assist.js", "app.css", "theme.js"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and len(response.get_data()) > 100
        response.close()


def test_redirect_targets_stay_on_this_site():
    from assist_api.auth import safe_next

    assert safe_next("/learn/tv", "/") == "/learn/tv"
    for target in ("https://evil.example", "//evil.example", "/\\evil.example", "", None):
        assert safe_next(target, "/home") == "/home"
