"""Reply drafts never invent a fact: every sentence comes from a section of the article it names (modulo the filled-in
product and error code), and greeting, thanks, link, what happens next and sign-off from the writers' replies.yaml."""

import re

import pytest
import yaml

from indexer.documents import article_record
from kb.content import Content
from kb.drafts import answer_draft, error_codes, next_steps_draft, sentences
from kb.search.groups import members, version_in
from kb.render import to_text
from kb.replies import ReplyTemplates
from tests.support import FIXTURE_KB, SAMPLE_KB

VALUES = {"product": "WW90T554DAW", "error_code": "5C"}


@pytest.fixture(scope="module")
def fixture():
    content = Content.load(FIXTURE_KB)
    records = {a.id: article_record(content, a, "h") for a in content.articles.values()}
    return content, records, ReplyTemplates.load(FIXTURE_KB)


def flat(text):
    return " ".join(text.split())


def template_texts(lang, channel, key, path=None):
    """Every alternative of a key as the writers wrote it in the fixture's replies.yaml."""
    doc = yaml.safe_load((FIXTURE_KB / "replies.yaml").read_text("utf-8"))[lang]
    entry = doc.get(channel, {}).get(key, doc["default"].get(key))
    if isinstance(entry, dict):
        entry = entry.get(path) or entry["default"]
    return [entry] if isinstance(entry, str) else entry


def assert_grounded(draft, records, values):
    """Each article sentence is in its section's text; each template sentence is a template of replies.yaml with
    only its slots filled in."""
    for segment in draft.segments:
        source = segment.source
        if source["type"] == "article":
            section = next(s for s in records[source["article_id"]]["sections"] if s["anchor"] == source["section"])
            text = flat(segment.text)
            for value in values.values():  # "modulo the filled-in product and error code"
                text = text.replace(value, "{value}") if value else text
            if source.get("step"):
                text = re.sub(r"^\d+\. ", "", text)
            assert text.replace("{value}", "") and all(part in flat(to_text(section["markdown"]))
                                                       for part in text.split("{value}")), segment
        else:
            patterns = template_texts(source["lang"], source["channel"], source["key"].split(".")[0],
                                      source.get("escalation"))
            regexes = [re.escape(p).replace(r"\{", "{").replace(r"\}", "}") for p in patterns]
            regexes = [re.sub(r"{\w+}", ".+?", r) for r in regexes]
            assert any(re.fullmatch(r, segment.text, re.S) for r in regexes), segment


def test_every_sentence_of_every_answer_draft_comes_from_its_article(fixture):
    content, records, templates = fixture
    drafted = 0
    for record in records.values():
        for channel in ("email", "chat"):
            draft = answer_draft(record, templates, channel, VALUES, link="https://kb/x")
            assert_grounded(draft, records, VALUES)
            drafted += len([s for s in draft.segments if s.source["type"] == "article"])
    assert drafted > 60


def test_a_polish_email_is_formal_and_carries_the_customers_product_and_code(fixture):
    _, records, templates = fixture
    draft = answer_draft(records["pralka-nie-odpompowuje-pl"], templates, "email", VALUES, link="/articles/x")
    assert draft.segments[0].text == "Szanowna Pani / Szanowny Panie," == template_texts("pl", "email", "greeting")[0]
    assert draft.segments[-1].text == template_texts("pl", "email", "sign_off")[0]
    assert "Dziękujemy za wiadomość w sprawie urządzenia WW90T554DAW i kodu 5C." in draft.text
    assert [s.kind for s in draft.segments].count("step") == 3 and draft.lang == "pl"
    chat = answer_draft(records["pralka-nie-odpompowuje-pl"], templates, "chat", {}, link="/articles/x")
    assert chat.segments[0].text == "Dzień dobry," and "Dziękujemy za wiadomość." in chat.text


def test_branches_stay_when_they_help_the_customer_and_escalations_do_not(fixture):
    _, records, templates = fixture
    text = answer_draft(records["ww90t-not-draining"], templates, "email", {}).text
    assert "If no water comes out of the emergency hose: go to step 4." in text
    assert "escalate" not in text.lower()


def test_what_happens_next_comes_from_the_escalation_matrix(fixture):
    content, records, templates = fixture
    path = content.escalation["tech-support-engineer"]
    draft = next_steps_draft(path, templates, "en", "email", VALUES)
    assert "A technician will look into this and answer within 24 hours." in draft.text
    assert "We will call you 1 day later" in draft.text  # follow_up_days: 1 in the matrix
    assert not [s for s in draft.segments if s.source["type"] == "article"]
    assert {s.source.get("escalation") for s in draft.segments if s.kind == "next"} == {"tech-support-engineer"}
    assert_grounded(draft, records, VALUES)
    polish = next_steps_draft(content.escalation["repair-service-centre"], templates, "pl", "email", VALUES)
    assert "Zarejestrujemy naprawę urządzenia WW90T554DAW; serwis skontaktuje się w ciągu 48 godzin." in polish.text


def test_translation_picks_the_article_of_the_same_group_in_the_customers_language(fixture):
    _, records, _ = fixture
    assert records["pralka-nie-odpompowuje-pl"]["group"] == "ww90t-not-draining"
    groups = members(records)

    def translation(article_id, lang):
        return version_in(article_id, records, groups, lang, lambda r: r["status"] == "published")

    assert translation("ww90t-not-draining", "pl") == ("pralka-nie-odpompowuje-pl", None)
    assert translation("pralka-nie-odpompowuje-pl", "en") == ("ww90t-not-draining", None)
    assert translation("np-s92-battery-drain", "pl") == ("np-s92-battery-drain", "missing")
    assert translation("tv-wifi-drops", "pl") == ("tv-wifi-drops", "outdated")  # its Polish text is behind


def test_sentences_and_error_codes():
    assert sentences("Wait ca. 30 minutes. Then open it. Zadzwoń np. Do serwisu.\n1. Step one") == [
        "Wait ca. 30 minutes.", "Then open it.", "Zadzwoń np. Do serwisu.", "1. Step one"]
    assert sentences("A sentence broken\nover two lines. Next.\n\n- an item\n- another") == [
        "A sentence broken over two lines.", "Next.", "- an item", "- another"]
    assert error_codes("Display shows 5C, then LE and he", ["5c", "le", "he", "filter"]) == ["5C", "LE"]


def test_the_sample_drafts_are_grounded_too():
    content = Content.load(SAMPLE_KB)
    records = {a.id: article_record(content, a, "h") for a in content.published()}
    templates = ReplyTemplates.load(SAMPLE_KB)
    for record in records.values():
        assert_grounded(answer_draft(record, templates, "email", VALUES, link="/a"), records, VALUES)
