"""The XSS corpus (``tests/xss/payloads.txt``, 62 payloads) placed wherever text reaches a page (article titles and
bodies, search queries and URL parameters, escalation questions, contact subjects and texts, feedback comments,
the assist form) and rendered on every page in chromium with the pages' CSP enforced: no payload ever runs (each
calls ``kbXss(n)``, exposed to every page), and no page reports a CSP violation or a console error."""

import urllib.parse

import pytest

from kb.front_matter import dump
from tests.support import (FIXTURE_KB, ROOT, SCREENSHOTS, BrowserPages, LiveServer, bearer, serve, services_of,
                           wait_for_js)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAYLOADS = [line for line in (ROOT / "tests" / "xss" / "payloads.txt").read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def payload_article(n, payload, status="published"):
    front = {"id": f"xss-{n}", "title": f"Remote xsskeyword {n} {payload}", "type": "faq", "categories": ["tv"],
             "products": ["QN90D*"], "status": status, "tags": [payload[:60]]}
    body = (f"\n## Answer\n\nPress the xsskeyword button {n}. {payload}\n\n## Payload as Markdown\n\n{payload}\n\n"
            f"- {payload}\n\n`{payload}`\n")
    return dump(front, body)


@pytest.fixture(scope="module")
def xss_live(app_factory, tmp_path_factory):
    """A live server whose content, database and logs are full of the payloads."""
    import shutil

    content = tmp_path_factory.mktemp("xss") / "content"
    shutil.copytree(FIXTURE_KB, content)
    for n, payload in enumerate(PAYLOADS, 1):
        (content / "tv" / f"xss-{n}.md").write_text(payload_article(n, payload, "review" if n % 10 == 0 else
                                                                    "published"))
    app = app_factory(content=content)
    seed(app)
    with serve(app) as url:
        yield LiveServer(url, app)


def seed(app):
    """Escalations, contacts, feedback and searches carrying the payloads (what the other pages show)."""
    client, consultant = app.test_client(), bearer(app, "consultant")
    for n, payload in enumerate(PAYLOADS, 1):
        assert client.post("/api/v1/escalations", headers=consultant, json={
            "path_id": "tech-support-engineer", "question": payload, "reason": payload}).status_code == 201
        if n % 3 == 0:
            assist = client.post("/api/v1/assist", headers=consultant, json={
                "subject": payload, "body": f"My TV remote xsskeyword {payload}", "contact_id": f"XSS-{n}"})
            assert assist.status_code == 200
        client.get("/api/v1/search", headers=consultant, query_string={"q": payload[:400]})
    assert client.post("/api/v1/feedback", headers=consultant, json={
        "article_id": "xss-1", "helpful": False, "flag": "wrong", "comment": PAYLOADS[0]}).status_code == 201
    escalation = client.get("/api/v1/escalations?status=open", headers=consultant).json["escalations"][0]
    assert client.post(f"/api/v1/escalations/{escalation['id']}/answer", headers=bearer(app, "engineer"),
                       json={"answer": PAYLOADS[2]}).status_code == 200
    services_of(app).events.flush()


def quoted(payload):
    return urllib.parse.quote(payload, safe="")


def visits(live):
    """``(role, path)`` of every page with payloads in it."""
    services = services_of(live.app)
    contacts = [r["id"] for r in services.training.practice(None)][:5]
    yield from [("admin", p) for p in ("/?q=xsskeyword", "/review", "/followups", "/insights", "/learn", "/learn/tv",
                                       "/reading", "/practice", "/write", "/assist", "/reading/article/xss-1")]
    yield from [("admin", f"/practice/{c}") for c in contacts]
    for n, payload in enumerate(PAYLOADS, 1):
        yield "consultant", f"/?q={quoted(payload)}"
        yield "consultant", f"/articles/xss-{n}?q={quoted(payload)}&section={quoted(payload)}"
        yield "consultant", f"/articles/{quoted(payload)}"  # the 404 page names the id asked for
        yield "consultant", f"/learn/{quoted(payload)}"
        yield "team-lead", f"/insights?category={quoted(payload)}&from={quoted(payload)}"
        if n % 4 == 0:
            yield "writer", f"/write/xss-{n}"
        yield None, f"/login?next={quoted(payload)}"


def test_no_payload_runs_on_any_page(browser, xss_live, request):
    pages = BrowserPages(browser, xss_live)
    pages.watch.allow_status(400, 404)  # ids and dates made of payloads are refused: that is the point
    fired = []
    contexts = {}
    loads = 0
    try:
        for role, path in visits(xss_live):
            if role not in contexts:
                contexts[role] = pages.context(role)
                contexts[role].expose_binding("kbXss", lambda source, n: fired.append((n, source["page"].url)))
                contexts[role].new_page()
            page = contexts[role].pages[0]
            page.goto(path)
            loads += 1
            if path.startswith("/?q="):  # the results are rendered by console.js from the API's answer
                wait_for_js(page, "document.getElementById('status').textContent.length > 0")
            elif path.startswith("/write/"):  # the editor loads the source, then renders the preview
                page.wait_for_load_state("networkidle")
        contexts["admin"].pages[0].evaluate("kbXss(0)")  # the detector itself works (evaluate is not under the CSP)
        assert fired and fired.pop()[0] == 0
        assist = contexts["admin"].new_page()
        for payload in PAYLOADS[:20]:
            assist.goto("/assist")
            assist.fill("#a-subject", payload)
            assist.fill("#a-body", f"TV remote xsskeyword {payload}")
            assist.click("#a-submit")
            assist.wait_for_selector("#a-answers li")
            loads += 1
        for page in (p for c in contexts.values() for p in c.pages):  # focus and click what a payload made
            for selector in ("#kb-xss-click", "a[href^='javascript']", "input[autofocus]"):
                if page.locator(selector).count():
                    page.locator(selector).first.click(timeout=2000)
    finally:
        pages.close(SCREENSHOTS, request.node.name)
    assert loads > 400
    assert fired == [], f"{len(fired)} payloads ran: {fired[:5]}"
    assert pages.watch.problems() == []
