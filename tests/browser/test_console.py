"""The consultant's search console in a real browser, signed in as a consultant: results while typing, keyboard
only, filters in the URL, autocomplete, no-good-answer escalation, Polish, the dark theme on a narrow window."""

import pytest
from sqlalchemy import select

from services.db.schema import search_events

from tests.support import SCREENSHOTS, services_of, wait_for_js

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
    assert page.locator("article").get_attribute("lang") == "pl"  # the article's language; the page's is the UI's
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


def shot(page, name):
    """A screenshot for the issue's closing note, under artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_no_good_answer_is_the_first_thing_on_screen_and_nothing_is_highlighted(pages):
    page = pages.open("consultant", "/?q=asdfghjkl", viewport=(1280, 900))
    page.wait_for_selector("#no-answer:not([hidden])")
    wait_for_js(page, "document.querySelectorAll('#results .result').length > 0")
    box = page.locator("#no-answer").bounding_box()
    first = page.locator("#results .result").first.bounding_box()
    assert box["y"] + box["height"] <= 900 and box["y"] < first["y"]  # visible without scrolling, above the hits
    assert page.locator("#results .result[aria-selected=true]").count() == 0
    assert page.locator("#results .result.weak").count() == page.locator("#results .result").count()
    href = page.locator("#no-answer-escalate").get_attribute("href")
    assert "path=tech-support-engineer" in href and "question=asdfghjkl" in href
    shot(page, "console-no-good-answer")


def test_every_card_shows_its_confidence_and_weak_results_are_marked(pages):
    page = pages.open("consultant", "/?q=ww90t554daw+4c+water", viewport=(1280, 900))
    wait_for_results(page)
    levels = page.eval_on_selector_all("#results .result .confidence", "els => els.map(e => e.dataset.level)")
    assert len(levels) == page.locator("#results .result").count()
    assert levels[0] == "high" and "weak" in levels
    assert "%" in page.locator("#r0 .confidence").inner_text()
    weak = page.locator("#results .result.weak").first
    assert "weak match" in weak.locator(".confidence").inner_text()
    shot(page, "console-confident-and-weak")


def test_one_esc_never_wipes_the_query(pages):
    page = pages.open("consultant", "/")
    page.keyboard.type("ww90t554", delay=20)
    page.wait_for_selector("#suggestions li[data-suggest]")
    page.keyboard.press("Escape")  # closes the suggestions
    assert page.locator("#suggestions").is_hidden() and page.input_value("#q") == "ww90t554"
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.input_value("#q") == "ww90t554"
    assert page.evaluate("document.activeElement.selectionEnd - document.activeElement.selectionStart") == 8


def test_arrow_keys_move_through_the_suggestions_and_enter_takes_one(pages):
    page = pages.open("consultant", "/")
    page.keyboard.type("ww90t554", delay=20)
    page.wait_for_selector("#suggestions li[data-suggest]")
    texts = page.locator("#suggestions li[data-suggest]").all_inner_texts()
    target = next(i for i, t in enumerate(texts) if "WW90T554DAW" in t)
    first_box = None
    wait_for_results(page)
    first_box = page.locator("#r0").bounding_box()
    list_box = page.locator("#suggestions").bounding_box()
    assert list_box["y"] + list_box["height"] <= first_box["y"]  # the list never covers the first result
    for _ in range(target + 1):  # the first ↓ enters the list
        page.keyboard.press("ArrowDown")
    assert page.locator("#suggestions").is_visible()
    assert page.locator(f"#s{target}").get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-chip=product]")
    assert "product=WW90T554DAW" in page.url or "WW90T554DAW" in page.locator("[data-chip=product]").inner_text()


def test_after_a_reload_the_filter_menus_show_the_active_filters(pages):
    page = pages.open("consultant", "/?q=drain&category=washing-machine&type=troubleshooting&lang=en")
    page.wait_for_selector("[data-chip=category]")
    page.reload()
    page.wait_for_selector("[data-chip=category]")
    assert page.input_value("#f-category") == "washing-machine"
    assert page.input_value("#f-type") == "troubleshooting" and page.input_value("#f-lang") == "en"
    page.click("[data-remove=type]")
    wait_for_js(page, "document.getElementById('f-type').value === ''")


def test_the_detected_product_chip_uses_a_glyph_every_font_has(pages):
    page = pages.open("consultant", "/?q=qn90d55+no+sound")
    page.wait_for_selector("[data-chip=detected] [data-pin]")
    assert page.locator("[data-chip=detected] [data-pin]").inner_text() == "+"
    assert page.locator("[data-chip=detected] [data-pin]").get_attribute("aria-label") == "Filter by QN90D55"


def test_a_search_is_logged_once_when_the_consultant_stops_typing_not_per_keystroke(pages, live_server):
    services = services_of(live_server.app)
    page = pages.open("consultant", "/")
    page.keyboard.type("washing machine will not drain", delay=60)
    wait_for_js(page, "window.__kbPainted && window.__kbPainted.q === 'washing machine will not drain'")
    # the consultant stopped typing: the search session ends and is logged once, not once per keystroke
    assert logged_soon(page, services, ["washing machine will not drain"])
    page.keyboard.type(" 5c")
    wait_for_js(page, "window.__kbPainted && window.__kbPainted.q === 'washing machine will not drain 5c'")
    page.keyboard.press("Enter")  # opens the first result: the new search is logged once, before leaving
    page.wait_for_url("**/articles/**")
    assert logged_soon(page, services, ["washing machine will not drain", "washing machine will not drain 5c"])


def logged_soon(page, services, expected, seconds=6):
    """Whether the logged searches of this test become ``expected`` (and stay so for a moment)."""
    for _ in range(seconds * 5):
        services.events.flush()
        if event_queries(services) == expected:
            page.wait_for_timeout(500)
            services.events.flush()
            return event_queries(services) == expected
        page.wait_for_timeout(200)
    return False


def event_queries(services, prefix="washing machine will"):
    """The logged searches of this test (other tests' pages may log theirs when they close)."""
    with services.database.connect() as conn:
        return conn.execute(select(search_events.c.query).where(search_events.c.kind == "search",
                                                                 search_events.c.query.startswith(prefix))
                            .order_by(search_events.c.id)).scalars().all()


def test_the_console_in_polish(pages):
    page = pages.open("consultant", "/?q=pralka+nie+odpompowuje+wody", viewport=(1280, 900), locale="pl-PL")
    wait_for_results(page)
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("header nav a").first.inner_text() == "Wyszukiwarka"
    assert page.get_attribute("#q", "placeholder").startswith("Wpisz problem")
    status = page.locator("#status").inner_text()
    assert any(word in status for word in ("wynik", "wyniki", "wyników"))
    assert page.locator("#r0 .confidence").inner_text().split(" · ")[0] in ("pewne dopasowanie", "możliwe dopasowanie",
                                                                              "słabe dopasowanie")
    shot(page, "console-polish")
