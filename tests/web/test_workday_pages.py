"""Pages of the working day through Flask's test client: quizzes in the learner's language that give nothing away,
insights on a fresh install, the navigation a role sees, escalations from the pages."""

import re

from tests.support import services_of, signed_in


def test_a_quiz_shows_no_article_beside_its_options_and_speaks_the_learners_language(app):
    consultant = signed_in(app, "consultant")
    started = consultant.post("/learn/washing-machine/quiz", headers={"Accept-Language": "pl"})
    assert started.status_code == 302
    page = consultant.get(started.headers["Location"], headers={"Accept-Language": "pl"}).get_data(as_text=True)
    form = page[page.index('id="quiz-form"'):]
    assert "/articles/" not in form and "From the article" not in form  # nothing points at the right option
    assert "Klient mówi: „" in form and "Wyślij odpowiedzi" in form


def test_insights_on_a_fresh_install_say_there_are_no_contacts_yet(app_factory):
    lead = signed_in(app_factory(), "team-lead")
    for lang, words in (("en", "No contacts yet in this range"), ("pl", "W tym okresie nie ma jeszcze kontaktów")):
        page = lead.get("/insights", headers={"Accept-Language": lang}).get_data(as_text=True)
        assert 'id="no-contacts"' in page and words in page
        assert 'class="chart"' not in page  # no empty charts with a 0, 0, 1 axis


def test_the_navigation_shows_the_pages_a_role_may_open(app):
    def links(role):
        page = signed_in(app, role).get("/learn").get_data(as_text=True)
        return re.findall(r'<nav aria-label="Main">(.*?)</nav>', page, re.S)[0]

    assert "/write" not in links("consultant") and "/insights" not in links("consultant")
    assert "/write" not in links("team-lead") and "/insights" in links("team-lead")
    assert "/write" in links("writer") and "/insights" not in links("writer")


def test_an_escalation_opened_from_the_form_names_the_consultants_choice(app_factory):
    app = app_factory()
    consultant = signed_in(app, "consultant")
    form = consultant.get("/escalations/new?path=repair-service-centre&question=Drum+noise").get_data(as_text=True)
    assert "Drum noise\n\n- serial number: \n- proof of purchase (invoice or receipt) with date: " in form
    opened = consultant.post("/escalations", data={"path_id": "complaints", "suggested": "repair-service-centre",
                                                    "why": "The fault persists", "question": "Drum noise, wants a refund"})
    assert opened.status_code == 302 and opened.headers["Location"].startswith("/followups#esc-")
    (row,) = services_of(app).escalations.list("open")
    assert row["path_id"] == "complaints" and row["opened_by"] == "consultant1"
    assert row["reason"] == "Chosen by consultant1 instead of repair-service-centre (The fault persists)"
    refused = consultant.post(f"/followups/escalations/{row['id']}/answer", data={"answer": "x"})
    assert refused.status_code == 403  # only engineers answer
    empty = consultant.post("/escalations", data={"path_id": "complaints", "question": "  "})
    assert empty.status_code == 400
