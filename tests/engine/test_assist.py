"""The assistant on the real engine: a long ticket in, the right answer, calibrated confidence and the escalation
path out; bad requests refused with a code; search with ``no_good_answer`` (rules without the engine are in
tests/unit/test_assist_rules.py)."""

import pytest

from kb.assist.assistant import Assistant, AssistRequest
from kb.search.engine import SearchError
from tests.support import LONG_TICKET


@pytest.fixture(scope="module")
def assistant(engine):
    return Assistant(engine)


def test_assistant_end_to_end(assistant):
    result = assistant.assist(AssistRequest(subject="Washer problem", body=LONG_TICKET, channel="email"))
    assert result.detected["products"] == ["WW90T554DAW"] and result.detected["intent"] == "troubleshooting"
    assert result.answers[0]["article_id"] == "ww90t-4c-water-supply"
    assert 0.0 <= result.answers[-1]["confidence"] <= result.answers[0]["confidence"] <= 1.0
    assert result.answers[0]["answer_text"].startswith("4C means")
    assert result.escalation["id"] == "repair-service-centre"
    assert len(result.query["lexical"].split()) <= 14
    assert "Anna Nowak" not in result.text  # the signature is gone before anything is stored


def test_polish_contact_gets_the_polish_article(assistant):
    result = assistant.assist(AssistRequest(body="Moja pralka WW90T554DAW nie odpompowuje wody, błąd 5C"))
    assert result.detected["lang"] == "pl" and result.answers[0]["article_id"] == "pralka-nie-odpompowuje-pl"


@pytest.mark.parametrize("request_kwargs, code", [
    ({}, "empty_contact"), ({"body": "x", "channel": "fax"}, "bad_channel"),
    ({"body": "x", "customer_type": "alien"}, "bad_customer_type"), ({"body": "x", "lang": "de"}, "bad_lang"),
    ({"body": "x", "product": "NOPE1"}, "unknown_product"), ({"body": "x" * 20_001}, "body_too_long"),
])
def test_assistant_rejects_bad_requests(assistant, request_kwargs, code):
    with pytest.raises(SearchError) as info:
        assistant.assist(AssistRequest(**request_kwargs))
    assert info.value.code == code


def test_search_says_when_there_is_no_good_answer(assistant):
    _, good = assistant.search("washing machine will not drain 5C")
    assert good["no_good_answer"] is False and good["hits"][0]["confidence"] >= 0.5
    _, none = assistant.search("zorblax quantum flux capacitor")
    assert none["no_good_answer"] is True and none["escalation"]["id"] == "tech-support-engineer"
