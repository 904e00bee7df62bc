"""Agent assist without the engine: ticket cleaning, condensing, classification, and every escalation rule
(English and Polish) over the fixture's escalation matrix."""

import pytest

from kb.assist.classify import classify
from kb.assist.rules import decide
from kb.assist.ticket import clean_ticket, informative_terms, lead_sentences, redact
from kb.escalation import EscalationMatrix
from tests.support import FIXTURE_KB, LONG_TICKET


@pytest.fixture(scope="module")
def matrix():
    return EscalationMatrix.load(FIXTURE_KB)


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


def test_personal_data_is_redacted_for_practice():
    text = redact("My name is Jan Kowalski, phone 600 100 200, jan@example.com. The TV has no sound.")
    assert "Kowalski" not in text and "600 100 200" not in text and "jan@example.com" not in text
    assert "no sound" in text


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
    # inflected and unaccented forms of the matrix's triggers
    ("Kiedy przyjedzie kurier po laptopa? Naprawa zgłoszona pod numerem NR-2024-5531", "consumer", 0.9, [],
     "courier-pickup", False),
    ("Proszę o kuriera, zgloszenie 77812 zarejestrowane wczoraj", "consumer", 0.9, [], "courier-pickup", False),
    # who writes comes before what they ask: a retailer's dead unit and its collection go to the retailer desk
    ("Unit arrived dead, please cancel the order line and collect it", "retailer", 0.9, [], "retailer-desk", True),
    # the same fault after a repair is a complaint; steps already tried go to the engineer
    ("The washer is leaking again after the repair last month", "consumer", 0.9, [], "complaints", True),
    ("Telewizor po aktualizacji nie ma dźwięku przez eARC, reset nie pomógł", "consumer", 0.9, [],
     "tech-support-engineer", False),
])
def test_every_escalation_rule(matrix, text, customer, confidence, answer_paths, path, identity):
    decision = decide(matrix, text, classify(text).intent, customer, confidence, answer_paths)
    assert decision.path is not None and decision.path.id == path, decision.reason
    assert decision.identity_first is identity
    assert decision.reason.endswith(".") and len(decision.reason) < 200
    if identity:
        assert decision.checklist[0].startswith("Verify the caller's identity")


def test_a_vague_contact_is_not_escalated_for_low_confidence(matrix):
    decision = decide(matrix, "it does not work", "troubleshooting", "consumer", 0.1, [], vague=True)
    assert decision.path is None


def test_confident_technical_answer_needs_no_escalation(matrix):
    decision = decide(matrix, "how do I reset the network on my TV", "troubleshooting", "consumer", 0.95, [])
    assert decision.path is None and decision.to_dict() is None


def test_repair_path_has_courier_and_callback(matrix):
    decision = decide(matrix, "the drum is broken, needs repair", "repair", "consumer", 0.9, ["repair-service-centre"])
    data = decision.to_dict()
    assert data["follow_up_days"] == 3 and data["sla_hours"] == 48
    text = " ".join(decision.checklist)
    assert "serial number" in text and "proof of purchase" in text and "courier" in text.lower()
    assert "follow-up call 3 day(s) after the repair" in text
