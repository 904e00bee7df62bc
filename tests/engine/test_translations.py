"""Translation groups in search: one result per group, in the consultant's language when that version is there
and up to date, else the other language with a mark; a language filter still works; queries find articles across
languages both ways. The fixture has a current Polish translation (qn90d-no-sound) and an outdated one
(tv-wifi-drops)."""

from kb.content import Content
from kb.lint import lint
from tests.support import FIXTURE_KB


def ids(result):
    return [h.article_id for h in result.hits]


def test_a_group_is_one_result_in_the_query_language(engine):
    polish = engine.search("telewizor nie ma dźwięku, obraz jest")
    assert polish.hits[0].article_id == "qn90d-brak-dzwieku-pl" and polish.hits[0].translation is None
    assert "qn90d-no-sound" not in ids(polish)
    english = engine.search("tv has picture but no sound")
    assert english.hits[0].article_id == "qn90d-no-sound" and "qn90d-brak-dzwieku-pl" not in ids(english)
    assert english.hits[0].group == "qn90d-no-sound" and english.hits[0].languages == ["en", "pl"]


def test_the_consultants_language_wins_over_the_query_language(engine):
    hit = engine.search("tv has picture but no sound", prefer_lang="pl").hits[0]
    assert hit.article_id == "qn90d-brak-dzwieku-pl" and hit.section in ("odpowiedz", "kroki")


def test_an_outdated_translation_is_not_shown_but_marked(engine):
    hit = engine.search("telewizor gubi wifi", prefer_lang="pl").hits[0]
    assert hit.article_id == "tv-wifi-drops" and hit.translation == "outdated"
    missing = next(h for h in engine.search("door locked washer", prefer_lang="pl").hits)
    assert missing.lang == "en" and missing.translation == "missing"


def test_a_language_filter_shows_that_language_only(engine):
    assert set(h.lang for h in engine.search("no sound", lang="pl").hits) == {"pl"}
    assert "qn90d-no-sound" in ids(engine.search("brak dźwięku w telewizorze", lang="en"))  # Polish query, English article
    assert "qn90d-brak-dzwieku-pl" in ids(engine.search("tv no sound from speakers", lang="pl"))  # and the reverse


def test_lint_knows_the_groups():
    content = Content.load(FIXTURE_KB)
    problems = [p for p in lint(content) if "translation" in p.message]
    assert [p.path for p in problems] == ["tv/tv-wifi-rozlacza-pl.md"]
    assert "out of date" in problems[0].message and content.articles["tv-wifi-drops"].content_hash in problems[0].fix
    assert content.group_of(content.articles["qn90d-brak-dzwieku-pl"]) == "qn90d-no-sound"
