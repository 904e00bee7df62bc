"""The consultant pages in a real browser: Debian's chromium driven by Playwright, against a live server on
127.0.0.1 serving the fixture knowledge base. Each test saves a screenshot under artifacts/screenshots/."""

import pytest
from sqlalchemy import select

from assist_api.db.schema import feedback, review_tasks
from tests.conftest import SCREENSHOTS, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_app(app_factory):
    return app_factory()


@pytest.fixture(scope="module")
def live_server(live_app):
    with serve(live_app) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture()
def page(browser, live_server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=live_server, bypass_csp=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def first_title(page):
    return page.locator("#results .result h3").first.inner_text()


def test_type_a_query_and_see_the_right_article_first(page):
    page.goto("/")
    assert page.evaluate("document.activeElement.id") == "q"  # focused on load
    page.keyboard.type("wasing mashine wont drain", delay=30)
    page.wait_for_function("document.querySelector('#results .result') !== null")
    page.wait_for_function("window.__kbPainted && window.__kbPainted.q === 'wasing mashine wont drain'")
    assert first_title(page) == "Washing machine will not drain and shows 5C"
    assert "q=wasing+mashine+wont+drain" in page.url
    assert page.locator("#results .result mark").count() > 0


def test_keyboard_only_open_article_and_come_back(page):
    page.goto("/")
    page.keyboard.type("ww90t554daw 4c")
    page.wait_for_function("window.__kbPainted && window.__kbPainted.q === 'ww90t554daw 4c'")
    assert page.locator("#r0").get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowDown")
    assert page.locator("#r1").get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/ww90t-4c-water-supply*")
    assert page.locator(".answer h2").inner_text() == "Answer"
    assert page.evaluate("document.activeElement.id") == "copy-answer"
    page.keyboard.press("Escape")
    page.wait_for_url("**/?q=ww90t554daw+4c*")
    page.wait_for_function("document.querySelectorAll('#results .result').length > 0")
    assert first_title(page) == "Washing machine shows 4C: no water coming in"


def test_slash_focuses_search_and_alt_c_copies_the_answer(page):
    page.goto("/?q=tv+no+sound")
    page.wait_for_function("document.querySelectorAll('#results .result').length > 0")
    page.locator("h1, body").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.press("Alt+c")
    page.wait_for_function("window.__kbCopied !== undefined")
    copied = page.evaluate("window.__kbCopied")
    assert copied.startswith("Most silent TVs are sending the sound")
    assert page.evaluate("navigator.clipboard.readText()") == copied


def test_filter_chips_detected_product_and_back_button(page):
    page.goto("/?q=sound&category=tv")
    page.wait_for_selector("[data-chip=category]")
    page.wait_for_function("document.querySelectorAll('#results .result').length > 0")
    page.click("[data-remove=category]")
    page.wait_for_function("!location.search.includes('category')")
    page.go_back()
    page.wait_for_function("location.search.includes('category=tv')")
    page.wait_for_selector("[data-chip=category]")
    page.fill("#q", "qn90d55 no sound")
    page.wait_for_selector("[data-chip=detected]")
    assert "QN90D55" in page.locator("[data-chip=detected]").inner_text()


def test_autocomplete_suggests_models_and_tab_accepts(page):
    page.goto("/")
    page.keyboard.type("qn90d6")
    page.wait_for_selector("#suggestions li[data-suggest]")
    assert "QN90D65" in page.locator("#suggestions li[data-suggest]").first.inner_text()
    page.keyboard.press("Tab")
    page.wait_for_selector("[data-chip=product]")
    assert "product=QN90D65" in page.url


def test_no_good_answer_offers_the_escalation_path(page):
    page.goto("/?q=zorblax+quantum+flux+capacitor")
    page.wait_for_selector("#no-answer:not([hidden])")
    assert "Technical support engineer" in page.locator("#no-answer").inner_text()


def test_older_keystrokes_never_overwrite_newer_results(page):
    held = []

    def hold_first(route):
        if "q=tv&" in route.request.url and not held:
            held.append(route)  # answer later, after the newer query's results are painted
        else:
            route.continue_()

    page.route("**/api/v1/search?*", hold_first)
    page.goto("/")
    page.fill("#q", "tv")
    page.wait_for_timeout(150)
    page.fill("#q", "washing machine drain")
    page.wait_for_function("window.__kbPainted && window.__kbPainted.q === 'washing machine drain'")
    for route in held:
        try:
            route.continue_()
        except Exception:  # noqa: BLE001 - the browser already aborted it, as it should
            pass
    page.wait_for_timeout(300)
    assert first_title(page) == "Washing machine will not drain and shows 5C"
    assert page.evaluate("window.__kbPainted.q") == "washing machine drain"


def test_polish_text_renders(page):
    page.goto("/?q=pralka+nie+odpompowuje+wody")
    page.wait_for_function("document.querySelectorAll('#results .result').length > 0")
    assert first_title(page) == "Pralka nie odpompowuje wody i pokazuje błąd 5C"
    page.locator("#results .result h3 a").first.click()
    assert page.locator("html").get_attribute("lang") == "pl"
    assert "Odpowiedź" in page.locator(".answer h2").inner_text()


def test_assist_panel_and_feedback_reach_the_database(page, live_app):
    page.goto("/assist")
    page.fill("#a-subject", "Washer")
    page.fill("#a-body", "My WW90T554DAW still shows 5C and water stays in the drum. I already cleaned the filter.")
    page.fill("#a-contact", "BROWSER-1")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#a-answers li")
    assert page.locator("#a-answers li h3").first.inner_text() == "Washing machine will not drain and shows 5C"
    assert "Repair registration" in page.locator("#a-escalation").inner_text()
    assert "serial number" in page.locator("#a-checklist").inner_text()
    page.locator("#a-answers li").first.locator("[data-act=wrong]").click()
    page.wait_for_function("document.getElementById('a-status').textContent.startsWith('Flagged')")
    database = live_app.extensions["kb_services"].database
    with database.engine.connect() as conn:
        rows = conn.execute(select(feedback.c.article_id, feedback.c.flag)).all()
        tasks = conn.execute(select(review_tasks.c.article_id)).all()
    assert ("ww90t-not-draining", "wrong") in rows and ("ww90t-not-draining",) in tasks


def test_compact_assist_for_an_iframe(page):
    page.goto("/assist?compact=1")
    assert page.locator("header.top").count() == 0
    assert page.locator("#assist-form").is_visible()


def test_followups_page_lists_overdue_first(page, live_server, live_app):
    import datetime as dt

    from assist_api.db import repo

    with live_app.extensions["kb_services"].database.engine.begin() as conn:
        path = live_app.extensions["kb_engine"].version.escalation["tech-support-engineer"]
        repo.open_escalation(conn, path, "r", "Old question about HDMI", repo.utcnow() - dt.timedelta(days=2))
        repo.open_escalation(conn, path, "r", "New question about Wi-Fi", repo.utcnow())
    page.goto("/followups")
    rows = page.locator("table").nth(0 if page.locator("table").count() == 1 else 1).locator("tbody tr")
    assert "Old question about HDMI" in rows.nth(0).inner_text() and "overdue" in rows.nth(0).inner_text()
    assert "New question about Wi-Fi" in rows.nth(1).inner_text()


def test_dark_theme_on_a_narrow_window(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 800}, color_scheme="dark", base_url=live_server,
                                  bypass_csp=True)
    page = context.new_page()
    page.goto("/?q=fridge+warm")
    page.wait_for_function("document.querySelectorAll('#results .result').length > 0")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 20, 24)"
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "test_dark_theme_on_a_narrow_window.png"), full_page=True)
    context.close()
