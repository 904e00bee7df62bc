"""Writer Markdown becomes HTML that cannot run code on a consultant's screen."""

import pytest

from kb.render import to_html, to_text


@pytest.mark.parametrize("md", [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="#" onclick="steal()">x</a>',
    "<iframe src='https://evil.example'></iframe>",
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"></svg>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
])
def test_no_script_no_event_handlers_no_javascript_urls(md):
    html = to_html(md).lower()
    for bad in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<style", "data:text"):
        assert bad not in html


def test_formatting_and_kb_links_survive():
    html = to_html("**bold** and a [link](kb:repair-registration#steps)\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<strong>bold</strong>" in html
    assert 'href="/articles/repair-registration#steps"' in html
    assert "<table>" in html


def test_plain_text_keeps_numbers_and_drops_markup():
    text = to_text("1. Open **Settings**\n2. Choose *Sound*\n\n- a\n- b")
    assert text == "1. Open Settings\n2. Choose Sound\n\n- a\n- b"
