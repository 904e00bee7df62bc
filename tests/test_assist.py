"""Agent assist: ticket cleaning, classification, every escalation rule (English and Polish), the assist API."""

import pytest

from kb.assist.assistant import Assistant, AssistRequest
from kb.assist.classify import classify
from kb.assist.rules import decide
from kb.assist.ticket import clean_ticket, informative_terms, lead_sentences
from kb.search.engine import SearchError

LONG_TICKET = """Hello,

I bought a washing machine WW90T554DAW in March. Since last week it stops mid-cycle and the display shows 4C.
The tap is open and I already cleaned the filter on the hose, it still shows 4C every time. My neighbour has the
same tap and no problem. I have tried three different programmes, the cotton one, the quick wash and eco.
Could someone help me? I have small children and really need the machine working.

Kind regards,
Anna Nowak
+48 600 000 000

> On Mon, 2 Nov 2026, Nordiq Support wrote:
> Thank you for contacting us. Please clean the inlet filter.
> Best regards
"""


def test_quoted_replies_and_signatures_are_stripped():
    cleaned = clean_ticket(LONG_TICKET)
    assert "Anna Nowak" not in cleaned and "Please clean the inlet filter" not in cleaned
    assert cleaned.endswith("really need the machine working.")
    polish = clean_ticket("Pralka nie wiruje.\nPozdrawiam\nJan\n\nW dniu 1.11.2026 Nordiq napisał:\n> treść")
    assert polish == "Pralka nie wiruje."


def test_long_tickets_are_condensed_for_each_side():
    cleaned = clean_ticket(LONG_TICKET)
    terms = informative_terms(cleaned, {"washing": 50, "machine": 60, "4c": 3, "filter": 20}, limit=12,
                              protected={"ww90t554daw"})
    assert len(terms) <= 12 and "ww90t554daw" in terms and "4c" in terms
    assert "hello" not in terms and "the" not in terms
    lead = lead_sentences(cleaned)
    assert lead.startswith("I bought a washing machine WW90T554DAW") and len(lead.split()) < 80


@pytest.mark.parametrize("text, intent, category", [
    ("My TV shows no picture, error code 107", "troubleshooting", "technical-service"),
    ("I want to return the fridge and get a refund", "return", "customer-service"),
    ("Please cancel my order 1234", "order", "customer-service"),
    ("How do I claim the cashback for my soundbar?", "promotion", "marketing"),
    ("Where can I buy the QN90D 65?", "product-question", "marketing"),
    ("Is the Tab S9 compatible with the S Pen?", "product-question", "technical-service"),
    ("I need to change the e-mail on my account", "account-change", "customer-service"),
    ("Składam reklamację, pralka przecieka", "complaint", "customer-service"),
    ("Chcę anulować zamówienie", "order", "customer-service"),
    ("Telewizor nie włącza się", "troubleshooting", "technical-service"),
])
def test_classification(text, intent, category):
    result = classify(text)
    assert (result.intent, result.category) == (intent, category)


@pytest.mark.parametrize("text, customer, confidence, answer_paths, path, identity", [
    ("There is smoke and a burning smell from the back of the TV", "consumer", 0.9, [], "product-safety", False),
    ("Z pralki leci dym i czuć zapach spalenizny", "consumer", 0.9, [], "product-safety", False),
    ("This is unacceptable, I will contact my lawyer", "consumer", 0.9, [], "complaints", True),
    ("Składam reklamację, telewizor ma wadę", "consumer", 0.9, [], "complaints", True),
    ("Zgłoszę sprawę do rzecznika konsumentów", "consumer", 0.9, [], "complaints", True),
    ("A customer of ours asked us to look into case 42", "consumer-ombudsman", 0.9, [], "complaints", True),
    ("I need to change the e-mail address on my account", "consumer", 0.9, [], "account-data", True),
    ("Chcę zmienić adres e-mail w koncie", "consumer", 0.9, [], "account-data", True),
    ("Please cancel my order and refund me", "consumer", 0.9, [], "orders-returns", True),
    ("Chcę anulować zamówienie", "consumer", 0.9, [], "orders-returns", True),
    ("The washer still shows 4C after I cleaned the filter", "consumer", 0.95, ["repair-service-centre"],
     "repair-service-centre", False),
    ("Pralka nadal pokazuje błąd 4C, próbowałem wszystkiego", "consumer", 0.9, ["repair-service-centre"],
     "repair-service-centre", False),
    ("My TV shows purple lines on HDMI 3 only at night", "consumer", 0.2, [], "tech-support-engineer", False),
    ("How do I claim the cashback?", "consumer", 0.9, [], "marketing-team", False),
    ("We need 20 display units for the store", "retailer", 0.9, [], "retailer-desk", False),
    ("What is the price for 40 monitors for our office?", "business", 0.9, [], "business-sales", False),
])
def test_every_escalation_rule(engine, text, customer, confidence, answer_paths, path, identity):
    decision = decide(engine.version.escalation, text, classify(text).intent, customer, confidence, answer_paths)
    assert decision.path is not None and decision.path.id == path, decision.reason
    assert decision.identity_first is identity
    assert decision.reason.endswith(".") and len(decision.reason) < 200
    if identity:
        assert decision.checklist[0].startswith("Verify the caller's identity")


def test_confident_technical_answer_needs_no_escalation(engine):
    decision = decide(engine.version.escalation, "how do I reset the network on my TV", "troubleshooting",
                      "consumer", 0.95, [])
    assert decision.path is None and decision.to_dict() is None


def test_repair_path_has_courier_and_callback(engine):
    decision = decide(engine.version.escalation, "the drum is broken, needs repair", "repair", "consumer", 0.9,
                      ["repair-service-centre"])
    data = decision.to_dict()
    assert data["follow_up_days"] == 3 and data["sla_hours"] == 48
    text = " ".join(decision.checklist)
    assert "serial number" in text and "proof of purchase" in text and "courier" in text.lower()
    assert "follow-up call 3 day(s) after the repair" in text


def test_assistant_end_to_end(engine):
    result = Assistant(engine).assist(AssistRequest(subject="Washer problem", body=LONG_TICKET, channel="email"))
    assert result.detected["products"] == ["WW90T554DAW"] and result.detected["intent"] == "troubleshooting"
    assert result.answers[0]["article_id"] == "ww90t-4c-water-supply"
    assert 0.0 <= result.answers[-1]["confidence"] <= result.answers[0]["confidence"] <= 1.0
    assert result.answers[0]["answer_text"].startswith("4C means")
    assert result.escalation["id"] == "repair-service-centre"
    assert len(result.query["lexical"].split()) <= 14


@pytest.mark.parametrize("request_kwargs, code", [
    ({}, "empty_contact"), ({"body": "x", "channel": "fax"}, "bad_channel"),
    ({"body": "x", "customer_type": "alien"}, "bad_customer_type"), ({"body": "x", "lang": "de"}, "bad_lang"),
    ({"body": "x", "product": "NOPE1"}, "unknown_product"), ({"body": "x" * 20_001}, "body_too_long"),
])
def test_assistant_rejects_bad_requests(engine, request_kwargs, code):
    with pytest.raises(SearchError) as info:
        Assistant(engine).assist(AssistRequest(**request_kwargs))
    assert info.value.code == code
