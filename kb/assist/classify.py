"""Contact classification by explainable keyword rules: intent, contact category and language.

>>> classify("I want to cancel my order 12345").intent
'order'
>>> classify("Chcę złożyć reklamację, pralka przecieka").intent
'complaint'
"""

import re
from dataclasses import dataclass, field

from kb.index.analysis import plain_words
from kb.search.query import detect_lang

# intent -> patterns (English and Polish), checked in this order: the first intent with a match wins
INTENT_PATTERNS = [
    ("complaint", [r"\bcomplain", r"\bunacceptable\b", r"\blawyer", r"\bsolicitor", r"\blegal action", r"\bsue\b",
                   r"\bombudsman", r"\bstatutory rights", r"\bconsumer rights", r"\btrading standards",
                   r"\breklamac", r"\breklamuj", r"\bskarg", r"\brzecznik", r"\bprawnik", r"\bsąd", r"niezgodnoś"]),
    ("account-change", [r"\b(change|update|correct)\b.{0,30}\b(e-?mail|phone number|address on (my|the) account|"
                        r"personal data|name on)", r"\bdelete my account", r"\bmy account\b.{0,30}\b(change|update|delete)",
                        r"\bpassword\b", r"\bgdpr\b", r"\bzmi[ae]n\w* .{0,30}(e-?mail|numer\w* telefonu|dan\w* osobow)",
                        r"\busunąć konto", r"\bhasł", r"\brodo\b"]),
    ("return", [r"\breturn\b", r"\brefund", r"\bmoney back", r"\bwithdraw", r"\bzwrot", r"\bodstąp", r"\bzwróci"]),
    ("order", [r"\border\b", r"\bdelivery\b", r"\bdelivered\b", r"\bcancel", r"\btracking", r"\bzamówien",
               r"\bdostaw", r"\banulow", r"\bprzesyłk"]),
    ("promotion", [r"\bcashback", r"\bpromo", r"\bvoucher", r"\bdiscount", r"\bcoupon", r"\btrade-?in", r"\bpromocj",
                   r"\brabat", r"\bkupon"]),
    ("repair", [r"\brepair", r"\bengineer visit", r"\bcourier", r"\bpick ?up", r"\bcollect (it|the)", r"\bservice centre",
                r"\bnapraw", r"\bserwis", r"\bkurier", r"\bodbi[oó]r"]),
    ("troubleshooting", [r"\berror\b", r"\bcode\b", r"\b(shows|showing|displays|displaying)\b", r"\bsmoke\b",
                         r"\bburning\b", r"\bsmell", r"\blines\b", r"\bflicker", r"\bpokazuje\b", r"\bdym\b", r"\bnot (working|turning|draining|cooling|charging|heating)",
                         r"\bwon'?t\b", r"\bdoesn'?t\b", r"\bstopped\b", r"\bbroken\b", r"\bleak", r"\bnois", r"\bno (sound|picture|power|signal)",
                         r"\bfault", r"\bproblem", r"\bissue\b", r"\bflashing\b", r"\bbeep", r"\bnie działa", r"\bbłąd",
                         r"\bnie (włącza|chłodzi|grzeje|ładuje|odpompowuje|wiruje)", r"\bprzecieka", r"\bawari",
                         r"\busterk", r"\bhałas", r"\bzepsu", r"\bnie ma (dźwięku|obrazu|sygnału|zasięgu)",
                         r"\bbrak (dźwięku|obrazu|sygnału|zasięgu)", r"\bnie (łączy|paruje|reaguje|wykrywa)"]),
    ("product-question", [r"\bcompatible", r"\bspec", r"\bdoes (it|the)\b", r"\bcan (i|it)\b", r"\bhow (do|to|long|much)",
                          r"\bwhere (can|to) (i )?buy", r"\bin stock", r"\bavailab", r"\bprice", r"\bczy\b", r"\bjak\b",
                          r"\bgdzie kupi", r"\bdostępn"]),
]
CATEGORY_OF_INTENT = {
    "complaint": "customer-service", "account-change": "customer-service", "return": "customer-service",
    "order": "customer-service", "promotion": "marketing", "repair": "technical-service",
    "troubleshooting": "technical-service", "product-question": "technical-service", "other": "customer-service",
}
SALES_WORDS = [r"\bwhere (can|to) (i )?buy", r"\bin stock", r"\bprice", r"\bgdzie kupi", r"\bcena\b"]


@dataclass
class Classification:
    """What a contact is about, with the rule that decided it."""

    intent: str = "other"
    category: str = "customer-service"
    lang: str = "en"
    matched: list = field(default_factory=list)


def classify(text, lang=None):
    """Intent by the first matching rule; the contact category follows the intent."""
    low = (text or "").lower()
    result = Classification(lang=lang or detect_lang(plain_words(low)))
    for intent, patterns in INTENT_PATTERNS:
        hits = [p for p in patterns if re.search(p, low)]
        if hits:
            result.intent, result.matched = intent, hits
            break
    result.category = CATEGORY_OF_INTENT[result.intent]
    if result.intent == "product-question" and any(re.search(p, low) for p in SALES_WORDS):
        result.category = "marketing"
    return result
