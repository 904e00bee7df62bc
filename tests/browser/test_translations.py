"""Translations as their users meet them, in a real browser: a Polish consultant's result card says the Polish
version is out of date; a writer starts a Polish translation with "Translate", a reviewer changes the English
source, and the translation's editor shows the source side by side with its diff until "Mark as reviewed"."""

import pytest

from tests.support import SCREENSHOTS, bearer, services_of, wait_for_js

pytestmark = pytest.mark.browser

EDITOR = (1400, 1000)
SOURCE = """---
id: tv-remote-batteries-swap
title: "Remote control does nothing after new batteries"
type: troubleshooting
products: [QN90D*]
categories: [tv]
---

## Answer

Batteries put in the wrong way round are the usual cause. Check the + and - marks in the battery compartment,
then hold the remote close to the TV and press Power.
"""
POLISH_BODY = """## Odpowiedź

Najczęściej baterie są włożone odwrotnie. Proszę sprawdzić oznaczenia + i - w komorze baterii, a potem
skierować pilota na telewizor z bliska i nacisnąć przycisk zasilania.
"""


def shot(page, name):
    """A screenshot for the issue's closing note, under artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_a_polish_consultant_sees_that_the_polish_version_is_out_of_date(pages):
    page = pages.open("consultant", "/?q=telewizor+ciągle+traci+połączenie+z+wifi", viewport=(1280, 900),
                      locale="pl-PL")
    page.wait_for_selector("#results li.result")
    card = page.locator("li.result[data-article='tv-wifi-drops']")
    assert card.locator(".badge.translation").inner_text() == "Wersja polska nieaktualna"
    assert card.locator(".badge.translation").get_attribute("data-translation") == "outdated"
    assert card.locator(".badge.languages").inner_text() == "EN · PL"
    assert page.locator("li.result[data-article='tv-wifi-rozlacza-pl']").count() == 0  # one card per group
    missing = page.locator(".badge.translation[data-translation='missing']")
    assert missing.count() >= 1 and set(missing.all_inner_texts()) == {"Brak wersji polskiej"}
    shot(page, "console-translation-outdated")


def test_translate_then_a_source_change_opens_side_by_side_with_the_diff_until_reviewed(pages, live_server):
    app, client = live_server.app, live_server.app.test_client()
    made = client.post("/api/v1/articles", headers=bearer(app, "reviewer"),
                       json={"text": SOURCE.replace("---\n\n", "status: published\n---\n\n", 1)})
    assert made.status_code == 201, made.json

    writer = pages.open("writer", "/write/tv-remote-batteries-swap", viewport=EDITOR)
    writer.wait_for_selector("#e-translate:not([hidden])")
    assert writer.locator("#e-translate").inner_text() == "Translate into Polish"
    writer.click("#e-translate")
    writer.wait_for_url("**/write/tv-remote-batteries-swap-pl")
    wait_for_js(writer, "!document.getElementById('e-source').hidden")
    assert writer.input_value("#e-lang") == "pl" and writer.locator("#e-translate").is_hidden()
    assert "wrong way round" in writer.locator("#e-source-body").inner_text()
    assert writer.locator("#e-outdated").is_hidden()
    writer.fill("#e-title", "Pilot nie działa po wymianie baterii")
    writer.fill("#e-body", POLISH_BODY)
    writer.click("#e-submit")
    wait_for_js(writer, "document.getElementById('e-status').dataset.status === 'review'")
    published = client.post("/api/v1/articles/tv-remote-batteries-swap-pl/publish", headers=bearer(app, "reviewer"))
    assert published.status_code == 200, published.json

    source = client.get("/api/v1/articles/tv-remote-batteries-swap/source", headers=bearer(app, "reviewer")).json
    changed = source["text"].replace("press Power.", "press Power. If the red light on the remote stays off, "
                                                     "replace the batteries with new alkaline ones.")
    saved = client.put("/api/v1/articles/tv-remote-batteries-swap", headers=bearer(app, "reviewer"),
                       json={"text": changed, "base_version": source["version"]})
    assert saved.status_code == 200 and saved.json["status"] == "published"
    assert services_of(app).engine.version.articles["tv-remote-batteries-swap-pl"]["outdated"] is True

    reviewer = pages.open("reviewer", "/write/tv-remote-batteries-swap-pl", viewport=EDITOR, locale="pl-PL")
    reviewer.wait_for_selector("#e-outdated:not([hidden])")
    diff = reviewer.locator("#e-source-diff").inner_text()
    assert "+then hold the remote close to the TV and press Power. If the red light" in diff
    assert "-then hold the remote close to the TV and press Power." in diff
    assert "Tłumaczenie nieaktualne" in reviewer.locator("#e-outdated").inner_text()
    shot(reviewer, "editor-translation-side-by-side")

    reviewer.click("#e-reviewed")
    reviewer.wait_for_selector("#e-outdated", state="hidden")
    wait_for_js(reviewer, "document.getElementById('e-status').dataset.status === 'published'")
    assert services_of(app).engine.version.articles["tv-remote-batteries-swap-pl"]["outdated"] is False
    wait_for_js(reviewer, "document.getElementById('e-source-diff').textContent === '(bez zmian)'")
