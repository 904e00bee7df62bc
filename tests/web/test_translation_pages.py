"""The writers' pages and translations: /review lists an out-of-date translation with the source that changed, and
the editor page carries the source pane and the Translate button the script fills."""

from tests.support import signed_in


def test_review_lists_the_out_of_date_translation_with_its_source(app):
    page = signed_in(app, "reviewer").get("/review").get_data(as_text=True)
    row = next(line for line in page.split("<tr>") if "/write/tv-wifi-rozlacza-pl" in line)
    assert "Translation out of date: the source changed" in row and 'href="/write/tv-wifi-drops"' in row
    assert "/write/pralka-nie-odpompowuje-pl" not in page  # up to date: nothing to do


def test_review_says_it_in_polish(app):
    client = signed_in(app, "reviewer")
    page = client.get("/review", headers={"Accept-Language": "pl-PL,pl;q=0.9"}).get_data(as_text=True)
    assert "Tłumaczenie nieaktualne: oryginał się zmienił" in page


def test_the_editor_has_the_source_pane_and_the_translate_button(app):
    page = signed_in(app, "writer").get("/write/tv-wifi-rozlacza-pl").get_data(as_text=True)
    assert 'id="e-source"' in page and 'id="e-reviewed"' in page and 'id="e-translate"' in page
