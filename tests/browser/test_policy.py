"""The browser tests run with the pages' Content-Security-Policy enforced, and the watch that fails a test on a
console error or a CSP violation really sees them."""

import pytest

pytestmark = pytest.mark.browser

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__kbInline = true";
  document.body.appendChild(script);
  document.body.insertAdjacentHTML("beforeend", '<p style="color: red">styled</p><img src="https://example.invalid/x.png">');
  setTimeout(() => { throw new Error("kb test: an uncaught error"); }, 0);
}"""


def wait_for(page, condition, timeout_ms=3000):
    for _ in range(timeout_ms // 50):
        if condition():
            return True
        page.wait_for_timeout(50)
    return condition()


def test_the_policy_is_enforced_and_every_violation_is_seen(pages):
    page = pages.open("consultant", "/")
    page.wait_for_load_state("networkidle")
    assert pages.watch.problems() == []  # the console page itself is clean
    page.evaluate(INJECT)
    assert wait_for(page, lambda: len(pages.watch.violations) >= 3 and pages.watch.page_errors)
    assert page.evaluate("window.__kbInline") is None  # the inline script did not run: the policy is enforced
    directives = {v["directive"] for v in pages.watch.violations}
    problems = pages.watch.take()
    assert {"script-src-elem", "style-src-attr", "img-src"} <= directives, problems
    assert any("kb test: an uncaught error" in p for p in problems)
    assert any(p.startswith("console error: Executing inline script violates") for p in problems)


def test_a_first_visit_logs_no_console_error_at_all(pages):
    pages.watch.favicon = True
    # the browser remembers a missing icon per origin: "localhost" is an origin no other test visits
    page = pages.context(None, base_url=pages.live.url.replace("127.0.0.1", "localhost")).new_page()
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    problems = pages.watch.take()
    assert problems == []
