"""Ticket text: strip quoted replies and signatures, then condense for each retriever.

Whoosh-style lexical scoring costs grow with every query term, and the embedding model reads 256 tokens at
most, so a 500-word e-mail becomes a dozen informative terms for the lexical side and its first informative
sentences for the semantic side.

>>> clean_ticket("My washer shows 4C.\\n\\nKind regards,\\nAnna\\n\\n> On Mon, support wrote:\\n> hello")
'My washer shows 4C.'
"""

import math
import re

from kb.index.analysis import EN_STOP, PL_STOP, plain_words

QUOTE_HEADERS = [
    r"^on .{0,120}wrote:\s*$", r"^-{2,}\s*original message\s*-{2,}", r"^from:\s.+", r"^sent from my ",
    r"^w dniu .{0,120}napisał[a]?:\s*$", r"^-{2,}\s*wiadomość oryginalna\s*-{2,}", r"^od:\s.+", r"^wysłano z ",
    r"^_{5,}\s*$",
]
# a line that is only a sign-off ends the customer's text
SIGNOFFS = [
    r"^((kind|best|warm|many) )?(regards|wishes|thanks)[,!. ]*$", r"^(thanks|thank you|cheers|sincerely)[,!. ]*$",
    r"^yours( sincerely| faithfully| truly)?[,!. ]*$", r"^--\s*$",
    r"^(pozdrawiam|z poważaniem|z wyrazami szacunku|dziękuję|dzięki)( serdecznie)?[,!. ]*$", r"^serdecznie pozdrawiam[,!. ]*$",
]
FILLER = EN_STOP | PL_STOP | set("""hello dear team support sir madam please thanks thank regards would like know need
help could also still just really very since ago one two get got bought purchased last week month today yesterday
dzień dobry witam proszę bardzo pomoc""".split())


def clean_ticket(text):
    """The customer's own words: quoted replies, forwarded headers and signatures removed."""
    kept = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        low = line.strip().lower()
        if any(re.match(p, low) for p in QUOTE_HEADERS):
            break
        if low.startswith(">"):
            continue
        if any(re.match(p, low) for p in SIGNOFFS):
            break
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def sentences(text):
    """Split text into sentences (at ., !, ? or line breaks)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def informative_terms(text, document_frequency=None, limit=12, protected=()):
    """The ``limit`` most informative words: no filler, rarest first (by the index's document frequency)."""
    words = [w for w in plain_words(text) if w not in FILLER and (len(w) > 2 or any(c.isdigit() for c in w))]
    seen, unique = set(), []
    for w in words:
        if w not in seen:
            seen.add(w)
            unique.append(w)
    df = document_frequency or {}
    ranked = sorted(unique, key=lambda w: (w not in protected, df.get(w, 0) == 0, math.log1p(df.get(w, 0))))
    chosen = set(ranked[:limit])
    return [w for w in unique if w in chosen]  # keep the customer's order


def lead_sentences(text, max_words=60):
    """The first informative sentences, up to about ``max_words`` words (for the embedding)."""
    out, count = [], 0
    for sentence in sentences(text):
        content = [w for w in plain_words(sentence) if w not in FILLER]
        if len(content) < 2:
            continue
        out.append(sentence)
        count += len(sentence.split())
        if count >= max_words:
            break
    return " ".join(out) or text[:400]


REDACTIONS = [
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[e-mail]"),
    (re.compile(r"https?://\S+"), "[link]"),
    (re.compile(r"(?<!\w)\+?\d[\d \-()]{7,}\d(?!\w)"), "[number]"),
    (re.compile(r"\b\d{2}-\d{3}\b"), "[postcode]"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"), "[postcode]"),
    (re.compile(r"\b(?:ul\.|ulica|street|st\.|road|rd\.|avenue|ave\.)\s+[^,\n]{2,40}", re.I), "[address]"),
    (re.compile(r"\b((?i:my name is|i am|i'm|nazywam się|mam na imię))\s+[A-ZŁŚŻŹĆŃÓ][\w-]+(\s+[A-ZŁŚŻŹĆŃÓ][\w-]+)?"),
     r"\1 [name]"),
]


def redact(text):
    """The ticket without personal data (e-mail addresses, phone and account numbers, postcodes, addresses, names
    after 'my name is'), for practice mode. Model codes and error codes stay.

    >>> redact("My name is Anna Nowak, call +48 600 100 200 or anna@example.com about WW90T554DAW 4C")
    'My name is [name], call [number] or [e-mail] about WW90T554DAW 4C'
    """
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text
