"""Pages through Flask's test client, signed in as the role each page is for: status codes, the security headers
(a strict Content-Security-Policy on every page; only the assist panel may be framed), no inline script or style
the policy would block, sanitized articles and the static files."""

import re

import pytest

from tests.support import PAGES, signed_in

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors {}")
INLINE = [(re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.I), "an inline script"),
          (re.compile(r"<[^>]+\sstyle\s*=", re.I), "a style attribute"),
          (re.compile(r"<style[\s>]", re.I), "a style element"),
          (re.compile(r"<[^>]+\son[a-z]+\s*=", re.I), "an event handler attribute"),
          (re.compile(r"javascript:", re.I), "a javascript: URL")]


@pytest.mark.parametrize("role, url", PAGES, ids=[f"{r or 'anonymous'}:{u}" for r, u in PAGES])
def test_pages_render_with_a_strict_policy_and_nothing_inline(app, role, url):
    response = signed_in(app, role).get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Security-Policy"] == CSP.format("'none'")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff" and response.headers["Referrer-Policy"] == "same-origin"
    html = response.get_data(as_text=True)
    for pattern, what in INLINE:
        assert not pattern.search(html), f"{url} has {what} the policy would block: {pattern.search(html).group(0)}"
    if role:
        assert 'name="csrf-token" content="' in html


def test_only_the_assist_panel_may_be_framed(app):
    for url in ("/assist", "/assist?compact=1"):
        response = signed_in(app, "consultant").get(url)
        assert response.status_code == 200
        assert response.headers["Content-Security-Policy"] == CSP.format("'self'")
        assert "X-Frame-Options" not in response.headers
    compact = signed_in(app, "consultant").get("/assist?compact=1").get_data(as_text=True)
    assert 'class="compact"' in compact and 'class="top"' not in compact  # no navigation in the iframe


def test_frame_ancestors_is_configuration(app_factory):
    app = app_factory(frame_ancestors="https://tickets.example.com")
    header = signed_in(app, "consultant").get("/assist").headers["Content-Security-Policy"]
    assert header.endswith("frame-ancestors https://tickets.example.com")
    assert signed_in(app, "consultant").get("/").headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")


def test_article_page_is_sanitized_and_answer_first(app):
    consultant = signed_in(app, "consultant")
    html = consultant.get("/articles/hostile-html").get_data(as_text=True).lower()
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html and "onclick" not in html
    page = consultant.get("/articles/ww90t-not-draining?q=drain&section=steps").get_data(as_text=True)
    assert page.index('id="answer-title"') < page.index('id="steps"')
    assert 'class="section matched" id="steps"' in page
    assert 'lang="pl"' in consultant.get("/articles/pralka-nie-odpompowuje-pl").get_data(as_text=True)


def test_the_editor_shows_reviewer_buttons_only_to_reviewers(app):
    assert 'id="e-publish"' not in signed_in(app, "writer").get("/write/tv-wifi-drops").get_data(as_text=True)
    assert 'id="e-publish"' in signed_in(app, "reviewer").get("/write/tv-wifi-drops").get_data(as_text=True)


def test_insights_tables_export_as_csv(app):
    lead = signed_in(app, "team-lead")
    csv = lead.get("/insights/content_gaps.csv?from=2026-01-01&to=2026-02-01")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.headers["Content-Disposition"] == 'attachment; filename="content_gaps-2026-01-01-2026-02-01.csv"'
    assert csv.get_data(as_text=True).splitlines()[0] == "query,kind,count,best_confidence"
    assert lead.get("/insights/secrets.csv").status_code == 404
    assert lead.get("/insights?from=yesterday").status_code == 400


def test_static_files_are_served_to_everyone(app):
    for name in ("console.js", "article.js", "assist.js", "editor.js", "common.js", "app.css", "theme.js"):
        response = app.test_client().get(f"/static/{name}")
        assert response.status_code == 200 and len(response.get_data()) > 100
        response.close()
