"""Query analysis: normalization, products and categories, language, spelling correction, condensing.

>>> v = Vocabulary({"washing": 5, "machine": 4, "drain": 3})
>>> v.correct("wasing")
'washing'

Spelling correction touches only the lexical side, and only words that are not words of English or Polish (a real
word missing from the knowledge base, such as "crossed", is left alone: correcting it to "closed" loses meaning).
The embedding always reads what the person typed, normalized.
"""

import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from kb.index.analysis import EN_STOP, PL_STOP, plain_words
from kb.search.lexicon import is_dictionary_word

PL_CHARS = set("ąćęłńóśźż")
MAX_QUERY_WORDS = 12


@dataclass
class AnalyzedQuery:
    """What the engine understood of a query."""

    text: str
    words: list = field(default_factory=list)
    corrected: dict = field(default_factory=dict)
    products: list = field(default_factory=list)
    families: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    lang: str = "en"
    code_spans: list = field(default_factory=list)

    @property
    def searchable(self):
        """Whether there is anything to search for: a letter of some script, or a product or model code."""
        return bool(self.products or self.families or any(ch.isalpha() for ch in self.text))

    @property
    def semantic_text(self):
        """What the embedding reads: the query as typed (normalized), never the corrected word list."""
        return self.text

    @property
    def lexical_words(self):
        """The words the lexical side searches: corrected where a correction was made."""
        return [self.corrected.get(w, w) for w in self.words]

    @property
    def corrected_text(self):
        """The query with the corrections applied, for "showing results for ..." (None when nothing changed)."""
        if not self.corrected:
            return None
        return " ".join(self.corrected.get(w, w) for w in plain_words(self.text))

    def to_dict(self):
        """Plain dict for the API."""
        return {"text": self.text, "corrected": self.corrected, "corrected_text": self.corrected_text,
                "products": self.products,
                "families": self.families, "categories": self.categories, "lang": self.lang}


def normalize_query(text):
    """Unicode NFC, collapsed white space, no control characters."""
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()


class Vocabulary:
    """Word frequencies of the indexed text, with deletion-neighbourhood spelling correction (distance <= 2).

    The neighbourhood (every word's deletion variants) is the costly part: 3.4 of the 5.6 s an index version took
    to open on the sample. It is built on the first correction (or by ``warm()``), and a version that follows
    another (``follow``) extends its predecessor's neighbourhood with its new words instead of building its own.
    """

    def __init__(self, counts, max_distance=2, neighbourhood=None):
        self.counts = Counter(counts)
        self.max_distance = max_distance
        self._shared = neighbourhood  # {"deletes": {variant: [word]}, "words": set of words indexed}
        self._lock = threading.Lock()

    def follow(self, counts):
        """A vocabulary of new counts sharing this one's neighbourhood (built once, extended with new words)."""
        return Vocabulary(counts, self.max_distance, self._shared)

    def warm(self):
        """Build the correction neighbourhood now rather than at the first correction."""
        return self._deletes()

    def _deletes(self):
        with self._lock:
            if self._shared is None:
                self._shared = {"deletes": {}, "words": set()}
            shared = self._shared
            new = [w for w in self.counts if w not in shared["words"]]
            if new:
                self._index(shared, new)
            return shared["deletes"]

    def _index(self, shared, words):
        # append-only, so a version still serving with the same neighbourhood never sees it shrink; words that
        # left the counts stay listed and are skipped by ``correct``
        deletes = shared["deletes"]
        for word in words:
            shared["words"].add(word)
            if len(word) >= 4 and not any(ch.isdigit() for ch in word):
                for variant in self._variants(word):
                    deletes.setdefault(variant, []).append(word)

    def _variants(self, word):
        out, frontier = {word}, {word}
        for _ in range(self.max_distance if len(word) > 5 else 1):
            frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
            out |= frontier
        return out

    def __contains__(self, word):
        return word in self.counts

    def correct(self, word):
        """The known word within the edit distance (1 up to 6 letters, else 2), or None when there is none or
        when two candidates at the same distance are about as frequent (no correction beats a wrong one)."""
        if word in self.counts or len(word) < 4 or any(ch.isdigit() for ch in word):
            return None
        deletes = self._deletes()
        limit = 1 if len(word) <= 6 else self.max_distance
        found = {}
        for variant in self._variants(word):
            for candidate in deletes.get(variant, ()):
                if candidate not in found and self.counts.get(candidate):
                    dist = _distance(word, candidate)
                    if dist <= limit:
                        found[candidate] = dist
        if not found:
            return None
        nearest = min(found.values())
        ranked = sorted((c for c, d in found.items() if d == nearest), key=lambda c: (-self.counts[c], c))
        if len(ranked) > 1 and self.counts[ranked[0]] < 3 * self.counts[ranked[1]]:
            return None
        return ranked[0]


def _distance(a, b):
    """Damerau-Levenshtein (optimal string alignment) distance."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def detect_lang(words, pl_vocab=None, en_vocab=None):
    """``pl`` when the words look Polish (diacritics, Polish stop words or Polish-only vocabulary), else ``en``."""
    if any(ch in PL_CHARS for w in words for ch in w):
        return "pl"
    pl_hits = sum(1 for w in words if w in PL_STOP or (pl_vocab and w in pl_vocab and not (en_vocab and w in en_vocab)))
    en_hits = sum(1 for w in words if w in EN_STOP or (en_vocab and w in en_vocab and not (pl_vocab and w in pl_vocab)))
    return "pl" if pl_hits > en_hits else "en"


class QueryAnalyzer:
    """Turns raw text into an AnalyzedQuery using the catalog and the index vocabulary."""

    def __init__(self, catalog, en_vocab, pl_vocab, category_words=None):
        self.catalog = catalog
        self.en_vocab, self.pl_vocab = en_vocab, pl_vocab
        self.category_words = category_words or {}
        self._aliases = {}
        for product in catalog.products.values():
            for alias in product.aliases:
                self._aliases.setdefault(alias.lower(), set()).add(product.family)

    def analyze(self, text, correct=True, is_word=None):
        """Analyze a query: products, language, spelling; at most MAX_QUERY_WORDS words are kept."""
        text = normalize_query(text)
        q = AnalyzedQuery(text=text)
        for det in self.catalog.detect(text):
            q.code_spans.append(det.text)
            if det.product:
                q.products.append(det.product.code)
            if det.family.code not in q.families:
                q.families.append(det.family.code)
        low = " " + text.lower() + " "
        for alias, families in self._aliases.items():
            if f" {alias} " in low:
                q.families.extend(f for f in sorted(families) if f not in q.families)
        code_words = {w for span in q.code_spans for w in plain_words(span)}
        words = [w for w in plain_words(text) if w not in code_words]
        q.words = words[:MAX_QUERY_WORDS]
        q.lang = detect_lang(q.words, self.pl_vocab, self.en_vocab)
        for cat, cat_words in self.category_words.items():
            if any(f" {w} " in low for w in cat_words):
                q.categories.append(cat)
        if correct:
            q.corrected = self._corrections(q.words, q.lang, is_word or is_dictionary_word)
        return q

    def _corrections(self, words, lang, is_word):
        vocab, other = (self.pl_vocab, self.en_vocab) if lang == "pl" else (self.en_vocab, self.pl_vocab)
        stop = PL_STOP if lang == "pl" else EN_STOP
        out = {}
        for word in words:
            if word in stop or word in vocab or word in other or is_word(word):
                continue
            fix = vocab.correct(word) or other.correct(word)
            if fix:
                out[word] = fix
        return out
