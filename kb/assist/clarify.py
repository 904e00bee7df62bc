"""A clarifying question for a vague contact, in the contact's language, instead of a confident guess.

A technical contact is vague when it names no product the catalog knows (no model code, no family) or no symptom
(only words like "it doesn't work", "nie działa"). The consultant asks the customer the question before trusting
any suggestion. Confidence is not consulted: a vague contact can still match an article by chance.

>>> from types import SimpleNamespace as R
>>> vague = R(detected={"products": [], "families": [], "intent": "troubleshooting", "lang": "en"})
>>> clarifying_question(vague, "it doesnt work")[:25]
'Which product is it (the '
>>> clear = R(detected={"products": ["WW90T554DAW"], "families": ["WW90T"], "intent": "troubleshooting", "lang": "en"})
>>> clarifying_question(clear, "my WW90T554DAW shows 4C") is None
True
"""

from kb.assist.ticket import FILLER
from kb.index.analysis import plain_words

# intents where the product and the symptom decide the answer (orders, returns, accounts and complaints do not)
TECHNICAL = {"troubleshooting", "repair", "other"}

# words that say something is wrong without saying what
GENERIC = set("""work works working worked doesnt doesn don dont didnt wont won isnt cant not no broken break breaks
problem problems issue issues fault faulty wrong stopped stop help something anything thing things device product
unit item appliance anymore properly right suddenly any all nothing
nie działa działać działają działało działał zepsuty zepsuta zepsute zepsuło zepsuł problem problemy problemu usterka
usterkę coś cos nic pomocy pomoc urządzenie urządzenia sprzęt sprzętu produkt się sie mi mój moja moje już juz
wcale dobrze""".split())

# names of kinds of products: they say which product, not what is wrong with it
KINDS = set("""tv television telly telewizor telewizora washer washing machine pralka pralki pralkę fridge freezer
refrigerator lodówka lodówki lodówkę zamrażarka dishwasher zmywarka zmywarki oven piekarnik microwave mikrofalówka
laptop laptopa notebook phone telefon telefonu smartphone smartfon tablet tabletu watch zegarek zegarka soundbar
headphones słuchawki monitor monitora vacuum odkurzacz odkurzacza air conditioner klimatyzator klimatyzacja dryer
suszarka camera aparat speaker głośnik printer drukarka""".split())

QUESTIONS = {
    "en": {
        "both": "Which product is it (the model code on the rating plate, in the app or on the box), and what exactly "
                "happens: what does it do or show, and since when?",
        "product": "Which model is it? Please give the model code from the rating plate (or from the app or the box).",
        "symptom": "What exactly happens? What does the device do or show (an error code, a sound, a light), and "
                   "since when?",
    },
    "pl": {
        "both": "Jakiego urządzenia dotyczy zgłoszenie (kod modelu z tabliczki znamionowej, z aplikacji albo z "
                "pudełka) i co dokładnie się dzieje: co urządzenie robi lub wyświetla i od kiedy?",
        "product": "Jaki to model? Proszę podać kod modelu z tabliczki znamionowej (albo z aplikacji lub pudełka).",
        "symptom": "Co dokładnie się dzieje? Co urządzenie robi lub wyświetla (kod błędu, dźwięk, kontrolka) i od "
                   "kiedy?",
    },
}


def symptom_words(text):
    """The words of a contact that could describe what happens (no filler, no generic or product-kind words)."""
    return [w for w in plain_words(text or "") if w not in FILLER and w not in GENERIC and w not in KINDS
            and not any(c.isdigit() for c in w) and len(w) > 2]


def clarifying_question(result, text):
    """The question to ask the customer first (in the contact's language), or None when the contact is clear."""
    detected = result.detected if hasattr(result, "detected") else result["detected"]
    if detected.get("intent") not in TECHNICAL:
        return None
    no_product = not detected.get("products") and not detected.get("families")
    no_symptom = not symptom_words(text)
    if not (no_product or no_symptom):
        return None
    questions = QUESTIONS.get(detected.get("lang"), QUESTIONS["en"])
    return questions["both" if no_product and no_symptom else "product" if no_product else "symptom"]
