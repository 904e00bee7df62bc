"""The embed contract in a real browser with every page's CSP enforced: the example host of docs/embed, on another
local origin (``localhost``, another site than the knowledge base's ``127.0.0.1``, so no session cookie helps),
frames the assist panel, gives it a panel token made by its server, sends a ticket and receives the chosen answer.
A host on an origin that KB_FRAME_ANCESTORS does not list cannot frame the panel, and a panel it opens as a popup
ignores its messages even with a valid token."""

import pytest
from sqlalchemy import select

from services.db.schema import audit_log, usage
from tests.support import SCREENSHOTS, PageWatch, close_app, host_server, serve, services_of, wait_for_js

pytestmark = pytest.mark.browser


@pytest.fixture()
def embed_setup(app_factory):
    """``(kb_url, allowed host, other host, app)``: a knowledge base that lets only the first host frame it."""
    with host_server() as allowed, host_server() as other:
        app = app_factory(frame_ancestors=f"'self' http://localhost:{allowed.server_port}")
        with serve(app) as kb_url:
            for host in (allowed, other):
                host.kb_url, host.api_token = kb_url, app.extensions["kb_test_tokens"]["consultant"]
            yield kb_url, allowed, other, app
        close_app(app)


def test_a_ticket_system_on_another_origin_sends_a_ticket_and_gets_the_answer(browser, embed_setup):
    kb_url, allowed, _, app = embed_setup
    watch = PageWatch()
    context = watch.attach(browser.new_context(viewport={"width": 1300, "height": 900}))
    urls = []
    context.on("request", lambda request: urls.append(request.url))
    page = context.new_page()
    page.goto(f"http://localhost:{allowed.server_port}/")
    wait_for_js(page, "document.getElementById('kb-status').textContent === 'Connected'")
    page.click("#ask")
    wait_for_js(page, "/^\\d+ suggestions/.test(document.getElementById('kb-status').textContent)", 30_000)
    panel = page.frame_locator("#kb-side iframe")
    assert panel.locator("#a-answers li h3").first.inner_text() == "Washing machine will not drain and shows 5C"
    assert panel.locator("#a-body").input_value().startswith("My WW90T554DAW shows 5C")
    panel.locator("#a-answers li").first.locator("[data-embed=send]").click()
    wait_for_js(page, "document.getElementById('kb-status').textContent === 'Answer inserted'")
    reply = page.locator("#reply").input_value()
    assert "filter" in reply.lower() and reply.endswith(f"{kb_url}/articles/ww90t-not-draining#answer")
    escalates = panel.locator("#a-esc-open").is_visible()  # a path is chosen (the box itself always shows)
    assert ("escalate to" in page.locator("#reply-source").inner_text()) == escalates
    page.screenshot(path=str(SCREENSHOTS / "embed-host-answer.png"), full_page=True)
    context.close()
    assert watch.problems() == []
    assert not any("kbe_" in url or "kb_" in url.split("?", 1)[-1] for url in urls)  # no secret in any URL
    services = services_of(app)
    services.events.flush()
    with services.database.connect() as conn:
        used = conn.execute(select(usage.c.article_id, usage.c.action)).all()
        audit = conn.execute(select(audit_log.c.action, audit_log.c.via, audit_log.c.actor, audit_log.c.detail)).all()
    assert ("ww90t-not-draining", "used") in used
    assert ("token-create", "token", "consultant1") in [a[:3] for a in audit]
    assert any(a[:3] == ("assist", "embed", "consultant1") and "demo agent" in a[3] for a in audit)


def test_a_host_on_an_origin_not_allowed_cannot_use_the_panel(browser, embed_setup):
    kb_url, _, other, app = embed_setup
    watch = PageWatch()
    context = watch.attach(browser.new_context())
    page = context.new_page()
    page.goto(f"http://localhost:{other.server_port}/")
    page.wait_for_timeout(1500)
    assert page.locator("#kb-status").inner_text() == "Connecting to the knowledge base…"  # the panel never spoke
    assert page.locator("#ask").is_disabled()
    refused = [p for p in watch.take() if "frame-ancestors" in p or "Refused to frame" in p]
    assert refused, "the browser should refuse to frame the panel"
    token = page.evaluate("fetch('/kb-embed-token', {method: 'POST'}).then(r => r.json()).then(d => d.token)")
    with context.expect_page() as popup_info:
        page.evaluate(f"window.kbPanel = window.open('{kb_url}/assist?compact=1')")
    popup = popup_info.value
    popup.wait_for_load_state()
    page.evaluate("""token => {
        window.heard = [];
        window.addEventListener('message', e => window.heard.push(e.data));
        kbPanel.postMessage({type: 'kb:hello'}, '*');
        kbPanel.postMessage({type: 'kb:auth', token: token}, '*');
        kbPanel.postMessage({type: 'kb:ticket', ticket: {body: 'My TV has no sound'}}, '*');
    }""", token)
    page.wait_for_timeout(1000)
    assert popup.locator("#a-body").input_value() == ""
    assert popup.locator("#a-submit").is_disabled() and popup.locator("#a-answers li").count() == 0
    assert page.evaluate("window.heard") == []
    popup.screenshot(path=str(SCREENSHOTS / "embed-not-allowed-popup.png"))
    page.screenshot(path=str(SCREENSHOTS / "embed-not-allowed-host.png"))
    context.close()
    assert watch.problems() == []
