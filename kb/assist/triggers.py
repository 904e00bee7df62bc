"""Trigger phrases of the escalation matrix found in a ticket whatever the word forms: "kuriera" matches the trigger
"kurier", "installer" matches "install", and "naprawe" (typed without diacritics) matches "naprawę".

Writers list a path's triggers once, in their dictionary form; a Polish caller inflects them (seven cases) and often
types without diacritics, an English one writes plurals and -ing forms. Each word is compared by its forms: itself,
its English stem, its Polish lemma, and those without diacritics (for words of five letters or more, so that "sąd"
never matches the English "sad").

>>> words = TicketWords("Proszę przysłać kuriera po pralkę, zgłoszenie naprawy NR-2024-11")
>>> words.find(["kurier", "odbiór"]), words.find(["naprawa"]), words.find(["montaż"])
('kurier', 'naprawa', None)
>>> TicketWords("the installers never came").find(["installer"])
'installer'
"""

import functools
import unicodedata

from kb.index.analysis import english_stem, plain_words, polish_lemma

MIN_UNACCENTED = 5


def unaccent(word):
    """The word without diacritics (ł as l)."""
    word = word.replace("ł", "l").replace("Ł", "L")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=100_000)
def forms(word):
    """The forms a word is compared by."""
    out = {word, english_stem(word), polish_lemma(word)}
    if len(word) >= MIN_UNACCENTED:
        out |= {unaccent(f) for f in tuple(out)}
        bare = unaccent(word)
        out |= {polish_lemma(bare), english_stem(bare)}
    return frozenset(out)


@functools.lru_cache(maxsize=10_000)
def phrase_forms(phrase):
    """The forms of each word of a trigger phrase (a matrix has a few hundred phrases: parsed once)."""
    return tuple(forms(part) for part in plain_words(phrase))


class TicketWords:
    """A ticket's words indexed by their forms, to find trigger phrases in it."""

    def __init__(self, text):
        self.words = plain_words(text or "")
        self.positions = {}
        for i, word in enumerate(self.words):
            for form in forms(word):
                self.positions.setdefault(form, set()).add(i)

    def has(self, phrase):
        """Whether the phrase's words occur one after another in the ticket (in any of their forms)."""
        parts = phrase_forms(phrase)
        if not parts:
            return False
        starts = set().union(*(self.positions.get(f, ()) for f in parts[0]))
        for offset, part in enumerate(parts[1:], 1):
            here = set().union(*(self.positions.get(f, ()) for f in part))
            starts = {s for s in starts if s + offset in here}
            if not starts:
                return False
        return bool(starts)

    def find(self, phrases):
        """The first of ``phrases`` found in the ticket, or None."""
        return next((p for p in phrases or () if self.has(p)), None)
