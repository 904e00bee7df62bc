"""Every page in English and in Polish: the language comes from the browser until the person chooses one, the
navigation, dates, numbers and plural forms follow it, and the scripts get their strings from the same catalog."""

import datetime as dt
import html
import json
import re

import pytest

from tests.support import PAGES, seed_history, services_of, signed_in

MORE_PAGES = [("consultant", "/assist"), ("consultant", "/assist?compact=1"), (None, "/setup"),
              ("consultant", "/articles/nope"), ("writer", "/insights"), ("consultant", "/guide/ww90t-not-draining")]
ACCEPT = {"en": "en-GB,en;q=0.9", "pl": "pl-PL,pl;q=0.9,en;q=0.8"}
NAVIGATION = {"en": ["Search", "Ticket assist", "Follow-ups", "Learn"],
              "pl": ["Wyszukiwarka", "Asystent zgłoszeń", "Sprawy w toku", "Nauka"]}


def catalog_of(page):
    return json.loads(html.unescape(re.search(r'<meta name="kb-i18n" content=\'([^\']*)\'', page).group(1)))


@pytest.fixture(scope="module")
def i18n_app(app_factory):
    app = app_factory()
    seed_history(services_of(app).database)
    return app


@pytest.mark.parametrize("lang", ["en", "pl"])
@pytest.mark.parametrize("role, url", PAGES + MORE_PAGES, ids=[f"{r or 'anonymous'}:{u}" for r, u in PAGES + MORE_PAGES])
def test_every_page_renders_in_both_languages(i18n_app, role, url, lang):
    response = signed_in(i18n_app, role).get(url, headers={"Accept-Language": ACCEPT[lang]})
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 403, 404), url
    assert f'<html lang="{lang}">' in page
    assert catalog_of(page)["_lang"] == lang
    if 'class="top"' in page:
        for word in NAVIGATION[lang][:2]:
            assert f">{word}<" in page, (url, word)
        other = "pl" if lang == "en" else "en"
        assert f">{NAVIGATION[other][0]}<" not in page, url


def test_dates_numbers_and_plurals_follow_the_language(i18n_app):
    lead = signed_in(i18n_app, "team-lead")
    week = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    english = lead.get("/insights", headers={"Accept-Language": "en"}).get_data(as_text=True)
    polish = lead.get("/insights", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    months_en = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    months_pl = ["sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"]
    assert f"week of {months_en[week.month - 1]} {week.day}, {week.year}" in english
    assert f"tydzień od {week.day} {months_pl[week.month - 1]} {week.year}" in polish
    assert "<td>0.1</td>" in english and "<td>0,1</td>" in polish  # the best confidence of a content gap
    forms = catalog_of(polish)["n_results"]
    assert forms == {"one": "%(num)s wynik", "few": "%(num)s wyniki", "many": "%(num)s wyników"}
    assert catalog_of(english)["n_results"] == {"one": "%(num)s result", "other": "%(num)s results"}


def test_a_signed_out_visitor_can_pick_the_language_of_the_sign_in_page(i18n_app):
    visitor = signed_in(i18n_app, None)
    assert ">Zaloguj się<" not in visitor.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert visitor.post("/language", data={"lang": "pl", "next": "/login"}).status_code == 302
    assert ">Zaloguj się<" in visitor.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_a_guide_of_an_article_without_steps_says_so_in_the_pages_language(i18n_app):
    consultant = signed_in(i18n_app, "consultant")
    response = consultant.get("/guide/warranty-policy", headers={"Accept-Language": ACCEPT["pl"]})
    assert response.status_code == 404
    assert "Ten artykuł nie ma ponumerowanych kroków" in response.get_data(as_text=True)
