"""The guided troubleshooting and reply-draft screens with the Polish UI, in a real browser: the consultant picks
Polish with the language switch, walks a Polish article to an escalation, drafts a reply in the assist panel, and
every label, hint and status is Polish (article and reply-template text is content, not checked here); the team
lead's guided and rewrite-first tables and the follow-ups page's outcomes are Polish too."""

import re

import pytest
from sqlalchemy import select

from tests.support import PASSWORD, SCREENSHOTS, seed_guided_history, services_of, sign_in, wait_for_js

pytestmark = pytest.mark.browser

# English words of the screens' labels and messages; none may show on a Polish page (keys like Enter stay).
ENGLISH = re.compile(r"\b(the|of|step|steps|fix|fixed|did|done|back|path|escalate|escalation|recorded|article|"
                     r"product|error|code|contact|optional|question|engineer|answers?|within|open|edit|draft|"
                     r"drafting|reply|copy|copied|used|from|language|polish|english|sentences?|source|each|"
                     r"no|not|there|version|calls?|guided|share|repeat|left|most|server|reachable)\b", re.I)
# What the screens show of the content (articles, reply templates, the escalation matrix): left out of the check.
CONTENT = "h1, .step-text, option, .seg-text, .seg-source"
UI_TEXT = """(args) => {
  const root = document.querySelector(args[0]).cloneNode(true);
  root.querySelectorAll(args[1]).forEach((el) => el.remove());
  const attrs = [...root.querySelectorAll("[placeholder], [aria-label]")]
    .map((el) => (el.getAttribute("placeholder") || "") + " " + (el.getAttribute("aria-label") || ""));
  return [root.textContent, root.getAttribute("aria-label") || "", ...attrs].join(" ");
}"""


def english_in(page, selector, content=()):
    """The English words left in a part of the page, hidden screens, placeholders and labels included."""
    text = page.evaluate(UI_TEXT, [selector, CONTENT])
    for value in content:
        text = text.replace(value, " ")
    return sorted(set(ENGLISH.findall(text)))


def shot(page, name, part=None):
    """A screenshot under artifacts/screenshots/: the whole page, or the part a selector names."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(part) if part else page
    target.screenshot(path=str(SCREENSHOTS / f"{name}.png"), **({} if part else {"full_page": True}))


def choose_language(page, lang):
    """The header's language switch, as the consultant uses it (kept with the account)."""
    url = page.url
    page.click(f".lang-switch button[data-lang={lang}]")
    page.wait_for_url(url)
    assert page.locator("html").get_attribute("lang") == lang


@pytest.fixture()
def polish_consultant(pages, live_server):
    """A consultant of their own (the choice of language is stored with the account), signed in and switched to
    Polish on the guide of a Polish article."""
    from services import accounts
    from services.db.schema import users

    with services_of(live_server.app).database.begin() as conn:
        if not conn.execute(select(users.c.id).where(users.c.username == "konsultant-pl")).first():
            accounts.create_user(conn, "konsultant-pl", PASSWORD, "consultant", "Konsultantka")
    page = pages.open(None, None, viewport=(1280, 900))
    sign_in(page, "konsultant-pl", next_url="/guide/pralka-nie-odpompowuje-pl?q=WW90T554DAW%205C")
    page.wait_for_url("**/guide/pralka-nie-odpompowuje-pl?q=*")
    choose_language(page, "pl")
    return page


def test_a_guided_call_in_polish(polish_consultant, live_server):
    page = polish_consultant
    path = services_of(live_server.app).engine.version.escalation["repair-service-centre"]
    assert page.title().startswith("Krok po kroku: Pralka nie odpompowuje wody")
    assert page.locator(".guide-step:not([hidden]) h2").inner_text() == "Krok 1 z 3"
    assert page.locator("#step-1 .ask").inner_text() == "Czy to rozwiązało problem?"
    keys = page.locator("#step-1 .keys").inner_text()
    assert "Y pomogło" in keys and "N nie pomogło → krok 2" in keys and "Enter zrobione, dalej → krok 2" in keys
    assert page.get_attribute("#g-product", "placeholder") == "kod modelu"
    assert page.locator("#g-caller").inner_text().split() == ["Produkt", "Kod", "błędu", "Nr", "kontaktu"]
    assert english_in(page, "#guide", (path.name, path.team, path.channel)) == []
    page.keyboard.press("Enter")
    page.keyboard.press("n")
    assert page.locator(".guide-step:not([hidden]) h2").inner_text() == "Krok 3 z 3"
    assert "N nie pomogło → eskalacja" in page.locator("#step-3 .keys").inner_text()
    assert page.locator("#g-path li").all_inner_texts() == [
        "1. Wyłącz pralkę i odłącz ją od prądu. — krok wykonany",
        "2. Odkręć filtr pompy za klapką na dole i wyczyść go. — nie pomogło"]
    shot(page, "guide-pl-step")
    page.keyboard.press("n")
    escalation = page.locator("#g-escalate")
    assert escalation.is_visible() and escalation.locator("h2").inner_text() == f"Eskaluj: {path.name}"
    assert f"odpowiada w ciągu {path.sla_hours} h" in escalation.inner_text()
    assert "Pytanie do inżyniera wsparcia" in escalation.inner_text() and "Kroki już wykonane" in escalation.inner_text()
    assert page.input_value("#g-tried").split("\n")[-1] == "3. Sprawdź, czy wąż odpływowy nie jest zagięty. — nie pomogło"
    page.keyboard.press("Control+Enter")
    wait_for_js(page, "!document.getElementById('g-sent').hidden")
    sent = page.locator("#g-sent").inner_text()
    assert sent.startswith("Eskalacja ") and f"otwarta dla zespołu {path.team}, termin: " in sent
    assert sent.endswith("Enter: powrót do artykułu.")
    shot(page, "guide-pl-escalation")

    page.goto("/guide/pralka-nie-odpompowuje-pl")
    page.keyboard.press("y")
    assert page.locator("#g-resolved h2").inner_text() == "Problem rozwiązany w kroku 1"
    wait_for_js(page, "document.getElementById('g-status').textContent === 'Zapisano: problem rozwiązany w kroku 1'")
    assert page.locator("#g-resolved").inner_text().endswith("Zapisano. Enter powrót do artykułu")


def test_a_reply_draft_in_polish(polish_consultant):
    page = polish_consultant
    page.goto("/assist")
    page.fill("#a-subject", "Pralka nie odpompowuje")
    page.fill("#a-body", "Dzień dobry, moja pralka WW90T554DAW nie odpompowuje wody i na wyświetlaczu jest błąd 5C.")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#draft:not([hidden])")
    assert page.locator("#draft h2").inner_text() == "Szkic odpowiedzi"
    assert page.locator("#d-lang option").all_inner_texts() == ["polski", "angielski"]
    assert page.locator("#d-make").inner_text() == "Przygotuj szkic Alt+D"
    page.keyboard.press("Alt+d")
    wait_for_js(page, "document.querySelectorAll('#d-sentences li').length > 0")
    count = page.locator("#d-sentences li").count()
    assert re.fullmatch(rf"{count} zda(nie ze źródłem|nia, każde ze źródłem|ń, każde ze źródłem)",
                        page.locator("#d-status").inner_text())
    assert [page.locator(f"#{b}").inner_text() for b in ("d-copy", "d-edit", "d-used")] == [
        "Kopiuj szkic Alt+Shift+C", "Edycja", "Szkic wykorzystany"]
    assert english_in(page, "#draft") == []
    shot(page, "draft-pl")
    page.click("#d-copy")
    wait_for_js(page, "document.getElementById('d-status').textContent === 'Skopiowano szkic'")
    page.click("#d-used")
    wait_for_js(page, "document.getElementById('d-status').textContent === 'Zapisano: szkic wykorzystany'")

    # an article with no Polish version: the draft stays English and the notice says so in Polish
    page.select_option("#d-lang", "pl")
    answers = page.locator("#d-article option").all_inner_texts()
    page.fill("#a-subject", "")
    page.fill("#a-body", "My TV keeps losing its wifi every evening")
    page.keyboard.press("Control+Enter")
    wait_for_js(page, f"document.querySelector('#d-article option').textContent !== {answers[0]!r}")
    page.select_option("#d-lang", "pl")
    page.keyboard.press("Alt+d")
    wait_for_js(page, "!document.getElementById('d-notice').hidden")
    notice = page.locator("#d-notice").inner_text()
    assert notice in ("Wersja tego artykułu po polsku jest nieaktualna: szkic przygotowano po angielsku.",
                      "Brak pewnej odpowiedzi dla tego kontaktu: zamiast odpowiedzi szkic opisuje, co będzie się "
                      "działo dalej."), notice
    assert english_in(page, "#draft") == []
    shot(page, "draft-pl-notice", "#draft")


def test_the_team_lead_reads_the_guided_and_rewrite_first_tables_in_polish(pages, live_server):
    seed_guided_history(services_of(live_server.app), [([[1, "next"], [2, "fixed"]], 2, "resolved"),
                                                        ([[1, "next"]], 2, "left")], "LEAD-PL-")
    page = pages.open("team-lead", "/insights", locale="pl-PL")
    guided = page.locator("#t-guided")
    assert guided.locator("th").all_inner_texts()[:5] == [
        "artykuł", "rozmowy krok po kroku", "rozwiązane", "eskalowane", "zeszły ze ścieżki"]
    assert re.search(r"krok 2 z 3 \(\d+ rozmow[ay]?\)", guided.inner_text())
    assert re.search(r"krok 2 \(\d+ rozm", guided.inner_text())
    assert page.locator("#t-rewrite_first th").all_inner_texts() == [
        "artykuł", "kontakty", "nierozwiązane (telefon zwrotny)", "ponowne kontakty", "rozwiązane (telefon zwrotny)",
        "odsetek nierozwiązanych"]
    assert english_in(page, "#t-guided thead") == [] and english_in(page, "#t-rewrite_first thead") == []
    shot(page, "insights-pl-guided", "#t-guided")
    shot(page, "insights-pl-rewrite-first", "#t-rewrite_first")


def test_the_follow_up_call_outcomes_are_polish(pages, live_server):
    services = services_of(live_server.app)
    run = services.guides.start("pralka-nie-odpompowuje-pl", "consultant1")
    done = services.guides.finish(run["id"], "escalated", [[1, "not_fixed"]], 2, question="Pralka 5C — FOLLOW-PL",
                                  steps_tried="1. Wyłącz pralkę — nie pomogło")
    services.escalations.answer(done["escalation"]["id"], "Wymiana pompy w serwisie.", "engineer1")
    page = pages.open("consultant", "/followups", locale="pl-PL")
    call = page.locator("tr", has_text="FOLLOW-PL").first
    assert call.locator("select[name=outcome] option").all_inner_texts() == [
        "rozwiązana", "nierozwiązana", "brak kontaktu z klientem"]
    assert call.locator("button[type=submit]").inner_text() == "Zapisz wynik rozmowy"
    call.scroll_into_view_if_needed()
    shot(page, "followups-pl-outcomes")
