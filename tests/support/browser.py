"""Debian's chromium driven by Playwright, with the pages' Content-Security-Policy enforced (never bypassed):
every console error, uncaught exception and CSP violation of a page is collected, and a test fails on any.

>>> watch = PageWatch(); watch.attach(context)      # doctest: +SKIP
>>> watch.problems()                                 # doctest: +SKIP
[]
"""

import re
import shutil

from tests.support.apps import PASSWORD, username

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

# Runs before any script of every document (injected by the browser, so the CSP does not apply to it): reports
# each violation to the test through a binding.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.kbReportViolation({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                            line: e.lineNumber, sample: e.sample, page: location.href});
}, true);
"""
FAILED_LOAD = re.compile(r"Failed to load resource: the server responded with a status of (\d{3})")


def chromium_executable():
    """Debian's chromium (never a downloaded browser), or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class PageWatch:
    """Console errors, page errors and CSP violations of every page of a browser context.

    A test that provokes an HTTP error on purpose (a 409 conflict, a 404 page) says so with ``allow_status``;
    the browser logs such responses as console errors, and any other one still fails. The browser's own request
    for ``/favicon.ico`` (the app has none: a 404 on every first page) is left to the one test that expects it
    (tests/browser/test_policy.py), unless ``favicon=True``.
    """

    def __init__(self, favicon=False):
        self.console, self.page_errors, self.violations = [], [], []
        self.allowed_statuses = set()
        self.favicon = favicon

    def attach(self, context):
        """Watch a context: its pages now and later."""
        context.expose_binding("kbReportViolation", lambda _source, violation: self.violations.append(violation))
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("page", self.watch_page)
        return context

    def watch_page(self, page):
        """Collect a page's console errors and uncaught exceptions."""
        page.on("console", lambda msg: self.console.append((msg.text, msg.location.get("url") or page.url))
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.page_errors.append(f"{exc} ({page.url})"))

    def allow_status(self, *statuses):
        """Do not count the browser's "Failed to load resource" errors for these HTTP statuses."""
        self.allowed_statuses.update(statuses)

    def take(self):
        """The problems so far, forgetting them (for a test that provokes some on purpose)."""
        found = self.problems()
        self.console.clear(), self.page_errors.clear(), self.violations.clear()
        return found

    def problems(self):
        """Everything that went wrong on the watched pages, as lines."""
        console = [f"{text} ({url})" for text, url in self.console if not self._expected(text, url)]
        return ([f"console error: {m}" for m in console] + [f"page error: {m}" for m in self.page_errors]
                + [f"CSP violation: {v}" for v in self.violations])

    def _expected(self, text, url):
        failed = FAILED_LOAD.search(text)
        if failed is None:
            return False
        status = int(failed.group(1))
        return status in self.allowed_statuses or (status == 404 and url.endswith("/favicon.ico") and not self.favicon)


class BrowserPages:
    """Pages of a live server, each in a fresh browser context (signed in as a role through the sign-in form, once
    per role and session), all watched by one ``PageWatch``; ``close`` saves a screenshot of every page."""

    def __init__(self, browser, live):
        self.browser, self.live = browser, live
        self.watch = PageWatch()
        self.contexts = []

    def open(self, role=None, path="/", viewport=(1280, 800), **options):
        """A new page, signed in as ``role`` (None: signed out), at ``path`` (None: blank)."""
        page = self.context(role, viewport, **options).new_page()
        if path is not None:
            page.goto(path)
        return page

    def context(self, role=None, viewport=(1280, 800), **options):
        """A new watched browser context on the live server (the CSP is enforced: never ``bypass_csp``)."""
        settings = {"base_url": self.live.url, "viewport": {"width": viewport[0], "height": viewport[1]},
                    "storage_state": self.sign_in_state(role) if role else None}
        context = self.browser.new_context(**{**settings, **options})
        self.contexts.append(self.watch.attach(context))
        return context

    def sign_in_state(self, role):
        """Cookies of a session signed in as ``role`` through the sign-in form (watched too, not kept open)."""
        if role not in self.live.sign_ins:
            context = self.context(None)
            page = context.new_page()
            sign_in(page, username(role), next_url="/learn")
            page.wait_for_url("**/learn")
            self.live.sign_ins[role] = context.storage_state()
            self.contexts.remove(context)
            context.close()
        return self.live.sign_ins[role]

    def close(self, folder, name):
        """Save every open page as ``<name>[-<i>].png`` under ``folder``; close the contexts."""
        folder.mkdir(parents=True, exist_ok=True)
        shots = [p for c in self.contexts for p in c.pages if not p.is_closed() and p.url != "about:blank"]
        for i, page in enumerate(shots):
            suffix = "" if len(shots) == 1 else f"-{i}"
            page.screenshot(path=str(folder / f"{name}{suffix}.png"), full_page=True)
        for context in self.contexts:
            context.close()


def sign_in(page, user, password=None, next_url="/"):
    """Sign in through the form, as a person would."""
    page.goto(f"/login?next={next_url}")
    page.fill("#username", user)
    page.fill("#password", PASSWORD if password is None else password)
    page.click("#login-submit")
    page.wait_for_load_state()


def wait_for_js(page, expression, timeout_ms=10_000):
    """Wait until a JavaScript expression is truthy on the page (errors while a page loads count as not yet);
    return its value.

    Playwright's ``wait_for_function`` compiles its predicate with ``new Function`` in the page, which the pages'
    policy (no 'unsafe-eval') rightly blocks; ``evaluate`` goes through the DevTools protocol instead.
    """
    from playwright.sync_api import Error

    step, last = 50, None
    for _ in range(max(1, timeout_ms // step)):
        try:
            value = page.evaluate(expression)
        except Error as exc:  # the element is not there yet, or the page is navigating
            value, last = None, exc
        if value:
            return value
        page.wait_for_timeout(step)
    raise AssertionError(f"still false after {timeout_ms} ms: {expression}" + (f" (last error: {last})" if last else ""))
