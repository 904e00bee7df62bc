"""The consultant's search console in a real browser, signed in as a consultant: results while typing, keyboard
only, filters in the URL, autocomplete, no-good-answer escalation, Polish, the dark theme on a narrow window."""

import pytest

from tests.support import wait_for_js

pytestmark = pytest.mark.browser


def first_title(page):
    return page.locator("#results .result h3").first.inner_text()


def wait_for_results(page):
    wait_for_js(page, "document.querySelectorAll('#results .result').length > 0")


def test_type_a_query_and_see_the_right_article_first(pages):
    page = pages.open("consultant", "/")
    assert page.evaluate("document.activeElement.id") == "q"  # focused on load
    page.keyboard.type("wasing mashine wont drain", delay=30)
    wait_for_js(page, "window.__kbPainted && window.__kbPainted.q === 'wasing mashine wont drain'")
    assert first_title(page) == "Washing machine will not drain and shows 5C"
    assert "q=wasing+mashine+wont+drain" in page.url
    assert page.locator("#results .result mark").count() > 0
    assert "searched for: washing machine" in page.locator("#status").inner_text()


def test_keyboard_only_open_article_and_come_back(pages):
    page = pages.open("consultant", "/")
    page.keyboard.type("ww90t554daw 4c")
    wait_for_js(page, "window.__kbPainted && window.__kbPainted.q === 'ww90t554daw 4c'")
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
    wait_for_results(page)
    assert first_title(page) == "Washing machine shows 4C: no water coming in"


def test_slash_focuses_search_and_alt_c_copies_the_answer(pages, live_server):
    page = pages.open("consultant", "/?q=tv+no+sound", permissions=["clipboard-read", "clipboard-write"])
    wait_for_results(page)
    page.locator("h1, body").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.press("Alt+c")
    wait_for_js(page, "window.__kbCopied !== undefined")
    copied = page.evaluate("window.__kbCopied")
    assert copied.startswith("Most silent TVs are sending the sound")
    assert page.evaluate("navigator.clipboard.readText()") == copied


def test_filter_chips_detected_product_and_back_button(pages):
    page = pages.open("consultant", "/?q=sound&category=tv")
    page.wait_for_selector("[data-chip=category]")
    wait_for_results(page)
    page.click("[data-remove=category]")
    wait_for_js(page, "!location.search.includes('category')")
    page.go_back()
    wait_for_js(page, "location.search.includes('category=tv')")
    page.wait_for_selector("[data-chip=category]")
    page.fill("#q", "qn90d55 no sound")
    page.wait_for_selector("[data-chip=detected]")
    assert "QN90D55" in page.locator("[data-chip=detected]").inner_text()


def test_autocomplete_suggests_models_and_tab_accepts(pages):
    page = pages.open("consultant", "/")
    page.keyboard.type("qn90d6")
    page.wait_for_selector("#suggestions li[data-suggest]")
    assert "QN90D65" in page.locator("#suggestions li[data-suggest]").first.inner_text()
    page.keyboard.press("Tab")
    page.wait_for_selector("[data-chip=product]")
    assert "product=QN90D65" in page.url


def test_why_this_result_explains_the_signals(pages):
    page = pages.open("consultant", "/?q=ww90t554daw+drain+filter")
    wait_for_results(page)
    page.locator("#r0 [data-why]").click()
    explanation = page.locator("#r0 .explain")
    assert explanation.is_visible() and "product exact" in explanation.inner_text()


def test_no_good_answer_offers_the_escalation_path(pages):
    page = pages.open("consultant", "/?q=zorblax+quantum+flux+capacitor")
    page.wait_for_selector("#no-answer:not([hidden])")
    assert "Technical support engineer" in page.locator("#no-answer").inner_text()


def test_older_keystrokes_never_overwrite_newer_results(pages):
    held = []

    def hold_first(route):
        if "q=tv&" in route.request.url and not held:
            held.append(route)  # answer later, after the newer query's results are painted
        else:
            route.continue_()

    page = pages.open("consultant", None)
    page.route("**/api/v1/search?*", hold_first)
    page.goto("/")
    page.fill("#q", "tv")
    page.wait_for_timeout(150)
    page.fill("#q", "washing machine drain")
    wait_for_js(page, "window.__kbPainted && window.__kbPainted.q === 'washing machine drain'")
    for route in held:
        try:
            route.continue_()
        except Exception:  # noqa: BLE001 - the browser already aborted it, as it should
            pass
    page.wait_for_timeout(300)
    assert first_title(page) == "Washing machine will not drain and shows 5C"
    assert page.evaluate("window.__kbPainted.q") == "washing machine drain"


def test_polish_text_renders(pages):
    page = pages.open("consultant", "/?q=pralka+nie+odpompowuje+wody")
    wait_for_results(page)
    assert first_title(page) == "Pralka nie odpompowuje wody i pokazuje błąd 5C"
    page.locator("#results .result h3 a").first.click()
    page.wait_for_url("**/articles/pralka-nie-odpompowuje-pl*")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert "Odpowiedź" in page.locator(".answer h2").inner_text()


def test_dark_theme_on_a_narrow_window(pages):
    page = pages.open("consultant", "/?q=fridge+warm", viewport=(390, 800), color_scheme="dark")
    wait_for_results(page)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 20, 24)"
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    page.click("#theme-toggle")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"  # the choice is remembered
