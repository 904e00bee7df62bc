"""Reply drafts in the assist panel, in a real browser: a Polish e-mail ticket gets a Polish draft with a source for
every sentence; a weak ticket gets a draft that says what happens next; copy and "used" reach the database, and
the embedding ticket screen can read the draft through ``window.KBDraft.current()``."""

import pytest
from sqlalchemy import select

from services.db.schema import draft_events, drafts
from tests.support import services_of, wait_for_js

pytestmark = pytest.mark.browser


def ask(page, subject, body, channel="email", contact=None):
    page.fill("#a-subject", subject)
    page.fill("#a-body", body)
    page.select_option("#a-channel", channel)
    if contact:
        page.fill("#a-contact", contact)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#draft:not([hidden])")


def draft_now(page):
    page.keyboard.press("Alt+d")
    page.wait_for_selector("#d-result:not([hidden])")
    wait_for_js(page, "document.querySelectorAll('#d-sentences li').length > 0")
    return page.locator("#d-sentences li")


def test_a_polish_email_ticket_gets_a_polish_draft_with_a_source_for_every_sentence(pages, live_server):
    page = pages.open("consultant", "/assist")
    ask(page, "Pralka nie odpompowuje", "Dzień dobry, moja pralka WW90T554DAW nie odpompowuje wody i na wyświetlaczu "
        "jest błąd 5C. Co mogę zrobić?", contact="MAIL-PL-1")
    assert page.input_value("#d-lang") == "pl" and page.input_value("#d-product") == "WW90T554DAW"
    sentences = draft_now(page)
    texts = [sentences.nth(i).locator(".seg-text").inner_text() for i in range(sentences.count())]
    sources = [sentences.nth(i).locator(".seg-source").inner_text() for i in range(sentences.count())]
    assert texts[0] == "Szanowna Pani / Szanowny Panie," and sources[0] == "replies.yaml: greeting"
    assert texts[1] == "Dziękujemy za wiadomość w sprawie urządzenia WW90T554DAW i kodu 5C."
    assert texts[-1].startswith("Z poważaniem") and sources[-1] == "replies.yaml: sign_off"
    assert "Błąd 5C oznacza, że pralka nie zdążyła wypompować wody." in texts
    article_sources = [s for s in sources if s.startswith("pralka-nie-odpompowuje-pl")]
    assert len(article_sources) >= 5 and all(s for s in sources)  # every sentence names where it comes from
    assert page.locator("#d-notice").is_hidden()
    current = page.evaluate("window.KBDraft.current()")
    assert current["lang"] == "pl" and current["text"].startswith("Szanowna Pani / Szanowny Panie,")
    assert {s["type"] for s in current["sources"]} == {"article", "template"}
    page.click("#d-copy")
    assert page.evaluate("window.__kbCopied") == current["text"]
    page.click("#d-used")
    wait_for_js(page, "document.getElementById('d-status').textContent === 'Recorded: draft used'")
    with services_of(live_server.app).database.connect() as conn:
        stored = conn.execute(select(drafts).where(drafts.c.id == current["id"])).mappings().one()
        actions = [r[0] for r in conn.execute(select(draft_events.c.action).where(draft_events.c.draft_id == current["id"]))]
    assert stored["lang"] == "pl" and stored["article_id"] == "pralka-nie-odpompowuje-pl"
    assert actions == ["copied", "used"]


def test_a_weak_ticket_gets_a_draft_that_says_what_happens_next(pages):
    page = pages.open("consultant", "/assist")
    ask(page, "Strange noise", "My robot lawnmower makes a strange whistling sound since yesterday, what should I do?")
    page.select_option("#d-lang", "en")
    sentences = draft_now(page)
    text = page.evaluate("window.KBDraft.current().text")
    assert page.locator("#d-notice").inner_text().startswith("No confident answer for this contact")
    assert "A technician will look into this and answer within 24 hours." in text
    sources = [sentences.nth(i).locator(".seg-source").inner_text() for i in range(sentences.count())]
    assert "escalation.yaml: tech-support-engineer (24 h) · replies.yaml: next.tech-support-engineer" in sources
    assert not [s for s in page.evaluate("window.KBDraft.current().sources") if s["type"] == "article"]
    page.click("#d-edit")
    page.fill("#d-text", text + "\nPS: sorry for the wait.")
    page.locator("#d-text").blur()
    assert page.evaluate("window.KBDraft.current().edited") is True
    assert page.evaluate("window.KBDraft.current().text").endswith("sorry for the wait.")
