"""Translations in the writers' workflow through the API: the source and its diff since the translation was made,
the out-of-date mark that clears when a writer marks the translation reviewed (a normal, versioned save),
"Translate" starting a linked draft (refused when the language exists), the needs-attention list, and required
reading that follows an important change into the translation once the translation catches up."""

import json

import pytest

from kb.front_matter import set_field
from tests.support import services_of, signed_in

SOURCE, TRANSLATION = "ww90t-not-draining", "pralka-nie-odpompowuje-pl"


@pytest.fixture()
def tr_app(app_factory):
    return app_factory()


def change_source(reviewer, important=False, word="the pump"):
    """Publish a new version of the source with one changed line; return the save's answer."""
    latest = reviewer.get(f"/api/v1/articles/{SOURCE}/source").json
    text = latest["text"].replace("The customer can clear it in ten minutes.",
                                  f"The customer can clear {word} in five minutes.")
    assert text != latest["text"]
    saved = reviewer.put(f"/api/v1/articles/{SOURCE}", json={"text": text, "base_version": latest["version"],
                                                             "important": important})
    assert saved.status_code == 200, saved.json
    return saved.json


def mark_reviewed(client, article_id=TRANSLATION):
    """What the editor's "Mark as reviewed" does: save the text with source_hash set to the source's hash now."""
    status = client.get(f"/api/v1/articles/{article_id}/translation").json
    latest = client.get(f"/api/v1/articles/{article_id}/source").json
    text = set_field(latest["text"], "source_hash", json.dumps(status["current_hash"]))
    return client.put(f"/api/v1/articles/{article_id}", json={"text": text, "base_version": latest["version"]})


def test_a_source_change_marks_the_translation_outdated_with_the_diff_and_review_clears_it(tr_app):
    reviewer = signed_in(tr_app, "reviewer")
    before = reviewer.get(f"/api/v1/articles/{TRANSLATION}/translation").json
    assert before["translation_of"] == SOURCE and before["outdated"] is False and before["languages"] == ["en", "pl"]
    assert before["from_version"] == 1 and before["source"]["title"].startswith("Washing machine")

    change_source(reviewer)
    after = reviewer.get(f"/api/v1/articles/{TRANSLATION}/translation").json
    assert after["outdated"] is True and after["from_version"] == 1 and after["source"]["version"] == 2
    assert "-coins or fluff, or the drain hose is kinked. The customer can clear it in ten minutes." in after["diff"]
    assert "+coins or fluff, or the drain hose is kinked. The customer can clear the pump in five minutes." \
        in after["diff"]
    engine = services_of(tr_app).engine
    assert engine.version.articles[TRANSLATION]["outdated"] is True
    assert any(a["article_id"] == TRANSLATION and a["source"] == SOURCE
               for a in reviewer.get("/api/v1/attention").json["articles"])

    saved = mark_reviewed(reviewer)
    assert saved.status_code == 200, saved.json
    cleared = reviewer.get(f"/api/v1/articles/{TRANSLATION}/translation").json
    assert cleared["outdated"] is False and cleared["from_version"] == 2
    assert engine.version.articles[TRANSLATION]["outdated"] is False
    assert not any(a["article_id"] == TRANSLATION for a in reviewer.get("/api/v1/attention").json["articles"])


def test_an_article_that_translates_nothing_says_so(tr_app):
    status = signed_in(tr_app, "writer").get(f"/api/v1/articles/{SOURCE}/translation").json
    assert status == {"id": SOURCE, "lang": "en", "translation_of": None, "languages": ["en", "pl"]}


def test_the_fixture_translation_made_from_an_unknown_source_version_is_outdated_without_a_diff(tr_app):
    status = signed_in(tr_app, "writer").get("/api/v1/articles/tv-wifi-rozlacza-pl/translation").json
    assert status["outdated"] is True and status["from_version"] is None and status["diff"] is None
    assert status["source"]["id"] == "tv-wifi-drops"


def test_translate_starts_a_linked_draft_and_refuses_a_language_the_group_has(tr_app):
    writer = signed_in(tr_app, "writer")
    made = writer.post("/api/v1/articles/rb38t-not-cooling/translate", json={})
    assert made.status_code == 201, made.json
    assert made.json["id"] == "rb38t-not-cooling-pl" and made.json["status"] == "draft"
    draft = writer.get("/api/v1/articles/rb38t-not-cooling-pl/source").json
    source = services_of(tr_app).engine.version.articles["rb38t-not-cooling"]
    assert draft["fields"]["translation_of"] == "rb38t-not-cooling" and draft["fields"]["lang"] == "pl"
    assert draft["fields"]["source_hash"] == source["content_hash"] and draft["fields"]["owner"] == "writer1"
    assert draft["body"].startswith("## Answer")  # the source's text, for the writer to translate

    again = writer.post("/api/v1/articles/rb38t-not-cooling/translate")
    assert again.status_code == 409 and again.json["error"] == "translation_exists"
    from_translation = writer.post("/api/v1/articles/rb38t-not-cooling-pl/translate")
    assert from_translation.status_code == 409  # the source's group already has Polish
    exists = writer.post("/api/v1/articles/tv-wifi-drops/translate", json={"lang": "pl"})
    assert exists.status_code == 409 and "tv-wifi-rozlacza-pl" in exists.json["message"]
    same = writer.post("/api/v1/articles/tv-wifi-drops/translate", json={"lang": "en"})
    assert same.status_code == 422 and same.json["error"] == "bad_language"
    assert writer.post("/api/v1/articles/no-such-article/translate").status_code == 404


def test_an_important_change_reaches_the_translations_readers_once_the_translation_is_updated(tr_app):
    reviewer = signed_in(tr_app, "reviewer")
    changed = change_source(reviewer, important=True)
    assert changed["assigned"] > 0
    training = services_of(tr_app).training
    assert training.reading_status(TRANSLATION)["pending"] == []  # not yet: the Polish text is still the old one

    saved = mark_reviewed(reviewer)
    assert saved.status_code == 200 and saved.json["status"] == "published"
    assert saved.json["assigned"] == changed["assigned"]
    assert "consultant1" in training.reading_status(TRANSLATION)["pending"]


def test_a_minor_source_change_caught_up_assigns_no_reading(tr_app):
    reviewer = signed_in(tr_app, "reviewer")
    change_source(reviewer, important=False)
    saved = mark_reviewed(reviewer)
    assert saved.status_code == 200 and saved.json["assigned"] == 0
